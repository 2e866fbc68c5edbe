"""Care-plan recurrence: stored as an RFC 5545 RRULE, edited as weekday boxes.

A plan has one start time, so its rule may produce at most one visit a day: only
daily and weekly rules, without hour, minute or second parts, are accepted.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_ALLOWED_PARTS = {"FREQ", "INTERVAL", "BYDAY", "UNTIL", "COUNT", "WKST"}


def rule_for_weekdays(weekdays: list[int]) -> str:
    """The RRULE for visits on these weekdays (0 = Monday): every day is FREQ=DAILY."""
    days = sorted(set(weekdays))
    if not days:
        raise ValueError("A plan needs at least one weekday.")
    # A negative index would quietly pick a day from the end of the list (-1 -> Sunday).
    if days[0] < 0 or days[-1] > 6:
        raise ValueError("Weekdays run from 0 (Monday) to 6 (Sunday).")
    if len(days) == 7:
        return "FREQ=DAILY"
    return "FREQ=WEEKLY;BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in days)


def weekdays_of_rule(rule: str) -> list[int]:
    """The weekdays (0 = Monday) a rule visits on, for showing it as boxes."""
    # Which days, not how often or until when: without this a COUNT or UNTIL that ends
    # within the sample fortnight below would hide some of the days.
    days_only = ";".join(
        part
        for part in rule.removeprefix("RRULE:").split(";")
        if part.partition("=")[0].upper() not in ("COUNT", "UNTIL", "INTERVAL")
    )
    # Wall-clock (naive) times on purpose: rules are about local dates, not instants.
    monday = datetime.combine(date(2000, 1, 3), time.min)
    parsed = parse_rule(days_only, monday.date())
    return sorted(
        {d.weekday() for d in parsed.between(monday, monday + timedelta(days=13), inc=True)}
    )


def parse_rule(rule: str, starts_on: date) -> rrule.rrule:
    return rrule.rrulestr(rule, dtstart=datetime.combine(starts_on, time.min))


def validate_rule(rule: str) -> None:
    parts = {}
    for part in rule.removeprefix("RRULE:").split(";"):
        name, sep, value = part.partition("=")
        if not sep or not value:
            raise ValidationError(
                _("The repeat rule “%(rule)s” is not valid."), params={"rule": rule}
            )
        parts[name.upper()] = value.upper()
    unknown = set(parts) - _ALLOWED_PARTS
    days = parts["BYDAY"].split(",") if "BYDAY" in parts else []
    if (
        unknown
        or parts.get("FREQ") not in ("DAILY", "WEEKLY")
        # Without BYDAY a weekly rule visits on the weekday of the plan's first date, which
        # the weekday boxes (weekdays_of_rule) cannot know: they would show Monday instead.
        or (parts.get("FREQ") == "WEEKLY" and not days)
        # Numbered days ("1MO") only mean something in monthly and yearly rules.
        or any(day not in WEEKDAY_CODES for day in days)
    ):
        raise ValidationError(
            _("A care plan repeats daily or on set weekdays, once a day; “%(rule)s” does not."),
            params={"rule": rule},
        )
    # dateutil loops forever on INTERVAL=0 and fails on a negative one, in the nightly job.
    if "INTERVAL" in parts and not (parts["INTERVAL"].isdigit() and int(parts["INTERVAL"]) > 0):
        raise ValidationError(_("The repeat rule “%(rule)s” is not valid."), params={"rule": rule})
    try:
        parse_rule(rule, date(2000, 1, 1))
    except (ValueError, TypeError) as error:
        raise ValidationError(
            _("The repeat rule “%(rule)s” is not valid."), params={"rule": rule}
        ) from error


def local_occurrences(rule: str, starts_on: date, start: date, end: date) -> list[date]:
    """Dates d with start <= d < end (and d >= starts_on) on which the rule has a visit."""
    first = max(start, starts_on)
    if first >= end:
        return []
    parsed = parse_rule(rule, starts_on)
    return [
        moment.date()
        for moment in parsed.between(
            datetime.combine(first, time.min), datetime.combine(end, time.min), inc=True
        )
        if moment.date() < end
    ]


def aware_local(day: date, at: time, tz: ZoneInfo) -> datetime:
    """`day` at local time `at`, made aware in `tz` across daylight-saving changes.

    A time that occurs twice (autumn) is the first of the two (fold=0). A time that does
    not exist (spring forward) moves to the first minute that does, e.g. 01:30 -> 02:00.
    """
    local = datetime.combine(day, at)
    while not _exists(local, tz):
        local = (local + timedelta(minutes=1)).replace(second=0, microsecond=0)
    return local.replace(tzinfo=tz, fold=0)


def _exists(local: datetime, tz: ZoneInfo) -> bool:
    aware = local.replace(tzinfo=tz, fold=0)
    return aware.astimezone(ZoneInfo("UTC")).astimezone(tz).replace(tzinfo=None) == local
