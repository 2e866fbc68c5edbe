"""Hours worked, for payroll: per paid carer over a period, grouped by employer: the
coordinator's "export hours for payroll" (docs/design.md, Who uses it, and for what).

A visit counts as done by its carer (docs/design.md, Plans, visits and places) once it is over,
unless it was marked missed or the carer was taken off it before it ended (someone else went, or
nobody did). Informal carers are unpaid, so they are left out. One query, whatever the period.
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
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from circles.capacity import LocalDate
from people.models import PAID_KINDS, CarerKind
from rota.models import Assignment

CSV = "csv"
XLSX = "xlsx"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visits_done(now: datetime) -> QuerySet[Assignment]:
    """Places whose visit is over and was done by their carer: never marked missed, and
    still held when the visit ended (a place released before, or during, the visit means
    the carer did not go)."""
    return Assignment.objects.filter(end__lte=now, missed=False).filter(
        Q(released_at__isnull=True) | Q(released_at__gte=F("end"))
    )


@dataclass(frozen=True)
class HoursRow:
    employer: str
    carer: str
    email: str
    kind: str
    visits: int
    hours: Decimal


def hours_worked(
    circle_ids: Iterable[int], start: date, end: date, *, now: datetime
) -> list[HoursRow]:
    """Each paid carer's visits done and hours in the circles, for visits starting on a local
    day from `start` to `end` (both included), by employer then carer. Visits still to come
    in the period are not counted: they are not done yet."""
    rows = (
        visits_done(now)
        .filter(
            shift__circle_id__in=list(circle_ids),
            carer__carer_profile__kind__in=PAID_KINDS,
            carer__carer_profile__employer__isnull=False,
        )
        # The day the visit starts in its own circle's time zone.
        .alias(day=LocalDate("start", "shift__circle__timezone"))
        .filter(day__gte=start, day__lte=end)
        .values(
            "carer_id",
            "carer__full_name",
            "carer__email",
            "carer__carer_profile__kind",
            "carer__carer_profile__employer__name",
        )
        .annotate(visits=Count("pk"), worked=Sum(F("end") - F("start")))
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
        )
        for row in rows
    ]


def _hours(seconds: float) -> Decimal:
    return (Decimal(seconds) / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _header() -> list[str]:
    return [_("Employer"), _("Carer"), _("Email"), _("Kind of carer"), _("Visits"), _("Hours")]


# What a spreadsheet reads as the start of a formula, or of a cell it then runs as one
# (OWASP, "CSV injection"): a name or email beginning so is someone's attempt, or an accident.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    """Text a spreadsheet would run as a formula is kept as text: an apostrophe first, which
    spreadsheets read as "this is text", and which stays if the cell is typed in again."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_csv(rows: list[HoursRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_header())
    for row in rows:
        writer.writerow(
            [
                _safe(row.employer),
                _safe(row.carer),
                _safe(row.email),
                row.kind,
                row.visits,
                f"{row.hours:.2f}",
            ]
        )
    # With a byte order mark, spreadsheet programs read the names' accents right.
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(rows: list[HoursRow], start: date, end: date) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Hours")
    sheet.append(_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [_safe(row.employer), _safe(row.carer), _safe(row.email), row.kind, row.visits]
        )
        line = sheet.max_row
        for text_column in range(1, 5):
            # Written as text whatever it holds: openpyxl would store "=…" as a formula.
            sheet.cell(row=line, column=text_column).data_type = "s"
        hours = sheet.cell(row=line, column=6, value=row.hours)
        hours.number_format = "0.00"
    for column, width in zip("ABCDEF", (28, 28, 32, 30, 8, 8), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    book.properties.title = _("Hours worked from %(start)s to %(end)s") % {
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(rows: list[HoursRow], start: date, end: date, file_format: str) -> HttpResponse:
    """The export as a file to save, CSV or XLSX."""
    name = f"hours-{start.isoformat()}-to-{end.isoformat()}.{file_format}"
    if file_format == XLSX:
        response = HttpResponse(as_xlsx(rows, start, end), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(as_csv(rows), content_type="text/csv; charset=utf-8")
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
