"""The receiving manager finds a couple by phone across the chain and accepts them; both
branches' managers see the transfer on their list."""

import pytest
from django.urls import reverse

from orders import services
from orders.models import Order, Transfer
from studio import roles
from studio.models import Customer
from tests.factories import CustomerFactory, StaffFactory


@pytest.fixture
def receiving(other_branch):
    return StaffFactory(roles=[roles.MANAGER], branches=[other_branch], display_name="Xu Lan")


def accept_data(customer, receiving, orders=(), reason="Moved to Beijing"):
    prefix = f"c{customer.pk}"
    return {
        f"{prefix}-orders": [o.pk for o in orders],
        f"{prefix}-owner": receiving.pk,
        f"{prefix}-reason": reason,
    }


def accept_url(customer):
    return reverse("orders:transfer_accept", args=[customer.pk])


def test_the_manager_finds_a_couple_of_another_branch_by_phone(login, receiving, customer, order):
    response = login(receiving).get(
        reverse("orders:transfer_find"), {"phone": customer.bride_phone}
    )
    assert response.status_code == 200
    assert customer.bride_name in response.text and order.number in response.text
    assert 'data-testid="accept-form"' in response.text


def test_only_the_whole_number_finds_a_couple(login, receiving, customer):
    response = login(receiving).get(
        reverse("orders:transfer_find"), {"phone": customer.bride_phone[:7]}
    )
    assert customer.bride_name not in response.text


def test_it_accepts_the_couple_and_lands_on_their_file(login, receiving, customer, order):
    response = login(receiving).post(
        accept_url(customer), accept_data(customer, receiving, [order])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("overview:customer", args=[customer.pk])
    assert Customer.objects.get(pk=customer.pk).branch == receiving.branches.get()
    assert Order.objects.get(pk=order.pk).branch == receiving.branches.get()


def test_the_page_reads_in_chinese(login, receiving, customer):
    client = login(receiving)
    client.cookies["django_language"] = "zh-hans"
    assert "接收其他门店的客人" in client.get(reverse("orders:transfer_find")).text
    assert "门店间转店" in client.get(reverse("orders:transfers")).text


def test_without_a_reason_nothing_moves(login, receiving, customer, order, branch):
    response = login(receiving).post(
        accept_url(customer), accept_data(customer, receiving, [order], reason="")
    )
    assert response.status_code == 400
    assert Customer.objects.get(pk=customer.pk).branch == branch
    assert not Transfer.objects.exists()


def test_a_second_press_is_a_warning_not_a_second_transfer(login, receiving, customer, order):
    client = login(receiving)
    client.post(accept_url(customer), accept_data(customer, receiving, [order]))
    again = client.post(
        accept_url(customer), accept_data(customer, receiving, [order]), follow=True
    )
    assert "Already done" in again.text
    assert Transfer.objects.count() == 1


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - {roles.MANAGER}))
def test_other_roles_may_not_move_couples(login, other_branch, customer, order, role, branch):
    staff = StaffFactory(roles=[role], branches=[other_branch])
    client = login(staff)
    assert client.get(reverse("orders:transfer_find")).status_code == 403
    assert client.get(reverse("orders:transfers")).status_code == 403
    response = client.post(accept_url(customer), accept_data(customer, staff, [order]))
    assert response.status_code == 403
    assert Customer.objects.get(pk=customer.pk).branch == branch


def test_the_sending_manager_sees_the_couple_left(login, manager, receiving, customer, order):
    login(receiving).post(
        accept_url(customer), accept_data(customer, receiving, [order]), follow=True
    )
    text = login(manager).get(reverse("orders:transfers")).text
    assert customer.bride_name in text and "Moved to Beijing" in text
    # ...but no longer opens the file from there
    assert reverse("overview:customer", args=[customer.pk]) not in text


def test_a_third_branch_sees_nothing(login, receiving, customer, order):
    login(receiving).post(
        accept_url(customer), accept_data(customer, receiving, [order]), follow=True
    )
    third = StaffFactory(
        roles=[roles.MANAGER], branches=[StaffFactory().branches.model.objects.create(
            code="gz1", name="Guangzhou")]
    )  # fmt: skip
    assert customer.bride_name not in login(third).get(reverse("orders:transfers")).text


def test_the_transfers_list_keeps_a_fixed_number_of_queries(
    login, receiving, branch, receptionist, other_branch, make_order,
    django_assert_max_num_queries,
):  # fmt: skip
    for _ in range(8):
        couple = CustomerFactory(branch=branch, owner=receptionist)
        order = make_order(customer=couple)
        services.transfer_customer(
            customer=couple, to_branch=other_branch, orders=[order], reason="move",
            by=receiving, owner=receiving,
        )  # fmt: skip
    client = login(receiving)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("orders:transfers"))
    assert response.text.count("move</td>") == 8


def test_accept_takes_post_only(login, receiving, customer):
    assert login(receiving).get(accept_url(customer)).status_code == 405
