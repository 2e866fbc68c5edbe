"""Every rota change, one function each (docs/design.md, The domain API).

Each runs in one transaction that checks the rules, writes the change, its audit event and
its outbox row together. A rule's refusal raises rota.rules.RuleBroken; any other refusal
rota.rules.Refused. With `actor` given, a change that person may not make is refused too.
"""

from rota.services.absences import (
    decline_carer,
    end_absence,
    end_absence_early,
    end_membership,
    record_absence,
)
from rota.services.away import end_client_away, record_client_away
from rota.services.carers import end_running_low, say_running_low, set_enough
from rota.services.checkins import answer_check_in, share_check_ins
from rota.services.clients import (
    approve_carer,
    clear_carer_wish,
    edit_profile,
    prefer_carer,
    set_family_read_notes,
    set_new_face_limit,
)
from rota.services.family import record_family_visit, withdraw_family_visit
from rota.services.help import (
    accept_help_request,
    acknowledge_help_request,
    cancel_help_request,
    expect_arrival,
    raise_help_request,
)
from rota.services.lateness import cant_make_it, on_my_way
from rota.services.new_faces import approve_new_face, decline_new_face
from rota.services.places import (
    assign,
    cancel_shift,
    claim,
    claim_every_week,
    offer,
    take_offer,
    withdraw_offer,
)
from rota.services.plans import change_plan
from rota.services.swaps import accept_swap, decline_swap, propose_swap, withdraw_swap
from rota.services.thanks import share_thanks, thank
from rota.services.thresholds import set_thresholds
from rota.services.visits import MedicineRound, arrive, leave

__all__ = [
    "MedicineRound",
    "accept_help_request",
    "answer_check_in",
    "accept_swap",
    "approve_carer",
    "approve_new_face",
    "arrive",
    "acknowledge_help_request",
    "assign",
    "cancel_help_request",
    "cancel_shift",
    "cant_make_it",
    "change_plan",
    "claim",
    "claim_every_week",
    "clear_carer_wish",
    "decline_carer",
    "decline_new_face",
    "decline_swap",
    "edit_profile",
    "end_absence",
    "end_absence_early",
    "end_client_away",
    "end_membership",
    "end_running_low",
    "expect_arrival",
    "leave",
    "offer",
    "on_my_way",
    "prefer_carer",
    "propose_swap",
    "raise_help_request",
    "record_absence",
    "record_client_away",
    "record_family_visit",
    "say_running_low",
    "set_enough",
    "set_family_read_notes",
    "set_new_face_limit",
    "set_thresholds",
    "share_check_ins",
    "share_thanks",
    "take_offer",
    "thank",
    "withdraw_family_visit",
    "withdraw_offer",
    "withdraw_swap",
]
