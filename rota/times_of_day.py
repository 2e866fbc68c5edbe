"""What counts as an evening, a night and a weekend, in one place: the fair shares
(circles.fairness) count them, a carer's own "enough" (rota.rules, `enough`) limits them,
and the calls for cover ask those who have had fewer first.

All are read in the circle's own time zone, from the local time a visit starts.
"""

from datetime import datetime

# Local start hours: evenings from 18:00 to before 22:00, nights from 22:00 to before 07:00.
EVENING_FROM, NIGHT_FROM, NIGHT_UNTIL = 18, 22, 7
# ISO weekdays: Saturday and Sunday.
WEEKEND = (6, 7)


def is_evening(local_start: datetime) -> bool:
    """A visit starting at this local time is an evening's."""
    return EVENING_FROM <= local_start.hour < NIGHT_FROM


def is_weekend(local_start: datetime) -> bool:
    """A visit starting at this local time is a weekend's (Saturday or Sunday)."""
    return local_start.isoweekday() in WEEKEND
