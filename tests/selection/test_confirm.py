"""Confirming: the signed production list, the upsell invoiced, the items to make."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from orders.models import Charge, LedgerEntry, State
from selection import services
from selection.models import PriceItem, ProductionItem


@pytest.fixture
def with_extras(session, consultant, branch):
    """35 confirmed photos (5 extra), 2 enlargements of photo 12."""
    services.pick(session=session, numbers=range(1, 36), pass_="confirmed", by=consultant)
    services.add_product(
        session=session,
        price_item=PriceItem.objects.get(branch=branch, product="enlargement", size='24"'),
        quantity=2,
        photo_number=12,
        by=consultant,
    )
    return session


def test_confirming_invoices_the_upsell_makes_the_items_and_moves_the_order(
    selecting_order, with_extras, consultant
):
    services.confirm_selection(order=selecting_order, by=consultant)
    selecting_order.refresh_from_db()
    assert selecting_order.state == State.SELECTED
    charges = selecting_order.charges.filter(kind=Charge.Kind.SELECTION_UPSELL)
    assert sorted(c.amount for c in charges) == [Decimal("500"), Decimal("1760")]
    items = {i.product: i for i in ProductionItem.objects.filter(order=selecting_order)}
    assert items["retouched"].quantity == 35
    assert items["album"].pages == 20
    assert (items["enlargement"].size, items["enlargement"].quantity) == ('24"', 2)
    assert all(i.due_date for i in items.values())
    session = selecting_order.selection
    assert session.signed_at and session.upsell_settled and session.signed_by_staff == consultant


def test_the_upsell_is_recorded_as_owed_when_nothing_is_paid(
    selecting_order, with_extras, consultant
):
    before = selecting_order.balance_due
    services.confirm_selection(order=selecting_order, by=consultant)
    assert selecting_order.balance_due == before + Decimal("2260")
    assert not selecting_order.ledger.filter(kind=LedgerEntry.Kind.SELECTION_UPSELL).exists()


def test_paying_now_takes_a_selection_upsell_payment(selecting_order, with_extras, consultant):
    services.confirm_selection(
        order=selecting_order, by=consultant, pay_now=("alipay", Decimal("2260"))
    )
    entry = selecting_order.ledger.get(kind=LedgerEntry.Kind.SELECTION_UPSELL)
    assert (entry.amount, entry.method) == (Decimal("2260"), "alipay")


def test_a_discount_needs_a_manager_and_records_who(
    selecting_order, with_extras, consultant, manager
):
    with pytest.raises(ValidationError) as exc:
        services.confirm_selection(
            order=selecting_order, by=consultant, discount=Decimal("260"),
            discount_approved_by=consultant,
        )  # fmt: skip
    assert "manager" in exc.value.message_dict["discount"][0]
    services.confirm_selection(
        order=selecting_order, by=consultant, discount=Decimal("260"), discount_approved_by=manager
    )
    discount = selecting_order.charges.get(amount=Decimal("-260"))
    assert discount.approved_by == manager
    assert selecting_order.selection.upsell_discount_approved_by == manager


def test_a_list_the_customer_did_not_sign_keeps_nothing(selecting_order, with_extras, consultant):
    from orders.services import TransitionBlocked

    with pytest.raises(TransitionBlocked, match="sign the production list"):
        services.confirm_selection(order=selecting_order, by=consultant, customer_signed=False)
    selecting_order.refresh_from_db()
    assert selecting_order.state == State.SELECTING
    assert not selecting_order.charges.exists()
    assert not ProductionItem.objects.filter(order=selecting_order).exists()


def test_a_list_without_confirmed_photos_cannot_be_signed(selecting_order, consultant):
    with pytest.raises(ValidationError, match="at least one photo"):
        services.confirm_selection(order=selecting_order, by=consultant)


def test_changing_the_list_within_3_hours_charges_only_the_difference(
    selecting_order, with_extras, consultant
):
    services.confirm_selection(order=selecting_order, by=consultant)
    services.reopen_selection(order=selecting_order, by=consultant)
    session = selecting_order.selection
    session.refresh_from_db()
    assert not session.signed_at and not session.upsell_settled
    services.unpick(session=session, numbers=range(31, 36), pass_="confirmed", by=consultant)
    services.confirm_selection(order=selecting_order, by=consultant)
    charges = selecting_order.charges.filter(kind=Charge.Kind.SELECTION_UPSELL)
    assert sum(c.amount for c in charges) == Decimal("1760")
    assert (
        ProductionItem.objects.filter(order=selecting_order, product="retouched").get().quantity
        == 30
    )


def test_the_production_list_prints_in_chinese_with_the_order_number(
    selecting_order, with_extras, consultant, login
):
    selecting_order.customer.language = "zh-hans"
    selecting_order.customer.save(update_fields=["language"])
    services.confirm_selection(order=selecting_order, by=consultant)
    response = login(consultant).get(
        reverse("selection:production_list", args=[selecting_order.number])
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert selecting_order.number in text
    assert "看样制作清单" in text
    assert "客户签名" in text
