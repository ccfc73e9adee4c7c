"""The stored-value card's pages: the card, top-up, refund, paying an order from it, the
statement and receipts; who may use them and who may not."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from orders import services
from orders.models import CardBonusRule, CardEntry, LedgerEntry, StoredValueCard
from orders.views import CARD_ROLES
from studio import roles
from tests.factories import StaffFactory

REFUSED = sorted(set(roles.ALL) - CARD_ROLES - {roles.CHAIN_MANAGER})


@pytest.fixture
def stranger(other_branch):
    """A receptionist of another branch."""
    return StaffFactory(roles=[roles.RECEPTIONIST], branches=[other_branch])


@pytest.fixture
def cashier(make_staff):
    return make_staff(roles.CASHIER, display_name="Sun Mei")


@pytest.fixture
def card(customer, receptionist):
    return services.open_card(customer=customer, staff=receptionist)


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_desk_opens_a_card_from_the_customer_file(login, receptionist, customer):
    client = login(receptionist)
    page = client.get(reverse("overview:customer", args=[customer.pk]))
    assert 'data-testid="open-card"' in page.text
    response = client.post(reverse("orders:open_card", args=[customer.pk]))
    card = StoredValueCard.objects.get(customer=customer)
    assert response["Location"] == card.get_absolute_url()
    client.post(reverse("orders:open_card", args=[customer.pk]))
    assert StoredValueCard.objects.count() == 1


def test_the_cashier_tops_up_with_the_branch_bonus(login, cashier, card, branch):
    CardBonusRule.objects.create(branch=branch, top_up=Decimal("10000"), bonus=Decimal("1000"))
    client = login(cashier)
    response = client.post(
        reverse("orders:card_top_up", args=[card.number]),
        {"method": "wechat", "amount": "10000", "request_key": "k1"},
    )
    assert response.status_code == 302
    assert card.balances == (Decimal("10000"), Decimal("1000"))
    page = client.get(card.get_absolute_url())
    assert "¥11,000.00" in page.text
    assert "Top up ¥10,000.00 or more, get ¥1,000.00 bonus value" in page.text


def test_a_double_click_tops_up_once(login, cashier, card):
    client = login(cashier)
    data = {"method": "cash", "amount": "100", "request_key": "same"}
    client.post(reverse("orders:card_top_up", args=[card.number]), data)
    client.post(reverse("orders:card_top_up", args=[card.number]), data)
    assert card.entries.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"method": "cash", "amount": "0"}, "more than zero"),
        ({"method": "cash", "amount": "-5"}, "more than zero"),
        ({"method": "cash", "amount": "abc"}, "Enter a number"),
        ({"method": "stored", "amount": "100"}, "Select a valid choice"),
        ({"method": "cash", "amount": "9999999"}, "¥"),
    ],
)
def test_bad_top_ups_are_refused_at_the_field(login, cashier, card, data, message):
    response = login(cashier).post(
        reverse("orders:card_top_up", args=[card.number]), {**data, "request_key": "x"}
    )
    assert response.status_code == 400
    assert message in response.text
    assert not card.entries.exists()


def test_a_refund_gives_back_the_money_and_says_so(login, cashier, card):
    services.top_up_card(card=card, method="cash", amount="300", staff=cashier)
    client = login(cashier)
    response = client.post(
        reverse("orders:card_refund", args=[card.number]),
        {"method": "cash", "note": "moving away", "request_key": "r1"},
    )
    assert response.status_code == 302
    assert card.balance == Decimal("0")


def test_a_refund_without_a_reason_is_refused(login, cashier, card):
    services.top_up_card(card=card, method="cash", amount="300", staff=cashier)
    response = login(cashier).post(
        reverse("orders:card_refund", args=[card.number]),
        {"method": "cash", "note": "", "request_key": "r1"},
    )
    assert response.status_code == 400
    assert card.balance == Decimal("300")


def test_a_refund_of_an_empty_card_is_refused(login, cashier, card):
    response = login(cashier).post(
        reverse("orders:card_refund", args=[card.number]),
        {"method": "cash", "note": "why not", "request_key": "r1"},
    )
    assert response.status_code == 400
    assert "Nothing is left on this card to refund." in response.text


def test_the_order_page_pays_from_the_card(login, receptionist, card, order):
    services.top_up_card(card=card, method="cash", amount="1000", staff=receptionist)
    client = login(receptionist)
    page = client.get(order.get_absolute_url())
    assert 'data-testid="card-payment-form"' in page.text
    response = client.post(
        reverse("orders:pay_from_card", args=[order.number]),
        {"kind": "balance", "amount": "600", "request_key": "p1"},
    )
    assert response.status_code == 302
    assert order.paid == Decimal("2600")
    assert card.balance == Decimal("400")
    page = client.get(order.get_absolute_url())
    assert "Stored-value card" in page.text


def test_the_order_page_refuses_more_than_the_card_holds(login, receptionist, card, order):
    services.top_up_card(card=card, method="cash", amount="100", staff=receptionist)
    response = login(receptionist).post(
        reverse("orders:pay_from_card", args=[order.number]),
        {"kind": "balance", "amount": "600", "request_key": "p1"},
    )
    assert response.status_code == 400
    assert "The card holds only ¥100.00." in response.text
    assert order.ledger.count() == 1


def test_a_plain_payment_cannot_claim_to_be_from_the_card(login, receptionist, card, order):
    response = login(receptionist).post(
        reverse("orders:pay", args=[order.number]),
        {"kind": "balance", "method": "stored", "amount": "100", "request_key": "k"},
    )
    assert response.status_code == 400
    assert order.ledger.count() == 1


def test_the_statement_and_a_receipt_print_in_chinese(login, receptionist, card, order):
    top_up = services.top_up_card(card=card, method="cash", amount="12800", staff=receptionist)
    services.pay_from_card(card=card, order=order, kind="balance", amount="800", staff=receptionist)
    client = login(receptionist)
    client.cookies["django_language"] = "zh-hans"
    statement = pdf_text(client.get(reverse("orders:card_statement", args=[card.number])))
    assert card.number in statement
    assert "储值卡" in statement
    assert order.number in statement
    assert "壹万贰仟元整" in statement  # 12,000 left
    receipt = pdf_text(
        client.get(reverse("orders:card_receipt", args=[card.number, top_up.receipt_no]))
    )
    assert top_up.receipt_no in receipt
    assert "壹万贰仟捌佰元整" in receipt


def test_the_card_page_speaks_chinese(login, receptionist, card):
    client = login(receptionist)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(card.get_absolute_url())
    assert page.status_code == 200
    assert "储值卡" in page.text
    assert "充值" in page.text


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_may_not_use_the_card(login, make_staff, card, order, role):
    services.top_up_card(card=card, method="cash", amount="100", staff=order.owner)
    client = login(make_staff(role))
    assert client.get(card.get_absolute_url()).status_code == 403
    assert client.get(reverse("orders:card_statement", args=[card.number])).status_code == 403
    for name, data in [
        ("orders:card_top_up", {"method": "cash", "amount": "1", "request_key": "a"}),
        ("orders:card_refund", {"method": "cash", "note": "x", "request_key": "b"}),
    ]:
        assert client.post(reverse(name, args=[card.number]), data).status_code == 403
    pay = {"kind": "balance", "amount": "1", "request_key": "c"}
    assert client.post(reverse("orders:pay_from_card", args=[order.number]), pay).status_code == 403
    assert client.post(reverse("orders:open_card", args=[order.customer_id])).status_code == 403
    assert card.balance == Decimal("100")
    assert CardEntry.objects.count() == 1


def test_another_branch_finds_no_card(login, stranger, card, order, customer):
    services.top_up_card(card=card, method="cash", amount="100", staff=order.owner)
    client = login(stranger)
    entry = card.entries.get()
    assert client.get(card.get_absolute_url()).status_code == 404
    assert client.get(reverse("orders:card_statement", args=[card.number])).status_code == 404
    receipt = reverse("orders:card_receipt", args=[card.number, entry.receipt_no])
    assert client.get(receipt).status_code == 404
    data = {"method": "cash", "amount": "1", "request_key": "a"}
    assert client.post(reverse("orders:card_top_up", args=[card.number]), data).status_code == 404
    pay = {"kind": "balance", "amount": "1", "request_key": "c"}
    assert client.post(reverse("orders:pay_from_card", args=[order.number]), pay).status_code == 404
    assert client.post(reverse("orders:open_card", args=[customer.pk])).status_code == 404
    assert card.balance == Decimal("100")


def test_the_actions_refuse_get(login, receptionist, card, order):
    client = login(receptionist)
    assert client.get(reverse("orders:card_top_up", args=[card.number])).status_code == 405
    assert client.get(reverse("orders:pay_from_card", args=[order.number])).status_code == 405


def test_the_card_page_keeps_a_fixed_number_of_queries(
    login, receptionist, card, make_order, django_assert_max_num_queries
):
    for _ in range(3):
        services.top_up_card(card=card, method="cash", amount="100", staff=receptionist)
    order = make_order()
    services.pay_from_card(card=card, order=order, kind="balance", amount="50", staff=receptionist)
    client = login(receptionist)
    with django_assert_max_num_queries(20) as few:
        client.get(card.get_absolute_url())
    for _ in range(15):
        services.top_up_card(card=card, method="cash", amount="100", staff=receptionist)
        services.pay_from_card(
            card=card, order=order, kind="balance", amount="5", staff=receptionist
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(card.get_absolute_url())
    assert LedgerEntry.objects.filter(method="stored").count() == 16
