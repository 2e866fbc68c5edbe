"""Two organisations side by side, each with a circle, a client and a carer, and the
coordinator of the first, logged in to the admin."""

import pytest

from tests.factories import (
    CircleFactory,
    ClientFactory,
    OrganisationFactory,
    PersonFactory,
    carer,
)


@pytest.fixture
def riverside(db):
    organisation = OrganisationFactory(name="Riverside Care")
    circle = CircleFactory(organisation=organisation, name="Riverside North")
    ClientFactory(circle=circle, full_name="Agnes Underwood", preferred_name="Agnes")
    carer(circle, full_name="Rhian Evans", organisation=organisation)
    return organisation


@pytest.fixture
def hillside(db):
    organisation = OrganisationFactory(name="Hillside Homecare")
    circle = CircleFactory(organisation=organisation, name="Hillside East")
    ClientFactory(circle=circle, full_name="Bartholomew Quince", preferred_name="Bart")
    carer(circle, full_name="Hywel Pryce", organisation=organisation)
    return organisation


@pytest.fixture
def coordinator(riverside):
    return PersonFactory(full_name="Cora Coordinator", is_staff=True, organisation=riverside)


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client
