"""Bank holidays of England and Wales, which share them (Scotland and Northern Ireland have
their own): marked on the rota's days and on payroll's visits, where they are often paid more.

The `holidays` package knows the dates, including one-off days such as a coronation; its
names are English only, so the usual ones are named here, to be translated, and any other is
"Bank holiday". A Christmas Day or Boxing Day on a weekend is marked, and so is the weekday
that stands in for it.
"""

import functools
from datetime import date

import holidays
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# England's list is Wales's too; "WLS" would give the same days.
SUBDIVISION = "ENG"
# The package's names for the usual bank holidays, in the reader's language.
NAMES = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Good Friday": gettext_lazy("Good Friday"),
    "Easter Monday": gettext_lazy("Easter Monday"),
    "May Day": gettext_lazy("Early May bank holiday"),
    "Spring Bank Holiday": gettext_lazy("Spring bank holiday"),
    "Late Summer Bank Holiday": gettext_lazy("Summer bank holiday"),
    "Christmas Day": gettext_lazy("Christmas Day"),
    "Boxing Day": gettext_lazy("Boxing Day"),
}
OBSERVED = " (observed)"


@functools.lru_cache(maxsize=64)
def _year(year: int) -> dict[date, str]:
    """The bank holidays of one year, by date, with the package's English names."""
    return dict(holidays.country_holidays("GB", subdiv=SUBDIVISION, years=year).items())


def bank_holiday(day: date) -> str | None:
    """The bank holiday `day` is in England and Wales, named in the active language; None on
    any other day."""
    name = _year(day.year).get(day)
    if name is None:
        return None
    # A day may hold two names joined by "; " (none does today): the first is enough.
    name = name.split("; ")[0]
    substitute = name.endswith(OBSERVED)
    base = name.removesuffix(OBSERVED)
    words = str(NAMES.get(base, _("Bank holiday")))
    if substitute:
        return _("%(holiday)s (substitute day)") % {"holiday": words}
    return words


def bank_holidays(start: date, end: date) -> dict[date, str]:
    """Every bank holiday from `start` to `end`, both included, named as bank_holiday does."""
    found = {}
    for year in range(start.year, end.year + 1):
        for day in _year(year):
            if start <= day <= end:
                found[day] = bank_holiday(day) or ""
    return found
