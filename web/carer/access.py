"""Fetch what a carer asks for, only if it is theirs to see, or answer 404.

A guessed id of another circle's visit, place, swap or absence looks exactly like one
that does not exist, for full pages and htmx partials alike.
"""

from django.db.models import Q, QuerySet

from circles.models import Circle, Role
from circles.permissions import cares_anywhere, circles_of, leads_any
from people.models import Person
from rota.models import Absence, Assignment, HelpRequest, Shift, Swap
from web.carer.queries import PLACE_FIELDS, swaps_of
from web.http import get_or_404
from web.leaders.access import circles_led
from web.roles import role_required

# The carers' pages and actions: for carers of a circle today.
carer_required = role_required(cares_anywhere)
# The pages the whole circle shares (fair shares): its carers and those who lead it.
circle_required = role_required(lambda person: cares_anywhere(person) or leads_any(person))


def my_circles(person: Person) -> QuerySet[Circle]:
    return circles_of(person, Role.CARER)


def access_circle(person: Person, circle_id: int) -> Circle:
    return get_or_404(my_circles(person), pk=circle_id)


def access_shared_circle(person: Person, circle_id: int) -> Circle:
    """A circle the person is a carer of today, or leads (as its team leader or their
    organisation's coordinator)."""
    shared = Q(pk__in=my_circles(person).values("pk")) | Q(pk__in=circles_led(person).values("pk"))
    return get_or_404(Circle.objects.filter(shared), pk=circle_id)


def access_shift(person: Person, shift_id: int) -> Shift:
    """A visit in one of the person's circles."""
    shifts = Shift.objects.filter(circle__in=my_circles(person))
    return get_or_404(shifts.select_related("circle", "client", "plan"), pk=shift_id)


def access_my_place(person: Person, assignment_id: int) -> Assignment:
    """A place the person holds, or held, on a visit in one of their circles."""
    places = Assignment.objects.filter(carer=person, shift__circle__in=my_circles(person))
    return get_or_404(places.select_related(*PLACE_FIELDS), pk=assignment_id)


def access_colleague_place(person: Person, mine: Assignment, assignment_id: int) -> Assignment:
    """Someone else's place in the same circle as `mine`: what a swap may ask for."""
    places = Assignment.objects.filter(shift__circle_id=mine.shift.circle_id).exclude(carer=person)
    return get_or_404(places.select_related(*PLACE_FIELDS), pk=assignment_id)


def access_swap(person: Person, swap_id: int) -> Swap:
    """A swap the person proposed or was asked for, in one of their circles."""
    swaps = swaps_of(person).filter(offered__shift__circle__in=my_circles(person))
    return get_or_404(swaps, pk=swap_id)


def access_absence(person: Person, absence_id: int) -> Absence:
    return get_or_404(Absence.objects.filter(carer=person), pk=absence_id)


def access_help_request(person: Person, request_id: int) -> HelpRequest:
    """A call for help in a circle the person is a carer of today."""
    requests = HelpRequest.objects.filter(client__circle__in=my_circles(person))
    return get_or_404(requests.select_related("client", "shift__circle"), pk=request_id)


def access_visit_held(person: Person, shift_id: int) -> Assignment:
    """The person's place on a visit they hold now, in one of their circles."""
    places = Assignment.objects.filter(
        carer=person, released_at__isnull=True, shift__circle__in=my_circles(person)
    )
    return get_or_404(places.select_related(*PLACE_FIELDS), shift_id=shift_id)
