import pytest

from studio import roles
from studio import services as studio_services


@pytest.fixture
def customer_service(make_staff):
    return make_staff(roles.CUSTOMER_SERVICE, display_name="Chen Jing")


@pytest.fixture
def other_receptionist(make_staff, other_branch):
    return make_staff(roles.RECEPTIONIST, branch=other_branch, display_name="Sun Mei")


@pytest.fixture
def takers(make_staff):
    return [
        make_staff(roles.RECEPTIONIST, display_name=name)
        for name in ("Taker A", "Taker B", "Taker C")
    ]


@pytest.fixture
def rota(branch, takers, manager):
    return studio_services.set_rota(
        branch=branch, day=branch.today(), takers=takers, set_by=manager
    )


@pytest.fixture
def chinese(client):
    """Ask for pages in Simplified Chinese."""
    client.cookies["django_language"] = "zh-hans"
    return client
