"""Run Celery beat's periodic jobs in this process: what the demo uses instead of a worker
and beat, so someone trying it sees the sweep, alerts and escalations happen.

Each job of CELERY_BEAT_SCHEDULE runs when its own schedule says it is due, in-process
(`apply`), and a job that fails is logged and tried again at its next turn.
"""

import logging
import time
from datetime import datetime

from celery.schedules import BaseSchedule
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from config.celery import app

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the periodic jobs (sweep, escalation, reminders…) in this process, as beat would."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run every job once, then stop.")
        parser.add_argument(
            "--tick", type=float, default=15.0, help="Seconds between looks at the schedule."
        )

    def handle(self, *args, once: bool, tick: float, **options) -> None:
        schedule = app.conf.beat_schedule
        last_run: dict[str, datetime | None] = {name: None for name in schedule}
        while True:
            for name, entry in schedule.items():
                if once or self._due(entry["schedule"], last_run[name]):
                    last_run[name] = timezone.now()
                    self._run(name, entry["task"])
            if once:
                return
            time.sleep(tick)

    @staticmethod
    def _due(schedule: float | BaseSchedule, last_run: datetime | None) -> bool:
        if last_run is None:
            return True
        if isinstance(schedule, int | float):
            return (timezone.now() - last_run).total_seconds() >= schedule
        return schedule.is_due(last_run).is_due

    def _run(self, name: str, task: str) -> None:
        result = app.tasks[task].apply()
        if result.failed():
            log.error("Periodic job %s failed: %s", name, result.result)
        elif result.result:  # only jobs that did something: quiet otherwise
            self.stdout.write(f"{timezone.localtime():%H:%M:%S} {name}: {result.result}")
