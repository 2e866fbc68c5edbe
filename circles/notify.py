"""Telling a person something: once in the app, then by email and push as they chose.

`notify` writes the in-app notification once per (person, key) in the person's language
and asks for delivery after commit. `deliver` sends it by email and push: each is claimed by
a conditional update, sent, then marked sent, so a retry or a second worker never sends it
twice, and a worker killed mid-send leaves a claim that expires and `deliver_pending` sends
again (with the same Message-ID, so a mail client can tell). A routine one waits out the
person's quiet hours and `deliver_pending` sends it later.
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Literal, TypeVar
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from circles.channels import Channels, channels_for, wanting
from circles.models import Circle, Notification, NotificationKind
from people.models import Person
from people.push import send_push

# The task that sends one notification by email and push.
DELIVER = "circles.tasks.deliver_notification"
# Older than this, an undelivered notification is stale news: it stays in the app only.
STALE_AFTER = timedelta(days=1)
# A claim to send that was not marked sent within this long died with its worker.
CLAIM_EXPIRES = timedelta(minutes=10)
# Routine messages of this kind are gathered into one per person every GATHER_MINUTES.
GATHERED = NotificationKind.NEEDS_COVER
GATHERED_TITLE = _("%(count)s messages about visits you could take")


def help_key(kind: NotificationKind, request_id: int) -> str:
    """The key of a message about a call for help: carers asked (help_needed) and team
    leaders told (help_escalated) are found again by it when it is answered or cancelled."""
    names = {
        NotificationKind.HELP_NEEDED: "help-needed",
        NotificationKind.HELP_ESCALATED: "help-escalated",
    }
    return f"{names[kind]}:{request_id}"


def notify(
    person: Person,
    kind: NotificationKind,
    *,
    key: str,
    title: str | Promise,
    body: str | Promise,
    params: Mapping[str, object] | None = None,
    link: str,
    lines: Sequence[tuple[str | Promise, Mapping[str, object]]] = (),
    urgent: bool = False,
    circle: Circle | None = None,
) -> Notification:
    """The notification about `key` for `person`, made now unless it exists already.

    `title` and `body` are lazy translations, with `params` to fill in as in
    ValidationError: they are rendered here, in the person's language. `lines`, each a
    lazy translation with its own params, are listed under the body: one message about
    many visits.
    """
    with translation.override(person.language):
        rendered_title = _render(title, params)
        parts = [_render(body, params)] if body else []
        parts += [f"• {_render(text, line_params)}" for text, line_params in lines]
        rendered_body = "\n".join(parts)
    notification, created = Notification.objects.get_or_create(
        person=person,
        key=key,
        defaults={
            "kind": kind,
            "circle": circle,
            # Names can be long; a title is a line on a phone.
            "title": rendered_title[:200],
            "body": rendered_body,
            "link": link,
            "urgent": urgent,
        },
    )
    if created:
        transaction.on_commit(lambda: _deliver_later(notification.pk), robust=True)
    return notification


class Formatted:
    """A date or time for a message, formatted only when the message is rendered, so month
    and day names are in the reader's language."""

    def __init__(self, value: date | datetime, format: str) -> None:
        self.value, self.format = value, format

    def __str__(self) -> str:
        return formats.date_format(self.value, self.format)


def _render(text: str | Promise, params: Mapping[str, object] | None) -> str:
    return str(text) % params if params else str(text)


def _deliver_later(notification_id: int) -> None:
    # By name: circles.tasks calls this module, so this module does not import it.
    current_app.tasks[DELIVER].delay(notification_id)


def deliver(notification_id: int) -> bool:
    """Send one notification by the person's channels, unless they are in their quiet hours
    and it can wait. Returns whether this call emailed it. Safe to run twice, or twice at
    once: the email and the push are each claimed before they are sent.

    Routine "visits you could take" are gathered: at most one such email (and one push)
    per person every GATHER_MINUTES, carrying everything that came in between.
    """
    notification = (
        Notification.objects.select_related("person")
        .filter(pk=notification_id, person__is_active=True)
        .first()
    )
    if notification is None:
        return False
    person = notification.person
    if not _waits_for_no_one(notification) and in_quiet_hours(person, timezone.now()):
        return False  # deliver_pending sends it when their quiet hours are over
    # Which channels the person chose for this kind (circles.channels); the app has it anyway.
    channels = channels_for(person, notification.kind)
    if _is_gathered(notification):
        return _deliver_gathered(person, channels)
    if channels.push:
        push(notification)
    return channels.email and email(notification)


def _waits_for_no_one(notification: Notification) -> bool:
    """Urgent messages ignore quiet hours; so does the reminder an hour before a visit,
    which the person asked for and which is no use once the visit has begun."""
    return notification.urgent or notification.kind == NotificationKind.VISIT_SOON


def _is_gathered(notification: Notification) -> bool:
    return notification.kind == GATHERED and not notification.urgent


def _deliver_gathered(person: Person, channels: Channels) -> bool:
    """Everything routine waiting for the person, in one email and one push, unless one
    went out less than GATHER_MINUTES ago (deliver_pending sends it when that is over).
    Returns whether this call emailed."""
    if settings.VAPID_PRIVATE_KEY and channels.push:
        pushed, claimed_at = _claim_gathered(person, "push")
        if pushed:
            title, body, link = _gathered_message(person, pushed)
            _send_claimed(
                "push",
                pushed,
                claimed_at,
                lambda: send_push(person, title=title, body=body, url=link),
            )
    if not channels.email:
        return False
    emailed, claimed_at = _claim_gathered(person, "email")
    if not emailed:
        return False
    title, body, link = _gathered_message(person, emailed)
    message = _email_message(person, title=title, body=body, link=link, urgent=False)
    message.extra_headers["Message-ID"] = _message_id(emailed)
    _send_claimed("email", emailed, claimed_at, message.send)
    return True


Channel = Literal["email", "push"]
T = TypeVar("T")
# Each channel's claim and its mark of having been sent.
CLAIMED = {"email": "email_claimed_at", "push": "push_claimed_at"}
SENT = {"email": "emailed_at", "push": "pushed_at"}


def _claimable(channel: Channel, now: datetime) -> Q:
    """Not yet sent by `channel`, and not being sent: never claimed, or a claim so old its
    worker died."""
    claimed = CLAIMED[channel]
    return Q(**{f"{SENT[channel]}__isnull": True}) & (
        Q(**{f"{claimed}__isnull": True}) | Q(**{f"{claimed}__lt": now - CLAIM_EXPIRES})
    )


def _claim_gathered(person: Person, channel: Channel) -> tuple[list[Notification], datetime]:
    """The person's routine messages not yet sent by `channel`, claimed for one send, and
    the claim's time; none if one went out by it within GATHER_MINUTES or is going out now.
    The person's row is locked, so two workers never both send."""
    now = timezone.now()
    routine = Notification.objects.filter(
        person=person, kind=GATHERED, urgent=False, created_at__gte=now - STALE_AFTER
    )
    sent, claimed = SENT[channel], CLAIMED[channel]
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        gather_since = now - timedelta(minutes=settings.GATHER_MINUTES)
        recent = Q(**{f"{sent}__gte": gather_since}) | (
            Q(**{f"{sent}__isnull": True}) & Q(**{f"{claimed}__gte": now - CLAIM_EXPIRES})
        )
        if routine.filter(recent).exists():
            return [], now
        waiting = list(routine.filter(_claimable(channel, now)).order_by("created_at", "pk"))
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(**{claimed: now})
    return waiting, now


def _gathered_message(person: Person, notifications: list[Notification]) -> tuple[str, str, str]:
    """Title, body and link of one message carrying several routine ones."""
    if len(notifications) == 1:
        [only] = notifications
        return only.title, only.body, only.link
    with translation.override(person.language):
        title = _render(GATHERED_TITLE, {"count": len(notifications)})
    body = "\n\n".join(f"{n.title}\n{n.body}".strip() for n in notifications)
    return title, body, notifications[-1].link


def deliver_pending() -> int:
    """Send what is still due: routine messages that waited out quiet hours, and any whose
    delivery a crash or a down broker lost. Returns how many were emailed."""
    due = Q(emailed_at__isnull=True) & wanting("email")
    if settings.VAPID_PRIVATE_KEY:
        due |= Q(pushed_at__isnull=True, person__push_subscriptions__isnull=False) & wanting("push")
    pending = (
        Notification.objects.filter(due, created_at__gte=timezone.now() - STALE_AFTER)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    return sum(deliver(pk) for pk in pending)


def in_quiet_hours(person: Person, moment: datetime) -> bool:
    """Within the person's quiet hours, which may run over midnight (22:00 to 07:00).

    A person has no time zone of their own: quiet hours are in the site's local time.
    """
    since, until = person.quiet_from, person.quiet_until
    if since is None or until is None or since == until:
        return False
    now = timezone.localtime(moment).time()
    if since < until:
        return since <= now < until
    return now >= since or now < until


def email(notification: Notification) -> bool:
    """Email it unless it was emailed already or is being emailed. True if this call sent it."""
    claimed_at = _claim(notification, "email")
    if claimed_at is None:
        return False
    message = _email_message(
        notification.person,
        title=notification.title,
        body=notification.body,
        link=notification.link,
        urgent=notification.urgent,
    )
    message.extra_headers["Message-ID"] = _message_id([notification])
    _send_claimed("email", [notification], claimed_at, message.send)
    return True


def _claim(notification: Notification, channel: Channel) -> datetime | None:
    """Claim one notification's `channel` for this worker: the claim's time, or None if it
    was sent already or another worker is sending it."""
    now = timezone.now()
    claimable = Notification.objects.filter(_claimable(channel, now), pk=notification.pk)
    return now if claimable.update(**{CLAIMED[channel]: now}) else None


def _send_claimed(
    channel: Channel,
    claimed: list[Notification],
    claimed_at: datetime,
    send: Callable[[], T],
) -> T:
    """Send what this worker claimed at `claimed_at`, then mark it sent; if sending fails,
    give the claims back so the retry sends them. Returns what `send` returned."""
    mine = Notification.objects.filter(
        pk__in=[n.pk for n in claimed], **{CLAIMED[channel]: claimed_at}
    )
    try:
        result = send()
    except Exception:
        mine.update(**{CLAIMED[channel]: None})
        raise
    sent_at = timezone.now()
    mine.update(**{SENT[channel]: sent_at})
    for notification in claimed:
        setattr(notification, SENT[channel], sent_at)
    return result


def _message_id(notifications: Sequence[Notification]) -> str:
    """The same Message-ID each time these notifications are emailed together: a retry
    after a worker died mid-send is the same message to the mail clients."""
    ids = [n.pk for n in notifications]
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    name = f"notification-{ids[0]}" if len(ids) == 1 else f"notifications-{ids[0]}-{ids[-1]}"
    return f"<{name}.{len(ids)}@{domain}>"


def _email_message(
    person: Person, *, title: str, body: str, link: str, urgent: bool
) -> EmailMultiAlternatives:
    """An email in the person's language, with the link to where they act and to their
    settings, both absolute (settings.SITE_URL)."""
    with translation.override(person.language):
        context = {
            "title": title,
            "body": body,
            "person": person,
            "link": f"{settings.SITE_URL}{link}",
            "settings_link": f"{settings.SITE_URL}{reverse('account:preferences')}",
        }
        message = EmailMultiAlternatives(
            subject=title,
            body=render_to_string("email/notification.txt", context),
            to=[person.email],
        )
        message.attach_alternative(
            render_to_string("email/notification.html", context), "text/html"
        )
    if urgent:
        message.extra_headers["Importance"] = "high"
    return message


def push(notification: Notification) -> int:
    """Push it to the person's phones (people.push), once: claimed like the email.

    Returns how many phones took it. A phone that fails is skipped, not retried: a push is
    a nudge, and the app and the email carry the message.
    """
    person = notification.person
    if not settings.VAPID_PRIVATE_KEY:
        return 0
    claimed_at = _claim(notification, "push")
    if claimed_at is None:
        return 0
    return _send_claimed(
        "push",
        [notification],
        claimed_at,
        lambda: send_push(
            person,
            title=notification.title,
            body=notification.body,
            url=notification.link,
            urgent=notification.urgent,
        ),
    )
