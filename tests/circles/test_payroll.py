"""Payroll hours for April: each paid carer's visits done, by employer. A visit missed, one
the carer was taken off before it started, one still to come and one outside the period do
not count; Cat, unpaid, is left out; Hill Care's carers are not Valleys Care's business.
The same numbers as CSV, as a spreadsheet and on the page, each visit behind them listed; a
month with nothing done says so; an end before the start produces nothing."""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from circles import payroll
from people.models import CarerProfile
from rota.models import ReleaseReason
from tests.factories import EmployerFactory
from tests.stories import MONDAY_MORNING, at, place, planned_visit
from tests.web.pages import words

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MORNING)]

APRIL = {"start": "2026-04-01", "end": "2026-04-30"}
# A visit's line on the page: its day, then when it started and ended.
TIME = r'<time datetime="[^"]+">([^<]+)</time>'
ROW = re.compile(rf"{TIME}</th>\s*<td[^>]*>{TIME}–{TIME}")
# (employer, carer, kind, visits, hours)
EXPECTED = [
    ["Agency Co", "Ben Jones", "Agency worker", "1", "2.00"],
    ["County Council", "Ana Price", "Council home-care worker", "3", "3.75"],
]
# (carer, date, start, end, client, hours, times, bank holiday): the visits behind those
# totals, in the same order. Nobody tapped "I've arrived" then, so their times are the plan's.
EXPECTED_VISITS = [
    ["Ben Jones", "2026-04-20", "09:00", "11:00", "Tom Evans", "2.00", "planned", ""],
    ["Ana Price", "2026-04-01", "08:00", "09:00", "Gwen Davies", "1.00", "planned", ""],
    ["Ana Price", "2026-04-14", "10:00", "11:30", "Tom Evans", "1.50", "planned", ""],
    ["Ana Price", "2026-04-30", "22:00", "23:15", "Gwen Davies", "1.25", "planned", ""],
]


def csv_tables(response) -> tuple[list[list[str]], list[list[str]]]:
    """The CSV's two tables: the totals, and after a blank line each visit behind them."""
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    gap = rows.index([])
    return rows[:gap], rows[gap + 1 :]


@pytest.fixture
def april(story):
    """Ana (council): three visits done in April (1 h, 1.5 h and 1.25 h, the last taken off
    her only after it ended), one missed, one she was taken off before it began, one on
    1 May. Ben (agency): a two-hour visit. Cat (unpaid): a visit. Hywel, in Hill Care: one."""
    CarerProfile.objects.filter(person=story.ben).update(
        employer=EmployerFactory(organisation=story.circle.organisation, name="Agency Co")
    )
    place(planned_visit(story.gwen, at(1, 8, month=4)), story.ana)
    place(planned_visit(story.tom, at(14, 10, month=4), hours=1.5), story.ana)
    late = planned_visit(story.gwen, at(30, 22, month=4), hours=1.25)
    place(
        late,
        story.ana,
        released_at=late.end + timedelta(hours=1),
        release_reason=ReleaseReason.REMOVED,
    )
    place(planned_visit(story.gwen, at(2, 8, month=4)), story.ana, missed=True)
    early = planned_visit(story.tom, at(3, 8, month=4))
    place(
        early,
        story.ana,
        released_at=early.start - timedelta(days=1),
        release_reason=ReleaseReason.ABSENCE,
    )
    place(planned_visit(story.gwen, at(1, 8)), story.ana)  # May
    place(planned_visit(story.tom, at(20, 9, month=4), hours=2), story.ben)
    place(planned_visit(story.gwen, at(21, 9, month=4)), story.cat)
    place(planned_visit(story.bart, at(21, 9, month=4)), story.hywel)


def test_hours_count_only_visits_done_by_paid_carers(story, april):
    rows = payroll.hours_worked(
        [story.circle.pk, story.pontypridd.pk],
        date(2026, 4, 1),
        date(2026, 4, 30),
        now=timezone.now(),
    )

    assert [(r.employer, r.carer, r.visits, r.hours) for r in rows] == [
        ("Agency Co", "Ben Jones", 1, Decimal("2.00")),
        ("County Council", "Ana Price", 3, Decimal("3.75")),
    ]


def test_a_visit_still_to_come_is_not_done(story, april):
    rows = payroll.hours_worked(
        [story.circle.pk], date(2026, 5, 1), date(2026, 5, 31), now=timezone.now()
    )
    assert [(r.carer, r.visits) for r in rows] == [("Ana Price", 1)]  # 1 May, 08:00, over

    place(planned_visit(story.tom, at(4, 18)), story.ana)  # this evening
    again = payroll.hours_worked(
        [story.circle.pk], date(2026, 5, 1), date(2026, 5, 31), now=timezone.now()
    )
    assert [(r.carer, r.visits) for r in again] == [("Ana Price", 1)]


def test_the_csv_from_the_dashboard(client, story, april):
    client.force_login(story.nerys)

    response = client.get(reverse("leaders:payroll"), {**APRIL, "file_format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="hours-2026-04-01-to-2026-04-30.csv"' in response["Content-Disposition"]
    totals, visits = csv_tables(response)
    assert totals[0] == [
        "Employer",
        "Carer",
        "Email",
        "Kind of carer",
        "Visits",
        "Hours",
        "Bank holiday hours",
    ]
    assert [[r[0], r[1], r[3], r[4], r[5]] for r in totals[1:]] == EXPECTED
    assert {r[6] for r in totals[1:]} == {"0.00"}
    assert visits[0] == [
        "Employer",
        "Carer",
        "Email",
        "Kind of carer",
        "Date",
        "Start",
        "End",
        "Client",
        "Hours",
        "Times",
        "Bank holiday",
    ]
    assert [[r[1], *r[4:]] for r in visits[1:]] == EXPECTED_VISITS


def test_the_spreadsheet_has_the_same_numbers(client, story, april):
    client.force_login(story.nerys)

    response = client.get(reverse("leaders:payroll"), {**APRIL, "file_format": "xlsx"})

    assert response["Content-Type"] == payroll.XLSX_TYPE
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Hours", "Visits"]
    values = list(book["Hours"].iter_rows(values_only=True))
    assert values[0][4:] == ("Visits", "Hours", "Bank holiday hours")
    assert [[r[0], r[1], r[3], str(r[4]), f"{r[5]:.2f}"] for r in values[1:]] == EXPECTED
    visits = list(book["Visits"].iter_rows(values_only=True))
    assert visits[0][4:] == ("Date", "Start", "End", "Client", "Hours", "Times", "Bank holiday")
    assert [
        [
            r[1],
            r[4].date().isoformat(),
            f"{r[5]:%H:%M}",
            f"{r[6]:%H:%M}",
            r[7],
            f"{r[8]:.2f}",
            r[9],
            r[10] or "",
        ]
        for r in visits[1:]
    ] == EXPECTED_VISITS


def test_a_team_leader_exports_only_her_circles(client, story, april):
    place(planned_visit(story.dilys, at(10, 9, month=4)), story.eli)
    client.force_login(story.rhian)

    response = client.get(reverse("leaders:payroll"), {**APRIL, "file_format": "csv"})

    assert "Eli Thomas" not in response.content.decode("utf-8-sig")


def test_an_end_before_the_start_is_refused_and_nothing_produced(client, story, april):
    client.force_login(story.nerys)

    response = client.get(
        reverse("leaders:payroll"),
        {"start": "2026-04-30", "end": "2026-04-01", "file_format": "csv"},
    )

    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert "The end date is before the start date." in response.content.decode()


def test_the_coordinator_exports_from_the_admin_too(client, story, april):
    client.force_login(story.nerys)
    changelist = reverse("admin:circles_circle_changelist")

    chosen = client.post(
        changelist, {"action": "export_hours", "_selected_action": [story.circle.pk]}
    )
    assert chosen.status_code == 302
    form = client.get(chosen.url)
    assert "Hours for payroll" in form.content.decode()

    response = client.get(chosen.url, {**APRIL, "file_format": "csv"})

    totals, visits = csv_tables(response)
    assert [[r[0], r[1], r[3], r[4], r[5]] for r in totals[1:]] == EXPECTED
    assert [[r[1], *r[4:]] for r in visits[1:]] == EXPECTED_VISITS


def test_the_admin_refuses_an_end_before_the_start(client, story, april):
    client.force_login(story.nerys)

    response = client.get(
        reverse("admin:circles_circle_hours"),
        {"start": "2026-04-30", "end": "2026-04-01", "file_format": "xlsx"},
    )

    assert "Content-Disposition" not in response
    assert "The end date is before the start date." in response.content.decode()


def test_each_visit_is_listed_on_the_page(client, story, april):
    client.force_login(story.nerys)

    page = client.get(reverse("leaders:payroll"), {**APRIL, "file_format": "csv", "show": "1"})

    assert "Content-Disposition" not in page
    visits = page.text.partition("Each visit")[2]
    assert [(line[0], line[1], line[2]) for line in re.findall(ROW, visits)] == [
        ("Mon 20 Apr", "09:00", "11:00"),
        ("Wed 1 Apr", "08:00", "09:00"),
        ("Tue 14 Apr", "10:00", "11:30"),
        ("Thu 30 Apr", "22:00", "23:15"),
    ]
    assert "Ana Price" in words(visits) and "Tom Evans" in words(visits)
    assert "From 1 April 2026 to 30 April 2026" in words(page.text)


def test_a_period_with_nothing_done_says_so_instead_of_a_file(client, story, april):
    client.force_login(story.nerys)

    page = client.get(
        reverse("leaders:payroll"),
        {"start": "2026-03-01", "end": "2026-03-31", "file_format": "xlsx"},
    )

    assert "Content-Disposition" not in page
    assert (
        "No visits were done by paid carers from 1 March 2026 to 31 March 2026, so there are "
        "no hours to pay."
    ) in words(page.text)


def test_the_files_say_so_too(story):
    nothing = payroll.hours(
        [story.circle.pk], date(2026, 3, 1), date(2026, 3, 31), now=timezone.now()
    )

    first = next(csv.reader(io.StringIO(payroll.as_csv(nothing).decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(payroll.as_xlsx(nothing))).active

    said = (
        "No visits were done by paid carers from 1 March 2026 to 31 March 2026, so there are "
        "no hours to pay."
    )
    assert first == [said]
    assert sheet["A1"].value == said


def test_a_name_a_spreadsheet_would_run_is_kept_as_text(story):
    row = payroll.HoursRow("=Evil()", "+Ana", "a@example.org", "Agency worker", 1, Decimal(1))
    made = payroll.Hours(date(2026, 4, 1), date(2026, 4, 30), totals=[row], visits=[])

    first = next(
        csv.reader(io.StringIO(payroll.as_csv(made).decode("utf-8-sig").split("\n", 1)[1]))
    )

    assert first[:2] == ["'=Evil()", "'+Ana"]
