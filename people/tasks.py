"""Celery jobs of the people: the sign-in link email, sent by a worker after the page has
answered, so how long a mail server takes cannot tell anyone whether an address has an
account (the sign-in form names the task by its name, SEND_SIGN_IN_LINK); and the
invitation to set up one's sign-in, sent when the coordinator adds someone."""

from urllib.parse import urlencode

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from sesame.utils import get_query_string

from people.invitations import invitation_path
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


@shared_task(acks_late=True)
def send_invitation(person_id: int) -> bool:
    """Email the person an invitation to set up their sign-in: a link to choose their
    password (people/invitations.py), in their language. Returns whether one was sent:
    nothing goes to someone inactive, or who has chosen a password already."""
    person = (
        Person.objects.filter(pk=person_id, is_active=True).select_related("organisation").first()
    )
    if person is None or person.has_usable_password():
        return False
    context = {
        "person": person,
        "link": settings.SITE_URL + invitation_path(person),
        "days": settings.INVITATION_DAYS,
    }
    with translation.override(person.language):
        send_mail(
            subject=_("Set up your sign-in to Care Circles"),
            message=render_to_string("account/invitation_email.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[person.email],
        )
    return True
