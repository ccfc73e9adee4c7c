"""Amounts in refusals are written as money (¥9,800.00), in both languages, like every
other amount on the pages."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from orders import services
from shoots.models import Shoot


def test_a_price_below_the_floor_names_the_floor_as_money(customer, package, receptionist):
    with pytest.raises(ValidationError) as caught:
        services.create_order(
            customer=customer,
            package=package,
            owner=receptionist,
            created_by=receptionist,
            discount=Decimal("2500"),
            deposit=Decimal("1000"),
            deposit_method="cash",
        )
    assert caught.value.message_dict["discount"] == [
        "The price cannot go below ¥6,800.00 for this package."
    ]


def test_a_discount_above_the_limit_names_the_limit_as_money(customer, package, receptionist):
    limit = customer.branch.discount_limit
    with pytest.raises(ValidationError) as caught, translation.override("zh-hans"):
        services.create_order(
            customer=customer,
            package=package,
            owner=receptionist,
            created_by=receptionist,
            discount=limit + 1,
            deposit=Decimal("1000"),
            deposit_method="cash",
        )
    assert f"¥{limit:,.2f}" in caught.value.message_dict["discount"][0]


def test_a_payment_above_what_is_due_names_the_balance_as_money(login, receptionist, order):
    response = login(receptionist).post(
        reverse("orders:pay", args=[order.number]),
        {"kind": "balance", "method": "cash", "amount": "99999", "request_key": "k1"},
    )
    assert response.status_code == 400
    error = response.context["payment_form"].errors["amount"][0]
    assert error == f"That is more than the ¥{order.balance_due:,.2f} still due."


def test_tomorrows_list_asks_for_the_balance_as_money(login, branch, order, receptionist):
    tomorrow = branch.today() + timedelta(days=1)
    Shoot.objects.create(
        order=order,
        branch=branch,
        starts_at=datetime.combine(tomorrow, time(10), branch.tzinfo),
        ends_at=datetime.combine(tomorrow, time(16), branch.tzinfo),
        created_by=receptionist,
    )
    response = login(receptionist).get(reverse("home"))
    assert f"to pay ¥{order.balance_due:,.2f}" in response.content.decode()
