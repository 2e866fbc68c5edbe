"""Alerts to phones by Web Push.

Browsers here reach no push service, so the test runs one of its own on 127.0.0.1 and is
the phone too: it makes the subscription's key pair and auth secret as a browser would,
and decrypts what arrives (RFC 8291, aes128gcm) with them. The site takes no push service
on a private address, so the tests that use theirs let it in by settings; and the machine
resolves no names, so host names resolve by the `dns` fixture's table.
"""

import base64
import json
import os
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.template.loader import render_to_string
from django.test import RequestFactory
from py_vapid import Vapid

from circles.channels import Channels, channels_for, choose
from circles.models import NotificationKind, Topic
from people.models import PushSubscription
from people.push import PUSH_TTL, send_push
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_point(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    """A push service on 127.0.0.1: records each message and answers with the status
    set for its path (201 Created, as real ones do, unless told otherwise)."""

    received: list[Received] = field(default_factory=list)
    answers: dict[str, int] = field(default_factory=dict)
    server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_port}{path}"


FCM = "https://fcm.googleapis.com/fcm/send/dGhpcyBpcyBhIHRlc3Q:APA91bHk"
# What the tests' DNS answers: a push service's name resolves to a public address.
PUBLIC = "142.250.180.10"


@pytest.fixture(autouse=True)
def dns(monkeypatch) -> dict[str, list[str]]:
    """Host name -> addresses, in place of the machine's resolver; any name not in the table
    resolves to a public address, and a name mapped to [] does not resolve."""
    table: dict[str, list[str]] = {"127.0.0.1": ["127.0.0.1"]}
    monkeypatch.setattr(
        "people.push.resolve", lambda host, port: table.get(host, [PUBLIC]), raising=True
    )
    return table


def let_in_local_push_services(settings) -> None:
    """The tests' own push service on 127.0.0.1, which speaks plain http, is let in."""
    settings.PUSH_SERVICE_HOSTS = [*settings.PUSH_SERVICE_HOSTS, "127.0.0.1"]
    settings.PUSH_ALLOW_PRIVATE_ADDRESSES = True


@pytest.fixture
def push_service(monkeypatch, settings):
    let_in_local_push_services(settings)
    service = PushService()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {name.lower(): value for name, value in self.headers.items()}
            service.received.append(Received(self.path, headers, body))
            self.send_response(service.answers.get(self.path, 201))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass  # keep the test output quiet

    # Whatever the machine says about proxies, this goes straight to the local server.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    service.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=service.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield service
    service.server.shutdown()
    service.server.server_close()
    thread.join(timeout=5)


@dataclass
class Phone:
    """What a browser holds for one subscription: its own key pair and auth secret."""

    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def subscribe(self, person, endpoint: str) -> PushSubscription:
        return PushSubscription.objects.create(
            person=person,
            endpoint=endpoint,
            p256dh=b64url(public_point(self.key)),
            auth=b64url(self.auth),
        )

    def read(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


@pytest.fixture
def vapid(settings) -> Vapid:
    """The site's VAPID key pair, made for the test."""
    key = Vapid()
    key.generate_keys()
    settings.VAPID_PRIVATE_KEY = b64url(
        key.private_key.private_numbers().private_value.to_bytes(32, "big")
    )
    settings.VAPID_PUBLIC_KEY = b64url(
        key.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    )
    settings.VAPID_SUBJECT = "mailto:rota@example.org"
    return key


@pytest.fixture
def anas_phone(ana, push_service) -> Phone:
    phone = Phone()
    phone.subscribe(ana, push_service.url("/push/ana-phone"))
    return phone


def help_now(person, **options) -> int:
    return send_push(
        person,
        title="Gwen needs help now",
        body="Can you go? Tap to answer.",
        url="/help/12/",
        **{"urgent": True, **options},
    )


def test_an_urgent_alert_reaches_the_phone_and_only_the_phone_can_read_it(
    vapid, ana, anas_phone, push_service
):
    delivered = help_now(ana)

    assert delivered == 1
    [message] = push_service.received
    assert message.path == "/push/ana-phone"
    assert message.headers["content-encoding"] == "aes128gcm"
    assert message.headers["urgency"] == "high"
    assert message.headers["ttl"] == str(PUSH_TTL)
    assert b"Gwen" not in message.body
    payload = anas_phone.read(message.body)
    assert payload["title"] == "Gwen needs help now"
    assert payload["body"] == "Can you go? Tap to answer."
    assert payload["url"] == "/help/12/"
    assert payload["urgent"] is True


def test_a_routine_message_does_not_wake_the_phone(vapid, ana, anas_phone, push_service):
    assert help_now(ana, urgent=False) == 1

    [message] = push_service.received
    assert message.headers["urgency"] == "normal"
    assert anas_phone.read(message.body)["urgent"] is False


def test_the_message_is_signed_with_the_sites_vapid_key_for_that_push_service(
    vapid, ana, anas_phone, push_service
):
    help_now(ana)

    [message] = push_service.received
    scheme, _, params = message.headers["authorization"].partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert unb64url(fields["k"]) == public_point(vapid.private_key)
    header, claims, signature = fields["t"].split(".")
    raw = unb64url(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        vapid.public_key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        pytest.fail("The VAPID token is not signed with the site's key.")
    claims = json.loads(unb64url(claims))
    assert claims["aud"] == push_service.url("")
    assert claims["sub"] == "mailto:rota@example.org"


def test_every_phone_of_the_person_gets_it(vapid, ana, anas_phone, push_service):
    tablet = Phone()
    tablet.subscribe(ana, push_service.url("/push/ana-tablet"))

    assert help_now(ana) == 2

    by_path = {message.path: message for message in push_service.received}
    assert anas_phone.read(by_path["/push/ana-phone"].body)["title"] == "Gwen needs help now"
    assert tablet.read(by_path["/push/ana-tablet"].body)["title"] == "Gwen needs help now"


@pytest.mark.parametrize("gone", [404, 410])
def test_a_phone_whose_subscription_is_gone_is_forgotten_and_the_others_still_get_it(
    vapid, ana, anas_phone, push_service, gone
):
    old_phone = Phone()
    old_phone.subscribe(ana, push_service.url("/push/old-phone"))
    push_service.answers["/push/old-phone"] = gone

    assert help_now(ana) == 1

    assert list(PushSubscription.objects.filter(person=ana).values_list("endpoint", flat=True)) == [
        push_service.url("/push/ana-phone")
    ]


def test_a_push_service_in_trouble_keeps_the_subscription(vapid, ana, anas_phone, push_service):
    push_service.answers["/push/ana-phone"] = 503

    assert help_now(ana) == 0

    assert PushSubscription.objects.filter(person=ana).count() == 1


def test_a_push_service_that_cannot_be_reached_is_skipped(vapid, ana, anas_phone):
    Phone().subscribe(ana, "http://127.0.0.1:9/push/nobody-listens")

    assert help_now(ana) == 1  # the reachable phone still gets it
    assert PushSubscription.objects.filter(person=ana).count() == 2


def test_nothing_is_pushed_without_vapid_keys(settings, ana, anas_phone, push_service):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""

    assert help_now(ana) == 0
    assert push_service.received == []


# --- Push is no way into the network the site runs in ---------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "addresses"),
    [
        pytest.param("https://127.0.0.1/push", None, id="loopback"),
        pytest.param("https://169.254.169.254/latest/meta-data/", None, id="cloud metadata"),
        pytest.param("https://10.0.0.5/push", None, id="private"),
        pytest.param("https://[::1]/push", None, id="ipv6 loopback"),
        pytest.param("https://intranet.example.org/push", None, id="not a push service"),
        pytest.param("https://fcm.googleapis.com.evil.example/x", None, id="look-alike host"),
        pytest.param("https://evil-push.apple.com.example/x", None, id="look-alike suffix"),
        pytest.param("https://user@fcm.googleapis.com/fcm/send/x", None, id="with a login"),
        pytest.param("https://fcm.googleapis.com/fcm/send/x", ["10.1.2.3"], id="resolves private"),
        pytest.param(
            "https://fcm.googleapis.com/fcm/send/x", [PUBLIC, "127.0.0.1"], id="one loopback"
        ),
        pytest.param("https://fcm.googleapis.com/fcm/send/x", ["::ffff:192.168.0.1"], id="mapped"),
        pytest.param("https://fcm.googleapis.com/fcm/send/x", ["fe80::1"], id="link-local"),
        pytest.param("https://fcm.googleapis.com/fcm/send/x", ["240.0.0.1"], id="reserved"),
        pytest.param("https://fcm.googleapis.com/fcm/send/x", [], id="does not resolve"),
    ],
)
def test_a_phone_cannot_name_an_address_inside_our_network(
    client, ana, vapid, dns, endpoint, addresses
):
    if addresses is not None:
        dns["fcm.googleapis.com"] = addresses
    client.force_login(ana)

    response = post_json(client, "/push/subscribe/", browser_subscription(Phone(), endpoint))

    assert response.status_code == 400
    assert response.json()["message"] == (
        "This browser's alert service is not one we send alerts through."
    )
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com:99999/x",
        "https://[::1/x",
        "https://fcm.googleapis.com\\@127.0.0.1/x",
        "https://xn--fcm-gla.googleapis.com/x",
        "https://FCM.googleapis.com@10.0.0.1/x",
    ],
)
def test_an_odd_endpoint_is_refused_in_plain_words(client, ana, vapid, endpoint):
    client.force_login(ana)

    response = post_json(client, "/push/subscribe/", browser_subscription(Phone(), endpoint))

    assert response.status_code == 400
    assert response.json()["message"]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    [
        FCM,
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA",
        "https://web.push.apple.com/QGuQyavXutnMejoHQ",
        "https://api.push.apple.com/3/device/x",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
    ],
)
def test_the_browsers_own_push_services_are_taken(client, ana, vapid, endpoint):
    client.force_login(ana)

    response = post_json(client, "/push/subscribe/", browser_subscription(Phone(), endpoint))

    assert response.status_code == 201
    assert PushSubscription.objects.get().endpoint == endpoint


def test_nothing_is_sent_to_a_name_that_now_resolves_inside_our_network(
    vapid, ana, push_service, dns, settings, caplog
):
    """Stored while the name was public; by the time of the message it points inside."""
    settings.PUSH_ALLOW_PRIVATE_ADDRESSES = False
    Phone().subscribe(ana, "https://fcm.googleapis.com/fcm/send/x")
    dns["fcm.googleapis.com"] = ["127.0.0.1"]

    assert help_now(ana) == 0
    assert "not a public push service" in caplog.text


def test_a_stored_subscription_outside_the_push_services_gets_nothing(
    vapid, ana, anas_phone, push_service, settings
):
    """Say one was stored before the site checked: the local service is no push service."""
    settings.PUSH_SERVICE_HOSTS = ["fcm.googleapis.com"]

    assert help_now(ana) == 0
    assert push_service.received == []


def test_a_push_service_that_redirects_is_not_followed(vapid, ana, push_service):
    """A redirect could lead to plain http or inside the network: the message is dropped."""

    class Redirecting(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(307)
            self.send_header("Location", push_service.url("/push/inside"))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        Phone().subscribe(ana, f"http://127.0.0.1:{server.server_port}/push/redirects")

        assert help_now(ana) == 0
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert push_service.received == []  # nothing reached where the redirect pointed


# --- Opting a phone in and out -------------------------------------------------------------


def browser_subscription(phone: Phone, endpoint: str) -> dict:
    """What `PushSubscription.toJSON()` gives in a browser."""
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": b64url(public_point(phone.key)), "auth": b64url(phone.auth)},
    }


def post_json(client, url: str, data) -> object:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_opting_in_stores_this_phone(client, vapid):
    ana = PersonFactory()
    client.force_login(ana)
    phone = Phone()

    response = post_json(client, "/push/subscribe/", browser_subscription(phone, FCM))

    assert response.status_code == 201
    assert response.json()["message"] == "Alerts will come to this phone."
    stored = PushSubscription.objects.get(endpoint=FCM)
    assert stored.person == ana
    assert unb64url(stored.p256dh) == public_point(phone.key)
    assert unb64url(stored.auth) == phone.auth


def test_opting_in_after_turning_the_phone_off_everywhere_turns_it_back_on(client, vapid, ana):
    choose(ana, {topic: Channels(email=True, push=False) for topic in Topic})
    client.force_login(ana)

    post_json(client, "/push/subscribe/", browser_subscription(Phone(), FCM))

    assert channels_for(ana, NotificationKind.HELP_NEEDED).push


def test_a_site_without_vapid_keys_takes_no_phones(client, ana, settings):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    client.force_login(ana)

    response = post_json(client, "/push/subscribe/", browser_subscription(Phone(), FCM))

    assert response.status_code == 404
    assert not PushSubscription.objects.exists()


def test_opting_in_twice_keeps_one_subscription(client, ana, vapid):
    client.force_login(ana)
    phone = Phone()

    post_json(client, "/push/subscribe/", browser_subscription(phone, FCM))
    post_json(client, "/push/subscribe/", browser_subscription(phone, FCM))

    assert PushSubscription.objects.filter(endpoint=FCM).count() == 1


def test_someone_elses_phone_cannot_be_taken_over_by_its_address(client, ana, vapid):
    anas_phone = Phone()
    anas_phone.subscribe(ana, FCM)
    ben = PersonFactory()
    client.force_login(ben)

    response = post_json(client, "/push/subscribe/", browser_subscription(Phone(), FCM))

    assert response.status_code == 409
    assert "someone else" in response.json()["message"]
    kept = PushSubscription.objects.get(endpoint=FCM)
    assert kept.person == ana
    assert kept.auth == b64url(anas_phone.auth)  # nor are its keys replaced


def test_a_phone_handed_on_is_the_new_owners_once_the_old_one_stops_its_alerts(client, ana, vapid):
    Phone().subscribe(ana, FCM)
    client.force_login(ana)
    post_json(client, "/push/unsubscribe/", {"endpoint": FCM})
    ben = PersonFactory()
    client.force_login(ben)

    response = post_json(client, "/push/subscribe/", browser_subscription(Phone(), FCM))

    assert response.status_code == 201
    assert PushSubscription.objects.get(endpoint=FCM).person == ben


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s: {**s, "endpoint": "http://push.example/x"}, id="not https"),
        pytest.param(lambda s: {**s, "endpoint": "not a url"}, id="not a url"),
        pytest.param(lambda s: {**s, "endpoint": "https://p.example/" + "x" * 500}, id="long"),
        pytest.param(lambda s: {**s, "keys": {"p256dh": s["keys"]["p256dh"]}}, id="no auth"),
        pytest.param(lambda s: {**s, "keys": {**s["keys"], "auth": "c2hvcnQ"}}, id="short auth"),
        pytest.param(lambda s: {**s, "keys": {**s["keys"], "p256dh": "!!"}}, id="bad key"),
        pytest.param(lambda s: {**s, "keys": "nonsense"}, id="keys not an object"),
        pytest.param(lambda s: [s], id="a list"),
    ],
)
def test_a_subscription_that_makes_no_sense_is_refused_and_nothing_stored(
    client, ana, change, vapid
):
    client.force_login(ana)

    response = post_json(client, "/push/subscribe/", change(browser_subscription(Phone(), FCM)))

    assert response.status_code == 400
    assert "try again" in response.json()["message"]
    assert not PushSubscription.objects.exists()


def test_a_body_that_is_not_json_is_refused(client, ana, vapid):
    client.force_login(ana)

    response = client.post("/push/subscribe/", "endpoint=x", content_type="text/plain")

    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "body",
    ["[" * 5000 + "]" * 5000, '{"endpoint": "' + "x" * 10_000 + '"}'],
    ids=["nested past the parser", "far too big"],
)
def test_json_no_subscription_could_be_is_refused_not_an_error_page(client, ana, vapid, body):
    client.force_login(ana)

    for url in ("/push/subscribe/", "/push/unsubscribe/"):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, url
    assert not PushSubscription.objects.exists()


def test_opting_in_needs_a_signed_in_person_and_a_post(client, ana, vapid):
    anonymous = post_json(client, "/push/subscribe/", browser_subscription(Phone(), FCM))
    client.force_login(ana)
    fetched = client.get("/push/subscribe/")

    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]
    assert fetched.status_code == 405
    assert not PushSubscription.objects.exists()


def test_opting_in_is_protected_from_other_sites(ana, vapid):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ana)

    response = post_json(browser, "/push/subscribe/", browser_subscription(Phone(), FCM))

    assert response.status_code == 403
    assert not PushSubscription.objects.exists()


def test_opting_out_forgets_only_this_persons_phone(client, ana):
    Phone().subscribe(ana, FCM)
    bens_endpoint = FCM + "-ben"
    Phone().subscribe(PersonFactory(), bens_endpoint)
    client.force_login(ana)

    mine = post_json(client, "/push/unsubscribe/", {"endpoint": FCM})
    theirs = post_json(client, "/push/unsubscribe/", {"endpoint": bens_endpoint})

    assert mine.json()["message"] == "Alerts will no longer come to this phone."
    assert theirs.status_code == 200
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [bens_endpoint]


def test_browsers_get_the_sites_public_key(client, vapid, settings):
    assert client.get("/push/key/").json() == {"publicKey": settings.VAPID_PUBLIC_KEY}


def test_without_keys_browsers_are_told_push_is_off(client, settings):
    settings.VAPID_PUBLIC_KEY = ""
    assert client.get("/push/key/").json() == {"publicKey": ""}


def test_the_service_worker_is_served_from_the_top_of_the_site(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    script = response.content.decode()
    assert "showNotification" in script
    assert "notificationclick" in script and "openWindow" in script


def test_the_settings_snippet_offers_the_button_and_works_without_javascript(ana):
    request = RequestFactory().get("/me/")
    request.user = ana

    html = render_to_string("account/push_alerts.html", request=request)

    assert "Send alerts to this phone" in html
    assert 'data-subscribe-url="/push/subscribe/"' in html
    assert 'data-worker-url="/sw.js"' in html
    assert "csrfmiddlewaretoken" in html
    # Without JavaScript the buttons stay hidden and the person is told why.
    assert "need JavaScript" in html
