"""The team leaders' dashboard keeps each circle's row as it was written out, for the minute
it was written in (web.leaders.dashboard): a row costs about ten times the page it sits on
to work out, and most circles change far less often than their leaders look.

A row is kept under the minute it was worked out in, so time passing (a visit now missed,
an essential gap now close) shows by the next minute, as often as the dashboard refreshes
itself; a change to a circle forgets its rows at once, when the change's check of the
circle runs (circles.alerts.check_circle).
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

ROW_SECONDS = 60


def row_key(circle_id: int, language: str, now: datetime) -> str:
    """Where a circle's row, in one language, is kept during the minute of `now`."""
    return f"glance-row:{circle_id}:{language}:{int(now.timestamp()) // ROW_SECONDS}"


def forget_rows(circle_ids: Iterable[int]) -> None:
    """Forget these circles' rows of this minute in every language, so the next look works
    them out anew."""
    now = timezone.now()
    keys = [row_key(pk, code, now) for pk in circle_ids for code, _name in settings.LANGUAGES]
    try:
        cache.delete_many(keys)
    except RedisError:
        # The rows last to the end of the minute at most: the change itself is saved.
        logger.warning("Could not forget the dashboard rows of circles %s", keys)
