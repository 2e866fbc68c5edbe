"""Bank holidays of England and Wales (Scotland's are not theirs), named in the reader's
language, and marked where the rota lists days."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from rota.bank_holidays import bank_holiday, bank_holidays
from tests.stories import at, place, planned_visit
from tests.web.pages import words


def test_easter_monday_is_a_bank_holiday_in_england_and_wales():
    assert bank_holiday(date(2027, 3, 29)) == "Easter Monday"
    assert bank_holiday(date(2027, 3, 26)) == "Good Friday"
    assert bank_holiday(date(2027, 3, 30)) is None


def test_scotlands_own_bank_holidays_are_not_marked():
    # 2 January, the first Monday of August and St Andrew's Day are Scotland's.
    for day in (date(2027, 1, 4), date(2027, 8, 2), date(2027, 11, 30)):
        assert bank_holiday(day) is None
    # England and Wales have the last Monday of August instead.
    assert bank_holiday(date(2027, 8, 30)) == "Summer bank holiday"


def test_a_christmas_on_a_weekend_and_the_day_standing_in_for_it():
    assert bank_holidays(date(2026, 12, 24), date(2027, 1, 1)) == {
        date(2026, 12, 25): "Christmas Day",
        date(2026, 12, 26): "Boxing Day",
        date(2026, 12, 28): "Boxing Day (substitute day)",
        date(2027, 1, 1): "New Year's Day",
    }


def test_a_one_off_bank_holiday_is_called_a_bank_holiday():
    assert bank_holiday(date(2023, 5, 8)) == "Bank holiday"  # the coronation


def test_the_names_are_in_welsh_for_a_welsh_reader():
    with translation.override("cy"):
        assert bank_holiday(date(2027, 3, 29)) == "Dydd Llun y Pasg"
        assert bank_holiday(date(2026, 12, 28)) == "Gŵyl San Steffan (diwrnod yn lle)"
        assert bank_holiday(date(2023, 5, 8)) == "Gŵyl banc"


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_now")
def test_the_carer_and_the_family_see_the_bank_holiday_beside_its_day(client, gwen, ana, sian):
    # It is Wednesday 29 April 2026; Monday 4 May is the early May bank holiday.
    place(planned_visit(gwen, at(4, 8)), ana)
    place(planned_visit(gwen, at(5, 8)), ana)

    client.force_login(ana)
    mine = words(client.get(reverse("carer:my_shifts")).text)
    client.force_login(sian)
    coming = words(client.get(reverse("family:coming_for", args=[gwen.pk])).text)

    assert "Monday 4 May Early May bank holiday" in mine
    assert "Monday 4 May Early May bank holiday" in coming
    assert mine.count("bank holiday") == coming.count("bank holiday") == 1
