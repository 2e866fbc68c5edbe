"""Ana says two evenings a week are enough for her, and Cat one weekend visit. A third
evening that week, or a second weekend visit, is refused in words spoken to them, and
nothing changes; a second visit on an evening she already works is no new evening, and next
week starts afresh. Only they set their own; a nonsense number changes nothing."""

import pytest

from people.models import CarerProfile, Person
from rota import rules, services
from rota.models import Assignment
from rota.rules import Rule
from tests.outcomes import broken, database_refuses, refused
from tests.stories import MONDAY_MORNING, at, place, planned_visit

pytestmark = [pytest.mark.django_db, pytest.mark.now(MONDAY_MORNING)]

THIRD_EVENING = (
    "You said 2 evenings a week are enough for you; this would make 3 that week (week of 4 May)."
)


@pytest.fixture
def two_evenings(story):
    """Ana (council) has said two evenings a week are enough, and holds Monday's and
    Tuesday's."""
    services.set_enough(story.ana, evenings=2, weekends=None, actor=story.ana)
    place(planned_visit(story.gwen, at(4, 19)), story.ana)
    place(planned_visit(story.gwen, at(5, 19)), story.ana)
    return story


def test_a_third_evening_that_week_is_refused_in_her_own_terms(two_evenings):
    wednesday = planned_visit(two_evenings.tom, at(6, 19))

    with broken(Rule.ENOUGH) as refusal:
        services.claim(wednesday, two_evenings.ana, actor=two_evenings.ana)

    assert refusal.value.messages == [THIRD_EVENING]
    assert not Assignment.objects.filter(shift=wednesday).exists()


def test_a_leader_cannot_put_her_on_a_third_evening_either(two_evenings):
    wednesday = planned_visit(two_evenings.gwen, at(6, 20))

    with broken(Rule.ENOUGH):
        services.assign(wednesday, two_evenings.ana, actor=two_evenings.rhian)


def test_a_second_visit_on_an_evening_she_works_is_no_new_evening(two_evenings):
    later_on_tuesday = planned_visit(two_evenings.tom, at(5, 20, 30))

    assert rules.check(two_evenings.ana, later_on_tuesday) == []


def test_next_week_starts_afresh_and_days_are_not_limited(two_evenings):
    next_monday = planned_visit(two_evenings.gwen, at(11, 19))
    wednesday_lunch = planned_visit(two_evenings.gwen, at(6, 12))

    assert rules.check(two_evenings.ana, next_monday) == []
    assert rules.check(two_evenings.ana, wednesday_lunch) == []


def test_no_evenings_at_all_is_said_plainly(story):
    services.set_enough(story.ana, evenings=0, weekends=None, actor=story.ana)

    violations = rules.check(story.ana, planned_visit(story.gwen, at(6, 18)))

    assert [(v.rule, v.message) for v in violations] == [
        (
            Rule.ENOUGH,
            "You said you would rather have no evenings for now; this visit is in the evening.",
        )
    ]


def test_a_second_weekend_visit_is_refused_when_one_is_enough(story):
    services.set_enough(story.cat, evenings=None, weekends=1, actor=story.cat)
    place(planned_visit(story.gwen, at(9, 10)), story.cat)
    sunday = planned_visit(story.gwen, at(10, 10))

    with broken(Rule.ENOUGH) as refusal:
        services.claim(sunday, story.cat, actor=story.cat)

    assert refusal.value.messages == [
        "You said 1 weekend visit a week is enough for you; this would make 2 that week "
        "(week of 4 May)."
    ]


def test_check_many_and_check_each_judge_it_alike(two_evenings):
    wednesday = planned_visit(two_evenings.gwen, at(6, 19))
    thursday_morning = planned_visit(two_evenings.gwen, at(7, 9))
    shifts = [wednesday, thursday_morning]

    many = rules.check_many(two_evenings.ana, shifts)
    # As the circle's page reads its carers: with their profiles, as they are now.
    ana = Person.objects.select_related("carer_profile").get(pk=two_evenings.ana.pk)
    each = rules.check_each([ana], shifts)[ana.pk]

    assert [v.message for v in many[wednesday.pk]] == [THIRD_EVENING]
    assert many[thursday_morning.pk] == []
    assert each == many


def test_only_the_carer_sets_their_own_enough(story):
    with refused("not_allowed"):
        services.set_enough(story.ana, evenings=1, weekends=1, actor=story.rhian)
    with refused("not_a_carer"):
        services.set_enough(story.sian, evenings=1, weekends=1, actor=story.sian)


@pytest.mark.parametrize("evenings", [-1, 8, True, "2", 1.5])
def test_a_nonsense_number_of_evenings_changes_nothing(story, evenings):
    with refused("enough_evenings_invalid"):
        services.set_enough(story.ana, evenings=evenings, weekends=None, actor=story.ana)
    assert CarerProfile.objects.get(person=story.ana).enough_evenings is None


def test_a_nonsense_number_of_weekend_visits_changes_nothing(story):
    with refused("enough_weekends_invalid"):
        services.set_enough(story.ana, evenings=2, weekends=15, actor=story.ana)
    profile = CarerProfile.objects.get(person=story.ana)
    assert (profile.enough_evenings, profile.enough_weekends) == (None, None)


def test_saying_no_limit_lifts_it(two_evenings):
    services.set_enough(two_evenings.ana, evenings=None, weekends=None, actor=two_evenings.ana)

    assert rules.check(two_evenings.ana, planned_visit(two_evenings.gwen, at(6, 19))) == []


def test_the_database_holds_the_ranges(story):
    with database_refuses("carerprofile_enough_evenings_range"):
        CarerProfile.objects.filter(person=story.ana).update(enough_evenings=8)
    with database_refuses("carerprofile_enough_weekends_range"):
        CarerProfile.objects.filter(person=story.ana).update(enough_weekends=15)
