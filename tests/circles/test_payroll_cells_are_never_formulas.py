"""A carer's name, email or employer that a spreadsheet would run as a formula (a leading
=, +, -, @, tab or carriage return) reaches the payroll export as text, an apostrophe first,
in the CSV and in the spreadsheet alike; the spreadsheet holds no formula at all."""

import csv
import io
import zipfile
from datetime import date

import openpyxl
import pytest

from circles import payroll
from circles.payroll import HoursRow

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


def test_the_csv_keeps_each_as_text(start):
    made = payroll.as_csv([row(start)])

    cells = list(csv.reader(io.StringIO(made.decode("utf-8-sig"), newline="")))[1]

    assert cells[:3] == [
        f'\'{start}HYPERLINK("http://evil.example")',
        f"'{start}{ATTACK}",
        f"'{start}1+1@example.org",
    ]
    assert cells[3:] == ["Agency worker", "2", "1.50"]


def test_the_spreadsheet_keeps_each_as_text_and_holds_no_formula(start):
    made = payroll.as_xlsx([row(start)], date(2026, 4, 1), date(2026, 4, 30))

    sheet = openpyxl.load_workbook(io.BytesIO(made)).active
    cells = list(sheet.iter_rows(min_row=2))[0]
    # XML reads a carriage return back as a line feed.
    start = start.replace("\r", "\n")
    assert [c.value for c in cells[:3]] == [
        f'\'{start}HYPERLINK("http://evil.example")',
        f"'{start}{ATTACK}",
        f"'{start}1+1@example.org",
    ]
    assert {c.data_type for c in cells[:4]} == {"s"}
    assert (cells[4].value, float(cells[5].value)) == (2, 1.5)
    with zipfile.ZipFile(io.BytesIO(made)) as book:
        assert "<f>" not in book.read("xl/worksheets/sheet1.xml").decode()
