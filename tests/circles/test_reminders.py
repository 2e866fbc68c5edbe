"""Hourly reminders (docs/design.md, Who hears what): an offered visit nobody has taken a day ahead,
and a check or training running out within 30 days; each said once."""

from datetime import date, timedelta

import pytest

from circles.models import Notification, NotificationKind
from circles.tasks import reminders
from rota import services
from tests.factories import (
    CredentialFactory,
    CredentialTypeFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.stories import MONDAY_MIDNIGHT, at, place, planned_visit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.now(MONDAY_MIDNIGHT),
    pytest.mark.usefixtures("frozen_now"),
]


def told(kind) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("person__full_name", "title"))


def test_an_offer_untaken_a_day_ahead_reminds_its_carer_once(frozen_now, gwen, ana, ben):
    tomorrow = services.offer(place(planned_visit(gwen, at(4, 20)), ana))
    services.offer(place(planned_visit(gwen, at(6, 9)), ben))  # two days off: not yet

    reminders()
    frozen_now.move_to(MONDAY_MIDNIGHT + timedelta(hours=1))
    reminders()

    assert told(NotificationKind.OFFER_UNTAKEN) == [
        ("Ana Price", "Nobody has taken your visit to Gwen yet")
    ]
    reminder = Notification.objects.get(kind=NotificationKind.OFFER_UNTAKEN)
    assert reminder.key == f"offer-untaken:{tomorrow.pk}"
    assert "Monday 4 May, 20:00 is still yours" in reminder.body
    assert not reminder.urgent


def test_a_taken_or_withdrawn_offer_is_not_reminded(gwen, ana, ben, cat):
    taken = services.offer(place(planned_visit(gwen, at(4, 20)), ana))
    services.take_offer(taken, ben)
    withdrawn = services.offer(place(planned_visit(gwen, at(4, 9)), cat))
    services.withdraw_offer(withdrawn)
    reminders()
    assert told(NotificationKind.OFFER_UNTAKEN) == []


def test_a_check_running_out_tells_its_holder_and_their_coordinators_once(circle, ana):
    coordinator = PersonFactory(
        full_name="Carys Bowen", is_staff=True, organisation=circle.organisation
    )
    PersonFactory(
        full_name="Elsewhere Coordinator", is_staff=True, organisation=OrganisationFactory()
    )
    dbs = CredentialTypeFactory(code="dbs", name="DBS check")
    CredentialFactory(person=ana, type=dbs, valid_until=date(2026, 5, 24))

    reminders()
    reminders()

    assert told(NotificationKind.CREDENTIAL_EXPIRING) == [
        ("Ana Price", "Your DBS check runs out on 24 May 2026"),
        ("Carys Bowen", "Ana Price's DBS check runs out on 24 May 2026"),
    ]
    assert coordinator.notifications.get().key == ana.notifications.get().key


def test_a_renewed_or_distant_expiry_is_not_reminded(ana, ben):
    dbs = CredentialTypeFactory(code="dbs", name="DBS check")
    CredentialFactory(person=ana, type=dbs, valid_until=date(2026, 5, 24))
    CredentialFactory(person=ana, type=dbs, valid_until=date(2029, 5, 24))  # renewed
    CredentialFactory(person=ben, type=dbs, valid_until=date(2026, 6, 4))  # 31 days off
    CredentialFactory(person=ben, type=CredentialTypeFactory(), valid_until=date(2026, 5, 3))
    reminders()
    assert told(NotificationKind.CREDENTIAL_EXPIRING) == []
