"""What the database refuses about people: carer profiles, preferences, languages."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from people.models import CarerKind, CarerPreference, CarerProfile, Preference
from tests.factories import CarerProfileFactory, ClientFactory, EmployerFactory, PersonFactory

pytestmark = pytest.mark.django_db


def refused(constraint: str):
    """The database refuses the change, naming `constraint`."""
    return pytest.raises(IntegrityError, match=constraint)


def test_an_unpaid_carer_has_no_employer():
    with refused("carerprofile_employer_iff_paid"), transaction.atomic():
        CarerProfileFactory(kind=CarerKind.INFORMAL, employer=EmployerFactory())


@pytest.mark.parametrize("kind", [CarerKind.COUNCIL, CarerKind.AGENCY, CarerKind.DIRECT])
def test_a_paid_carer_has_an_employer_for_payroll(kind):
    with refused("carerprofile_employer_iff_paid"), transaction.atomic():
        CarerProfileFactory(kind=kind, employer=None)


@pytest.mark.parametrize("hours", [Decimal(0), Decimal(200)])
def test_a_weekly_limit_lies_within_a_week(hours):
    with refused("carerprofile_weekly_limit_range"), transaction.atomic():
        CarerProfileFactory(weekly_limit_hours=hours)


def test_a_weekly_limit_may_be_the_whole_week_or_left_empty():
    CarerProfileFactory(weekly_limit_hours=Decimal(168))
    CarerProfileFactory(weekly_limit_hours=None)

    assert CarerProfile.objects.count() == 2


def test_a_client_has_one_wish_about_each_carer():
    client = ClientFactory()
    carer = PersonFactory()
    CarerPreference.objects.create(client=client, carer=carer, preference=Preference.PREFERRED)
    with refused("carerpreference_one_per_pair"), transaction.atomic():
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
    row = make()
    with refused(constraint), transaction.atomic():
        type(row).objects.filter(pk=row.pk).update(**{field: "xx"})

    row.refresh_from_db()
    assert getattr(row, field) != "xx"
