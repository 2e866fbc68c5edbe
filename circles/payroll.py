"""Hours worked, for payroll: per paid carer over a period, grouped by employer, and each
visit that makes them up: the coordinator's and team leaders' "export hours for payroll"
(docs/design.md, Who uses it, and for what).

A visit counts as done by its carer (docs/design.md, Plans, visits and places) once it is over,
unless it was marked missed or the carer was taken off it before it ended (someone else went, or
nobody did). Informal carers are unpaid, so they are left out. A visit's hours run from when the
carer said they arrived to when they said they left, where they said both; from its planned
start to its planned end otherwise; each visit says which. Visits on a bank holiday of England
and Wales are marked, and each carer's hours on them totalled apart, as they are often paid
more. The totals and the visits are a query each, whatever the period.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, DurationField, F, Q, QuerySet, Sum, Value, When
from django.http import HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from people.models import PAID_KINDS, CarerKind
from rota.bank_holidays import bank_holidays
from rota.models import Assignment
from rota.sql import LocalDate

CSV = "csv"
XLSX = "xlsx"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visits_done(now: datetime) -> QuerySet[Assignment]:
    """Places whose visit is over and was done by their carer: never marked missed, and
    still held when the visit ended (a place released before, or during, the visit means
    the carer did not go)."""
    return Assignment.objects.filter(done(now))


def done(now: datetime) -> Q:
    """visits_done as a condition, for a query that counts other places beside them."""
    return Q(end__lte=now, missed=False) & (
        Q(released_at__isnull=True) | Q(released_at__gte=F("end"))
    )


# A visit's time worked: the arrived and left times where the carer gave both, else the plan's.
RECORDED = Q(record__left_at__isnull=False)
WORKED = Case(
    When(RECORDED, then=F("record__left_at") - F("record__arrived_at")),
    default=F("end") - F("start"),
    output_field=DurationField(),
)


@dataclass(frozen=True)
class HoursRow:
    employer: str
    carer: str
    email: str
    kind: str
    visits: int
    hours: Decimal
    # Of those hours, the ones on bank holidays.
    bank_holiday_hours: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class VisitLine:
    """One visit done that the hours count: when (in its circle's time zone), for whom, by
    whom, and for which employer. `start` and `end` are the times the carer gave where they
    gave both (`recorded`), else the planned ones; `day` is the day it was planned for, and
    `bank_holiday` that day's bank holiday, if it is one."""

    employer: str
    carer: str
    email: str
    kind: str
    start: datetime
    end: datetime
    client: str
    hours: Decimal
    recorded: bool = False
    bank_holiday: str = ""
    planned_day: date | None = None

    @property
    def day(self) -> date:
        return self.planned_day or self.start.date()

    @property
    def times(self) -> str:
        """Which times the hours come from, in words."""
        return _("recorded") if self.recorded else _("planned")


@dataclass(frozen=True)
class Hours:
    """What the export holds for a period: the totals per carer and the visits they add up."""

    start: date
    end: date
    totals: list[HoursRow]
    visits: list[VisitLine]


def _paid_visits_done(
    circle_ids: Iterable[int], start: date, end: date, *, now: datetime
) -> QuerySet[Assignment]:
    """Paid carers' places done in the circles, on visits starting on a local day from
    `start` to `end` (both included). Visits still to come are not done yet."""
    return (
        visits_done(now)
        .filter(
            shift__circle_id__in=list(circle_ids),
            carer__carer_profile__kind__in=PAID_KINDS,
            carer__carer_profile__employer__isnull=False,
        )
        # The day the visit starts in its own circle's time zone.
        .alias(day=LocalDate("start", "shift__circle__timezone"))
        .filter(day__gte=start, day__lte=end)
    )


def hours(circle_ids: Iterable[int], start: date, end: date, *, now: datetime) -> Hours:
    """The totals and the visits behind them, for local days `start` to `end`: two queries."""
    ids = list(circle_ids)
    return Hours(
        start=start,
        end=end,
        totals=hours_worked(ids, start, end, now=now),
        visits=visits_worked(ids, start, end, now=now),
    )


def visits_worked(
    circle_ids: Iterable[int], start: date, end: date, *, now: datetime
) -> list[VisitLine]:
    """Each visit done that hours_worked counts, by employer, carer, then time."""
    places = (
        _paid_visits_done(circle_ids, start, end, now=now)
        .select_related(
            "carer__carer_profile__employer", "shift__client", "shift__circle", "record"
        )
        .order_by("carer__carer_profile__employer__name", "carer__full_name", "carer_id", "start")
    )
    holidays = bank_holidays(start, end)
    lines = []
    for place in places:
        profile = place.carer.carer_profile
        tz = place.shift.circle.tz
        record = getattr(place, "record", None)
        began, ended = place.start, place.end
        recorded = record is not None and record.left_at is not None
        if record is not None and record.left_at is not None:
            began, ended = record.arrived_at, record.left_at
        day = place.start.astimezone(tz).date()
        lines.append(
            VisitLine(
                employer=profile.employer.name if profile.employer else "",
                carer=place.carer.full_name,
                email=place.carer.email,
                kind=str(CarerKind(profile.kind).label),
                start=began.astimezone(tz),
                end=ended.astimezone(tz),
                client=place.shift.client.full_name,
                hours=_hours((ended - began).total_seconds()),
                recorded=recorded,
                bank_holiday=holidays.get(day, ""),
                planned_day=day,
            )
        )
    return lines


def hours_worked(
    circle_ids: Iterable[int], start: date, end: date, *, now: datetime
) -> list[HoursRow]:
    """Each paid carer's visits done and hours in the circles, for visits starting on a local
    day from `start` to `end` (both included), by employer then carer. Visits still to come
    in the period are not counted: they are not done yet."""
    holidays = list(bank_holidays(start, end))
    on_holidays = (
        Sum(WORKED, filter=Q(day__in=holidays)) if holidays else Value(None, DurationField())
    )
    rows = (
        _paid_visits_done(circle_ids, start, end, now=now)
        .values(
            "carer_id",
            "carer__full_name",
            "carer__email",
            "carer__carer_profile__kind",
            "carer__carer_profile__employer__name",
        )
        .annotate(visits=Count("pk"), worked=Sum(WORKED), on_holidays=on_holidays)
        .order_by("carer__carer_profile__employer__name", "carer__full_name", "carer_id")
    )
    return [
        HoursRow(
            employer=row["carer__carer_profile__employer__name"],
            carer=row["carer__full_name"],
            email=row["carer__email"],
            kind=str(CarerKind(row["carer__carer_profile__kind"]).label),
            visits=row["visits"],
            hours=_hours(row["worked"].total_seconds()),
            bank_holiday_hours=_hours(
                row["on_holidays"].total_seconds() if row["on_holidays"] else 0
            ),
        )
        for row in rows
    ]


def _hours(seconds: float) -> Decimal:
    return (Decimal(seconds) / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _header() -> list[str]:
    return [
        _("Employer"),
        _("Carer"),
        _("Email"),
        _("Kind of carer"),
        _("Visits"),
        _("Hours"),
        _("Bank holiday hours"),
    ]


def _visits_header() -> list[str]:
    return [
        _("Employer"),
        _("Carer"),
        _("Email"),
        _("Kind of carer"),
        _("Date"),
        _("Start"),
        _("End"),
        _("Client"),
        _("Hours"),
        # "recorded" (the carer's arrived and left times) or "planned".
        _("Times"),
        _("Bank holiday"),
    ]


def nothing_done(start: date, end: date) -> str:
    """What the page and the files say of a period with no visit done by a paid carer."""
    return _(
        "No visits were done by paid carers from %(start)s to %(end)s, so there are no hours "
        "to pay."
    ) % {
        "start": formats.date_format(start, "j F Y"),
        "end": formats.date_format(end, "j F Y"),
    }


# What a spreadsheet reads as the start of a formula, or of a cell it then runs as one
# (OWASP, "CSV injection"): a name or email beginning so is someone's attempt, or an accident.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    """Text a spreadsheet would run as a formula is kept as text: an apostrophe first, which
    spreadsheets read as "this is text", and which stays if the cell is typed in again."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_csv(made: Hours) -> bytes:
    """The totals, a blank line, then each visit behind them under a header of its own; a
    period with nothing done says so in a line of its own instead."""
    out = io.StringIO()
    writer = csv.writer(out)
    if not made.totals:
        writer.writerow([nothing_done(made.start, made.end)])
    writer.writerow(_header())
    for row in made.totals:
        writer.writerow(
            [
                _safe(row.employer),
                _safe(row.carer),
                _safe(row.email),
                row.kind,
                row.visits,
                f"{row.hours:.2f}",
                f"{row.bank_holiday_hours:.2f}",
            ]
        )
    if made.visits:
        writer.writerow([])
        writer.writerow(_visits_header())
    for line in made.visits:
        writer.writerow(
            [
                _safe(line.employer),
                _safe(line.carer),
                _safe(line.email),
                line.kind,
                line.day.isoformat(),
                f"{line.start:%H:%M}",
                f"{line.end:%H:%M}",
                _safe(line.client),
                f"{line.hours:.2f}",
                _safe(line.times),
                _safe(line.bank_holiday),
            ]
        )
    # With a byte order mark, spreadsheet programs read the names' accents right.
    return out.getvalue().encode("utf-8-sig")


def _text_cells(sheet: Worksheet, values: list[str]) -> None:
    """A new row whose cells are text whatever they hold: openpyxl would store "=…" as a
    formula."""
    sheet.append([_safe(value) for value in values])
    for column in range(1, len(values) + 1):
        sheet.cell(row=sheet.max_row, column=column).data_type = "s"


def _bold_header(sheet: Worksheet, header: list[str], widths: tuple[int, ...]) -> None:
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{sheet.max_row + 1}"


def as_xlsx(made: Hours) -> bytes:
    """Two sheets: the totals per carer, and each visit behind them."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Hours")
    if not made.totals:
        _text_cells(sheet, [nothing_done(made.start, made.end)])
    _bold_header(sheet, _header(), (28, 28, 32, 30, 8, 8, 12))
    for row in made.totals:
        _text_cells(sheet, [row.employer, row.carer, row.email, row.kind])
        line = sheet.max_row
        sheet.cell(row=line, column=5, value=row.visits)
        sheet.cell(row=line, column=6, value=row.hours).number_format = "0.00"
        sheet.cell(row=line, column=7, value=row.bank_holiday_hours).number_format = "0.00"

    visits = book.create_sheet(_("Visits"))
    _bold_header(visits, _visits_header(), (28, 28, 32, 30, 12, 8, 8, 28, 8, 10, 24))
    for visit in made.visits:
        _text_cells(
            visits,
            [
                visit.employer,
                visit.carer,
                visit.email,
                visit.kind,
            ],
        )
        line = visits.max_row
        visits.cell(row=line, column=5, value=visit.day).number_format = "dd/mm/yyyy"
        visits.cell(row=line, column=6, value=visit.start.time()).number_format = "hh:mm"
        visits.cell(row=line, column=7, value=visit.end.time()).number_format = "hh:mm"
        client = visits.cell(row=line, column=8, value=_safe(visit.client))
        client.data_type = "s"
        visits.cell(row=line, column=9, value=visit.hours).number_format = "0.00"
        for column, text in ((10, visit.times), (11, visit.bank_holiday)):
            if text:
                visits.cell(row=line, column=column, value=_safe(text)).data_type = "s"

    book.properties.title = _("Hours worked from %(start)s to %(end)s") % {
        "start": made.start.isoformat(),
        "end": made.end.isoformat(),
    }
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(made: Hours, file_format: str) -> HttpResponse:
    """The export as a file to save, CSV or XLSX."""
    start, end = made.start, made.end
    name = f"hours-{start.isoformat()}-to-{end.isoformat()}.{file_format}"
    if file_format == XLSX:
        response = HttpResponse(as_xlsx(made), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(as_csv(made), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class PayrollForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("To (included)"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    file_format = forms.ChoiceField(
        label=gettext_lazy("As"),
        choices=[
            (XLSX, gettext_lazy("Spreadsheet (Excel, XLSX)")),
            (CSV, gettext_lazy("CSV (comma-separated text)")),
        ],
        initial=XLSX,
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        # A form's clean() returns its cleaned_data (the stubs allow None, for a form whose
        # clean() returns nothing): use it by that name.
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise ValidationError(
                _("The end date is before the start date. Choose an end on or after the start.")
            )
        return data


def last_month(today: date) -> dict:
    """The payroll form's first answer: the whole of last month."""
    end = today.replace(day=1) - timedelta(days=1)
    return {"start": end.replace(day=1), "end": end, "file_format": XLSX}
