"""The circle's own monthly check-in (docs/design.md, The monthly check-in): each carer answers
once a month (answering again changes their answers); the circle sees months that are over,
and only those with at least three answers; the team leaders see the figures only when the
circle shares them or they fell sharply, and are told of a sharp fall once."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from circles import checkins
from circles.models import CheckIn, Notification, NotificationKind
from circles.tasks import monthly_check_in
from circles.trail import describe
from rota import services
from rota.models import Action, AuditEvent
from rota.rules import Refused
from tests.factories import carer
from tests.stories import at

# Friday 1 May 2026, ten in the morning in London: April's check-in is over, May's begun.
MAY_FIRST = at(1, 10)
MARCH, APRIL, MAY = date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.now(MAY_FIRST),
    pytest.mark.usefixtures("frozen_now"),
]


@pytest.fixture
def carers(circle, ana, ben, cat):
    """Treforest's carers: Ana, Ben, Cat, and Dai and Efa."""
    return [
        ana,
        ben,
        cat,
        carer(circle, full_name="Dai Rowlands"),
        carer(circle, full_name="Efa Jones"),
    ]


def answers(circle, month, coping, me=None, changes=()):
    """Past answers, one per coping score given, by nobody in particular (as a month over
    keeps them)."""
    me = me or coping
    changes = list(changes) + [""] * (len(coping) - len(changes))
    CheckIn.objects.bulk_create(
        CheckIn(circle=circle, month=month, coping=c, me=m, change=line)
        for c, m, line in zip(coping, me, changes, strict=True)
    )


# Answering


def test_a_carer_answers_once_a_month_and_answering_again_changes_it(circle, ana):
    services.answer_check_in(circle, coping=2, me=3, change="More help at weekends", actor=ana)
    services.answer_check_in(circle, coping=4, me=4, change="", actor=ana)

    saved = CheckIn.objects.get()
    assert (saved.person, saved.month, saved.coping, saved.me, saved.change) == (ana, MAY, 4, 4, "")


def test_answering_leaves_nothing_in_the_trail_the_leaders_read(circle, ana):
    services.answer_check_in(circle, coping=1, me=1, change="Nobody listens", actor=ana)
    assert not AuditEvent.objects.exists()


def test_the_database_keeps_one_answer_per_carer_and_month(circle, ana):
    CheckIn.objects.create(circle=circle, person=ana, month=MAY, coping=3, me=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(circle=circle, person=ana, month=MAY, coping=5, me=5)


@pytest.mark.parametrize(("coping", "me"), [(0, 3), (6, 3), (3, 0), (3, 6)])
def test_the_database_refuses_answers_off_the_scale(circle, ana, coping, me):
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(circle=circle, person=ana, month=MAY, coping=coping, me=me)


@pytest.mark.parametrize(
    ("fields", "code", "words"),
    [
        (
            {"coping": 0, "me": 3},
            "coping_off_scale",
            "Choose how the circle is coping, from 1 to 5.",
        ),
        ({"coping": 3, "me": 9}, "me_off_scale", "Choose how you are, from 1 to 5."),
        (
            {"coping": 3, "me": 3, "change": "x" * 201},
            "change_too_long",
            "Keep the thing to change to 200 characters or fewer.",
        ),
        (
            {"coping": 3, "me": 3, "change": "a\x00b"},
            "change_unreadable",
            "The thing to change has a character we can't keep.",
        ),
    ],
)
def test_bad_answers_are_refused_in_words_and_nothing_is_saved(circle, ana, fields, code, words):
    with pytest.raises(Refused) as refusal:
        services.answer_check_in(circle, actor=ana, **fields)
    assert (refusal.value.code, refusal.value.message) == (code, words)
    assert not CheckIn.objects.exists()


def test_only_the_circles_carers_answer(circle, eli, rhian, sian):
    for outsider in (eli, rhian, sian):
        with pytest.raises(Refused) as refusal:
            services.answer_check_in(circle, coping=3, me=3, actor=outsider)
        assert refusal.value.message == "Only the circle's carers answer its check-in."
    assert not CheckIn.objects.exists()


# What the circle sees


def test_the_trend_hides_months_with_fewer_than_three_answers(circle, carers):
    answers(circle, MARCH, [4, 5], changes=["Only two of us said this"])
    answers(circle, APRIL, [2, 3, 4], me=[1, 3, 5], changes=["Weekend cover", "a quieter rota"])
    services.answer_check_in(circle, coping=1, me=1, actor=carers[0])  # May: not over yet

    march, april = checkins.trend(circle)

    assert (march.month, march.answers, march.shown) == (MARCH, 2, False)
    assert (march.coping, march.me, march.changes) == (None, None, ())
    assert (april.month, april.answers, april.shown) == (APRIL, 3, True)
    assert april.coping.average == 3.0 and april.coping.counts == (0, 1, 1, 1, 0)
    assert april.me.average == 3.0 and april.me.counts == (1, 0, 1, 0, 1)
    # Alphabetical, whatever the order they were given in.
    assert april.changes == ("a quieter rota", "Weekend cover")


def test_a_month_without_answers_between_two_with_them_shows_as_none(circle):
    answers(circle, date(2026, 2, 1), [3, 3, 3])
    answers(circle, APRIL, [3, 3, 3])

    months = checkins.trend(circle)

    assert [(m.month.month, m.answers) for m in months] == [(2, 3), (3, 0), (4, 3)]


def test_who_answered_a_month_that_is_over_is_forgotten(circle, ana, ben, frozen_now):
    services.answer_check_in(circle, coping=3, me=3, actor=ana)
    CheckIn.objects.create(circle=circle, person=ben, month=APRIL, coping=2, me=2)

    monthly_check_in()

    assert dict(CheckIn.objects.values_list("month", "person")) == {APRIL: None, MAY: ana.pk}


# Asking


def test_each_carer_is_asked_once_a_month_however_often_the_job_runs(
    circle, carers, frozen_now, rhian, sian
):
    services.answer_check_in(circle, coping=4, me=4, actor=carers[0])  # Ana has answered

    monthly_check_in()
    frozen_now.move_to(MAY_FIRST + timedelta(days=1))
    monthly_check_in()

    asked = Notification.objects.filter(kind=NotificationKind.CHECK_IN_ASKED)
    assert sorted(asked.values_list("person__full_name", flat=True)) == [
        "Ben Jones",
        "Cat Morgan",
        "Dai Rowlands",
        "Efa Jones",
    ]
    message = asked.get(person=carers[1])
    assert message.key == f"check-in:{circle.pk}:2026-05"
    assert message.title == "How is Treforest doing? This month's check-in"
    assert message.link == f"/shifts/board/{circle.pk}/check-in/"

    frozen_now.move_to(at(1, 10, month=6))
    monthly_check_in()
    assert asked.filter(person=carers[0]).count() == 1  # June: Ana is asked now


# What the team leaders see, and hear


def test_leaders_see_nothing_unless_the_circle_shares_it(circle, ana):
    answers(circle, MARCH, [4, 4, 4])
    answers(circle, APRIL, [4, 3, 4], changes=["Fewer late finishes"])
    assert checkins.for_leaders(circle) is None

    services.share_check_ins(circle, True, actor=ana)
    circle.refresh_from_db()

    seen = checkins.for_leaders(circle)
    assert (seen.shared, seen.fell) == (True, False)
    assert [(m.month, m.answers) for m in seen.months] == [(MARCH, 3), (APRIL, 3)]
    # The figures, never the things to change.
    assert all(month.changes == () for month in seen.months)


def test_a_sharp_fall_shows_the_leaders_and_tells_them_once(circle, rhian, owain, ana, frozen_now):
    answers(circle, MARCH, [4, 4, 5])
    answers(circle, APRIL, [3, 3, 3])  # 4.3 down to 3.0

    for _ in range(3):
        monthly_check_in()
    frozen_now.move_to(MAY_FIRST + timedelta(days=2))
    monthly_check_in()

    seen = checkins.for_leaders(circle)
    assert (seen.shared, seen.fell) == (False, True)
    told = Notification.objects.filter(kind=NotificationKind.CHECK_IN_FELL)
    assert sorted(told.values_list("person__full_name", flat=True)) == [
        "Owain Hughes",
        "Rhian Lewis",
    ]
    message = told.get(person=rhian)
    assert message.key == f"check-in-fell:{circle.pk}:2026-04"
    assert message.title == "Treforest says it is coping much less well"
    assert "3.0 out of 5" in message.body and "down from 4.3" in message.body
    assert message.link == f"/leaders/circles/{circle.pk}/#check-in"
    assert not Notification.objects.filter(person=ana, kind=NotificationKind.CHECK_IN_FELL)


@pytest.mark.parametrize(
    ("march", "april"),
    [
        ([4, 4, 4], [4, 3, 3]),  # 4.0 to 3.3: under a point
        ([5, 5], [1, 1, 1]),  # March had too few answers to compare
        ([5, 5, 5], [1, 1]),  # April had too few
    ],
)
def test_no_sharp_fall_no_leader_sees_or_hears(circle, rhian, march, april):
    answers(circle, MARCH, march)
    answers(circle, APRIL, april)

    monthly_check_in()

    assert checkins.for_leaders(circle) is None
    assert not Notification.objects.filter(kind=NotificationKind.CHECK_IN_FELL).exists()


def test_sharing_is_the_carers_choice_and_kept_in_the_trail(circle, ana, rhian, sian):
    for outsider in (rhian, sian):
        with pytest.raises(Refused):
            services.share_check_ins(circle, True, actor=outsider)

    services.share_check_ins(circle, True, actor=ana)
    services.share_check_ins(circle, True, actor=ana)  # unchanged: nothing more in the trail
    services.share_check_ins(circle, False, actor=ana)

    events = AuditEvent.objects.filter(action=Action.SHARE_CHECK_INS).order_by("at", "id")
    assert [line.sentence for line in describe(list(events))] == [
        "Ana Price let Treforest's team leaders see its monthly check-in.",
        "Ana Price stopped Treforest's team leaders seeing its monthly check-in.",
    ]
    circle.refresh_from_db()
    assert circle.check_ins_shared is False
