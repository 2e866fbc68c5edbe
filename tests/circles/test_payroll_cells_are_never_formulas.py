"""A carer's name, email or employer, or a client's name, that a spreadsheet would run as a
formula (a leading =, +, -, @, tab or carriage return) reaches the payroll export as text, an
apostrophe first, in the totals and each visit's line, in the CSV and in the spreadsheet
alike; the spreadsheet holds no formula at all."""

import csv
import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from circles import payroll
from circles.payroll import Hours, HoursRow, VisitLine
from tests.stories import LONDON

pytestmark = pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])

ATTACK = "cmd|' /C calc'!A0"


def row(start: str) -> HoursRow:
    return HoursRow(
        employer=f'{start}HYPERLINK("http://evil.example")',
        carer=f"{start}{ATTACK}",
        email=f"{start}1+1@example.org",
        kind="Agency worker",
        visits=2,
        hours=payroll._hours(5400),
    )


def visit(start: str) -> VisitLine:
    return VisitLine(
        employer=f'{start}HYPERLINK("http://evil.example")',
        carer=f"{start}{ATTACK}",
        email=f"{start}1+1@example.org",
        kind="Agency worker",
        start=datetime(2026, 4, 1, 8, tzinfo=LONDON),
        end=datetime(2026, 4, 1, 9, 30, tzinfo=LONDON),
        client=f"{start}SUM(A1:A9)",
        hours=payroll._hours(5400),
        # Bank holidays' names are the product's own; text all the same.
        bank_holiday=f"{start}Easter Monday",
    )


def hours(start: str) -> Hours:
    return Hours(date(2026, 4, 1), date(2026, 4, 30), totals=[row(start)], visits=[visit(start)])


def test_the_csv_keeps_each_as_text(start):
    made = payroll.as_csv(hours(start))

    rows = list(csv.reader(io.StringIO(made.decode("utf-8-sig"), newline="")))
    cells, line = rows[1], rows[4]

    assert cells[:3] == [
        f'\'{start}HYPERLINK("http://evil.example")',
        f"'{start}{ATTACK}",
        f"'{start}1+1@example.org",
    ]
    assert cells[3:] == ["Agency worker", "2", "1.50", "0.00"]
    assert line[:3] == cells[:3]
    assert line[3:] == [
        "Agency worker",
        "2026-04-01",
        "08:00",
        "09:30",
        f"'{start}SUM(A1:A9)",
        "1.50",
        "planned",
        f"'{start}Easter Monday",
    ]


def test_the_spreadsheet_keeps_each_as_text_and_holds_no_formula(start):
    made = payroll.as_xlsx(hours(start))

    book = openpyxl.load_workbook(io.BytesIO(made))
    cells = list(book["Hours"].iter_rows(min_row=2))[0]
    line = list(book["Visits"].iter_rows(min_row=2))[0]
    # XML reads a carriage return back as a line feed.
    start = start.replace("\r", "\n")
    assert [c.value for c in cells[:3]] == [
        f'\'{start}HYPERLINK("http://evil.example")',
        f"'{start}{ATTACK}",
        f"'{start}1+1@example.org",
    ]
    assert {c.data_type for c in cells[:4]} == {"s"}
    assert (cells[4].value, float(cells[5].value)) == (2, 1.5)
    assert [c.value for c in line[:3]] == [c.value for c in cells[:3]]
    assert line[7].value == f"'{start}SUM(A1:A9)"
    assert (line[9].value, line[10].value) == ("planned", f"'{start}Easter Monday")
    assert {c.data_type for c in [*line[:4], line[7], line[9], line[10]]} == {"s"}
    with zipfile.ZipFile(io.BytesIO(made)) as files:
        for sheet in ("sheet1", "sheet2"):
            assert "<f>" not in files.read(f"xl/worksheets/{sheet}.xml").decode()
