"""Whatever is typed, pasted or forged into a form, a page's address or a phone's JSON, the
site answers in words, never with a server error.

Each URL pattern of the site (walked and named as tests/security/test_url_role_matrix.py
does, with Treforest's objects) is sent generated bad input by the person it is for: Ana, a
carer; Sian, Gwen's daughter; Gwen herself, a client; Rhian, a team leader; Nerys, the
coordinator, in the admin; and someone signed out on the pages open to all. The field names
are the page's own, read from the forms the person is shown; the values are drawn from what
breaks sites: NUL bytes, ten thousand characters, right-to-left marks and combining accents,
31 December 9999 and 30 February, 1e309, "//evil.example", JSON. Some go as htmx sends them,
some as a plain form; some as multipart, some urlencoded. The push subscription is sent
deeply nested and oversized JSON; the admin's lists garbage filters.

No answer is a 5xx, and no exception reaches Django's handler (an htmx request that fails
gets the trouble page with a 200, so the status alone would not show it). Nothing with a
date before 1900 or after 2200 is stored: no visit, time off, family visit or plan, and no
audit event that speaks of one.

Each example runs in a savepoint rolled back after it, so every request meets the same
Treforest. Examples are drawn with a fixed seed, so a run in CI repeats the last one here.
Run with -s for the count: "bad input: N requests, 0 answered 5xx".
"""

import json
import logging
import re
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import got_request_exception
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st

from people.models import Credential, Person
from rota.models import Absence, AuditEvent, FamilyVisit, Shift, VisitPlan
from tests.security.test_url_role_matrix import PUBLIC, full_table, scene, url_of
from tests.web.pages import HTMX

__all__ = ["scene"]  # Treforest with one of everything, as the matrix builds it

# --- who each page is for ----------------------------------------------------------------------

AUDIENCE = {"carer:": "ana", "family:": "sian", "leaders:": "rhian", "account:": "ana"}
# What only the client (or whoever speaks for her) decides, and the staff's own sign-in pages.
THEIRS = {
    "family:about": "gwen_herself",
    "family:edit_about": "gwen_herself",
    "family:fine": "gwen_herself",
    "family:rather_not": "gwen_herself",
    "family:prefer": "gwen_herself",
    "family:welcome_back": "gwen_herself",
    "account:second_factor": "nerys",
    "account:authenticator": "nerys",
}

# The admin's forms a coordinator fills in most, and every admin list with its filters.
ADMIN_FORMS = ["people.client", "rota.visitplan", "people.carerprofile", "people.person"]
ADMIN_OWN_PAGES = ["admin:rota_absence_record", "admin:circles_circle_hours"]
# What the admin's lists read from their address, besides each list's own filters.
ADMIN_QUERY = ["o", "q", "p", "all", "e", "_popup", "_to_field", "circle__id__exact"]


def person_for(key: str) -> str | None:
    """Who the pattern is for, by the cast's name; None when it is open to all."""
    if key in THEIRS:
        return THEIRS[key]
    if full_table()[key][1] == PUBLIC:
        return None
    if key.startswith("admin"):
        return "nerys"
    return next(name for prefix, name in AUDIENCE.items() if key.startswith(prefix))


def keys_to_try() -> list[str]:
    """Every pattern but the admin's, and of the admin's: its own pages, the chosen models'
    add and change forms, and every list."""
    chosen = {
        f"admin:{label.replace('.', '_')}_{view}"
        for label in ADMIN_FORMS
        for view in ("add", "change")
    }
    admin_keys = [key for key in full_table() if key.endswith("_changelist") or key in chosen]
    return [key for key in full_table() if not key.startswith("admin")] + [
        *ADMIN_OWN_PAGES,
        *admin_keys,
    ]


# --- the bad input -----------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "Gwen\x00",
    "x" * 10_000,
    "ẞ" * 3_000,
    "\u202eevil\u202c",  # right-to-left override
    "e\u0301\u0301\u0301\u0301",  # combining accents
    "👩‍👩‍👧‍👦🏴󠁧󠁢󠁷󠁬󠁳󠁿",
    "\ufeff\u200b\u2028",
    "١٢٣",  # Arabic-Indic digits, which int() reads
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "2026-13-01",
    "10000-01-01",
    "31/12/9999",
    "2026-05-04T25:61",
    "24:00",
    "23:59:60",
    "-1",
    "0",
    "1e309",
    "-1e309",
    "NaN",
    "99999999999999999999",
    "2147483648",
    "9999",
    "-99999999999999999999",
    "3.14159",
    "null",
    "true",
    "[]",
    "{}",
    '{"a": [1, {"b": null}]}',
    "[" * 500,
    "//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\\evil.example",
    "next",
    "zzz",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
]

# Any text a browser can send: lone surrogates cannot be encoded, so are left out.
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
values = st.one_of(
    st.sampled_from(NASTY),
    text,
    st.integers().map(str),
    st.dates().map(lambda day: day.isoformat()),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)


# --- reading the forms a person is shown -------------------------------------------------------


@dataclass
class Form:
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name: values the page offers
    files: set[str] = field(default_factory=set)


class FormReader(HTMLParser):
    """The forms of a page, by the path they send to, with each field's name and the values
    the page itself would send; and the query names of its links that start with "?" (the
    admin's filters)."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[tuple[str, Form]] = []
        self.filters: set[str] = set()
        self.current: Form | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.current = Form(method=a.get("method", "get").lower())
            self.forms.append((urlsplit(a.get("action") or self.page).path, self.current))
        elif tag == "a" and a.get("href", "").startswith("?"):
            self.filters |= {name for name, _ in parse_qsl(a["href"][1:])}
        if self.current is None or "name" not in a:
            if tag == "option" and self.current is not None and self.select and "value" in a:
                self.current.fields[self.select].append(a["value"])
            return
        name = a["name"]
        offered = self.current.fields.setdefault(name, [])
        if tag == "select":
            self.select = name
        elif tag == "input" and a.get("type") == "file":
            self.current.files.add(name)
        elif tag in ("input", "button") and "value" in a:
            offered.append(a["value"])
        elif tag == "input" and a.get("type") in ("checkbox", "radio"):
            offered.append("on")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


@dataclass
class Target:
    """One pattern, as its person meets it: its URL, and the fields of the forms that send
    to it (by POST, and by GET for the pages that read their address)."""

    key: str
    who: str | None
    url: str
    post: Form | None = None
    get: Form | None = None


def merged(forms: list[Form], method: str) -> Form:
    together = Form(method=method)
    for form in forms:
        for name, offered in form.fields.items():
            together.fields.setdefault(name, []).extend(offered)
        together.files |= form.files
    together.fields.setdefault("next", ["/"])
    return together


# --- sending it --------------------------------------------------------------------------------

SENT: Counter[str] = Counter()  # requests sent, and how many answered 5xx


class Sender:
    """Sends one request at a time as one person, in a savepoint rolled back afterwards, and
    says what went wrong, if anything.

    Each person is signed in once, before any request: rolling back restores their session
    as it was, and each request carries only that session's cookie, so signing out, a
    language switch or a message left for the next page never reaches the next request."""

    def __init__(self, browser: Client, people: dict[str, Person]) -> None:
        self.browser = browser
        self.sessions: dict[str | None, str] = {}
        for name, person in people.items():
            # A session of its own: signing in over another person's would end theirs.
            browser.cookies = SimpleCookie()
            browser.force_login(person)
            self.sessions[name] = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
        self.errors: list[BaseException] = []
        self.stored = ""
        got_request_exception.connect(self._caught, dispatch_uid="bad-input")

    def _caught(self, sender: object, **kwargs: object) -> None:
        if (error := sys.exc_info()[1]) is not None:
            self.errors.append(error)

    def close(self) -> None:
        got_request_exception.disconnect(dispatch_uid="bad-input")

    def answer(self, who: str | None, method: str, url: str, **options: object) -> HttpResponse:
        """The answer to one request by `who` (the cast's name; None, signed out), whatever
        it changed undone; absurd dates a POST stored are kept, in words, in `self.stored`."""
        self.errors.clear()
        self.browser.cookies = SimpleCookie()
        if who is not None:
            self.browser.cookies[django_settings.SESSION_COOKIE_NAME] = self.sessions[who]
        post = method == "post"
        events = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True)[:1] if post else []
        with transaction.atomic():
            if isinstance(options.get("data"), bytes):
                # A body sent as it is, whatever its type says (the client's post() would
                # read it as UTF-8 first).
                response: HttpResponse = self.browser.generic(method.upper(), url, **options)
            else:
                response = getattr(self.browser, method)(url, **options)
            SENT["requests"] += 1
            broken = response.status_code >= 500 or bool(self.errors)
            self.stored = absurd_dates(max(events, default=0)) if post and not broken else ""
            transaction.set_rollback(True)
        return response

    def send(self, who: str | None, method: str, url: str, **options: object) -> str:
        """Send it; "" if the answer is right, else why not."""
        response = self.answer(who, method, url, **options)
        if response.status_code >= 500 or self.errors:
            SENT["5xx"] += 1
            problem = f"answered {response.status_code}"
            if self.errors:
                problem += f" after {self.errors[-1]!r}"
            return problem
        return self.stored


# What has dates, and which.
DATED = [
    (Shift, ("start", "end")),
    (Absence, ("start", "end")),
    (FamilyVisit, ("start", "end")),
    (VisitPlan, ("starts_on", "ends_on")),
    (Credential, ("valid_until",)),
]


def absurd_dates(events: int) -> str:
    """What is stored with a date before 1900 or after 2200, and the audit events after
    `events` that speak of one, in words; "" if nothing."""
    absurd = []
    for model, fields in DATED:
        outside = Q()
        for name in fields:
            outside |= Q(**{f"{name}__year__lt": 1900}) | Q(**{f"{name}__year__gt": 2200})
        if model.objects.filter(outside).exists():
            absurd.append(model.__name__)
    for at, before, after in AuditEvent.objects.filter(pk__gt=events).values_list(
        "at", "before", "after"
    ):
        years = [at.year] + [
            int(year) for year in re.findall(r"\b(\d{4,})-\d\d-\d\d", json.dumps([before, after]))
        ]
        if any(not 1900 <= year <= 2200 for year in years):
            absurd.append(f"AuditEvent at {at}: {before} -> {after}")
    return f"stored absurd dates: {absurd}" if absurd else ""


def form_data(form: Form) -> st.SearchStrategy[dict[str, object]]:
    """Some of the form's fields (and `next`), each the page's own value or a bad one, now
    and then sent twice; a file field gets bytes that are no picture."""
    optional: dict[str, st.SearchStrategy[object]] = {}
    for name, offered in form.fields.items():
        one = st.sampled_from(offered) | values if offered else values
        optional[name] = one | st.lists(one, min_size=2, max_size=3)
    for name in form.files:
        optional[name] = st.binary(max_size=2_000).map(
            lambda data: SimpleUploadedFile("me.jpg", data, content_type="image/jpeg")
        )
    return st.fixed_dictionaries({}, optional=optional)


def as_body(data: dict[str, object], urlencoded: bool) -> dict[str, object]:
    """The test client's keywords for posting `data`: multipart, as the client does by
    default and a form with a file must, or urlencoded, as most forms are sent."""
    files = any(isinstance(value, SimpleUploadedFile) for value in data.values())
    if not urlencoded or files:
        return {"data": data}
    return {
        "data": urlencode(data, doseq=True),
        "content_type": "application/x-www-form-urlencoded",
    }


# --- finding every form ------------------------------------------------------------------------


def targets(sender: Sender, scene: SimpleNamespace, keys: list[str]) -> list[Target]:
    """Each pattern with the forms its person is shown for it: every page of theirs is read
    first, since a tap's form (take this visit) sits on another page (visits needing cover).
    A pattern that answers a GET (or a POST) with 405 is sent none."""
    found = [Target(key, person_for(key), url_of(key, scene)) for key in keys]
    shown: dict[tuple[str | None, str, str], list[Form]] = {}
    filters: dict[str, set[str]] = {}
    for target in found:
        response = sender.answer(target.who, "get", target.url)
        reader = FormReader(target.url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            reader.feed(response.text)
        for path, form in reader.forms:
            shown.setdefault((target.who, path, form.method), []).append(form)
        filters[target.url] = reader.filters
        # A page that answers reads its address too: the fields of its own GET forms.
        target.get = Form("get") if response.status_code != 405 else None
        if (
            takes_post(target.key)
            and sender.answer(target.who, "post", target.url).status_code != 405
        ):
            target.post = Form("post")
    for target in found:
        if target.get is not None:
            target.get = merged(shown.get((target.who, target.url, "get"), []), "get")
            for name in filters[target.url]:
                target.get.fields.setdefault(name, [])
            if target.key.endswith("_changelist"):
                for name in ADMIN_QUERY:
                    target.get.fields.setdefault(name, [])
        if target.post is not None:
            target.post = merged(shown.get((target.who, target.url, "post"), []), "post")
    return found


def takes_post(key: str) -> bool:
    """The admin's pages sent a POST: the chosen forms and its own pages; a list's actions
    and a delete are left out."""
    if key.startswith("admin"):
        return key in ADMIN_OWN_PAGES or key.endswith(("_add", "_change"))
    return True


def shown(data: object) -> str:
    """`data` for a failure's message, each long value cut short."""
    if isinstance(data, dict):
        return "{" + ", ".join(f"{k!r}: {shown(v)}" for k, v in data.items()) + "}"
    text = repr(data)
    return text if len(text) <= 80 else f"{text[:60]}...({len(text)} characters)"


def drawn(examples: int) -> settings:
    """`examples` examples, the same ones on every run; none kept between runs."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def failures(test: Callable[[], None]) -> list[str]:
    """Run a hypothesis test; its failure (the smallest example found) in one line, or the
    end of the traceback when the request could not even be sent."""
    try:
        test()
    except AssertionError as failure:
        return [str(failure).splitlines()[0]]
    except Exception as failure:  # noqa: BLE001 - every failure is reported at the end
        # Not an answer that was wrong: the request itself could not be sent or read.
        return ["".join(traceback.format_exception(failure))[-2_000:]]
    return []


def fuzz(sender: Sender, target: Target, method: str, examples: int) -> list[str]:
    """Send `examples` requests of generated input to the target; each failure in words."""
    form = target.post if method == "post" else target.get
    assert form is not None

    @drawn(examples)
    @given(data=form_data(form), htmx=st.booleans(), urlencoded=st.booleans())
    def one(data: dict[str, object], htmx: bool, urlencoded: bool) -> None:
        options = as_body(data, urlencoded) if method == "post" else {"data": data}
        headers = HTMX if htmx else {}
        problem = sender.send(target.who, method, target.url, headers=headers, **options)
        note(f"{len(data)} fields, htmx={htmx}, urlencoded={urlencoded}")
        assert not problem, (
            f"{method.upper()} {target.url} ({target.key}) as {target.who}"
            f"{' with htmx' if htmx else ''}: {problem}; data {shown(data)}"
        )

    return failures(one)


# --- the tests ---------------------------------------------------------------------------------

AUDIENCES = ["ana", "sian", "gwen_herself", "rhian", "nerys", None]
EXAMPLES = {"post": 15, "get": 4, "json": 30}


@pytest.fixture(scope="module", autouse=True)
def _count():
    """The figure for the record, printed once the module has run (pytest -s)."""
    yield
    print(f"\nbad input: {SENT['requests']:,} requests, {SENT['5xx']:,} answered 5xx")


@pytest.fixture
def sender(client, story) -> Iterator[Sender]:
    # An exception is then a 500 answer, as a person would meet it, not the test's crash.
    client.raise_request_exception = False
    # Sign-in's own log lines, once per person, would bury the count printed at the end.
    logging.getLogger("axes").setLevel(logging.WARNING)
    people = {name: getattr(story, name) for name in AUDIENCES if name is not None}
    sending = Sender(client, people)
    yield sending
    sending.close()


@pytest.mark.parametrize("who", AUDIENCES, ids=lambda who: who or "signed out")
def test_no_form_or_page_answers_bad_input_with_a_server_error(sender, scene, who):
    keys = [key for key in keys_to_try() if person_for(key) == who]
    found = targets(sender, scene, keys)
    wrong: list[str] = []
    # The forms were read: some pattern has fields of its own besides `next`.
    assert any(len(target.post.fields) > 1 for target in found if target.post), keys

    for target in found:
        for method in ("post", "get"):
            if getattr(target, method) is not None:
                wrong += fuzz(sender, target, method, EXAMPLES[method])

    assert wrong == []


# --- a phone's JSON ----------------------------------------------------------------------------

# Nested past the parser's depth, and more than a request may carry.
DEEP = '{"keys":' * 100_000 + "1" + "}" * 100_000
HUGE = '{"endpoint": "' + "x" * 3_000_000 + '"}'
subscription_like = st.fixed_dictionaries(
    {},
    optional={
        "endpoint": values | json_values,
        "keys": st.fixed_dictionaries({}, optional={"p256dh": values, "auth": values})
        | json_values,
        "expirationTime": json_values,
    },
)
json_bodies = st.one_of(
    json_values.map(json.dumps),
    subscription_like.map(json.dumps),
    st.sampled_from(NASTY),
    # Nested deep, as a list or a key within a key.
    st.integers(1, 200_000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(1, 100_000).map(lambda depth: '{"keys":' * depth + "1" + "}" * depth),
    st.sampled_from([DEEP, HUGE]),
    st.binary(max_size=200),
)
CONTENT_TYPES = ["application/json", "application/json; charset=utf-16", "text/plain", ""]


def fuzz_json(sender: Sender, url: str) -> list[str]:
    """Ana's phone posts generated JSON (or not JSON) to `url`; each failure in words."""

    @drawn(EXAMPLES["json"])
    @given(body=json_bodies, content_type=st.sampled_from(CONTENT_TYPES), htmx=st.booleans())
    @example(body=DEEP, content_type="application/json", htmx=False)
    @example(body=HUGE, content_type="application/json", htmx=True)
    def one(body: str | bytes, content_type: str, htmx: bool) -> None:
        headers = HTMX if htmx else {}
        if isinstance(body, str):
            body = body.encode("utf-16" if "utf-16" in content_type else "utf-8")
        problem = sender.send(
            "ana", "post", url, data=body, content_type=content_type, headers=headers
        )
        assert not problem, f"POST {url} ({content_type}): {problem}; body {shown(body)}"

    return failures(one)


def test_a_phones_subscription_answers_bad_json_in_words(sender, settings):
    """Whatever a browser (or anyone) posts as a phone's subscription to alerts, or to
    stop them."""
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = "set"

    wrong = fuzz_json(sender, reverse("account:push_subscribe")) + fuzz_json(
        sender, reverse("account:push_unsubscribe")
    )

    assert wrong == []
