"""Celery jobs of the people: the sign-in link email, sent by a worker after the page has
answered, so how long a mail server takes cannot tell anyone whether an address has an
account. The sign-in form names the task by its name (SEND_SIGN_IN_LINK)."""

from urllib.parse import urlencode

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from sesame.utils import get_query_string

from people.models import Person


@shared_task(acks_late=True)
def send_sign_in_link(email: str, going_to: str) -> bool:
    """Email a one-time sign-in link to the person with this address, leading on to
    `going_to` (a path on this site, already checked). Returns whether one was sent.

    Links are for carers, families and clients: staff sign in with a password and a code
    from their authenticator, so an address that is unknown, inactive or staff gets nothing.
    """
    person = Person.objects.filter(email__iexact=email, is_active=True).first()
    if person is None or person.is_staff:
        return False
    query = f"{get_query_string(person)}&{urlencode({'next': going_to})}"
    link = settings.SITE_URL + reverse("account:sign_in_confirm") + query
    with translation.override(person.language):
        send_mail(
            subject=_("Your link to sign in to Care Circles"),
            message=render_to_string("account/link_email.txt", {"person": person, "link": link}),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[person.email],
        )
    return True
