"""Money taken before a couple moved stays the old branch's (its receipts, its revenue); the
order's new branch still reprints those receipts, marked as taken at the old branch; a third
branch sees nothing."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from orders import services
from studio import roles
from studio.models import Customer
from tests.factories import BranchFactory, StaffFactory


@pytest.fixture
def receiving(other_branch):
    return StaffFactory(roles=[roles.MANAGER], branches=[other_branch], display_name="Xu Lan")


@pytest.fixture
def moved(customer, order, receiving, other_branch):
    """The couple and their order, accepted at the other branch; the deposit stays behind."""
    services.transfer_customer(
        customer=Customer.objects.get(pk=customer.pk),
        to_branch=other_branch,
        orders=[order],
        reason="Moved to Beijing",
        by=receiving,
        owner=receiving,
    )
    return order


def receipt(client, order, entry):
    return client.get(reverse("orders:receipt", args=[order.number, entry.receipt_no]))


def text_of(response):
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.split())  # the PDF wraps long lines


def test_the_new_branch_reprints_the_old_receipt_marked_as_taken_there(
    login, receiving, moved, customer
):
    Customer.objects.filter(pk=customer.pk).update(language="en")
    deposit = moved.ledger.get()
    response = receipt(login(receiving), moved, deposit)
    assert response.status_code == 200
    text = text_of(response)
    assert deposit.receipt_no in text
    assert "Shanghai Jing'an; the order has since moved to Beijing Chaoyang." in text


def test_the_new_branchs_own_receipt_is_not_marked(login, receiving, moved):
    entry = services.take_payment(
        order=moved, kind="balance", method="cash", amount="100", staff=receiving
    )
    text = text_of(receipt(login(receiving), moved, entry))
    assert entry.receipt_no in text and "has since moved" not in text


def test_the_order_page_marks_the_payments_taken_at_the_old_branch(login, receiving, moved):
    response = login(receiving).get(moved.get_absolute_url())
    assert 'data-testid="taken-elsewhere"' in response.text
    assert "taken at Shanghai Jing&#x27;an" in response.text
    assert response.text.count('data-testid="move"') == 1  # the order's history says so


def test_the_old_branch_keeps_the_receipt_of_the_money_it_took(
    login, receptionist, receiving, moved
):
    client = login(receptionist)
    deposit = moved.ledger.get()
    assert receipt(client, moved, deposit).status_code == 200
    assert client.get(moved.get_absolute_url()).status_code == 404
    later = services.take_payment(
        order=moved, kind="balance", method="cash", amount="100", staff=receiving
    )
    assert receipt(client, moved, later).status_code == 404


def test_a_third_branch_sees_neither_receipt(login, receiving, moved):
    later = services.take_payment(
        order=moved, kind="balance", method="cash", amount="100", staff=receiving
    )
    third = StaffFactory(roles=[roles.MANAGER], branches=[BranchFactory(code="gz1")])
    client = login(third)
    for entry in (moved.ledger.get(receipt_no__startswith="SH1"), later):
        assert receipt(client, moved, entry).status_code == 404


def test_the_receipt_reads_in_the_couples_chinese(login, receiving, moved):
    text = text_of(receipt(login(receiving), moved, moved.ledger.get()))
    assert "收款门店 Shanghai Jing'an；该订单已转至Beijing Chaoyang。" in text
