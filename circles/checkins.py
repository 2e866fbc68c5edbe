"""The circle's own monthly check-in: once a month each carer of the circle answers how the
circle is coping and how they are (1 to 5) and, if they like, one thing they would change.

Who hears what (docs/design.md, The monthly check-in):
- The circle sees the trend of the months that are over: per month how many answered and,
  with at least MIN_ANSWERS answers, each question's average and how many chose each point,
  and the things to change in alphabetical order, without names or dates. A month still
  under way is not shown, so nobody can tell an answer by watching the figures change.
- The team leaders see the figures (never the things to change) when the circle shares
  them (Circle.check_ins_shared), or when the latest month fell sharply (`fell_sharply`);
  on a sharp fall they are told once.

`monthly_check_in` is the beat job of the first days of each month: it asks each carer once,
tells the leaders of a sharp fall once, and forgets who gave the answers of months that are
over. Every step is keyed or conditional, so running it twice changes nothing.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles import notify
from circles.alerts import who_answers_for
from circles.models import (
    CHECK_IN_HIGHEST,
    CHECK_IN_LOWEST,
    CheckIn,
    Circle,
    NotificationKind,
    Role,
)
from circles.notify import Formatted
from circles.permissions import members
from rota.services.checkins import check_in_month

# Fewer answers than this in a month and its figures are not shown: with two, each could
# work out what the other said.
MIN_ANSWERS = 3
# How far the average of "how is the circle coping" falls from one month to the next, both
# with MIN_ANSWERS answers or more, to count as a sharp fall.
SHARP_FALL = 1.0
# The months of the trend: the last six that are over.
MONTHS = 6

SCALE = range(CHECK_IN_LOWEST, CHECK_IN_HIGHEST + 1)
# The words on each point of the scale, as the form shows them.
COPING_WORDS = {
    1: _("Not coping"),
    2: _("Struggling"),
    3: _("Getting by"),
    4: _("Coping well"),
    5: _("Coping very well"),
}
ME_WORDS = {
    1: _("Very low"),
    2: _("Low"),
    3: _("All right"),
    4: _("Good"),
    5: _("Very good"),
}

ASKED_TITLE = _("How is %(circle)s doing? This month's check-in")
ASKED_BODY = _(
    "Three quick questions: how the circle is coping, how you are, and one thing you would "
    "change. Nobody sees who said what."
)
FELL_TITLE = _("%(circle)s says it is coping much less well")
FELL_BODY = _(
    "In %(month)s the carers of %(circle)s said on average %(now)s out of 5 for how the "
    "circle is coping, down from %(before)s the month before. It may be worth checking in."
)


@dataclass(frozen=True)
class Question:
    """One question's answers in a month: the average, and how many chose each point."""

    average: float
    counts: tuple[int, ...]

    @property
    def percent(self) -> int:
        """The average as a share of the scale, for its bar."""
        return round(100 * self.average / CHECK_IN_HIGHEST)

    def points(self, words: Mapping[int, object]) -> list[tuple[int, object, int, int]]:
        """Each point: its number, its words, how many chose it, and their share (a bar)."""
        answers = sum(self.counts)
        return [
            (point, words[point], count, round(100 * count / answers) if answers else 0)
            for point, count in zip(SCALE, self.counts, strict=True)
        ]

    @property
    def coping_points(self) -> list[tuple[int, object, int, int]]:
        return self.points(COPING_WORDS)

    @property
    def me_points(self) -> list[tuple[int, object, int, int]]:
        return self.points(ME_WORDS)


@dataclass(frozen=True)
class Month:
    """A month of the trend. `shown`: enough answers to show anything but their number;
    otherwise `coping`, `me` and `changes` are empty."""

    month: date
    answers: int
    coping: Question | None = None
    me: Question | None = None
    changes: tuple[str, ...] = ()

    @property
    def shown(self) -> bool:
        return self.coping is not None


def _question(values: list[int]) -> Question:
    return Question(
        average=round(sum(values) / len(values), 1),
        counts=tuple(values.count(point) for point in SCALE),
    )


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def trend(circle: Circle, *, now: datetime | None = None, months: int = MONTHS) -> list[Month]:
    """The last `months` months that are over, oldest first, from the first with an answer;
    one query. The person is never read."""
    this_month = check_in_month(circle, now)
    first = _add_months(this_month, -months)
    rows = CheckIn.objects.filter(circle=circle, month__gte=first, month__lt=this_month)
    by_month: dict[date, list[tuple[int, int, str]]] = defaultdict(list)
    for month, coping, me, change in rows.values_list("month", "coping", "me", "change"):
        by_month[month].append((coping, me, change))
    if not by_month:
        return []
    trend = []
    month = min(by_month)
    while month < this_month:
        answers = by_month.get(month, [])
        if len(answers) < MIN_ANSWERS:
            trend.append(Month(month, len(answers)))
        else:
            trend.append(
                Month(
                    month,
                    len(answers),
                    coping=_question([coping for coping, _me, _change in answers]),
                    me=_question([me for _coping, me, _change in answers]),
                    # Alphabetical: the order says nothing about who wrote which, or when.
                    changes=tuple(
                        sorted((change for *_, change in answers if change), key=str.casefold)
                    ),
                )
            )
        month = _add_months(month, 1)
    return trend


def fell_sharply(months: list[Month]) -> bool:
    """The latest month over says the circle copes at least SHARP_FALL worse on average
    than the month before it, both with enough answers to be shown."""
    if len(months) < 2:
        return False
    before, latest = months[-2], months[-1]
    if before.coping is None or latest.coping is None:
        return False
    # Compared as the pages show them, to a tenth, so the pages and the rule agree.
    return before.coping.average - latest.coping.average >= SHARP_FALL


@dataclass(frozen=True)
class LeadersView:
    """What the circle's team leaders see of its check-in, and why they see it."""

    shared: bool
    fell: bool
    months: list[Month]


def for_leaders(circle: Circle, *, now: datetime | None = None) -> LeadersView | None:
    """The figures the team leaders may see: when the circle shares them, or when the latest
    month fell sharply; otherwise nothing at all. Never the things to change."""
    months = trend(circle, now=now)
    fell = fell_sharply(months)
    if not (circle.check_ins_shared or fell):
        return None
    bare = [Month(m.month, m.answers, m.coping, m.me) for m in months]
    return LeadersView(shared=circle.check_ins_shared, fell=fell, months=bare)


def answered(circle: Circle, person_id: int, now: datetime | None = None) -> CheckIn | None:
    """The person's own answers this month, if they gave them (only they see these)."""
    month = check_in_month(circle, now)
    return CheckIn.objects.filter(circle=circle, person_id=person_id, month=month).first()


def monthly_check_in(now: datetime | None = None, circles: Iterable[Circle] | None = None) -> int:
    """The beat job of the first days of the month, for every circle: each of its carers
    who has not answered yet is asked once this month; its team leaders are told once of a
    sharp fall in the month just over; and who gave the answers of months that are over is
    forgotten. Returns how many carers were asked (or had been already)."""
    now = now or timezone.now()
    asked = 0
    for circle in circles if circles is not None else Circle.objects.all():
        asked += ask(circle, now)
        tell_leaders_of_a_sharp_fall(circle, now)
        forget_who_answered(circle, now)
    return asked


def ask(circle: Circle, now: datetime) -> int:
    """Each carer of the circle today who has not answered this month, asked once (the
    message is keyed by the circle and the month)."""
    month = check_in_month(circle, now)
    done = CheckIn.objects.filter(circle=circle, month=month).values("person_id")
    carers = members(circle, Role.CARER).exclude(pk__in=done)
    for carer in carers:
        notify.notify(
            carer,
            NotificationKind.CHECK_IN_ASKED,
            key=f"check-in:{circle.pk}:{month:%Y-%m}",
            title=ASKED_TITLE,
            body=ASKED_BODY,
            params={"circle": circle.name},
            link=reverse("carer:check_in", args=[circle.pk]),
            circle=circle,
        )
    return len(carers)


def tell_leaders_of_a_sharp_fall(circle: Circle, now: datetime) -> bool:
    """When the month just over fell sharply, the circle's team leaders (or, with none, its
    coordinators) are told, once for that month. Returns whether it fell."""
    months = trend(circle, now=now, months=2)
    if not fell_sharply(months):
        return False
    before, latest = months[-2].coping, months[-1]
    if before is None or latest.coping is None:
        return False
    for leader in who_answers_for(circle):
        notify.notify(
            leader,
            NotificationKind.CHECK_IN_FELL,
            key=f"check-in-fell:{circle.pk}:{latest.month:%Y-%m}",
            title=FELL_TITLE,
            body=FELL_BODY,
            params={
                "circle": circle.name,
                "month": Formatted(latest.month, "F Y"),
                "now": latest.coping.average,
                "before": before.average,
            },
            link=reverse("leaders:circle", args=[circle.pk]) + "#check-in",
            circle=circle,
        )
    return True


def forget_who_answered(circle: Circle, now: datetime) -> int:
    """Once a month is over, its answers belong to nobody: the person was kept only so
    nobody answered twice. Returns how many answers were let go of."""
    this_month = check_in_month(circle, now)
    return CheckIn.objects.filter(circle=circle, month__lt=this_month, person__isnull=False).update(
        person=None
    )
