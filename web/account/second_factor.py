"""The second factor for staff (coordinators and superusers, `is_staff`): after their
password, a six-digit code from an authenticator app (TOTP, django-otp). Until they give
it, every page but these sends them here; the admin too. A staff member without an
authenticator sets one up first, from the secret shown as text.

Codes are checked by django-otp, which refuses a code used once already and makes each
wrong code wait longer before the next try."""

from base64 import b32encode
from collections.abc import Callable
from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from web.account.forms import CodeForm
from web.http import Request, back_to

# The pages a staff member who has not given their code may still open.
OPEN_BEFORE_THE_CODE = {
    "account:second_factor",
    "account:authenticator",
    "account:logout",
    "account:switch_language",
}
DEVICE_NAME = "Authenticator app"
WRONG_CODE = _("That code is not right, or was used already. Try the code showing now.")


class StaffSecondFactorMiddleware:
    """Staff who signed in with a password but have not given their code yet are sent to
    give it, then on to the page they asked for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_staff and not _verified(request):
            try:
                view_name = resolve(request.path_info).view_name
            except Resolver404:
                view_name = ""  # no such page: they give their code first all the same
            if view_name not in OPEN_BEFORE_THE_CODE:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('account:second_factor')}?{query}")
        return self.get_response(request)


def _verified(request: HttpRequest) -> bool:
    # OTPMiddleware gives the user is_verified(): whether this session gave a code.
    return bool(request.user.is_verified())  # type: ignore[union-attr]


def _confirmed_device(request: Request) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=request.user, confirmed=True).first()


@login_required
@require_http_methods(["GET", "POST"])
def enter_code(request: Request) -> HttpResponse:
    """The code from the staff member's authenticator app, once per sign-in."""
    going_to = back_to(request, "account:home", source=request.POST or request.GET)
    if not request.user.is_staff or _verified(request):
        return redirect(going_to)
    device = _confirmed_device(request)
    if device is None:
        return redirect(f"{reverse('account:authenticator')}?{urlencode({'next': going_to})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(going_to)
        form.add_error("code", WRONG_CODE)
    return render(request, "account/second_factor.html", {"form": form, "next": going_to})


@login_required
@require_http_methods(["GET", "POST"])
def set_up_authenticator(request: Request) -> HttpResponse:
    """A staff member with no authenticator yet adds one: the secret to type or paste into
    the app, then a code from it to show it works. One with an authenticator already gives
    its code instead: replacing it is for a superuser, in the admin."""
    going_to = back_to(request, "account:home", source=request.POST or request.GET)
    if not request.user.is_staff:
        return redirect(going_to)
    if _confirmed_device(request) is not None:
        return redirect(f"{reverse('account:second_factor')}?{urlencode({'next': going_to})}")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(going_to)
        form.add_error("code", WRONG_CODE)
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": going_to,
        # In groups of four, as authenticator apps show them, easier to type.
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "config_url": cast(str, device.config_url),
    }
    return render(request, "account/authenticator.html", context)
