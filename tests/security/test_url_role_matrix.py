"""Every URL of the site, asked for by everyone who has no business with Treforest.

The site's URL patterns are walked from config.urls (the admin's included) and each is asked
for, as a plain GET and as an htmx POST, by: someone signed out; Eli, a carer of another
circle; Bryn, the family of another client; Bart, another client, with his own log-in; a team
leader of another circle; Hill Care's coordinator; and Ana, a carer, on the team leaders' pages
and the admin. Whatever a pattern names (a visit, a place, a swap, time off, a call for help, a
client, a circle, an admin object) is Treforest's, in Valleys Care.

Every answer is a sign-in redirect, 403, 404 or 405, except on the pages that are the
person's own (their shifts, their settings, an organisation's own admin lists) or open to
all (signing in): there an answer holds nothing of Treforest. Whatever they ask, nothing
changes: the rota, the trail, the people and their circles are as they were.

A URL pattern missing from TABLE fails the first test: a new page is added to the table, with
what it names, before it ships.
"""

from collections.abc import Callable, Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.test import Client as Browser
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from circles.models import Circle, Membership, Organisation
from circles.permissions import cares_anywhere, leads_any, speaks_for_anyone
from people.models import (
    CarerPreference,
    CarerProfile,
    Client,
    Credential,
    CredentialType,
    Employer,
    Person,
    Preference,
    PushSubscription,
)
from rota import services
from rota.models import Absence, AbsenceKind, AuditEvent, NewFaceRequest, RunningLow, VisitPlan
from tests.factories import CredentialFactory, PersonFactory, VisitPlanFactory, with_photo
from tests.outcomes import rota_state
from tests.stories import WEDNESDAY_NOON, at, place, planned_visit, team_leader, visited
from tests.web.pages import HTMX

# What a pattern is, for a stranger:
OBJECT = "object"  # names something of Treforest's: they are turned away
OWN = "own"  # their own page or action, naming nothing: never anything of Treforest in it
PUBLIC = "public"  # open to anyone, signed in or not (signing in, the service worker)

Kwargs = Callable[[SimpleNamespace], dict[str, object]]


def nothing(scene: SimpleNamespace) -> dict[str, object]:
    return {}


def named(**fields: str) -> Kwargs:
    """The kwargs as attributes of the scene: named(shift_id="free_visit") is the free visit's
    primary key."""

    def kwargs(scene: SimpleNamespace) -> dict[str, object]:
        return {key: getattr(scene, attribute).pk for key, attribute in fields.items()}

    return kwargs


# Each pattern (by name, or by its route when it has none): what it names, and what it is.
TABLE: dict[str, tuple[Kwargs, str]] = {
    # Whether the web reaches the database and broker, for whatever watches it.
    "healthz": (nothing, PUBLIC),
    # Everyone's own pages (web.account).
    "account:home": (nothing, OWN),
    "account:login": (nothing, PUBLIC),
    "account:logout": (nothing, PUBLIC),
    "account:sign_in_link": (nothing, PUBLIC),
    "account:sign_in_confirm": (nothing, PUBLIC),
    "account:second_factor": (nothing, OWN),
    "account:authenticator": (nothing, OWN),
    "account:change_password": (nothing, OWN),
    # Setting up one's sign-in from an invitation: open to whoever holds the link; Ana's,
    # with a guessed token, sets nothing.
    "account:invitation": (
        lambda scene: {"uid": urlsafe_base64_encode(force_bytes(scene.ana.pk)), "token": "1-guess"},
        PUBLIC,
    ),
    "account:preferences": (nothing, OWN),
    "account:reminders_on": (nothing, OWN),
    "account:about_me": (nothing, OWN),
    "account:enough": (nothing, OWN),
    "account:running_low": (nothing, OWN),
    # Ana's own "I'm running low": only she may end it.
    "account:end_running_low": (named(running_low_id="anas_low"), OBJECT),
    # Ana's photo: only for the people of her circle.
    "account:carer_photo": (named(carer_id="ana"), OBJECT),
    "account:inbox": (nothing, OWN),
    "account:switch_language": (nothing, PUBLIC),
    "account:calendar": (nothing, OWN),
    "account:calendar_new_address": (nothing, OWN),
    # A guessed secret: the feed's address is the only key to it.
    "account:calendar_feed": (lambda scene: {"token": "a-guessed-secret"}, OBJECT),
    "account:push_key": (nothing, PUBLIC),
    "account:push_subscribe": (nothing, OWN),
    "account:push_unsubscribe": (nothing, OWN),
    "account:service_worker": (nothing, PUBLIC),
    # The carers' pages (web.carer).
    "carer:my_shifts": (nothing, OWN),
    "carer:give_away": (named(assignment_id="anas_place"), OBJECT),
    "carer:keep": (named(assignment_id="anas_place"), OBJECT),
    "carer:arrive": (named(assignment_id="anas_place"), OBJECT),
    "carer:left": (named(assignment_id="anas_place"), OBJECT),
    "carer:swap": (named(assignment_id="anas_place"), OBJECT),
    "carer:propose_swap": (named(assignment_id="anas_place", other_id="bens_place"), OBJECT),
    "carer:accept_swap": (named(swap_id="swap"), OBJECT),
    "carer:decline_swap": (named(swap_id="swap"), OBJECT),
    "carer:withdraw_swap": (named(swap_id="swap"), OBJECT),
    "carer:late": (named(assignment_id="anas_place"), OBJECT),
    "carer:on_my_way": (named(assignment_id="anas_place"), OBJECT),
    "carer:cant_make_it": (named(assignment_id="anas_place"), OBJECT),
    "carer:needs_cover": (nothing, OWN),
    "carer:take": (named(shift_id="free_visit"), OBJECT),
    "carer:take_every_week": (named(shift_id="free_visit"), OBJECT),
    "carer:board": (nothing, OWN),
    "carer:circle_board": (named(circle_id="circle"), OBJECT),
    # Open to the circle's team leaders as well as its carers.
    "carer:shares": (named(circle_id="circle"), OBJECT),
    # The circle's monthly check-in: for its carers only.
    "carer:check_in": (named(circle_id="circle"), OBJECT),
    "carer:check_ins": (named(circle_id="circle"), OBJECT),
    "carer:share_check_ins": (named(circle_id="circle"), OBJECT),
    "carer:off": (nothing, OWN),
    # The thanks Ana was given, and her choice of whether the circle sees one.
    "carer:thanks": (nothing, OWN),
    "carer:share_thanks": (named(thanks_id="thanks"), OBJECT),
    "carer:sick_today": (nothing, OWN),
    "carer:absence": (named(absence_id="absence"), OBJECT),
    "carer:better": (named(absence_id="absence"), OBJECT),
    "carer:help": (named(request_id="help_request"), OBJECT),
    "carer:accept_help": (named(request_id="help_request"), OBJECT),
    "carer:help_eta": (named(request_id="help_request"), OBJECT),
    "carer:raise_help": (named(shift_id="anas_visit"), OBJECT),
    # The family's and the client's pages (web.family).
    "family:coming": (nothing, OWN),
    "family:coming_for": (named(client_id="gwen"), OBJECT),
    "family:with": (named(client_id="gwen"), OBJECT),
    "family:what_happened": (nothing, OWN),
    "family:what_happened_for": (named(client_id="gwen"), OBJECT),
    "family:family_read_notes": (named(client_id="gwen"), OBJECT),
    "family:thank": (named(assignment_id="done_place"), OBJECT),
    "family:withdraw": (named(visit_id="family_visit"), OBJECT),
    "family:away": (named(client_id="gwen"), OBJECT),
    "family:record_away": (named(client_id="gwen"), OBJECT),
    "family:back_early": (named(away_id="client_away"), OBJECT),
    "family:help": (named(client_id="gwen"), OBJECT),
    "family:help_status": (named(request_id="help_request"), OBJECT),
    "family:cancel_help": (named(request_id="help_request"), OBJECT),
    "family:about": (nothing, OWN),
    "family:about_for": (named(client_id="gwen"), OBJECT),
    "family:edit_about": (named(client_id="gwen"), OBJECT),
    "family:fine": (named(client_id="gwen", carer_id="cat"), OBJECT),
    "family:new_face_limit": (named(client_id="gwen"), OBJECT),
    "family:asked": (named(client_id="gwen"), OBJECT),
    "family:say_yes": (named(request_id="new_face_request"), OBJECT),
    "family:say_no": (named(request_id="new_face_request"), OBJECT),
    "family:rather_not": (named(client_id="gwen", carer_id="cat"), OBJECT),
    "family:carers": (named(client_id="gwen"), OBJECT),
    "family:prefer": (named(client_id="gwen", carer_id="cat"), OBJECT),
    "family:welcome_back": (named(client_id="gwen", carer_id="cat"), OBJECT),
    # The team leaders' pages (web.leaders).
    "leaders:dashboard": (nothing, OWN),
    "leaders:payroll": (nothing, OWN),
    "leaders:circle": (named(circle_id="circle"), OBJECT),
    "leaders:thresholds": (named(circle_id="circle"), OBJECT),
    "leaders:leaving": (named(circle_id="circle", carer_id="ana"), OBJECT),
    "leaders:ask": (named(shift_id="free_visit"), OBJECT),
    "leaders:assign": (named(shift_id="free_visit"), OBJECT),
    "leaders:cancel": (named(shift_id="free_visit"), OBJECT),
    "leaders:client": (named(client_id="gwen"), OBJECT),
    "leaders:record_away": (named(client_id="gwen"), OBJECT),
    "leaders:thank": (named(assignment_id="done_place"), OBJECT),
    "leaders:back_early": (named(away_id="client_away"), OBJECT),
    "leaders:trail": (nothing, OWN),
    "leaders:acknowledge_help": (named(request_id="help_request"), OBJECT),
    # The admin's own pages; each model's pages follow from ADMIN_OBJECTS.
    "admin:index": (nothing, OWN),
    "admin:login": (nothing, PUBLIC),
    "admin:logout": (nothing, PUBLIC),
    "admin:password_change": (nothing, OWN),
    "admin:password_change_done": (nothing, OWN),
    "admin:autocomplete": (nothing, OWN),
    "admin:jsi18n": (nothing, PUBLIC),
    "admin:app_list": (lambda scene: {"app_label": "rota"}, OWN),
    "admin:view_on_site": (
        lambda scene: {
            "content_type_id": ContentType.objects.get_for_model(Client).pk,
            "object_id": scene.gwen.pk,
        },
        OBJECT,
    ),
    "admin:circles_circle_hours": (nothing, OWN),
    # A staff member's authenticator, as django-otp's admin shows it to a superuser.
    "admin:otp_totp_totpdevice_config": (named(pk="authenticator"), OBJECT),
    "admin:otp_totp_totpdevice_qrcode": (named(pk="authenticator"), OBJECT),
    "admin:rota_absence_record": (nothing, OWN),
    # A person's password, set by a coordinator (people.admin, Django's UserAdmin).
    "admin:auth_user_password_change": (named(id="ana"), OBJECT),
    "admin/(?P<url>.*)$": (lambda scene: {"url": f"rota/shift/{scene.anas_visit.pk}/x/"}, OBJECT),
}

# Every model in the admin, and Treforest's (or Valleys Care's) object of it.
ADMIN_OBJECTS = {
    "auth.group": "group",
    "circles.organisation": "valleys",
    "circles.circle": "circle",
    "circles.membership": "anas_membership",
    "rota.offer": "offer",
    "rota.swap": "swap",
    "rota.absence": "absence",
    "rota.familyvisit": "family_visit",
    "rota.helprequest": "help_request",
    "rota.auditevent": "event",
    "rota.visitplan": "plan",
    "rota.shift": "anas_visit",
    "rota.assignment": "anas_place",
    "people.person": "ana",
    "people.employer": "employer",
    "people.carerprofile": "anas_profile",
    "people.credentialtype": "medication",
    "people.credential": "anas_credential",
    "people.carerpreference": "preference",
    "people.client": "gwen",
    # Sign-in records and staff's authenticators: for superusers only.
    "axes.accessattempt": "access_attempt",
    "axes.accesslog": "access_log",
    "axes.accessfailurelog": "access_failure",
    "otp_totp.totpdevice": "authenticator",
}
# Kinds of check and training are shared by every organisation (docs/design.md, People and
# circles): any coordinator may open one.
SHARED = {"people.credentialtype"}


def admin_table() -> dict[str, tuple[Kwargs, str]]:
    table: dict[str, tuple[Kwargs, str]] = {}
    for label, attribute in ADMIN_OBJECTS.items():
        app, model = label.split(".")
        kind = OWN if label in SHARED else OBJECT
        table[f"admin:{app}_{model}_changelist"] = (nothing, OWN)
        table[f"admin:{app}_{model}_add"] = (nothing, OWN)
        for view in ("history", "delete", "change"):
            table[f"admin:{app}_{model}_{view}"] = (named(object_id=attribute), kind)
        table[f"admin/{app}/{model}/<path:object_id>/"] = (named(object_id=attribute), kind)
    return table


def every_pattern() -> Iterator[tuple[str, str]]:
    """(key, route) of each URL pattern: its namespaced name, or its route when it has none."""

    def walk(resolver: URLResolver, namespaces: tuple[str, ...], prefix: str):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                yield from walk(pattern, inner, prefix + str(pattern.pattern))
            else:
                assert isinstance(pattern, URLPattern)
                route = prefix + str(pattern.pattern)
                key = ":".join((*namespaces, pattern.name)) if pattern.name else route
                yield key, route

    yield from walk(get_resolver(), (), "")


def full_table() -> dict[str, tuple[Kwargs, str]]:
    return {**TABLE, **admin_table()}


def test_every_url_pattern_is_in_the_table():
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert registered == set(ADMIN_OBJECTS), "an admin model is missing from ADMIN_OBJECTS"
    patterns = {key for key, route in every_pattern()}
    table = set(full_table())
    assert sorted(patterns - table) == [], "URL patterns missing from the table"
    assert sorted(table - patterns) == [], "the table names patterns that no longer exist"


# --- the scene: one of everything in Treforest -------------------------------------------------


@pytest.fixture
def scene(story, frozen_now, media_root) -> SimpleNamespace:
    """Treforest with one of everything a URL may name: Ana's place on a visit of Gwen's,
    offered; a swap she asked of Ben; a visit needing cover; her time off; Sian's family
    visit; a call for help; a wish about a carer; her calendar address, phone and photo."""
    s = SimpleNamespace(
        circle=story.circle, valleys=story.valleys, gwen=story.gwen, ana=story.ana, cat=story.cat
    )
    story.gwen_herself, story.rhys  # noqa: B018 - Gwen has her log-in and a representative
    s.anas_visit = planned_visit(story.gwen, at(5, 8))
    s.anas_place = place(s.anas_visit, story.ana)
    # What happened at Ana's visit of Gwen yesterday, with a note only Gwen's people read.
    done = place(planned_visit(story.gwen, WEDNESDAY_NOON - timedelta(hours=27)), story.ana)
    visited(done, done.start, done.end, note="Gwen enjoyed the garden", tasks=("Breakfast",))
    s.done_place = done
    s.thanks = services.thank(done, "Diolch, Ana: Mam loved the garden.", actor=story.sian)
    s.bens_place = place(planned_visit(story.tom, at(6, 8)), story.ben)
    s.offered_place = place(planned_visit(story.tom, at(7, 8)), story.ana)
    s.offer = services.offer(s.offered_place, actor=story.ana)
    s.swap = services.propose_swap(s.anas_place, s.bens_place, actor=story.ana)
    s.free_visit = planned_visit(story.gwen, at(6, 18))
    # Gwen asked first about Cat, new to her, taking it (rota.services.asking).
    s.new_face_request = NewFaceRequest.objects.create(shift=s.free_visit, carer=story.cat)
    s.absence = services.record_absence(
        story.ana, AbsenceKind.TRAINING, at(20, 9), at(20, 17), actor=story.ana
    )
    s.family_visit = services.record_family_visit(
        story.sian, story.gwen, at(9, 13), at(9, 17), actor=story.sian
    )
    s.client_away = services.record_client_away(
        story.gwen, at(25, 9), at(27, 17), reason="respite", actor=story.rhian
    )
    s.help_request = services.raise_help_request(story.gwen, actor=story.sian)
    s.plan = VisitPlanFactory(client=story.gwen, title="Breakfast")
    s.preference = CarerPreference.objects.create(
        client=story.gwen, carer=story.ben, preference=Preference.PREFERRED
    )
    s.medication = story.medication
    s.anas_credential = CredentialFactory(
        person=story.ana, type=story.medication, valid_until=WEDNESDAY_NOON.date() + timedelta(99)
    )
    s.anas_membership = Membership.objects.get(person=story.ana, circle=story.circle)
    s.anas_profile = CarerProfile.objects.get(person=story.ana)
    s.anas_low = services.say_running_low(
        story.ana, at(29, 0, month=4).date(), at(1, 0).date(), actor=story.ana
    )
    s.employer = s.anas_profile.employer
    s.event = AuditEvent.objects.filter(circle_id=story.circle.pk).latest("pk")
    s.group = Group.objects.create(name="Office")
    with_photo(story.ana, about="Ask me about Treforest's gardens.")
    story.ana.feed_token = "anas-own-calendar-secret"
    story.ana.save(update_fields=["feed_token"])
    PushSubscription.objects.create(
        person=story.ana, endpoint="https://push.example/ana", p256dh="k" * 87, auth="a" * 22
    )
    tried = {"username": "ana@example.org", "ip_address": "10.0.0.7", "user_agent": "phone"}
    s.access_attempt = AccessAttempt.objects.create(**tried, failures_since_start=1)
    s.access_log = AccessLog.objects.create(**tried)
    s.access_failure = AccessFailureLog.objects.create(**tried)
    s.authenticator = TOTPDevice.objects.create(user=story.nerys, name="Nerys's phone")
    return s


# What would show that a page let Treforest through: where Gwen lives and how to get in,
# who she is, who cares for her and her family.
SECRETS = ["Heol y Nant", "1966", "Gwen", "Ana Price", "Treforest", "Sian Davies", "07700 900123"]


def strangers(story) -> dict[str, Person | None]:
    bart_herself = PersonFactory(full_name="Bart Quince", email="bart@example.org")
    story.bart.person = bart_herself
    story.bart.save(update_fields=["person"])
    return {
        "signed out": None,
        "a carer of another circle": story.eli,
        "the family of another client": story.bryn,
        "a client": bart_herself,
        "a leader of another circle": team_leader(story.pontypridd, full_name="Pat Leader"),
        "a coordinator of another organisation": PersonFactory(
            full_name="Heledd Hill", organisation=story.hill_care, is_staff=True
        ),
    }


# --- what is allowed, and what may not change --------------------------------------------------


def everything(stranger: Person | None, own: bool) -> dict[str, object]:
    """What the rota, the trail, the people and their circles hold. For a stranger's own page
    or action, what they do to themselves (time off, their settings) is left out."""
    state = rota_state()
    if own and stranger is not None:
        del state["OutboxMessage"]
        state["AuditEvent"] = AuditEvent.objects.exclude(actor_id=stranger.pk).count()
        theirs = Absence.objects.exclude(carer=stranger)
        state["Absence"] = theirs.count()
        state["absences"] = set(theirs.values_list("pk", "start", "end"))
    counted = (Person, Client, Circle, Membership, Organisation, Credential, CredentialType)
    state |= {model.__name__: model.objects.count() for model in counted}
    state |= {model.__name__: model.objects.count() for model in (Employer, VisitPlan, Group)}
    state["people"] = set(
        Person.objects.exclude(pk=getattr(stranger, "pk", None)).values_list(
            "pk", "email", "password", "feed_token", "is_active", "is_staff", "organisation"
        )
    )
    state["clients"] = set(
        Client.objects.values_list(
            "pk",
            "what_matters",
            "likes",
            "dislikes",
            "likes_to_give",
            "address",
            "person",
            "family_read_notes",
        )
    )
    state["circles"] = set(
        Circle.objects.values_list("pk", "name", "strained_below_percent", "organisation")
    )
    state["phones"] = set(PushSubscription.objects.values_list("endpoint", "person"))
    state["carers"] = set(
        CarerProfile.objects.exclude(person_id=getattr(stranger, "pk", None)).values_list(
            "person", "photo", "about", "enough_evenings", "enough_weekends"
        )
    )
    state["running_low"] = set(
        RunningLow.objects.exclude(carer_id=getattr(stranger, "pk", None)).values_list(
            "pk", "carer", "first_day", "last_day"
        )
    )
    return state


def signs_in(response: HttpResponse) -> bool:
    """Sent to sign in: by a redirect, or, for htmx, by taking the whole window there."""
    login_pages = (reverse("account:login"), reverse("admin:login"))
    if response.has_header("HX-Redirect"):
        return response["HX-Redirect"].startswith(login_pages) and not response.content
    return response.status_code == 302 and response["Location"].startswith(login_pages)


# An audience's own pages are for those who hold its role; anyone else is refused (403).
ROLE_OF = {"carer:": cares_anywhere, "family:": speaks_for_anyone, "leaders:": leads_any}


def holds_role(stranger: Person | None, key: str) -> bool:
    for prefix, holds in ROLE_OF.items():
        if key.startswith(prefix):
            return stranger is not None and holds(stranger)
    return stranger is not None


def judged(response: HttpResponse, key: str, kind: str, stranger: Person | None) -> str:
    """Why this answer is wrong, or "" when it is right."""
    admin_page = key.startswith("admin")
    code = response.status_code
    if code >= 500:
        return f"answered {code}"
    body = response.content.decode(errors="replace") if not response.streaming else ""
    leaked = [secret for secret in SECRETS if secret in body]
    if leaked:
        return f"shows {leaked}"
    if kind == PUBLIC or (kind == OWN and holds_role(stranger, key)):
        return ""
    if code in (403, 404, 405) or signs_in(response):
        return ""
    # The admin answers a stranger's object that "doesn't exist" with its index.
    if admin_page and code == 302 and response["Location"].startswith(reverse("admin:index")):
        return ""
    return f"answered {code}"


def ask_everything(browser: Browser, stranger: Person | None, scene, patterns) -> list[str]:
    """Each pattern asked for by GET and by an htmx POST; what went wrong, in words."""
    wrong = []
    # Nothing may change, so the state before every request is the state at the start.
    before = {own: everything(stranger, own) for own in (False, True)}
    for key, (_kwargs, kind) in patterns.items():
        url = url_of(key, scene)
        for method in ("get", "post"):
            if stranger is not None:
                # Signing out (a page of the table) must not turn the rest into a stranger's.
                browser.force_login(stranger)
            response = browser.get(url) if method == "get" else browser.post(url, {}, headers=HTMX)
            problem = judged(response, key, kind, stranger)
            if everything(stranger, kind == OWN) != before[kind == OWN]:
                problem = (problem + "; " if problem else "") + "changed the data"
                before = {own: everything(stranger, own) for own in (False, True)}
            elif kind == OWN:
                # What they did to themselves (Eli off sick today) is the new starting point.
                before[False] = everything(stranger, False)
            if problem:
                wrong.append(f"{method.upper()} {url} ({key}): {problem}")
    return wrong


def url_of(key: str, scene) -> str:
    """The pattern's URL, naming what the table says it names of the scene; an unnamed
    pattern's is its route with that put in."""
    kwargs = full_table()[key][0](scene)
    if key == "admin/(?P<url>.*)$":
        return f"/admin/{kwargs['url']}"
    if key.startswith("admin/"):
        return "/" + key.replace("<path:object_id>", str(kwargs["object_id"]))
    return reverse(key, kwargs=kwargs)


STRANGERS = [
    "signed out",
    "a carer of another circle",
    "the family of another client",
    "a client",
    "a leader of another circle",
    "a coordinator of another organisation",
]


@pytest.mark.parametrize("who", STRANGERS)
def test_a_stranger_gets_nothing_of_treforest_and_changes_nothing(story, scene, who):
    stranger = strangers(story)[who]

    wrong = ask_everything(Browser(), stranger, scene, full_table())

    assert wrong == []


def test_a_carer_gets_nothing_from_the_leaders_pages_and_the_admin(story, scene):
    """Ana, a carer of Treforest itself: the team leaders' pages and the admin are not hers,
    even her own circle's."""
    leaders = {
        key: (kwargs, OBJECT)
        for key, (kwargs, _kind) in full_table().items()
        if key.startswith(("leaders:", "admin"))
        and key not in ("admin:login", "admin:logout", "admin:jsi18n")
    }

    wrong = ask_everything(Browser(), story.ana, scene, leaders)

    assert wrong == []


def test_the_matrix_covers_every_pattern_for_every_role():
    """Its size, for the record: patterns × roles × methods."""
    patterns = len(full_table())
    leaders = sum(1 for key in full_table() if key.startswith(("leaders:", "admin")))
    assert patterns == len(set(dict(every_pattern())))
    print(f"{patterns} patterns × {len(STRANGERS)} strangers × 2 methods, and {leaders} × 2")
