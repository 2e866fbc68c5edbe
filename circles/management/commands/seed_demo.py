"""Seed the demo organisation, with six weeks of rota, and print how to log in.

Safe to run again: when the organisation is already there nothing changes and the
log-ins are printed once more.
"""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from circles import alerts, demo
from circles.models import Circle, Membership, Notification, Organisation, Role
from people.models import Client, Person
from rota import audit
from rota.generation import roll_horizon
from rota.models import Action, OutboxMessage


class Command(BaseCommand):
    help = (
        "Create the demo organisation (two care circles and six weeks of rota) and print log-ins."
    )

    def handle(self, *args, **options) -> None:
        organisation = Organisation.objects.filter(name=demo.ORGANISATION).first()
        if organisation is None:
            began = time.monotonic()
            organisation = self._seed()
            self.stdout.write(f"Seeded {organisation} in {time.monotonic() - began:.1f} s.")
        else:
            self.stdout.write(f"{organisation} is already there: nothing changed.")
        demo.give_staff_authenticators()
        self._print_logins(organisation)

    def _seed(self) -> Organisation:
        rng = random.Random(demo.SEED)
        # All or nothing, so a second run can trust that an existing organisation is whole.
        with transaction.atomic():
            organisation = demo.build(timezone.localdate(), rng)
            summary = {}
            carer_ids: set[int] = set()
            for name, spec in demo.CIRCLES.items():
                circle = Circle.objects.get(organisation=organisation, name=name)
                shifts = roll_horizon(circle)
                places, filled, given = demo.fill_rota(
                    circle,
                    rng,
                    gap_share=spec["gap_share"],
                    essential_gap=spec["essential_gap_tomorrow"],
                )
                carer_ids |= given
                summary[name] = {"shifts": shifts, "places": places, "filled": filled}
                self.stdout.write(
                    f"{name}: {shifts} visits, {filled} of {places} places filled "
                    f"({100 * filled / max(places, 1):.0f} %)."
                )
            # One event for the whole seeding, not one per place (as generation does).
            audit.record(Action.SEED_DEMO, organisation, carer_ids=carer_ids, after=summary)
            # The seeded claims are history, not news: nobody is told of each one (that would
            # be a thousand emails). The outbox rows are closed, so their after-commit sends
            # find nothing to do.
            OutboxMessage.objects.filter(done_at__isnull=True).update(
                sent_at=timezone.now(), done_at=timezone.now()
            )
        # Each circle's state is judged once, as the first sweep would: the team leaders
        # find a circle that starts out not coping in their Messages, as they would in real
        # life. It is not sent on: a burst of emails would bury the log-ins printed next.
        with transaction.atomic():
            for circle in organisation.circles.all():
                alerts.check_circle(circle)
            now = timezone.now()
            Notification.objects.filter(person__organisation=organisation).update(
                emailed_at=now, pushed_at=now
            )
        return organisation

    def _print_logins(self, organisation: Organisation) -> None:
        write = self.stdout.write
        write("")
        write(f'Everyone\'s password is "{demo.PASSWORD}".')
        write("")
        write(f"Coordinator and superuser, in the admin at {settings.SITE_URL}/admin/")
        for person in Person.objects.filter(organisation=organisation, is_staff=True):
            write(f"  coordinator  {person.email}  ({person})")
        for person in Person.objects.filter(email=demo.SUPERUSER_EMAIL, is_superuser=True):
            write(f"  superuser    {person.email}")
        key = " ".join(demo.AUTHENTICATOR_KEY[i : i + 4] for i in range(0, 32, 4))
        write("After the password, staff give a code from an authenticator app. Add this key")
        write(f"to one (published: for the demo only): {key}")
        write(f"or, with oathtool: oathtool --totp -b {demo.AUTHENTICATOR_KEY}")

        members = Membership.objects.filter(circle__organisation=organisation).select_related(
            "person__carer_profile", "circle", "client"
        )
        write("")
        write("Team leaders (both circles):")
        leaders = {m.person for m in members if m.role == Role.TEAM_LEADER}
        for person in sorted(leaders, key=lambda p: p.full_name):
            write(f"  {person.email}  ({person})")
        for circle in organisation.circles.all():
            write("")
            write(f"Carers, {circle}:")
            for m in members:
                if m.role == Role.CARER and m.circle_id == circle.pk:
                    kind = m.person.carer_profile.kind
                    write(f"  {m.person.email}  ({m.person}, {kind})")
        write("")
        write("Family:")
        for m in members:
            # A family membership always names its client (a check constraint holds it).
            if m.role == Role.FAMILY and m.client is not None:
                also = ", representative" if m.client.representative_id == m.person_id else ""
                write(f"  {m.person.email}  ({m.person}, family of {m.client}{also})")
        write("")
        write("Clients with their own log-in:")
        clients = Client.objects.filter(circle__organisation=organisation, person__isnull=False)
        for client in clients.select_related("person", "circle"):
            if client.person is not None:  # as the query asked
                write(f"  {client.person.email}  ({client}, {client.circle})")
