"""Seed the demo organisation, with four weeks of history and six weeks of rota, and print
how to log in: the only thing it prints, so the log-ins are not lost among other output.

Safe to run again: when the organisation is already there nothing changes and the
log-ins are printed once more.
"""

import random

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from circles import alerts, demo
from circles.demo import history
from circles.demo.cast import CIRCLES, CLIENT_WITH_LOGIN, COORDINATOR, EMAIL_DOMAIN, TEAM_LEADERS
from circles.demo.seed import email_for
from circles.models import Circle, Notification, Organisation
from rota import audit
from rota.generation import roll_horizon
from rota.models import Action, OutboxMessage


class Command(BaseCommand):
    help = (
        "Create the demo organisation (two care circles, four weeks of history and six weeks "
        "of rota) and print log-ins."
    )

    def handle(self, *args, **options) -> None:
        organisation = Organisation.objects.filter(name=demo.ORGANISATION).first()
        if organisation is None:
            organisation = self._seed()
        demo.give_staff_authenticators()
        self._print_logins()

    def _seed(self) -> Organisation:
        rng = random.Random(demo.SEED)
        now = timezone.now()
        # All or nothing, so a second run can trust that an existing organisation is whole.
        with transaction.atomic():
            organisation = demo.build(timezone.localdate(), rng)
            circles = list(Circle.objects.filter(organisation=organisation).order_by("name"))
            carer_ids = history.play(circles, rng, now=now)
            summary = {}
            for circle in circles:
                spec = CIRCLES[circle.name]
                shifts = roll_horizon(circle)
                places, filled, given = demo.fill_rota(
                    circle,
                    rng,
                    gap_share=spec["gap_share"],
                    essential_gap_in_days=spec["essential_gap_in_days"],
                )
                carer_ids |= given
                summary[circle.name] = {"shifts": shifts, "places": places, "filled": filled}
            # One event for the whole seeding, not one per place (as generation does).
            audit.record(Action.SEED_DEMO, organisation, carer_ids=carer_ids, after=summary)
            # The seeded changes are history, not news: nobody is told of each one (that would
            # be a thousand emails). The outbox rows are closed, so their after-commit sends
            # find nothing to do.
            OutboxMessage.objects.filter(done_at__isnull=True).update(
                sent_at=timezone.now(), done_at=timezone.now()
            )
        # Each circle's state is judged once, as the first sweep would, and checks running
        # out are warned of, as the hourly reminders would have done: the team leaders find
        # how each circle stands in their Messages, and carers and the coordinator the
        # checks to renew. None of it is sent on: the demo's first periodic jobs find it
        # told already, so nothing comes after the log-ins.
        with transaction.atomic():
            for circle in circles:
                alerts.check_circle(circle)
            alerts.remind_expiring_credentials()
            now = timezone.now()
            Notification.objects.filter(person__organisation=organisation).update(
                emailed_at=now, pushed_at=now
            )
        return organisation

    def _print_logins(self) -> None:
        """A short table: one person of each kind, enough to try every page."""
        admin = f"the admin, {settings.SITE_URL}/admin/"
        treforest, pontypridd = CIRCLES
        rows = [
            ("coordinator", email_for(COORDINATOR), admin),
            ("team leader", email_for(TEAM_LEADERS[0][0]), "both circles, in Welsh"),
            ("team leader", email_for(TEAM_LEADERS[1][0]), "both circles"),
            ("carer", email_for("Bethan Lewis"), f"{treforest}, in Welsh"),
            ("carer", email_for("Sarah Morris"), pontypridd),
            ("family", email_for("Siân Morgan"), "Gwen Morgan's daughter, in Welsh"),
            ("family", email_for("Gareth Jenkins"), "Dai Jenkins's son"),
            ("client", email_for(CLIENT_WITH_LOGIN), treforest),
            ("superuser", demo.SUPERUSER_EMAIL, admin),
        ]
        width = max(len(email) for _, email, _ in rows)
        key = " ".join(demo.AUTHENTICATOR_KEY[i : i + 4] for i in range(0, 32, 4))
        write = self.stdout.write
        write("")
        write(f'The demo is at {settings.SITE_URL}/ and everyone\'s password is "{demo.PASSWORD}".')
        write("")
        write(f"  {'who':<12} {'signs in as':<{width}}  sees")
        for who, email, sees in rows:
            write(f"  {who:<12} {email:<{width}}  {sees}")
        write("")
        write(f"Everyone else signs in as firstname.lastname@{EMAIL_DOMAIN}.")
        write("Staff also give a code from an authenticator app. Add this key to one")
        write(f"(published: for the demo only): {key}")
        write(f"or, with oathtool: oathtool --totp -b {demo.AUTHENTICATOR_KEY}")
