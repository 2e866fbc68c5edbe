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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from sesame.utils import get_query_string, get_user

from circles.models import Notification
from people.models import Language, Person
from web.account.forms import PreferencesForm, SignInLinkForm
from web.http import Request, back_to
from web.navigation import nav_for


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


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: Request) -> HttpResponse:
    person = request.user
    initial = {
        field: getattr(person, field)
        for field in ("language", "notify_by_email", "notify_by_push", "quiet_from", "quiet_until")
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        for field, value in form.cleaned_data.items():
            setattr(person, field, value)
        person.save(update_fields=list(form.cleaned_data))
        translation.activate(person.language)
        response = redirect("account:preferences")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, person.language)
        messages.success(request, _("Saved."))
        return response
    return render(request, "account/preferences.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: Request) -> HttpResponse:
    """The person's messages, newest first; opening the page is not reading them all."""
    mine = Notification.objects.filter(person=request.user)
    if request.method == "POST":
        mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("account:inbox")
    return render(request, "account/inbox.html", {"notifications": mine[:50]})
