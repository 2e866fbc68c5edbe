"""Days as the pages mark them: `{{ day|bank_holiday }}` is the bank holiday's name (or
nothing), `{{ day|bank_holiday_tag }}` the same as a tag beside a day's heading. A day may be
a date or a datetime already in the right time zone (`|timezone:…`)."""

from datetime import date, datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from rota.bank_holidays import bank_holiday as holiday_on

register = template.Library()


def _day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


@register.filter
def bank_holiday(value: date | datetime | None) -> str:
    day = _day(value)
    return (holiday_on(day) or "") if day else ""


@register.filter(is_safe=True)
def bank_holiday_tag(value: date | datetime | None) -> SafeString | str:
    name = bank_holiday(value)
    return format_html('<span class="tag holiday">{}</span>', name) if name else ""
