"""The team leaders' pages (a laptop first), mounted at /leaders/: every circle at
a glance, a circle's page to step in, set thresholds and see a carer leave, a client's
continuity, the audit trail and the payroll hours export.

Every rota change goes through one rota.services function; htmx gets back the part that
changed, a plain form post a redirect and a message.
"""

from django.urls import path

from web.leaders import circle, clients, dashboard, help_now, leaving, trail

app_name = "leaders"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("payroll/", dashboard.payroll_hours, name="payroll"),
    path("circles/<int:circle_id>/", circle.circle_page, name="circle"),
    path("circles/<int:circle_id>/thresholds/", circle.thresholds, name="thresholds"),
    path(
        "circles/<int:circle_id>/carers/<int:carer_id>/leaving/",
        leaving.leaving,
        name="leaving",
    ),
    path("visits/<int:shift_id>/ask/", circle.ask, name="ask"),
    path("visits/<int:shift_id>/assign/", circle.assign, name="assign"),
    path("visits/<int:shift_id>/cancel/", circle.cancel, name="cancel"),
    path("clients/<int:client_id>/", clients.client_page, name="client"),
    path("clients/<int:client_id>/away/", clients.record_away, name="record_away"),
    path("visits/<int:assignment_id>/thank/", clients.thank, name="thank"),
    path("away/<int:away_id>/back/", clients.back_early, name="back_early"),
    path("trail/", trail.trail, name="trail"),
    path("help/<int:request_id>/on-it/", help_now.acknowledge_help, name="acknowledge_help"),
]
