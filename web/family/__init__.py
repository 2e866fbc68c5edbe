"""The family carer's and the client's pages, mounted at /family/ (docs/design.md, Who uses it, and
for what).

Everything here is for people who speak for a client: the client themselves, their
representative or their family. Each view fetches what it shows through the access_*
helpers, so another client's page, visit or call for help answers 404.
"""

from django.urls import path

from web.family import about, asking, away, coming, done, help_now, visits

app_name = "family"

urlpatterns = [
    path("", coming.who_is_coming, name="coming"),
    path("<int:client_id>/", coming.who_is_coming, name="coming_for"),
    path("<int:client_id>/with/", visits.be_with, name="with"),
    path("visits/done/", done.what_happened, name="what_happened"),
    path("<int:client_id>/visits/done/", done.what_happened, name="what_happened_for"),
    path("<int:client_id>/visits/done/notes/", done.family_read_notes, name="family_read_notes"),
    path("visits/done/<int:assignment_id>/thank/", done.thank, name="thank"),
    path("visits/<int:visit_id>/withdraw/", visits.withdraw, name="withdraw"),
    path("<int:client_id>/away/", away.away_page, name="away"),
    path("<int:client_id>/away/new/", away.record_away, name="record_away"),
    path("away/<int:away_id>/back/", away.back_early, name="back_early"),
    path("<int:client_id>/help/", help_now.ask_for_help, name="help"),
    path("help/<int:request_id>/", help_now.help_status, name="help_status"),
    path("help/<int:request_id>/cancel/", help_now.cancel_help, name="cancel_help"),
    path("about/", about.about, name="about"),
    path("<int:client_id>/about/", about.about, name="about_for"),
    path("<int:client_id>/about/edit/", about.edit_about, name="edit_about"),
    path("<int:client_id>/new-faces/<int:carer_id>/fine/", about.fine_by_me, name="fine"),
    path("<int:client_id>/new-faces/limit/", about.new_face_limit, name="new_face_limit"),
    path("<int:client_id>/new-faces/asked/", asking.asked, name="asked"),
    path("new-faces/asked/<int:request_id>/yes/", asking.say_yes, name="say_yes"),
    path("new-faces/asked/<int:request_id>/no/", asking.say_no, name="say_no"),
    path(
        "<int:client_id>/new-faces/<int:carer_id>/rather-not/",
        about.rather_not,
        name="rather_not",
    ),
    path("<int:client_id>/carers/", about.carers, name="carers"),
    path("<int:client_id>/carers/<int:carer_id>/prefer/", about.prefer, name="prefer"),
    path(
        "<int:client_id>/carers/<int:carer_id>/welcome-back/",
        about.welcome_back,
        name="welcome_back",
    ),
]
