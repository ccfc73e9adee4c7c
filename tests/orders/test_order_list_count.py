"""The order list counts its pages on the orders alone, filtered as its rows are."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_count_follows_the_state_and_the_search(login, receptionist, make_order, customer):
    orders = [make_order() for _ in range(3)]
    client = login(receptionist)
    page = client.get(reverse("orders:list"))
    assert page.context["paginator"].count == 3
    page = client.get(reverse("orders:list"), {"q": orders[0].number})
    assert page.context["paginator"].count == 1
    page = client.get(reverse("orders:list"), {"q": customer.bride_name})
    assert page.context["paginator"].count == 3
    page = client.get(reverse("orders:list"), {"state": "delivered"})
    assert page.context["paginator"].count == 0


def test_another_branchs_orders_are_not_counted(login, make_staff, other_branch, make_order):
    make_order()
    stranger = make_staff("receptionist", branch=other_branch)
    page = login(stranger).get(reverse("orders:list"))
    assert page.context["paginator"].count == 0
