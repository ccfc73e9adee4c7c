"""A couple with a shoot ahead at their branch cannot be moved until it is moved or cancelled
there: the receiving manager is told which booking is in the way."""

import pytest
from django.core.exceptions import ValidationError

from orders import services
from orders.models import Order, Transfer
from shoots import services as shoot_services
from studio import roles
from studio.models import Customer
from tests.factories import StaffFactory


@pytest.fixture
def receiving(other_branch):
    return StaffFactory(roles=[roles.MANAGER], branches=[other_branch])


def accept(customer, order, receiving, other_branch):
    return services.transfer_customer(
        customer=Customer.objects.get(pk=customer.pk),
        to_branch=other_branch,
        orders=[order],
        reason="Moved to Beijing",
        by=receiving,
        owner=receiving,
    )


def test_a_shoot_ahead_refuses_the_transfer_and_names_it(
    book, order, customer, receiving, other_branch, branch
):
    book(order)
    with pytest.raises(ValidationError) as refused:
        accept(customer, order, receiving, other_branch)
    text = " ".join(refused.value.messages)
    assert "These bookings at Shanghai Jing'an lie ahead" in text
    assert f"Order {order.number}: shoot on" in text
    assert Customer.objects.get(pk=customer.pk).branch == branch
    assert Order.objects.get(pk=order.pk).branch == branch
    assert not Transfer.objects.exists()


def test_once_the_shoot_is_cancelled_the_couple_can_move(
    book, order, customer, receiving, other_branch, crew
):
    shoot = book(order)
    shoot_services.cancel_shoot(shoot=shoot, by=crew.dispatcher)
    accept(customer, order, receiving, other_branch)
    assert Order.objects.get(pk=order.pk).branch == other_branch


def test_a_shoot_of_an_order_left_behind_does_not_hold_the_couple(
    book, make_order, customer, receiving, other_branch, branch
):
    staying, moving = make_order(), make_order()
    book(staying)
    services.transfer_customer(
        customer=Customer.objects.get(pk=customer.pk),
        to_branch=other_branch,
        orders=[moving],
        reason="Moved",
        by=receiving,
        owner=receiving,
    )
    assert Order.objects.get(pk=staying.pk).branch == branch
