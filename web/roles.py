"""The door of each audience's pages: signed in, or the sign-in page; holding the role those
pages are for, or 403. Each audience names its own (web/<audience>/access.py); within the
pages, what is not the person's still answers 404 (the access_* helpers)."""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from people.models import Person

View = Callable[..., HttpResponse]


def role_required(holds_role: Callable[[Person], bool]) -> Callable[[View], View]:
    """A view for people who `holds_role`: anyone else signed in is refused (403), and
    someone signed out is asked to sign in first."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def guarded(request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
            if not holds_role(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(guarded)

    return decorate
