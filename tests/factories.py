"""A small cast for the tests, built with factory_boy."""

from datetime import time, timedelta
from io import BytesIO
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from circles.models import Circle, Membership, Organisation, Role
from people.models import (
    CarerKind,
    CarerProfile,
    Client,
    Credential,
    CredentialType,
    Employer,
    Person,
)
from people.photos import prepare, replace_photo
from rota import counts
from rota.models import Assignment, Shift, VisitPlan


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("email",)

    full_name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.django.Password("a-long-test-password")


class CircleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Circle

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Circle {n}")


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = "County Council"


class CarerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarerProfile

    person = factory.SubFactory(PersonFactory)
    kind = CarerKind.COUNCIL
    employer = factory.Maybe(
        factory.LazyAttribute(lambda p: p.kind != CarerKind.INFORMAL),
        yes_declaration=factory.SubFactory(EmployerFactory),
        no_declaration=None,
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    circle = factory.SubFactory(CircleFactory)
    person = factory.SubFactory(PersonFactory)
    role = Role.CARER


def carer(circle: Circle, kind: str = CarerKind.COUNCIL, **person_fields) -> Person:
    """A person of the circle's organisation who is a carer of `kind` in `circle`."""
    person = PersonFactory(**{"organisation": circle.organisation, **person_fields})
    employer = None
    if kind != CarerKind.INFORMAL:
        employer = EmployerFactory(organisation=circle.organisation)
    CarerProfileFactory(person=person, kind=kind, employer=employer)
    MembershipFactory(circle=circle, person=person, role=Role.CARER)
    return person


class CredentialTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CredentialType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"check-{n}")
    name = factory.LazyAttribute(lambda c: c.code.replace("-", " ").title())


class CredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credential

    person = factory.SubFactory(PersonFactory)
    type = factory.SubFactory(CredentialTypeFactory)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    circle = factory.SubFactory(CircleFactory)
    full_name = factory.Faker("name", locale="en_GB")
    preferred_name = factory.LazyAttribute(lambda c: c.full_name.split(" ")[0])
    address = factory.Faker("address", locale="en_GB")


class VisitPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitPlan

    client = factory.SubFactory(ClientFactory)
    title = "Morning visit"
    rrule = "FREQ=DAILY"
    starts_on = factory.LazyFunction(timezone.localdate)
    start_time = time(8, 0)
    duration_minutes = 60


class ShiftFactory(factory.django.DjangoModelFactory):
    """An ad-hoc shift (no plan) tomorrow at this hour, one hour long."""

    class Meta:
        model = Shift

    client = factory.SubFactory(ClientFactory)
    circle = factory.SelfAttribute("client.circle")
    start = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    )
    end = factory.LazyAttribute(lambda s: s.start + timedelta(hours=1))


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    shift = factory.SubFactory(ShiftFactory)
    carer = factory.SubFactory(PersonFactory)
    start = factory.SelfAttribute("shift.start")
    end = factory.SelfAttribute("shift.end")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Made as the services place a carer: the visit's count of places held kept."""
        assignment = super()._create(model_class, *args, **kwargs)
        counts.recount([assignment.shift_id])
        assignment.shift.refresh_from_db(fields=["places_held"])
        return assignment


def photo_upload(
    width: int = 1200, height: int = 900, *, name: str = "me.jpg", fmt: str = "JPEG", **saving: Any
) -> SimpleUploadedFile:
    """A photo as a phone sends it: `width`×`height` pixels, the left half red and the right
    half blue (so which way up it is shows), saved with Pillow's `saving` options (exif...)."""
    image = Image.new("RGB", (width, height), "blue")
    image.paste("red", (0, 0, width // 2, height))
    data = BytesIO()
    image.save(data, fmt, **saving)
    return SimpleUploadedFile(name, data.getvalue(), content_type=f"image/{fmt.lower()}")


def with_photo(person: Person, *, about: str = "") -> Person:
    """`person`, a carer, with a photo (kept under MEDIA_ROOT: use the `media_root` fixture)
    and, if given, two lines about themselves."""
    profile = CarerProfile.objects.get(person=person)
    replace_photo(profile, prepare(photo_upload()))
    if about:
        profile.about = about
        profile.save(update_fields=["about"])
    return person
