"""The team leaders' dashboard keeps each circle's row as it was written out, for the five
minutes it was written in (web.leaders.dashboard): a row costs about ten times the page it
sits on to work out, and most circles change far less often than their leaders look.

Every change to a circle forgets its rows at once, when the change's check of the circle
runs (circles.alerts.check_circle): a place taken, a visit missed, a call for help. So does
the sweep, for a circle whose state time passing changed (an essential gap now close).
What time alone moves otherwise (the fortnight's window, the hours to spare) is worked out
anew every five minutes, as often as the sweep runs.
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Kept rows are worked out anew as often as the sweep judges every circle.
ROW_SECONDS = 300


def row_key(circle_id: int, language: str, now: datetime) -> str:
    """Where a circle's row, in one language, is kept during the five minutes of `now`."""
    return f"glance-row:{circle_id}:{language}:{int(now.timestamp()) // ROW_SECONDS}"


def forget_rows(circle_ids: Iterable[int]) -> None:
    """Forget these circles' rows of these five minutes in every language, so the next look
    works them out anew."""
    now = timezone.now()
    keys = [row_key(pk, code, now) for pk in circle_ids for code, _name in settings.LANGUAGES]
    try:
        cache.delete_many(keys)
    except RedisError:
        # The rows last to the end of the five minutes at most: the change itself is saved.
        logger.warning("Could not forget the dashboard rows of circles %s", keys)
