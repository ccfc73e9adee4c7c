"""Pickups on the Today page (bring the slip, pay the balance) and in the customer file."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders import services as order_services
from pickup import services
from studio import roles

HOME = reverse("home")


@pytest.fixture
def pickup_today(ready_order, branch, receptionist):
    later = max(
        timezone.now() + timedelta(minutes=5),
        datetime.combine(branch.today(), time(0, 30), branch.tzinfo),
    )
    if timezone.localtime(later, branch.tzinfo).date() != branch.today():
        pytest.skip("Too close to midnight for a pickup later today.")
    return services.book_pickup(order=ready_order, starts_at=later, by=receptionist)


def test_today_lists_the_pickup_with_the_slip_and_the_balance(login, receptionist, pickup_today):
    response = login(receptionist).get(HOME)
    (arrival,) = response.context["arrivals"]
    assert str(arrival.kind) == "Pickup"
    assert arrival.needs == [
        f"Bring the pickup slip {pickup_today.slip_number}",
        "Balance due before pickup: ¥6,800.00",
    ]


def test_a_paid_order_only_needs_the_slip(login, receptionist, pickup_today, ready_order):
    order_services.take_payment(
        order=ready_order, kind="balance", method="cash", amount="6800", staff=receptionist
    )
    (arrival,) = login(receptionist).get(HOME).context["arrivals"]
    assert arrival.needs == [f"Bring the pickup slip {pickup_today.slip_number}"]


def test_tomorrows_pickups_are_on_the_list_to_confirm(login, receptionist, pickup, customer):
    response = login(receptionist).get(HOME)
    (item,) = response.context["tomorrow"]
    assert str(item.kind) == "Pickup"
    assert customer.bride_phone in response.content.decode()


def test_roles_without_money_see_no_balance_and_no_phones(
    login, make_staff, pickup_today, customer
):
    # Field staff don't get the front desk's lists at all (issue 8); the back office does.
    response = login(make_staff(roles.RETOUCHER)).get(HOME)
    (arrival,) = response.context["arrivals"]
    assert arrival.needs == [f"Bring the pickup slip {pickup_today.slip_number}"]
    body = response.content.decode()
    assert "¥" not in body and customer.bride_phone not in body


def test_the_customer_file_shows_the_pickup(login, make_staff, customer, pickup):
    retoucher = make_staff(roles.RETOUCHER)
    response = login(retoucher).get(reverse("overview:customer", args=[customer.pk]))
    (event,) = [e for e in response.context["timeline"] if e.kind == "pickup"]
    assert pickup.slip_number in event.title and event.amount is None
