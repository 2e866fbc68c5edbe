"""Celery jobs of the circles: thin wrappers that fetch by id and call circles.alerts,
circles.fanout or circles.notify. Each is idempotent and safe to run twice, or in two
workers at once.

A committed rota change names `announce_change` in its outbox row by the task's name, so
the rota never imports this module: the follow-ups of a change are decided up here, and
go through the outbox too, so a broker that loses its queue loses none of them.
"""

from typing import Any

from celery import Task, shared_task
from django.db import OperationalError, transaction

from circles import alerts, checkins, fanout, notify
from circles import reminders as visit_reminders
from circles.models import Circle
from rota import lateness, outbox
from rota.models import Action, AuditEvent

# A database that is briefly away (a restart, a failover) is retried, backing off.
RETRIED = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 5,
}


class FollowUp(Task):
    """A task the outbox sends: once it has run, its outbox row is marked done, so the
    relay sends again only what a lost queue or a killed worker left undone."""

    def on_success(self, retval: Any, task_id: str, args: Any, kwargs: Any) -> None:
        outbox.done(task_id)


@shared_task(bind=True, base=FollowUp, **RETRIED)
def announce_change(self: Task, event_id: int) -> str:
    """After a committed rota change: the follow-up of one audit event.

    The circle's state is checked, the carers and families concerned are told, and for a
    call for help the carers who could go are asked: each put in the outbox in one
    transaction with this task's row marked done, so they are asked for exactly once.
    Each is idempotent too, so running one twice is harmless.
    """
    event = AuditEvent.objects.get(pk=event_id)
    with transaction.atomic():
        if event.circle_id is not None:
            outbox.enqueue(CHECK_CIRCLE, circle_id=event.circle_id)
        outbox.enqueue(TELL_PEOPLE, event_id=event.pk)
        if event.action == Action.RAISE_HELP_REQUEST:
            outbox.enqueue(ASK_CARERS_FOR_HELP, request_id=event.subject_id)
        outbox.done(self.request.id)
    return event.action


CHECK_CIRCLE = "circles.tasks.check_circle"
TELL_PEOPLE = "circles.tasks.tell_people"
ASK_CARERS_FOR_HELP = "circles.tasks.ask_carers_for_help"


@shared_task(base=FollowUp, **RETRIED)
def check_circle(circle_id: int) -> str:
    """After a committed rota change: the circle's state, alerting on a crossing."""
    circle = Circle.objects.filter(pk=circle_id).first()
    return alerts.check_circle(circle) if circle is not None else ""


@shared_task(base=FollowUp, **RETRIED)
def tell_people(event_id: int) -> int:
    """After a committed rota change: the carers and families it concerns are told."""
    return fanout.tell_people(event_id)


@shared_task(**RETRIED)
def sweep() -> int:
    """Every few minutes: every circle, so time passing is caught too. Each block of circles
    is a task of its own, so the workers share a national sweep between them. Returns how
    many blocks were handed out."""
    blocks = alerts.sweep_blocks()
    for first, last in blocks:
        sweep_block.delay(first, last)
    return len(blocks)


@shared_task(**RETRIED)
def sweep_block(first: int, last: int) -> int:
    """One block of the sweep: the circles with ids from `first` to `last`."""
    return alerts.sweep_block(first, last)


@shared_task(**RETRIED)
def warn_early() -> int:
    """Every hour: each circle's forecast, a block of circles a task, so that a leader hears
    of a new forecast crossing once (circles.alerts.warn_early_block says why hourly).
    Returns how many blocks were handed out."""
    blocks = alerts.sweep_blocks()
    for first, last in blocks:
        warn_early_block.delay(first, last)
    return len(blocks)


@shared_task(**RETRIED)
def warn_early_block(first: int, last: int) -> int:
    """One block of the early warning: the circles with ids from `first` to `last`."""
    return alerts.warn_early_block(first, last)


@shared_task(base=FollowUp, **RETRIED)
def ask_carers_for_help(request_id: int) -> int:
    """After a call for help: ask the carers who could go now."""
    return alerts.ask_carers_for_help(request_id)


@shared_task(base=FollowUp, **RETRIED)
def tell_running_low(running_low_id: int) -> bool:
    """After a carer says they are running low: one team leader is told, once."""
    return alerts.tell_running_low(running_low_id)


@shared_task(**RETRIED)
def escalate_help_requests() -> int:
    """Every minute: calls for help unanswered in time go to the team leaders (first, so
    nothing after can hold them back); then the next wave of carers is asked, for calls for
    help and for cover whose wave has come (circles.fairness.waves). Returns how many calls
    escalated."""
    escalated = alerts.escalate_help_requests()
    alerts.ask_next_waves()
    fanout.ask_next_waves()
    return escalated


@shared_task(**RETRIED)
def check_late_visits() -> int:
    """Every minute: visits nobody has arrived at are chased, a step at a time, each once."""
    return lateness.check_late_visits()


@shared_task(**RETRIED)
def reminders() -> int:
    """Every hour: offered visits still untaken a day ahead, checks running out."""
    return alerts.remind_untaken_offers() + alerts.remind_expiring_credentials()


@shared_task(**RETRIED)
def remind_visits() -> int:
    """Every few minutes: reminders before carers' visits, for those who turned them on."""
    return visit_reminders.remind_visits()


@shared_task(**RETRIED)
def monthly_check_in() -> int:
    """The first days of each month: the circle's check-in asked of each carer once, the
    team leaders told once of a sharp fall, and the answers of past months let go of."""
    return checkins.monthly_check_in()


# A mail server that is down is retried too: nothing was sent, the claim was given back.
@shared_task(**{**RETRIED, "autoretry_for": (OperationalError, OSError)})
def deliver_notification(notification_id: int) -> bool:
    return notify.deliver(notification_id)


@shared_task(**RETRIED)
def deliver_pending() -> int:
    """Every few minutes: what waited out quiet hours, or a crash left unsent."""
    return notify.deliver_pending()
