"""Invitations: a new person sets up their sign-in from a link emailed to them, choosing
their own password, so that nobody has to invent one for them.

The link names the person and carries a token that is good for INVITATION_DAYS days and
once. The token is Django's password-reset kind, made from the person's password hash,
their last sign-in and their email: choosing a password spends it, and so does signing in
any other way, a newer invitation (which gives them a fresh unusable password) or a change
of email address.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from people.models import Person

DAY_SECONDS = 24 * 60 * 60


class InvitationTokens(PasswordResetTokenGenerator):
    """Password-reset tokens with their own salt (a reset token is no invitation, and the
    other way round) and their own lifetime, INVITATION_DAYS rather than
    PASSWORD_RESET_TIMEOUT."""

    key_salt = "people.invitations.InvitationTokens"

    def check_token(self, user: Person | None, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            made_at, _hash = token.split("-")
            timestamp = base36_to_int(made_at)
        except ValueError:
            return False
        age = self._num_seconds(self._now()) - timestamp
        if not 0 <= age <= settings.INVITATION_DAYS * DAY_SECONDS:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


tokens = InvitationTokens()


def invitation_path(person: Person) -> str:
    """The path of a new invitation link for this person."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    return reverse("account:invitation", kwargs={"uid": uid, "token": tokens.make_token(person)})


def invited(uid: str, token: str, *, lock: bool = False) -> Person | None:
    """The active person an invitation link is for, while the link holds; else None.
    With `lock`, the person's row stays locked until the transaction ends."""
    try:
        pk = int(urlsafe_base64_decode(uid).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    people = Person.objects.filter(is_active=True)
    if lock:
        people = people.select_for_update()
    person = people.filter(pk=pk).first()
    return person if tokens.check_token(person, token) else None


@transaction.atomic
def accept(uid: str, token: str, password: str) -> Person | None:
    """Give the invited person the password they chose, once. The link is checked again
    under a lock on the person: of two presses of one link at the same moment, one sets the
    password and the other, waiting for the lock, finds the link spent by it."""
    person = invited(uid, token, lock=True)
    if person is None:
        return None
    person.set_password(password)
    person.save(update_fields=["password"])
    return person
