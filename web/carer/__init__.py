"""The carer's pages (on a phone, with one hand, in a hurry), mounted at /shifts/.

Every action calls one rota.services function, answers htmx with the card that changed and
a plain form post with a redirect and a message.
"""

from django.urls import path

from web.carer import (
    checkins,
    cover,
    help_now,
    late,
    off,
    shares,
    shifts,
    swaps,
    thanks,
    visits,
)

app_name = "carer"

urlpatterns = [
    path("", shifts.my_shifts, name="my_shifts"),
    path("mine/<int:assignment_id>/give-away/", shifts.give_away, name="give_away"),
    path("mine/<int:assignment_id>/keep/", shifts.keep, name="keep"),
    path("mine/<int:assignment_id>/swap/", swaps.choose, name="swap"),
    # At the visit: the service worker keeps "I've left" pages (under visit/) for offline use.
    path("visit/<int:assignment_id>/arrived/", visits.arrive, name="arrive"),
    path("visit/<int:assignment_id>/left/", visits.left, name="left"),
    path("mine/<int:assignment_id>/swap/<int:other_id>/", swaps.propose, name="propose_swap"),
    path("swaps/<int:swap_id>/accept/", swaps.answer_swap, {"how": "accept"}, name="accept_swap"),
    path(
        "swaps/<int:swap_id>/decline/", swaps.answer_swap, {"how": "decline"}, name="decline_swap"
    ),
    path(
        "swaps/<int:swap_id>/withdraw/",
        swaps.answer_swap,
        {"how": "withdraw"},
        name="withdraw_swap",
    ),
    # A late visit: the message asking "Are you on your way?" links to "late".
    path("mine/<int:assignment_id>/late/", late.late, name="late"),
    path("mine/<int:assignment_id>/on-my-way/", late.on_my_way, name="on_my_way"),
    path("mine/<int:assignment_id>/cant-make-it/", late.cant_make_it, name="cant_make_it"),
    path("needs-cover/", cover.needs_cover, name="needs_cover"),
    path("visits/<int:shift_id>/take/", cover.take, name="take"),
    path("visits/<int:shift_id>/every-week/", cover.take_every_week, name="take_every_week"),
    path("board/", cover.board, name="board"),
    path("board/<int:circle_id>/", cover.board, name="circle_board"),
    # Open to the circle's team leaders too (web.carer.access.circle_required).
    path("board/<int:circle_id>/shares/", shares.fair_shares, name="shares"),
    # The circle's monthly check-in: the questions, the trend, and whether leaders see it.
    path("board/<int:circle_id>/check-in/", checkins.check_in, name="check_in"),
    path("board/<int:circle_id>/check-ins/", checkins.check_ins, name="check_ins"),
    path("board/<int:circle_id>/check-ins/share/", checkins.share, name="share_check_ins"),
    path("thanks/", thanks.thanks, name="thanks"),
    path("thanks/<int:thanks_id>/share/", thanks.share, name="share_thanks"),
    path("off/", off.off, name="off"),
    path("off/sick-today/", off.sick_today, name="sick_today"),
    path("off/<int:absence_id>/", off.absence, name="absence"),
    path("off/<int:absence_id>/better/", off.better, name="better"),
    # Calls for help: the messages asking carers link to "help".
    path("help/<int:request_id>/", help_now.help_call, name="help"),
    path("help/<int:request_id>/go/", help_now.accept_help, name="accept_help"),
    path("help/<int:request_id>/eta/", help_now.help_eta, name="help_eta"),
    path("visits/<int:shift_id>/help/", help_now.raise_help, name="raise_help"),
]
