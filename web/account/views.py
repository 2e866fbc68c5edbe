"""Signing in, landing on the right page, and each person's own settings."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from sesame.utils import get_query_string, get_user

from circles import channels
from circles.channels import topics_for
from circles.models import Notification, Role, Topic
from people.models import Language, Person
from web.account.forms import (
    CARERS_VISITS_HINT,
    FAMILYS_VISITS_HINT,
    PreferencesForm,
    SignInLinkForm,
)
from web.account.push import push_offered
from web.http import Request, back_to
from web.navigation import nav_for, roles_of


@login_required
def home(request: Request) -> HttpResponse:
    """Land on the page for what the person mostly does."""
    items = nav_for(request.user)
    if items:
        return redirect(items[0].url)
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "account/nothing_yet.html")


@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in link by email: for people who will never keep a password. The link
    leads on to the page they were going to (`next`), as a password sign-in does."""
    form = SignInLinkForm(request.POST or None)
    going_to = back_to(request, "account:home", source=request.POST or request.GET)
    if request.method == "POST" and form.is_valid():
        person = Person.objects.filter(
            email__iexact=form.cleaned_data["email"], is_active=True
        ).first()
        if person is not None:
            _send_link(request, person, going_to)
        # The same answer whether or not we know the address: nobody can probe for accounts.
        return render(request, "account/link_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "account/link_request.html", {"form": form, "next": going_to})


def _send_link(request: HttpRequest, person: Person, going_to: str) -> None:
    query = f"{get_query_string(person)}&{urlencode({'next': going_to})}"
    link = request.build_absolute_uri(reverse("account:sign_in_confirm") + query)
    with translation.override(person.language):
        send_mail(
            subject=_("Your link to sign in to Care Circles"),
            message=render_to_string("account/link_email.txt", {"person": person, "link": link}),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[person.email],
        )


@require_http_methods(["GET", "POST"])
def sign_in_confirm(request: HttpRequest) -> HttpResponse:
    """The link opens a page with one button; only pressing it (a POST) signs in and uses
    the link up, so a mail scanner that follows links cannot spend it."""
    if request.method == "GET":
        context = {
            "sesame": request.GET.get("sesame"),
            "next": back_to(request, "account:home", source=request.GET),
        }
        return render(request, "account/link_confirm.html", context)
    person = get_user(request.POST.get("sesame", ""))
    if person is None:
        messages.error(request, _("That link has expired or was already used. Ask for a new one."))
        return redirect("account:sign_in_link")
    login(request, person, backend="sesame.backends.ModelBackend")
    translation.activate(person.language)
    return redirect(back_to(request, "account:home"))


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
    roles = roles_of(person)
    hints: dict[Topic, str | Promise] = {}
    if Role.CARER in roles:
        hints[Topic.MY_VISITS] = CARERS_VISITS_HINT
        if Role.FAMILY in roles:
            hints[Topic.MY_VISITS] = f"{CARERS_VISITS_HINT} {FAMILYS_VISITS_HINT}"
    elif Role.FAMILY in roles:
        hints[Topic.MY_VISITS] = FAMILYS_VISITS_HINT
    form = PreferencesForm(
        request.POST or None,
        initial={field: getattr(person, field) for field in PERSON_FIELDS},
        topics=topics_for(roles, coordinator=person.is_coordinator),
        channels=channels.choices_of(person),
        push=push_offered(),
        hints=hints,
    )
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
    return render(
        request, "account/preferences.html", {"form": form, "push_offered": push_offered()}
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
