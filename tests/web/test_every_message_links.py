"""Every message leads somewhere (docs/design.md, Who hears what): each kind of message there
is, made by the change or job that makes it, carries a link that its reader, signed in,
opens as a page (the email makes it absolute; the push opens it as it is)."""

from datetime import date, timedelta

import pytest
from django.core import mail

from circles import alerts, checkins, notify
from circles.channels import turn_on_reminders
from circles.fanout import tell_people
from circles.models import CheckIn, Notification, NotificationKind
from circles.reminders import remind_visits
from rota import services
from rota.models import AuditEvent
from tests.circles.test_forecast import four_weeks_held, saturday_evening
from tests.factories import (
    CircleFactory,
    ClientFactory,
    CredentialFactory,
    CredentialTypeFactory,
    carer,
)
from tests.stories import MONDAY_MIDNIGHT, at, place, planned_visit, team_leader, visit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.now(MONDAY_MIDNIGHT),
    pytest.mark.usefixtures("frozen_now"),
]


def follow_up() -> None:
    tell_people(AuditEvent.objects.latest("pk").pk)


@pytest.fixture
def every_kind(frozen_now, circle, gwen, tom, sian, ana, ben, cat, rhian, owain, nerys):
    """A night and a day in Treforest that gives rise to every kind of message."""
    # Hillcrest's carer has held every visit for weeks, and two Saturday evening places
    # are open in three weeks: its team leader hears early that it may not cope.
    hillcrest = CircleFactory(organisation=circle.organisation, name="Hillcrest")
    team_leader(hillcrest, full_name="Mair Owen")
    iris = ClientFactory(circle=hillcrest, preferred_name="Iris")
    four_weeks_held(iris, carer(hillcrest, full_name="Dai Rowe"))
    saturday_evening(iris, 23)
    alerts.warn_early()
    # The circle is not coping (an essential visit tomorrow has nobody), then copes again.
    medicine = planned_visit(gwen, at(5, 8), essential=True)
    alerts.check_circle(circle)
    place(medicine, ana)
    alerts.check_circle(circle)
    # Ben takes a visit: Gwen's family hear someone new is coming. Then he gives it away,
    # the circle is asked, and Cat takes it: Ben hears his visit is off his shifts.
    taken = services.claim(visit(gwen, at(4, 10)), ben, actor=ben)
    follow_up()
    offer = services.offer(taken, actor=ben)
    follow_up()
    cats = services.take_offer(offer, cat, actor=cat)
    follow_up()
    # A visit of Tom's is cancelled: Cat, on it, hears.
    services.cancel_shift(
        services.claim(visit(tom, at(6, 10)), cat, actor=cat).shift, "In hospital", actor=rhian
    )
    follow_up()
    # Ana asks Cat for a swap.
    services.propose_swap(medicine.assignments.get(), cats, actor=ana)
    follow_up()
    # Ben offers a visit tomorrow that nobody takes: he is reminded.
    services.offer(services.claim(visit(tom, at(4, 18)), ben, actor=ben), actor=ben)
    alerts.remind_untaken_offers()
    # Ana's training runs out soon: she and her coordinator hear it.
    CredentialFactory(person=ana, type=CredentialTypeFactory(), valid_until=date(2026, 5, 20))
    alerts.remind_expiring_credentials()
    # Gwen needs help now; nobody answers, so the team leaders are told.
    call = services.raise_help_request(gwen, actor=sian)
    alerts.ask_carers_for_help(call.pk)
    frozen_now.shift(timedelta(minutes=10))
    alerts.escalate_help_requests()
    # Rhian changes when Treforest's team leaders are alerted: Owain hears.
    services.set_thresholds(circle, {"essential_gap_hours": 24}, actor=rhian)
    follow_up()
    # Ana asked for reminders: at 18:00, tomorrow's visits, and her visit at 18:30.
    turn_on_reminders(ana, push=False)
    place(visit(tom, at(4, 18, 30), hours=0.5), ana)
    frozen_now.move_to(at(4, 18))
    remind_visits()
    # Sian thanks Cat for the morning's visit she took at short notice: Cat hears.
    services.thank(cats, "Thank you for coming at short notice.", actor=sian)
    follow_up()
    # The monthly check-in: the carers are asked, and April fell sharply from March, so the
    # team leaders are told.
    for month, coping in ((date(2026, 3, 1), 5), (date(2026, 4, 1), 2)):
        for _ in range(3):
            CheckIn.objects.create(circle=circle, month=month, coping=coping, me=3)
    checkins.monthly_check_in()
    # Cat says she is running low this week: one team leader hears, so someone checks in.
    low = services.say_running_low(cat, at(5, 0).date(), at(7, 0).date(), actor=cat)
    alerts.tell_running_low(low.pk)


def test_every_kind_of_message_is_made_with_a_link_its_reader_can_open(client, every_kind):
    notifications = list(Notification.objects.select_related("person"))
    assert {n.kind for n in notifications} == set(NotificationKind.values)
    for notification in notifications:
        assert notification.link.startswith("/"), notification.kind
        client.force_login(notification.person)
        page = client.get(notification.link)
        assert page.status_code == 200, (notification.kind, notification.link)


def test_every_email_carries_its_link_in_full(every_kind):
    for notification in Notification.objects.all():
        notify.email(notification)
    assert len(mail.outbox) == Notification.objects.count()
    links = {f"http://127.0.0.1:8000{n.link}" for n in Notification.objects.all()}
    for email in mail.outbox:
        html, _kind = email.alternatives[0]
        assert any(link in email.body and link in html for link in links), email.subject
