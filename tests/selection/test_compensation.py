"""Compensation for a complaint or a delay (issue 14, item 6): proposed by customer service
or a manager, approved by a store manager of the branch, and only then given: a voucher with
its code, a free item on the production board, a refund through the ledger."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from followups.models import CallTask
from followups.services import log_complaint
from orders import services as order_services
from orders.models import Charge, LedgerEntry, Order, State
from selection import services
from selection.models import Compensation, ProductionItem
from studio import roles
from studio.services import AlreadyDone
from tests.factories import StaffFactory


def propose(by, complaint=None, call_task=None, **fields):
    return services.propose_compensation(
        by=by, complaint=complaint, call_task=call_task, reason="Sorry for the scratch", **fields
    )


def voucher(branch, **overrides):
    return {
        "kind": "voucher",
        "amount": "300",
        "expires_on": branch.today() + timedelta(days=180),
    } | overrides


def test_a_voucher_is_issued_with_a_code_only_when_a_manager_approves(
    complaint, customer_service, manager
):
    proposed = propose(customer_service, complaint, **voucher(complaint.branch))
    assert (proposed.status, proposed.voucher_code) == ("proposed", "")
    approved = services.approve_compensation(compensation=proposed, by=manager)
    assert approved.status == "approved"
    assert approved.voucher_code.startswith("VSH1-") and len(approved.voucher_code) == 13
    assert (approved.proposed_by, approved.decided_by) == (customer_service, manager)
    assert approved.amount == Decimal("300.00")
    assert approved.voucher_code in approved.what and "¥300.00" in approved.what
    assert list(complaint.compensations.all()) == [approved]


def test_a_free_item_joins_the_orders_production_at_no_charge(
    production_order, delay_call, customer_service, manager, enlargement
):
    order = production_order
    before = set(ProductionItem.objects.filter(order=order).values_list("pk", flat=True))
    charges, balance = Charge.objects.count(), order.balance_due
    proposed = propose(
        customer_service, call_task=delay_call, kind="free_item", price_item=enlargement,
        photo_number=12,
    )  # fmt: skip
    assert ProductionItem.objects.filter(order=order).count() == len(before)
    approved = services.approve_compensation(compensation=proposed, by=manager)
    item = approved.production_item
    assert item.pk not in before and item.order == order
    assert (item.product, item.size, item.photo_number, item.stage) == (
        "enlargement", '24"', 12, "retouch",
    )  # fmt: skip
    assert item.due_date == max(i.due_date for i in ProductionItem.objects.filter(pk__in=before))
    assert Charge.objects.count() == charges
    assert Order.objects.get(pk=order.pk).balance_due == balance


def test_a_free_item_given_before_the_selection_stays_on_the_production_list(
    selecting_order, receptionist, customer_service, manager, confirm, enlargement
):
    complaint = log_complaint(
        customer=selecting_order.customer, order=selecting_order, text="Late for the shoot",
        logged_by=receptionist,
    )  # fmt: skip
    given = services.approve_compensation(
        compensation=propose(customer_service, complaint, kind="free_item", price_item=enlargement),
        by=manager,
    )
    confirm(selecting_order, waive_change_window=True)
    items = ProductionItem.objects.filter(order=selecting_order)
    assert given.production_item in items and items.count() > 1


def test_a_refund_goes_through_the_ledger_with_a_receipt(complaint, customer_service, manager):
    order = complaint.order
    assert order.paid == Decimal("2000.00")
    proposed = propose(customer_service, complaint, kind="refund", amount="500", method="cash")
    assert not LedgerEntry.objects.filter(kind="refund").exists()
    approved = services.approve_compensation(compensation=proposed, by=manager)
    entry = approved.ledger_entry
    assert (entry.kind, entry.amount, entry.method, entry.staff) == (
        "refund", Decimal("-500.00"), "cash", manager,
    )  # fmt: skip
    assert entry.receipt_no.startswith("SH1-R")
    order.refresh_from_db()
    assert order.paid == Decimal("1500.00")
    assert order.balance_due == order.charges_total - Decimal("1500.00")
    assert "Wang Fang" in entry.note_text and "Sorry for the scratch" in entry.note_text
    with translation.override("zh-hans"):
        assert entry.note_text.startswith("补偿")


def test_a_rejection_needs_a_reason_and_gives_nothing(complaint, customer_service, manager):
    proposed = propose(customer_service, complaint, kind="refund", amount="500", method="cash")
    with pytest.raises(ValidationError) as refused:
        services.reject_compensation(compensation=proposed, by=manager, reason=" ")
    assert "Say why it is rejected." in refused.value.messages
    rejected = services.reject_compensation(
        compensation=proposed, by=manager, reason="The scratch was there at pickup"
    )
    assert (rejected.status, rejected.decided_by) == ("rejected", manager)
    with pytest.raises(AlreadyDone, match="Already decided: Rejected by Wang Fang"):
        services.approve_compensation(compensation=proposed, by=manager)
    assert not LedgerEntry.objects.filter(kind="refund").exists()


def test_a_second_approval_gives_nothing_more(complaint, customer_service, manager):
    proposed = propose(customer_service, complaint, kind="refund", amount="500", method="cash")
    services.approve_compensation(compensation=proposed, by=manager)
    with pytest.raises(AlreadyDone):
        services.approve_compensation(compensation=proposed, by=manager)
    assert LedgerEntry.objects.filter(kind="refund").count() == 1


def test_a_refund_approved_after_the_money_went_back_otherwise_is_refused(
    complaint, customer_service, manager
):
    proposed = propose(customer_service, complaint, kind="refund", amount="1500", method="cash")
    order_services.refund(
        order=complaint.order, method="cash", amount="1000", staff=manager, note="Changed plan"
    )
    with pytest.raises(ValidationError, match="Only ¥1,000.00 has been paid"):
        services.approve_compensation(compensation=proposed, by=manager)
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
    assert LedgerEntry.objects.filter(kind="refund").count() == 1


def test_a_free_item_is_refused_at_approval_once_the_order_was_delivered(
    complaint, customer_service, manager, enlargement
):
    proposed = propose(customer_service, complaint, kind="free_item", price_item=enlargement)
    Order.objects.filter(pk=complaint.order_id).update(state=State.DELIVERED)
    with pytest.raises(ValidationError, match="production makes nothing more"):
        services.approve_compensation(compensation=proposed, by=manager)
    assert not ProductionItem.objects.filter(order=complaint.order).exists()


BAD = [
    ({"kind": "refund", "amount": "2000.01", "method": "cash"}, "amount", "Only ¥2,000.00"),
    ({"kind": "refund", "amount": "-5", "method": "cash"}, "amount", "more than zero"),
    ({"kind": "refund", "amount": "0", "method": "cash"}, "amount", "more than zero"),
    ({"kind": "refund", "amount": "5"}, "method", "how the money goes back"),
    ({"kind": "refund", "amount": "5", "method": "stored"}, "method", "paid from a stored-value"),
    ({"kind": "refund", "amount": "5", "method": "gold"}, "method", "how the money goes back"),
    ({"kind": "voucher", "amount": "-300"}, "amount", "more than zero"),
    ({"kind": "voucher", "amount": None}, "amount", "Enter an amount"),
    ({"kind": "voucher", "expires_on": None}, "expires_on", "until when"),
    ({"kind": "voucher", "expires_on": "today"}, "expires_on", "after today"),
    ({"kind": "free_item"}, "price_item", "Choose the product"),
    ({"kind": "free_item", "price_item": "other"}, "price_item", "this branch's price list"),
    ({"kind": "free_item", "price_item": "ok", "quantity": 0}, "quantity", "between 1 and 99"),
    ({"kind": "free_item", "price_item": "ok", "photo_number": -1}, "photo_number", "start"),
    ({"kind": "gift"}, "kind", "Choose what the couple is given"),
]


@pytest.mark.parametrize(("fields", "field", "message"), BAD)
def test_bad_input_is_refused_at_its_field_and_saves_nothing(
    complaint, customer_service, other_branch, enlargement, fields, field, message
):
    branch = complaint.branch
    if fields["kind"] == "voucher":
        fields = voucher(branch, **fields)
    if fields.get("expires_on") == "today":
        fields["expires_on"] = branch.today()
    if fields.get("price_item") == "ok":
        fields["price_item"] = enlargement
    elif fields.get("price_item") == "other":
        fields["price_item"] = services.price_list(branch=other_branch).get(
            product="enlargement", size='24"'
        )
    with pytest.raises(ValidationError) as refused:
        propose(customer_service, complaint, **fields)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Compensation.objects.exists()


def test_a_refund_never_exceeds_what_is_left_after_earlier_refunds(
    complaint, customer_service, manager
):
    order_services.refund(
        order=complaint.order, method="cash", amount="1500", staff=manager, note="Plan changed"
    )
    with pytest.raises(ValidationError, match="Only ¥500.00 has been paid, refunds deducted"):
        propose(customer_service, complaint, kind="refund", amount="500.01", method="cash")
    assert propose(customer_service, complaint, kind="refund", amount="500", method="cash")


def test_without_an_order_only_a_voucher_can_be_given(
    customer, receptionist, customer_service, enlargement
):
    complaint = log_complaint(customer=customer, text="Rude on the phone", logged_by=receptionist)
    for fields in (
        {"kind": "refund", "amount": "5", "method": "cash"},
        {"kind": "free_item", "price_item": enlargement},
    ):
        with pytest.raises(ValidationError, match="only a voucher can be given"):
            propose(customer_service, complaint, **fields)
    assert propose(customer_service, complaint, **voucher(customer.branch)).order is None


def test_only_a_delay_apology_call_is_compensated(order, customer_service):
    from django.utils import timezone

    from followups.services import create_call_task

    call = create_call_task(
        customer=order.customer, order=order, kind=CallTask.Kind.URGE,
        due_at=timezone.now(), occasion="urge-test",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="apology for a delay"):
        propose(customer_service, call_task=call, **voucher(order.branch))
    assert not Compensation.objects.exists()


@pytest.mark.parametrize("role", roles.ALL)
def test_every_other_role_is_refused_to_propose(complaint, make_staff, role):
    staff = make_staff(role)
    if role in services.PROPOSES_COMPENSATION:
        assert propose(staff, complaint, **voucher(complaint.branch))
        return
    with pytest.raises(PermissionDenied):
        propose(staff, complaint, **voucher(complaint.branch))
    assert not Compensation.objects.exists()


@pytest.mark.parametrize("role", roles.ALL)
def test_only_a_store_manager_approves_or_rejects(complaint, customer_service, make_staff, role):
    proposed = propose(customer_service, complaint, kind="refund", amount="100", method="cash")
    staff = make_staff(role)
    if role == roles.MANAGER:
        assert services.approve_compensation(compensation=proposed, by=staff).ledger_entry
        return
    with pytest.raises(PermissionDenied):
        services.approve_compensation(compensation=proposed, by=staff)
    with pytest.raises(PermissionDenied):
        services.reject_compensation(compensation=proposed, by=staff, reason="No")
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
    assert not LedgerEntry.objects.filter(kind="refund").exists()


def test_staff_of_another_branch_neither_propose_nor_approve(
    complaint, customer_service, other_branch
):
    stranger = StaffFactory(roles=[roles.MANAGER, roles.CUSTOMER_SERVICE], branches=[other_branch])
    with pytest.raises(PermissionDenied):
        propose(stranger, complaint, **voucher(complaint.branch))
    proposed = propose(customer_service, complaint, **voucher(complaint.branch))
    with pytest.raises(PermissionDenied):
        services.approve_compensation(compensation=proposed, by=stranger)
    proposed.refresh_from_db()
    assert (proposed.status, proposed.voucher_code) == ("proposed", "")


def test_what_was_given_reads_in_the_readers_language(complaint, customer_service, enlargement):
    given = propose(customer_service, complaint, kind="free_item", price_item=enlargement)
    assert given.what == 'Free Enlargement 24" × 1, made at no charge'
    with translation.override("zh-hans"):
        assert "放大" in given.what and "免费" in given.what


def test_an_erased_couple_keeps_what_was_given_not_the_words(
    customer, receptionist, customer_service, manager
):
    from overview.selectors import customer_export
    from studio.services import erase_customer

    complaint = log_complaint(customer=customer, text="Rude on the phone", logged_by=receptionist)
    given = propose(customer_service, complaint, **voucher(customer.branch))
    refused = propose(customer_service, complaint, **voucher(customer.branch))
    services.approve_compensation(compensation=given, by=manager)
    services.reject_compensation(compensation=refused, by=manager, reason="One is enough")
    section = next(s for s in customer_export(customer) if s.key == "compensations")
    assert [row["reason"] for row in section.rows] == ["Sorry for the scratch"] * 2
    erase_customer(customer=customer, by=manager, typed_name=str(customer))
    kept = Compensation.objects.order_by("pk")
    assert [(c.reason, c.rejection_reason) for c in kept] == [("—", ""), ("—", "—")]
    assert kept[0].voucher_code and kept[0].amount == Decimal("300.00")


# --- A refund onto the stored-value card the order was paid from ---


@pytest.fixture
def paid_from_card(order, receptionist):
    """The order's ¥2,000 deposit at the desk, then ¥1,100 from the couple's card: ¥1,000 of
    money and ¥100 of bonus value (a top-up of ¥1,000 with the branch's ¥100 bonus)."""
    from orders.models import CardBonusRule

    CardBonusRule.objects.create(branch=order.branch, top_up=Decimal("1000"), bonus=Decimal("100"))
    card = order_services.open_card(customer=order.customer, staff=receptionist)
    order_services.top_up_card(card=card, method="cash", amount="1000", staff=receptionist)
    order_services.pay_from_card(
        card=card, order=order, kind="balance", amount="1100", staff=receptionist
    )
    return card


def test_a_refund_goes_back_onto_the_card_the_order_was_paid_from(
    complaint, paid_from_card, customer_service, manager
):
    from orders.models import CardEntry
    from overview import reports

    card, order = paid_from_card, complaint.order
    assert card.balance == Decimal("0.00")
    month = reports.Period.month_of(order.branch.today())
    revenue = reports.money(order.branch, month)["revenue_total"]
    proposed = propose(customer_service, complaint, kind="refund", amount="300", method="stored")
    approved = services.approve_compensation(compensation=proposed, by=manager)
    entries = list(
        LedgerEntry.objects.filter(request_key__startswith=f"compensation:{approved.pk}")
    )
    # The bonus value spent goes back first, then the money (orders.services.refund_to_card).
    assert [(e.kind, e.method, e.amount) for e in entries] == [
        ("card_bonus", "stored", Decimal("-100.00")),
        ("refund", "stored", Decimal("-200.00")),
    ]
    assert approved.ledger_entry == entries[0]
    assert [e.request_key for e in entries] == [
        f"compensation:{approved.pk}", f"compensation:{approved.pk}:1",
    ]  # fmt: skip
    assert card.real_balance == Decimal("200.00") and card.bonus_balance == Decimal("100.00")
    assert CardEntry.objects.filter(kind="returned").count() == 2
    assert Order.objects.get(pk=order.pk).paid == Decimal("2800.00")
    # Only the money was revenue: the bonus value never was.
    assert reports.money(order.branch, month)["revenue_total"] == revenue - Decimal("200.00")
    assert approved.what == "Refund of ¥300.00 (Stored-value card)"


def test_a_refund_onto_the_card_is_no_more_than_the_card_paid(
    complaint, paid_from_card, customer_service
):
    with pytest.raises(ValidationError) as refused:
        propose(customer_service, complaint, kind="refund", amount="1100.01", method="stored")
    assert refused.value.message_dict["amount"] == [
        "Only ¥1,100.00 was paid from the stored-value card, refunds deducted; refund no more "
        "onto the card."
    ]
    # The desk's money goes back at the desk, no more than the desk took.
    with pytest.raises(ValidationError, match="Only ¥2,000.00 has been paid"):
        propose(customer_service, complaint, kind="refund", amount="2000.01", method="cash")
    assert not Compensation.objects.exists()


def test_a_refund_onto_the_card_approved_after_the_card_money_went_back_is_refused(
    complaint, paid_from_card, customer_service, manager
):
    proposed = propose(customer_service, complaint, kind="refund", amount="1000", method="stored")
    order_services.refund_to_card(
        order=complaint.order, amount="500", staff=manager, note="Plan changed"
    )
    with pytest.raises(ValidationError, match="Only ¥600.00 was paid from the stored-value card"):
        services.approve_compensation(compensation=proposed, by=manager)
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
