"""Payroll for the week of Easter Monday 2027: Ana's hours run from when she said she arrived
to when she said she left where she said both, from the plan elsewhere; her missed visit is
left out; her Easter Monday visit is marked and its hours totalled apart. Every figure is
worked out by hand below."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from circles import payroll
from rota.models import VisitRecord
from tests.stories import LONDON, place, planned_visit
from tests.web.pages import words

# The Monday after: the week is over.
pytestmark = [pytest.mark.django_db, pytest.mark.now(datetime(2027, 4, 5, 9, tzinfo=LONDON))]

WEEK = {"start": "2027-03-29", "end": "2027-04-04"}


def at(day: int, hour: int, minute: int = 0, *, month: int = 3) -> datetime:
    """A moment in London in 2027 (after the clocks went forward on 28 March: BST)."""
    return datetime(2027, month, day, hour, minute, tzinfo=LONDON)


def recorded(assignment, arrived: datetime, left: datetime | None) -> None:
    VisitRecord.objects.create(assignment=assignment, arrived_at=arrived, left_at=left)


@pytest.fixture
def week(story):
    """Ana's week, Monday 29 March to Sunday 4 April 2027."""
    # Easter Monday, planned 08:00-09:00: she arrived at 08:05 and left at 09:20.
    easter = place(planned_visit(story.gwen, at(29, 8)), story.ana)
    recorded(easter, at(29, 8, 5), at(29, 9, 20))
    # Tuesday, planned 08:00-09:00: no taps at all.
    place(planned_visit(story.gwen, at(30, 8)), story.ana)
    # Wednesday, planned 08:00-09:00: missed.
    place(planned_visit(story.gwen, at(31, 8)), story.ana, missed=True)
    # Thursday, planned 10:00-11:30 with Tom: she arrived at 09:50 and left at 11:10.
    thursday = place(planned_visit(story.tom, at(1, 10, month=4), hours=1.5), story.ana)
    recorded(thursday, at(1, 9, 50, month=4), at(1, 11, 10, month=4))
    # Friday, planned 08:00-09:00: she said she arrived (08:10) but never that she left.
    friday = place(planned_visit(story.gwen, at(2, 8, month=4)), story.ana)
    recorded(friday, at(2, 8, 10, month=4), None)


# By hand:
#   Monday (Easter Monday), recorded 08:05-09:20 = 75 min = 1.25 h
#   Tuesday, planned 08:00-09:00                   = 60 min = 1.00 h
#   Wednesday, missed                              = left out
#   Thursday, recorded 09:50-11:10                 = 80 min = 1.333... h, shown 1.33
#   Friday, planned 08:00-09:00 (no "left" time)   = 60 min = 1.00 h
#   Total: 75 + 60 + 80 + 60 = 275 min = 4.5833... h, shown 4.58, over 4 visits
#   On bank holidays: Monday's 75 min = 1.25 h
EXPECTED_VISITS = [
    # (date, start, end, client, hours, times, bank holiday)
    ("2027-03-29", "08:05", "09:20", "Gwen Davies", "1.25", "recorded", "Easter Monday"),
    ("2027-03-30", "08:00", "09:00", "Gwen Davies", "1.00", "planned", ""),
    ("2027-04-01", "09:50", "11:10", "Tom Evans", "1.33", "recorded", ""),
    ("2027-04-02", "08:00", "09:00", "Gwen Davies", "1.00", "planned", ""),
]


def test_the_totals_are_the_hand_worked_figures(story, week):
    [row] = payroll.hours_worked(
        [story.circle.pk], date(2027, 3, 29), date(2027, 4, 4), now=timezone.now()
    )

    assert (row.carer, row.visits) == ("Ana Price", 4)
    assert row.hours == Decimal("4.58")
    assert row.bank_holiday_hours == Decimal("1.25")


def test_each_visit_says_which_times_it_counts_and_marks_the_bank_holiday(story, week):
    visits = payroll.visits_worked(
        [story.circle.pk], date(2027, 3, 29), date(2027, 4, 4), now=timezone.now()
    )

    assert [
        (
            v.day.isoformat(),
            f"{v.start:%H:%M}",
            f"{v.end:%H:%M}",
            v.client,
            f"{v.hours:.2f}",
            v.times,
            v.bank_holiday,
        )
        for v in visits
    ] == EXPECTED_VISITS
    # The lines add up to the total as closely as two decimals allow: 4.58.
    assert sum(v.hours for v in visits) == Decimal("4.58")


def test_the_csv_and_the_spreadsheet_carry_the_same(client, story, week):
    client.force_login(story.rhian)

    response = client.get(reverse("leaders:payroll"), {**WEEK, "file_format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    gap = rows.index([])
    assert rows[1][4:] == ["4", "4.58", "1.25"]
    assert [tuple(r[4:]) for r in rows[gap + 2 :]] == EXPECTED_VISITS

    response = client.get(reverse("leaders:payroll"), {**WEEK, "file_format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    [totals] = list(book["Hours"].iter_rows(min_row=2, values_only=True))
    assert [totals[4], f"{totals[5]:.2f}", f"{totals[6]:.2f}"] == [4, "4.58", "1.25"]
    lines = list(book["Visits"].iter_rows(min_row=2, values_only=True))
    assert [
        (
            r[4].date().isoformat(),
            f"{r[5]:%H:%M}",
            f"{r[6]:%H:%M}",
            r[7],
            f"{r[8]:.2f}",
            r[9],
            r[10] or "",
        )
        for r in lines
    ] == EXPECTED_VISITS


def test_the_page_shows_the_times_and_the_bank_holiday(client, story, week):
    client.force_login(story.rhian)

    page = client.get(reverse("leaders:payroll"), {**WEEK, "file_format": "csv", "show": "1"})

    text = words(page.text.partition("Each visit")[2])
    assert (
        "Mon 29 Mar 08:05 – 09:20 Gwen Davies Ana Price County Council 1.25 recorded Easter Monday"
    ) in text
    assert "Tue 30 Mar 08:00 – 09:00 Gwen Davies Ana Price County Council 1.00 planned" in text
    assert "Wed 31 Mar" not in text
