"""Telling a person something: once in the app, then by email and push as they chose.

`notify` writes the in-app notification once per (person, key) in the person's language
and asks for delivery after commit. `deliver` sends it by email and push, each claimed by a
conditional update before sending so a retry or a second worker never sends it twice; a
routine one waits out the person's quiet hours and `deliver_pending` sends it later.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

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
    if (
        settings.VAPID_PRIVATE_KEY
        and channels.push
        and (pushed := _claim_gathered(person, "pushed_at"))
    ):
        title, body, link = _gathered_message(person, pushed)
        send_push(person, title=title, body=body, url=link)
    if not channels.email:
        return False
    emailed = _claim_gathered(person, "emailed_at")
    if not emailed:
        return False
    title, body, link = _gathered_message(person, emailed)
    message = _email_message(person, title=title, body=body, link=link, urgent=False)
    _send_claimed(message, emailed)
    return True


def _claim_gathered(person: Person, sent_field: str) -> list[Notification]:
    """The person's routine messages not yet sent by this channel, claimed for one send;
    none if one went out by it within GATHER_MINUTES. The person's row is locked, so two
    workers never both send."""
    now = timezone.now()
    routine = Notification.objects.filter(
        person=person, kind=GATHERED, urgent=False, created_at__gte=now - STALE_AFTER
    )
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        gather_since = now - timedelta(minutes=settings.GATHER_MINUTES)
        if routine.filter(**{f"{sent_field}__gte": gather_since}).exists():
            return []
        waiting = list(routine.filter(**{f"{sent_field}__isnull": True}).order_by("created_at"))
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(**{sent_field: now})
    for notification in waiting:
        setattr(notification, sent_field, now)
    return waiting


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
    """Email it unless it was emailed already. True if this call sent it."""
    claimed_at = timezone.now()
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=claimed_at
    )
    if not claimed:
        return False  # sent already, or being sent by another worker
    message = _email_message(
        notification.person,
        title=notification.title,
        body=notification.body,
        link=notification.link,
        urgent=notification.urgent,
    )
    notification.emailed_at = claimed_at
    _send_claimed(message, [notification])
    return True


def _send_claimed(message: EmailMultiAlternatives, claimed: list[Notification]) -> None:
    """Send an email for notifications this worker has claimed (their `emailed_at` set);
    if it fails, give the claims back so the retry sends them."""
    try:
        message.send()
    except Exception:
        for notification in claimed:
            Notification.objects.filter(
                pk=notification.pk, emailed_at=notification.emailed_at
            ).update(emailed_at=None)
            notification.emailed_at = None
        raise


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
    claimed = Notification.objects.filter(pk=notification.pk, pushed_at__isnull=True).update(
        pushed_at=timezone.now()
    )
    if not claimed:
        return 0
    return send_push(
        person,
        title=notification.title,
        body=notification.body,
        url=notification.link,
        urgent=notification.urgent,
    )
