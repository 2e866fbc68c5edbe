"""Signing in, landing on the right page, and each person's own settings."""

from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from sesame.backends import ModelBackend as SesameBackend

from circles import channels
from circles.channels import topics_for
from circles.models import Notification, Role, Topic
from people.models import CarerProfile, Language, Person
from rota.models import RunningLow
from web.account import sessions, throttle
from web.account.forms import (
    CARERS_VISITS_HINT,
    FAMILYS_VISITS_HINT,
    KEEP_HINT,
    KEEP_LABEL,
    AboutMeForm,
    EnoughForm,
    PreferencesForm,
    RunningLowForm,
    SignInForm,
    SignInLinkForm,
)
from web.account.push import push_offered
from web.http import Request, back_to
from web.navigation import nav_for, roles_of

# people.tasks.send_sign_in_link, by name.
SEND_LINK = "people.tasks.send_sign_in_link"


@login_required
def home(request: Request) -> HttpResponse:
    """Land on the page for what the person mostly does."""
    items = nav_for(request.user)
    if items:
        return redirect(items[0].url)
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "account/nothing_yet.html")


class SignInView(auth_views.LoginView):
    """Email and password; "keep me signed in on this phone" stretches a carer's session."""

    template_name = "account/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        keep_signed_in(self.request, form.cleaned_data["keep"])
        return response


def keep_signed_in(request: HttpRequest, keep: bool) -> None:
    """Just signed in: the session starts now, and lasts 30 days on this phone when the
    person asked for that, unless they are staff (web/account/sessions.py)."""
    sessions.started(request, keep=keep and not request.user.is_staff)


@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in link by email: for people who will never keep a password. The link
    leads on to the page they were going to (`next`), as a password sign-in does.

    Whatever the address (known, unknown, staff, or asked for too often), the page does the
    same work and gives the same answer, and the email goes from a worker after the answer:
    nobody can probe for accounts, by the words or by the time taken."""
    form = SignInLinkForm(request.POST or None)
    going_to = back_to(request, "account:home", source=request.POST or request.GET)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if throttle.may_send_link(email, throttle.client_address(request)):
            # By name: the web does not import the jobs' modules.
            transaction.on_commit(lambda: current_app.tasks[SEND_LINK].delay(email, going_to))
        return render(request, "account/link_sent.html", {"email": email})
    return render(request, "account/link_request.html", {"form": form, "next": going_to})


@require_http_methods(["GET", "POST"])
def sign_in_confirm(request: HttpRequest) -> HttpResponse:
    """The link opens a page with one button; only pressing it (a POST) signs in and uses
    the link up, so a mail scanner that follows links cannot spend it."""
    if request.method == "GET":
        context = {
            "sesame": request.GET.get("sesame"),
            "next": back_to(request, "account:home", source=request.GET),
            "keep_label": KEEP_LABEL,
            "keep_hint": KEEP_HINT,
        }
        return render(request, "account/link_confirm.html", context)
    # Straight to django-sesame's check, not through authenticate() and so not through
    # django-axes: the link is the way out of a wrong-password lockout (its page offers one),
    # and a signed token cannot be guessed. Signing in spends the link (SESAME_ONE_TIME).
    person = SesameBackend().authenticate(request, sesame=request.POST.get("sesame", ""))
    # Staff sign in with a password and a code: a link never signs them in, even one made
    # before they became staff.
    if person is None or person.is_staff:
        messages.error(request, _("That link has expired or was already used. Ask for a new one."))
        return redirect("account:sign_in_link")
    login(request, person, backend="sesame.backends.ModelBackend")
    keep_signed_in(request, request.POST.get("keep") == "on")
    translation.activate(person.language)
    return redirect(back_to(request, "account:home"))


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request: Request) -> HttpResponse:
    """A new password, checked against the site's rules (at least 12 characters, not a
    common one). Someone who has only ever signed in by link has no old one to give."""
    person = request.user
    form_class = PasswordChangeForm if person.has_usable_password() else SetPasswordForm
    form = form_class(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        # The person stays signed in here; their other sessions end.
        update_session_auth_hash(request, person)
        messages.success(request, _("Your password is changed."))
        return redirect("account:preferences")
    return render(request, "account/change_password.html", {"form": form})


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The language switch on every page: remembered in a cookie, and on the person."""
    language = request.POST.get("language", "")
    if language not in Language.values:
        language = settings.LANGUAGE_CODE[:2]
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response = redirect(back_to(request, "account:home"))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


# The settings kept on the person; channels are kept per topic (circles.channels).
PERSON_FIELDS = ["language", "quiet_from", "quiet_until"]


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: Request) -> HttpResponse:
    """Language, how each topic of message reaches the person, and quiet hours."""
    person = request.user
    form = _preferences_form(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        for field in PERSON_FIELDS:
            setattr(person, field, form.cleaned_data[field])
        person.save(update_fields=PERSON_FIELDS)
        channels.choose(person, form.chosen_channels())
        translation.activate(person.language)
        response = redirect("account:preferences")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, person.language)
        messages.success(request, _("Saved."))
        return response
    return preferences_page(request, form=form)


def preferences_page(
    request: Request,
    *,
    form: PreferencesForm | None = None,
    about_form: AboutMeForm | None = None,
    enough_form: EnoughForm | None = None,
    running_low_form: RunningLowForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The settings page, with the form just sent (and its errors) where there is one. A
    carer also has their photo and two lines about themselves (web/account/photos.py) and
    what is enough for them in a week (web/account/enough.py)."""
    person = request.user
    profile = CarerProfile.objects.filter(person=person).first()
    if about_form is None and profile is not None:
        about_form = AboutMeForm(initial={"about": profile.about})
    running_low: list[RunningLow] = []
    if profile is not None:
        today = timezone.localdate()
        if enough_form is None:
            enough_form = EnoughForm(
                initial={"evenings": profile.enough_evenings, "weekends": profile.enough_weekends}
            )
        if running_low_form is None:
            running_low_form = RunningLowForm(
                initial={"first_day": today, "last_day": today + timedelta(days=6)}
            )
        # What they have said for today and the days to come.
        running_low = list(
            RunningLow.objects.filter(carer=person, last_day__gte=today).order_by("first_day")
        )
    context = {
        "form": form or _preferences_form(person, None),
        "push_offered": push_offered(),
        "profile": profile,
        "about_form": about_form,
        "enough_form": enough_form,
        "running_low_form": running_low_form,
        "running_low": running_low,
    }
    return render(request, "account/preferences.html", context, status=status)


def _preferences_form(person: Person, data: QueryDict | None) -> PreferencesForm:
    roles = roles_of(person)
    hints: dict[Topic, str | Promise] = {}
    if Role.CARER in roles:
        hints[Topic.MY_VISITS] = CARERS_VISITS_HINT
        if Role.FAMILY in roles:
            hints[Topic.MY_VISITS] = f"{CARERS_VISITS_HINT} {FAMILYS_VISITS_HINT}"
    elif Role.FAMILY in roles:
        hints[Topic.MY_VISITS] = FAMILYS_VISITS_HINT
    return PreferencesForm(
        data,
        initial={field: getattr(person, field) for field in PERSON_FIELDS},
        topics=topics_for(roles, coordinator=person.is_coordinator),
        channels=channels.choices_of(person),
        push=push_offered(),
        hints=hints,
    )


@login_required
@require_POST
def reminders_on(request: Request) -> HttpResponse:
    """The one tap that turns on reminders before the person's visits, from their settings
    or their shifts: by email, and to their phone where the site can push."""
    channels.turn_on_reminders(request.user, push=push_offered())
    messages.success(
        request,
        _(
            "Reminders are on: your visits tomorrow at 18:00 the evening before, and each "
            "visit an hour before. You can turn them off in My settings."
        ),
    )
    return redirect(back_to(request, "account:preferences"))


@login_required
@require_GET
def inbox(request: Request) -> HttpResponse:
    """The person's messages, newest first. Opening the page reads them: those unread until
    now are marked new this once, and the count in the menu goes."""
    mine = Notification.objects.filter(person=request.user)
    notifications = list(mine[:50])
    mine.filter(read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "account/inbox.html", {"notifications": notifications})
