"""Each person's own pages, whatever their roles: signing in and out, landing on the page
for what they mostly do, their settings and language, their messages, their shifts in
their phone's calendar and alerts on their phone."""

from django.contrib.auth import views as auth_views
from django.urls import path

from web.account import calendar, enough, invitation, photos, push, second_factor, views

app_name = "account"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    # For people who will never keep a password: a one-time link by email.
    path("sign-in/link/", views.sign_in_link, name="sign_in_link"),
    path("sign-in/link/go/", views.sign_in_confirm, name="sign_in_confirm"),
    # Staff: after the password, a code from their authenticator app.
    path("sign-in/code/", second_factor.enter_code, name="second_factor"),
    path("sign-in/authenticator/", second_factor.set_up_authenticator, name="authenticator"),
    # A new person, invited by email, chooses their password.
    path("welcome/<str:uid>/<str:token>/", invitation.set_up, name="invitation"),
    path("me/password/", views.change_password, name="change_password"),
    path("me/", views.preferences, name="preferences"),
    path("me/reminders/", views.reminders_on, name="reminders_on"),
    # A carer's photo and two lines about themselves; the photo only to who may see them.
    path("me/about/", photos.about_me, name="about_me"),
    path("me/enough/", enough.enough, name="enough"),
    path("me/running-low/", enough.running_low, name="running_low"),
    path(
        "me/running-low/<int:running_low_id>/end/",
        enough.end_running_low,
        name="end_running_low",
    ),
    path("carers/<int:carer_id>/photo/", photos.carer_photo, name="carer_photo"),
    path("messages/", views.inbox, name="inbox"),
    path("language/", views.switch_language, name="switch_language"),
    # Each person's shifts in their phone's calendar, at a secret address.
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/new-address/", calendar.new_calendar_address, name="calendar_new_address"),
    path("calendar/<slug:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    # Web Push: the phones a person opted in, and the service worker for the whole site.
    path("push/key/", push.public_key, name="push_key"),
    path("push/subscribe/", push.subscribe, name="push_subscribe"),
    path("push/unsubscribe/", push.unsubscribe, name="push_unsubscribe"),
    path("sw.js", push.service_worker, name="service_worker"),
]
