"""Random sequences of rota changes on a small circle never break the invariants.

After every step: no carer holds two overlapping visits, nobody is given a visit whose
checks they lack, no visit has more carers than it needs, every visit's kept count of places
rightly held equals a recount (rota.counts), every change wrote one audit event, and a
refused change changed nothing. Besides the rota's changes, checks run out and are renewed,
and the checks a plan needs change, as a coordinator changes them in the admin.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from people.models import CarerPreference, Credential
from rota import counts, services
from rota.models import (
    Absence,
    AbsenceKind,
    Assignment,
    AuditEvent,
    FamilyVisit,
    FamilyVisitStatus,
    Offer,
    OfferStatus,
    Shift,
    Swap,
    SwapStatus,
)
from rota.rules import Refused, RuleBroken
from tests.factories import CredentialFactory, VisitPlanFactory, carer
from tests.stories import Cast, visit

picks = st.integers(min_value=0, max_value=1000)


class SmallCircle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # Each example runs in a transaction rolled back at teardown (the audit trail
        # refuses DELETE, so rolling back is the only way to start clean).
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        cast = Cast()
        circle, medication = cast.circle, cast.medication
        self.gwen, self.tom, self.sian = cast.gwen, cast.tom, cast.sian
        # Three paid carers and Cat, unpaid.
        self.carers = [cast.ana, cast.ben, carer(circle), cast.cat]
        CredentialFactory(person=self.carers[0], type=medication)
        CredentialFactory(
            person=self.carers[1], type=medication, valid_until=timezone.localdate()
        )  # expires before the visits
        medicated = VisitPlanFactory(client=self.gwen, essential=True)
        medicated.credentials_needed.add(medication)
        self.medicated, self.medication = medicated, medication
        base = (timezone.now() + timedelta(days=2)).replace(hour=8, minute=0, second=0)
        self.shifts = []
        for day in range(2):
            for client, hour, needed in ((self.gwen, 0, 1), (self.tom, 0, 2), (self.gwen, 3, 1)):
                start = base + timedelta(days=day, hours=hour)
                self.shifts.append(visit(client, start, hours=1.5, carers_needed=needed))
        start = base + timedelta(hours=6)
        self.shifts.append(visit(self.gwen, start, plan=medicated, plan_date=start.date()))
        self.base = base

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # -- attempting a change --------------------------------------------------------------

    def attempt(self, name: str, change) -> None:
        """Make the change; refused, nothing may have changed; done, one audit event."""
        before, events = self.snapshot(), AuditEvent.objects.count()
        try:
            change()
        except (RuleBroken, Refused):
            event(f"{name} refused")  # shown by --hypothesis-show-statistics
            assert self.snapshot() == before
            assert AuditEvent.objects.count() == events
        else:
            event(f"{name} done")
            assert AuditEvent.objects.count() == events + 1
            self.nobody_is_given_a_visit_whose_checks_they_lack(since=before[0])

    def nobody_is_given_a_visit_whose_checks_they_lack(self, since: list) -> None:
        """Checks may run out under a place already held (and it stops counting as held);
        a place given is never one whose checks its carer lacks."""
        given = Assignment.objects.filter(released_at__isnull=True).exclude(
            pk__in=[row[0] for row in since]
        )
        for place in given:
            day = timezone.localtime(place.start).date()
            for kind in place.shift.credentials_needed():
                assert place.carer.credentials.filter(type=kind, valid_until__gte=day).exists()

    def snapshot(self) -> tuple:
        return (
            sorted(Assignment.objects.values_list("pk", "carer_id", "shift_id", "released_at")),
            sorted(Offer.objects.values_list("pk", "status")),
            sorted(Swap.objects.values_list("pk", "status")),
            sorted(Shift.objects.values_list("pk", "status", "sequence")),
            sorted(Absence.objects.values_list("pk", "end")),
            sorted(FamilyVisit.objects.values_list("pk", "status")),
        )

    def held(self) -> list[Assignment]:
        return list(Assignment.objects.filter(released_at__isnull=True).order_by("pk"))

    # -- the changes ----------------------------------------------------------------------

    @initialize(claims=st.lists(st.tuples(picks, picks), min_size=3, max_size=8))
    def fill_some_places(self, claims: list[tuple[int, int]]) -> None:
        for shift, who in claims:
            self.claim(shift, who)

    @rule(shift=picks, who=picks)
    def claim(self, shift: int, who: int) -> None:
        shift_, carer_ = self.shifts[shift % len(self.shifts)], self.carers[who % 4]
        self.attempt("claim", lambda: services.claim(shift_, carer_, actor=carer_))

    @rule(pick=picks)
    def offer(self, pick: int) -> None:
        held = self.held()
        if held:
            place = held[pick % len(held)]
            self.attempt("offer", lambda: services.offer(place, actor=place.carer))

    @rule(pick=picks, who=picks)
    def take_offer(self, pick: int, who: int) -> None:
        open_offers = list(Offer.objects.filter(status=OfferStatus.OPEN).order_by("pk"))
        if open_offers:
            offer, carer_ = open_offers[pick % len(open_offers)], self.carers[who % 4]
            self.attempt("take_offer", lambda: services.take_offer(offer, carer_, actor=carer_))

    @rule(first=picks, second=picks)
    def propose_swap(self, first: int, second: int) -> None:
        held = self.held()
        if held:
            mine, theirs = held[first % len(held)], held[second % len(held)]
            self.attempt(
                "propose_swap", lambda: services.propose_swap(mine, theirs, actor=mine.carer)
            )

    @rule(pick=picks)
    def accept_swap(self, pick: int) -> None:
        proposed = list(Swap.objects.filter(status=SwapStatus.PROPOSED).order_by("pk"))
        if proposed:
            swap = proposed[pick % len(proposed)]
            self.attempt("accept_swap", lambda: services.accept_swap(swap, actor=swap.wanted.carer))

    @rule(who=picks, day=st.integers(0, 1), hours=st.integers(-2, 30))
    def record_absence(self, who: int, day: int, hours: int) -> None:
        carer_ = self.carers[who % 4]
        start = self.base + timedelta(days=day)
        self.attempt(
            "record_absence",
            lambda: services.record_absence(
                carer_, AbsenceKind.SICK, start, start + timedelta(hours=hours), actor=carer_
            ),
        )

    @rule(day=st.integers(0, 1), hours=st.integers(1, 12))
    def record_family_visit(self, day: int, hours: int) -> None:
        start = self.base + timedelta(days=day, hours=-1)
        self.attempt(
            "record_family_visit",
            lambda: services.record_family_visit(
                self.sian, self.gwen, start, start + timedelta(hours=hours), actor=self.sian
            ),
        )

    @rule(pick=picks)
    def withdraw_family_visit(self, pick: int) -> None:
        active = list(FamilyVisit.objects.filter(status=FamilyVisitStatus.ACTIVE).order_by("pk"))
        if active:
            family_visit = active[pick % len(active)]
            self.attempt(
                "withdraw_family_visit",
                lambda: services.withdraw_family_visit(family_visit, actor=self.sian),
            )

    @rule(pick=picks)
    def gwen_would_rather_not(self, pick: int) -> None:
        carer_ = self.carers[pick % 4]
        self.attempt("decline_carer", lambda: services.decline_carer(self.gwen, carer_))

    @rule(pick=picks)
    def gwen_lifts_her_wish(self, pick: int) -> None:
        wishes = list(CarerPreference.objects.filter(client=self.gwen).order_by("pk"))
        if wishes:
            carer_ = wishes[pick % len(wishes)].carer
            self.attempt("clear_carer_wish", lambda: services.clear_carer_wish(self.gwen, carer_))

    @rule(pick=picks, days=st.integers(-1, 4))
    def a_check_runs_out_or_is_renewed(self, pick: int, days: int) -> None:
        """The coordinator sets when a carer's medication training runs out (the admin saves
        the record as this does)."""
        credential, _ = Credential.objects.get_or_create(
            person=self.carers[pick % 4],
            type=self.medication,
            defaults={"valid_until": timezone.localdate()},
        )
        credential.valid_until = timezone.localdate() + timedelta(days=days)
        credential.save()

    @rule(needed=st.booleans())
    def the_plan_needs_training_or_not(self, needed: bool) -> None:
        if needed:
            self.medicated.credentials_needed.add(self.medication)
        else:
            self.medicated.credentials_needed.remove(self.medication)

    # -- what must always hold ------------------------------------------------------------

    @invariant()
    def nobody_is_double_booked(self) -> None:
        held = self.held()
        for a in held:
            for b in held:
                if a.pk < b.pk and a.carer_id == b.carer_id:
                    assert a.end <= b.start or b.end <= a.start, (a, b)

    @invariant()
    def every_visits_count_of_places_held_is_a_recount(self) -> None:
        assert list(counts.drifted().values_list("pk", "places_held")) == []

    @invariant()
    def no_visit_has_more_carers_than_it_needs(self) -> None:
        for shift in Shift.objects.all():
            assert shift.assignments.filter(released_at__isnull=True).count() <= shift.carers_needed


@pytest.mark.django_db
def test_random_rota_changes_keep_every_invariant():
    run_state_machine_as_test(
        SmallCircle,
        settings=settings(
            max_examples=40,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
