from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Order, State
from selection import services
from studio import roles
from tests.shoots.conftest import book, crew, in_ten_days, shoot_today  # noqa: F401


@pytest.fixture
def consultant(make_staff):
    return make_staff(roles.SELECTION_CONSULTANT, display_name="Feng Xue")


@pytest.fixture
def make_shot_order(make_order):
    """An order that has been shot. The shooting day itself is tested in tests/shoots;
    here the state is set directly so several couples can be shot at once."""

    def make(**kwargs):
        order = make_order(**kwargs)
        Order.objects.filter(pk=order.pk).update(state=State.SHOT)
        order.refresh_from_db()
        return order

    return make


@pytest.fixture
def shot_order(make_shot_order):
    return make_shot_order()


@pytest.fixture
def the_day_after_tomorrow():
    start = timezone.localtime() + timedelta(days=2)
    return start.replace(hour=14, minute=0, second=0, microsecond=0)


@pytest.fixture
def book_selection(consultant, receptionist, the_day_after_tomorrow):
    """book_selection(order, **overrides) -> SelectionSession."""

    def do(order, **kwargs):
        kwargs.setdefault("starts_at", the_day_after_tomorrow)
        kwargs.setdefault("consultant", consultant)
        kwargs.setdefault("by", receptionist)
        return services.book_selection(order=order, **kwargs)

    return do
