from datetime import timedelta
from decimal import Decimal

import pytest

from rentals import services
from rentals.models import Dress
from studio import roles


@pytest.fixture
def dress(branch):
    return Dress.objects.create(
        branch=branch,
        code="WG-001",
        name="Cathedral lace",
        category=Dress.Category.WEDDING_GOWN,
        size="M",
        colour="Ivory",
        rental_price=Decimal("1200.00"),
        deposit=Decimal("3000.00"),
    )


@pytest.fixture
def other_dress(other_branch):
    return Dress.objects.create(
        branch=other_branch, code="WG-900", category=Dress.Category.WEDDING_GOWN, size="S"
    )


@pytest.fixture
def dress_stylist(make_staff):
    return make_staff(roles.DRESS_STYLIST, display_name="Liu Yan")


@pytest.fixture
def cashier(make_staff):
    return make_staff(roles.CASHIER, display_name="Zhou Qian")


@pytest.fixture
def in_a_week(branch):
    return branch.today() + timedelta(days=7)


@pytest.fixture
def reserve(order, dress, receptionist, in_a_week):
    """reserve(**overrides) -> DressReservation: one week from today, back three days later."""

    def do(**kwargs):
        kwargs.setdefault("order", order)
        kwargs.setdefault("dress", dress)
        kwargs.setdefault("pickup_on", in_a_week)
        kwargs.setdefault("return_on", kwargs["pickup_on"] + timedelta(days=3))
        kwargs.setdefault("by", receptionist)
        return services.reserve_dress(**kwargs)

    return do


@pytest.fixture
def reservation(reserve):
    return reserve(measurements={"bust": Decimal("86"), "waist": Decimal("66")})


@pytest.fixture
def picked_up(reservation, receptionist):
    return services.pick_up_dress(
        reservation=reservation, id_type="id_card", id_number="310101199001011234", by=receptionist
    )
