"""Signing the planning document: discounts, manager approval on the spot, the deposit."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import LedgerEntry, Order
from studio import roles


def _url(customer):
    return reverse("orders:sign", args=[customer.pk])


def _data(package, **extra):
    data = {
        "package": package.pk,
        "discount": "300",
        "gifts": "Dress voucher",
        "style_wishes": "Forest, natural light",
        "notes": "Allergic to lilies",
        "wanted_shoot_month": "2027-04",
        "deposit": "2000",
        "deposit_method": "wechat",
        "request_key": "sign-key-1",
    }
    data.update(extra)
    return data


def test_it_shows_the_planning_document(login, receptionist, customer, package):
    response = login(receptionist).get(_url(customer))
    assert response.status_code == 200
    assert package in response.context["packages"]


def test_it_signs_the_order_with_its_deposit(login, receptionist, customer, package):
    response = login(receptionist).post(_url(customer), _data(package))
    order = Order.objects.get()
    assert response.status_code == 302 and response.url == order.get_absolute_url()
    assert order.state == "booked"
    assert order.agreed_price == Decimal("8500.00")
    assert order.notes == "Allergic to lilies"
    assert order.wanted_shoot_month.isoformat() == "2027-04-01"
    assert order.owner == customer.owner
    entry = order.ledger.get()
    assert entry.kind == LedgerEntry.Kind.DEPOSIT and entry.amount == Decimal("2000.00")


def test_a_double_clicked_signing_signs_once(login, receptionist, customer, package):
    client = login(receptionist)
    client.post(_url(customer), _data(package))
    again = client.post(_url(customer), _data(package))
    assert again.status_code == 302
    assert Order.objects.count() == 1 and LedgerEntry.objects.count() == 1


def test_a_discount_above_the_limit_needs_a_manager(login, receptionist, customer, package):
    response = login(receptionist).post(_url(customer), _data(package, discount="900"))
    assert response.status_code == 400
    assert "discount" in response.context["form"].errors
    assert not Order.objects.exists()


def test_a_manager_approves_on_the_same_screen(login, receptionist, manager, customer, package):
    data = _data(
        package,
        discount="900",
        approver_username=manager.user.username,
        approver_password="pw-for-tests-1",
    )
    response = login(receptionist).post(_url(customer), data)
    assert response.status_code == 302
    assert Order.objects.get().discount_approved_by == manager


def test_a_wrong_manager_password_is_refused(login, receptionist, manager, customer, package):
    data = _data(
        package, discount="900", approver_username=manager.user.username, approver_password="nope"
    )
    response = login(receptionist).post(_url(customer), data)
    assert response.status_code == 400
    assert "approver_password" in response.context["form"].errors
    assert not Order.objects.exists()


def test_a_receptionist_cannot_approve_a_discount(
    login, receptionist, make_staff, customer, package
):
    other = make_staff(roles.RECEPTIONIST)
    data = _data(
        package,
        discount="900",
        approver_username=other.user.username,
        approver_password="pw-for-tests-1",
    )
    response = login(receptionist).post(_url(customer), data)
    assert response.status_code == 400
    assert not Order.objects.exists()


def test_a_price_below_the_package_floor_is_refused(
    login, receptionist, manager, customer, package
):
    data = _data(
        package,
        discount="2500",
        approver_username=manager.user.username,
        approver_password="pw-for-tests-1",
    )
    response = login(receptionist).post(_url(customer), data)
    assert response.status_code == 400
    assert "¥6,800.00" in str(response.context["form"].errors["discount"])
    assert not Order.objects.exists()


@pytest.mark.parametrize("deposit", ["0", "-100", "9000"])
def test_a_zero_negative_or_too_big_deposit_is_refused(
    login, receptionist, customer, package, deposit
):
    response = login(receptionist).post(_url(customer), _data(package, deposit=deposit))
    assert response.status_code == 400
    assert "deposit" in response.context["form"].errors
    assert not Order.objects.exists()


def test_a_negative_discount_is_refused(login, receptionist, customer, package):
    response = login(receptionist).post(_url(customer), _data(package, discount="-10"))
    assert response.status_code == 400
    assert "discount" in response.context["form"].errors


def test_it_rejects_put(login, receptionist, customer):
    assert login(receptionist).put(_url(customer)).status_code == 405


def test_customer_service_and_field_roles_may_not_sign(login, make_staff, photographer, customer):
    assert login(photographer).get(_url(customer)).status_code == 403
    assert login(make_staff(roles.CUSTOMER_SERVICE)).get(_url(customer)).status_code == 403


def test_a_couple_of_another_branch_is_not_found(login, other_receptionist, customer, package):
    client = login(other_receptionist)
    assert client.get(_url(customer)).status_code == 404
    assert client.post(_url(customer), _data(package)).status_code == 404
    assert not Order.objects.exists()
