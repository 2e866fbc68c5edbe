"""Notifications: once per person and subject, in the person's language, emailed once even
when delivery runs twice, never lost by a worker killed mid-send, and routine ones held back
by quiet hours (urgent ones not)."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

from circles import notify
from circles.channels import Channels, choose, turn_on_reminders
from circles.models import Notification, NotificationKind, Topic
from people.models import Language
from tests.factories import PersonFactory

# The push service on 127.0.0.1 and the site's VAPID keys, shared with people's push tests.
from tests.people.test_push import Phone, push_service, vapid  # noqa: F401, I001
from tests.ports import unused_port
from tests.stories import LONDON

pytestmark = pytest.mark.django_db

# Monday 4 May 2026, 23:30 in London: inside quiet hours of 22:00 to 07:00.
LATE = datetime(2026, 5, 4, 23, 30, tzinfo=LONDON)


@pytest.fixture
def rhian(rhian):
    """Rhian, with quiet hours from 22:00 to 07:00."""
    rhian.short_name = "Rhian"
    rhian.quiet_from, rhian.quiet_until = time(22, 0), time(7, 0)
    rhian.save()
    return rhian


def tell(person, *, key="state-change:1", urgent=False, link="/leaders/", **fields):
    return notify.notify(
        person,
        NotificationKind.CIRCLE_WORSE,
        key=key,
        title=gettext_lazy("%(circle)s is not coping: visits need cover"),
        body=gettext_lazy("%(filled)s of %(needed)s carer places are filled."),
        params={"circle": "Treforest", "filled": 14, "needed": 20},
        urgent=urgent,
        link=link,
        **fields,
    )


def test_a_notification_is_made_once_per_person_and_subject(rhian):
    first = tell(rhian)
    again = tell(rhian)
    assert again.pk == first.pk
    assert Notification.objects.count() == 1
    assert first.title == "Treforest is not coping: visits need cover"
    assert first.body == "14 of 20 carer places are filled."


def test_an_email_is_sent_once_even_when_delivery_runs_twice(rhian):
    notification = tell(rhian, urgent=True, link="/circles/1/")

    assert notify.deliver(notification.pk) is True
    assert notify.deliver(notification.pk) is False

    [email] = mail.outbox
    assert email.to == ["rhian@example.org"]
    assert email.subject == "Treforest is not coping: visits need cover"
    assert "Hello Rhian," in email.body
    assert "14 of 20 carer places are filled." in email.body
    assert "http://127.0.0.1:8000/circles/1/" in email.body
    html, kind = email.alternatives[0]
    assert kind == "text/html" and "Treforest is not coping" in html
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_an_urgent_alert_is_pushed_to_the_phone_once_even_when_delivery_runs_twice(request, rhian):
    service = request.getfixturevalue("push_service")
    request.getfixturevalue("vapid")
    phone = Phone()
    phone.subscribe(rhian, service.url("/push/rhian-phone"))
    notification = tell(rhian, urgent=True, link="/circles/1/")

    notify.deliver(notification.pk)
    notify.deliver(notification.pk)

    [message] = service.received
    payload = phone.read(message.body)
    assert payload["title"] == "Treforest is not coping: visits need cover"
    assert payload["url"] == "/circles/1/"
    notification.refresh_from_db()
    assert notification.pushed_at is not None


def test_a_failed_send_is_sent_by_the_retry(settings, rhian):
    notification = tell(rhian, urgent=True)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", unused_port()

    with pytest.raises(OSError):
        notify.deliver(notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None  # the claim was given back

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notify.deliver(notification.pk) is True
    assert len(mail.outbox) == 1


class SentThenKilled(EmailBackend):
    """The mail server took the email; then the worker was killed before it could say so."""

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        raise SystemExit(f"killed after sending {sent}")  # no `except Exception` catches it


def test_an_email_whose_worker_died_mid_send_is_sent_again_once_with_the_same_message_id(
    settings, time_machine, rhian
):
    time_machine.move_to(LATE.replace(hour=9), tick=False)
    notification = tell(rhian, urgent=True)
    settings.EMAIL_BACKEND = f"{__name__}.SentThenKilled"
    with pytest.raises(SystemExit):
        notify.deliver(notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None and notification.email_claimed_at is not None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notify.deliver_pending() == 0  # the claim may be a worker still sending
    time_machine.shift(notify.CLAIM_EXPIRES + timedelta(minutes=1))
    assert notify.deliver_pending() == 1
    assert notify.deliver_pending() == 0

    first, retry = mail.outbox
    assert first.extra_headers["Message-ID"] == retry.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"] == f"<notification-{notification.pk}.1@127.0.0.1>"
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_quiet_hours_hold_back_a_routine_email_until_morning(time_machine, rhian):
    time_machine.move_to(LATE, tick=False)
    notification = tell(rhian)

    assert notify.deliver(notification.pk) is False
    assert notify.deliver_pending() == 0
    assert mail.outbox == []

    time_machine.move_to(LATE.replace(hour=7) + timedelta(days=1), tick=False)
    assert notify.deliver_pending() == 1
    assert notify.deliver_pending() == 0
    assert len(mail.outbox) == 1


def test_an_urgent_email_ignores_quiet_hours(time_machine, rhian):
    time_machine.move_to(LATE, tick=False)
    notification = tell(rhian, urgent=True)
    assert notify.deliver(notification.pk) is True
    assert len(mail.outbox) == 1


def test_the_reminder_an_hour_before_a_visit_ignores_quiet_hours(time_machine, rhian):
    turn_on_reminders(rhian, push=False)
    time_machine.move_to(LATE.replace(hour=6) + timedelta(days=1), tick=False)
    reminder = notify.notify(
        rhian,
        NotificationKind.VISIT_SOON,
        key="visit-soon:1",
        title=gettext_lazy("Your visit to %(client)s starts at %(start)s"),
        body="",
        params={"client": "Gwen", "start": "07:00"},
        link="/shifts/",
    )
    assert notify.deliver(reminder.pk) is True
    assert [m.subject for m in mail.outbox] == ["Your visit to Gwen starts at 07:00"]


def test_nobody_is_emailed_who_turned_email_off_for_that_topic(rhian):
    choose(rhian, {Topic.ALERTS: Channels(email=False, push=True)})
    notification = tell(rhian, urgent=True)
    assert notify.deliver(notification.pk) is False
    assert notify.deliver_pending() == 0
    assert mail.outbox == []
    assert Notification.objects.filter(person=rhian).exists()  # still in the app


def test_email_turned_off_for_one_topic_still_comes_for_the_others(rhian):
    choose(rhian, {Topic.ALERTS: Channels(email=False, push=True)})
    help_escalated = notify.notify(
        rhian,
        NotificationKind.HELP_ESCALATED,
        key="help-escalated:1",
        title="Nobody has answered Gwen's call for help",
        body="",
        link="/leaders/",
        urgent=True,
    )
    assert notify.deliver(help_escalated.pk) is True
    assert [email.subject for email in mail.outbox] == ["Nobody has answered Gwen's call for help"]


def test_held_back_messages_are_sent_later_only_by_the_channels_chosen(time_machine, rhian):
    time_machine.move_to(LATE, tick=False)
    choose(rhian, {Topic.ALERTS: Channels(email=False, push=False)})
    tell(rhian)
    tell(rhian, key="state-change:2")

    time_machine.move_to(LATE.replace(hour=7) + timedelta(days=1), tick=False)
    assert notify.deliver_pending() == 0
    assert mail.outbox == []


def test_nothing_is_pushed_to_a_person_who_turned_the_phone_off_for_that_topic(request, rhian):
    service = request.getfixturevalue("push_service")
    request.getfixturevalue("vapid")
    Phone().subscribe(rhian, service.url("/push/rhian-phone"))
    choose(rhian, {Topic.ALERTS: Channels(email=True, push=False)})
    notification = tell(rhian, urgent=True)

    notify.deliver(notification.pk)
    notify.deliver_pending()

    assert service.received == []
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.pushed_at is None


def test_a_reminder_goes_only_by_the_channels_the_carer_turned_on(ana):
    turn_on_reminders(ana, push=False)
    reminder = notify.notify(
        ana,
        NotificationKind.VISIT_SOON,
        key="visit-soon:1",
        title="Your visit to Gwen starts at 08:00",
        body="",
        link="/shifts/",
    )
    assert notify.deliver(reminder.pk) is True
    assert len(mail.outbox) == 1


def test_stale_news_is_not_emailed_late(time_machine, rhian):
    time_machine.move_to(LATE, tick=False)
    tell(rhian)
    time_machine.move_to(LATE + timedelta(days=2), tick=False)
    assert notify.deliver_pending() == 0


@pytest.mark.parametrize(
    ("since", "until", "quiet"),
    [
        (time(22, 0), time(7, 0), True),
        (time(23, 0), time(23, 45), True),
        (time(8, 0), time(22, 0), False),
        (time(0, 0), time(23, 30), False),
        (None, time(7, 0), False),
    ],
)
def test_quiet_hours_may_run_over_midnight(since, until, quiet):
    person = PersonFactory.build(quiet_from=since, quiet_until=until)
    assert notify.in_quiet_hours(person, LATE) is quiet


def test_a_welsh_speaker_is_written_to_in_welsh(rhian):
    # The Welsh catalogue is still to come: what is proved here is that the message and the
    # email are rendered with Welsh active, so they will be in Welsh once it exists.
    rhian.language = Language.WELSH
    rhian.save()
    language_now = lazy(translation.get_language, str)()

    notification = notify.notify(
        rhian,
        NotificationKind.CIRCLE_RECOVERED,
        key="state-change:2",
        title=language_now,
        body=language_now,
        link="/leaders/",
        urgent=True,
    )
    notify.deliver(notification.pk)

    assert (notification.title, notification.body) == ("cy", "cy")
    html, _kind = mail.outbox[0].alternatives[0]
    assert '<html lang="cy">' in html
    assert translation.get_language() != "cy"  # and only while rendering


def could_take(person, n, *, urgent=False):
    return notify.notify(
        person,
        NotificationKind.NEEDS_COVER,
        key=f"change:{n}",
        title=gettext_lazy("%(client)s's visit on %(when)s needs a carer"),
        body=gettext_lazy("You could take it: open “Needs cover” to say you will."),
        params={"client": "Gwen", "when": f"Mon {n} May 08:00"},
        link="/shifts/needs-cover/",
        urgent=urgent,
    )


def test_visits_to_take_are_gathered_into_one_email_each_half_hour(time_machine, rhian):
    time_machine.move_to(LATE.replace(hour=9), tick=False)
    first = could_take(rhian, 4)
    assert notify.deliver(first.pk) is True  # the first goes at once
    time_machine.shift(timedelta(minutes=5))
    later = [could_take(rhian, day) for day in (5, 6)]
    assert [notify.deliver(n.pk) for n in later] == [False, False]
    assert notify.deliver_pending() == 0  # still within the half hour
    assert len(mail.outbox) == 1

    time_machine.shift(timedelta(minutes=26))
    assert notify.deliver_pending() == 1
    notify.deliver_pending()

    _first, gathered = mail.outbox
    assert gathered.subject == "2 messages about visits you could take"
    assert "Gwen's visit on Mon 5 May 08:00 needs a carer" in gathered.body
    assert "Gwen's visit on Mon 6 May 08:00 needs a carer" in gathered.body
    assert "http://127.0.0.1:8000/shifts/needs-cover/" in gathered.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert gathered.extra_headers["Message-ID"] == (
        f"<notifications-{later[0].pk}-{later[1].pk}.2@127.0.0.1>"
    )


def test_an_urgent_visit_to_take_is_not_held_back_to_be_gathered(time_machine, rhian):
    time_machine.move_to(LATE.replace(hour=9), tick=False)
    notify.deliver(could_take(rhian, 4).pk)
    assert notify.deliver(could_take(rhian, 5, urgent=True).pk) is True
    assert [m.subject for m in mail.outbox] == [
        "Gwen's visit on Mon 4 May 08:00 needs a carer",
        "Gwen's visit on Mon 5 May 08:00 needs a carer",
    ]


def test_every_email_links_to_where_the_person_acts_and_to_their_settings(rhian):
    notify.deliver(tell(rhian, urgent=True, link="/leaders/circles/7/").pk)
    [email] = mail.outbox
    html, _kind = email.alternatives[0]
    for text in (email.body, html):
        assert "http://127.0.0.1:8000/leaders/circles/7/" in text
        assert "http://127.0.0.1:8000/me/" in text
