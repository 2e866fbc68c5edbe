"""Coordinator admin for care plans, and a read-only view of the rota itself.

Shifts, assignments, offers, swaps, absences, family visits, help requests and the audit
trail change only through rota.services (docs/design.md, The domain API): here they are looked at,
never edited. A coordinator changes the rota with admin actions (and the page that records an
absence), each of which calls a service once per object, so the rules and the audit trail apply.

Django's autodiscovery imports this package: importing the modules registers their admins.
"""

from rota.admin import changes, plans, visits
from rota.admin.plans import apply_plan_changes

__all__ = ["apply_plan_changes", "changes", "plans", "visits"]
