"""What the database refuses about people: carer profiles, preferences, languages."""

from decimal import Decimal

import pytest

from people.models import CarerKind, CarerPreference, CarerProfile, Preference
from tests.factories import CarerProfileFactory, ClientFactory, EmployerFactory, PersonFactory
from tests.outcomes import database_refuses, refuses_a_value_outside_its_list

pytestmark = pytest.mark.django_db


def test_an_unpaid_carer_has_no_employer():
    with database_refuses("carerprofile_employer_iff_paid"):
        CarerProfileFactory(kind=CarerKind.INFORMAL, employer=EmployerFactory())


@pytest.mark.parametrize("kind", [CarerKind.COUNCIL, CarerKind.AGENCY, CarerKind.DIRECT])
def test_a_paid_carer_has_an_employer_for_payroll(kind):
    with database_refuses("carerprofile_employer_iff_paid"):
        CarerProfileFactory(kind=kind, employer=None)


@pytest.mark.parametrize("hours", [Decimal(0), Decimal(200)])
def test_a_weekly_limit_lies_within_a_week(hours):
    with database_refuses("carerprofile_weekly_limit_range"):
        CarerProfileFactory(weekly_limit_hours=hours)


def test_a_weekly_limit_may_be_the_whole_week_or_left_empty():
    CarerProfileFactory(weekly_limit_hours=Decimal(168))
    CarerProfileFactory(weekly_limit_hours=None)

    assert CarerProfile.objects.count() == 2


def test_a_client_has_one_wish_about_each_carer():
    client = ClientFactory()
    carer = PersonFactory()
    CarerPreference.objects.create(client=client, carer=carer, preference=Preference.PREFERRED)
    with database_refuses("carerpreference_one_per_pair"):
        CarerPreference.objects.create(client=client, carer=carer, preference=Preference.NOT_WANTED)


def _a_preference():
    return CarerPreference.objects.create(
        client=ClientFactory(), carer=PersonFactory(), preference=Preference.PREFERRED
    )


@pytest.mark.parametrize(
    ("make", "field", "constraint"),
    [
        (PersonFactory, "language", "person_language_valid"),
        (CarerProfileFactory, "kind", "carerprofile_kind_valid"),
        (_a_preference, "preference", "carerpreference_valid"),
    ],
)
def test_a_value_outside_its_list_is_refused(make, field, constraint):
    refuses_a_value_outside_its_list(make(), field, constraint)
