"""A voucher given in compensation is used at the desk (issue 14, item 6): on an order of the
couple it was given to, at any branch of the chain, by the desk of the order's branch; never
after its date, never more than is left of it nor more than the order owes. It lowers the
balance and is not money: the ledger, the receipts, the revenue, the commissions and the
fapiao never see it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from commissions.models import Basis, CommissionRule, Credit
from orders import services as order_services
from orders.models import Charge, ImmutableEntry, LedgerEntry, Order, State
from overview import reports
from selection import services
from selection.models import Compensation, VoucherUse
from studio import roles
from studio.services import AlreadyDone
from tests.factories import CustomerFactory, StaffFactory

D = Decimal


def give_voucher(complaint, customer_service, manager, amount="300", days=30):
    proposed = services.propose_compensation(
        by=customer_service, complaint=complaint, kind="voucher", amount=amount,
        expires_on=complaint.branch.today() + timedelta(days=days), reason="Scratched cover",
    )  # fmt: skip
    return services.approve_compensation(compensation=proposed, by=manager)


@pytest.fixture
def voucher(complaint, customer_service, manager):
    """A ¥300 voucher for the couple of `complaint` (their order: ¥6,800 still due)."""
    return give_voucher(complaint, customer_service, manager)


def redeem(order, voucher, staff, **kwargs):
    kwargs.setdefault("code", voucher.voucher_code)
    return services.redeem_voucher(order=Order.objects.get(pk=order.pk), staff=staff, **kwargs)


def fresh(order):
    return Order.objects.get(pk=order.pk)


def test_a_voucher_lowers_the_balance_without_being_money(voucher, receptionist, order):
    assert order.balance_due == D("6800.00")
    ledger = list(LedgerEntry.objects.values_list("pk", "receipt_no"))
    use = redeem(order, voucher, receptionist)
    assert (use.amount, use.order, use.branch, use.staff) == (D("300.00"), order, order.branch,
                                                              receptionist)  # fmt: skip
    assert (use.charge.kind, use.charge.amount) == ("voucher", D("-300.00"))
    assert use.charge.description_text == f"Voucher {voucher.voucher_code}"
    order = fresh(order)
    assert order.balance_due == D("6500.00")
    assert order.paid == D("2000.00")  # not money received
    assert list(LedgerEntry.objects.values_list("pk", "receipt_no")) == ledger  # no receipt
    assert order_services.invoiceable(order) == D("2000.00")  # nothing to invoice
    voucher = Compensation.objects.get(pk=voucher.pk)
    assert (voucher.used, voucher.left) == (D("300.00"), D("0.00"))


def test_revenue_and_commissions_never_see_a_voucher(voucher, receptionist, order, branch):
    CommissionRule.objects.create(
        branch=branch, basis=Basis.SIGNING, percent=D("3"), valid_from=date(2020, 1, 1)
    )
    month = reports.Period.month_of(branch.today())
    before = reports.money(branch, month)
    staff_before = {row.pk: row.revenue for row in reports.per_staff(branch, month)}
    credits = Credit.objects.count()
    redeem(order, voucher, receptionist)
    after = reports.money(branch, month)
    assert after["revenue_total"] == before["revenue_total"] == D("2000.00")
    assert after["revenue"] == before["revenue"]
    assert {row.pk: row.revenue for row in reports.per_staff(branch, month)} == staff_before
    assert Credit.objects.count() == credits
    # The rest of the balance, paid at the desk, earns as ever: on the money received.
    order_services.take_payment(
        order=fresh(order), kind="balance", method="cash", amount="6500", staff=receptionist
    )
    assert reports.money(branch, month)["revenue_total"] == D("8500.00")
    assert fresh(order).balance_due == D("0.00")


def test_part_of_a_voucher_may_be_used_and_the_rest_later(
    complaint, customer_service, manager, receptionist, make_order
):
    voucher = give_voucher(complaint, customer_service, manager, amount="500")
    first, second = complaint.order, make_order()
    assert redeem(first, voucher, receptionist, amount="200").amount == D("200.00")
    assert Compensation.objects.get(pk=voucher.pk).left == D("300.00")
    # Left empty: as much as the voucher has left (here less than the order owes).
    assert redeem(second, voucher, receptionist).amount == D("300.00")
    assert (fresh(first).balance_due, fresh(second).balance_due) == (D("6600.00"), D("6500.00"))
    with pytest.raises(ValidationError, match="is used up: its ¥500.00 was taken already"):
        redeem(second, voucher, receptionist)


def test_never_more_than_the_order_owes(voucher, receptionist, order):
    order_services.take_payment(
        order=order, kind="balance", method="cash", amount="6700", staff=receptionist
    )
    with pytest.raises(ValidationError) as refused:
        redeem(order, voucher, receptionist, amount="100.01")
    assert refused.value.message_dict == {"amount": ["Only ¥100.00 is still due on this order."]}
    # Left empty, it takes only what is due; the rest stays on the voucher.
    assert redeem(order, voucher, receptionist).amount == D("100.00")
    assert fresh(order).balance_due == D("0.00")
    assert Compensation.objects.get(pk=voucher.pk).left == D("200.00")
    with pytest.raises(ValidationError, match="Nothing is due on order"):
        redeem(order, voucher, receptionist)
    assert VoucherUse.objects.count() == 1


def test_never_more_than_is_left_of_the_voucher(voucher, receptionist, order):
    with pytest.raises(ValidationError) as refused:
        redeem(order, voucher, receptionist, amount="300.01")
    assert refused.value.message_dict == {
        "amount": [f"Voucher {voucher.voucher_code} has only ¥300.00 left."]
    }
    assert not VoucherUse.objects.exists() and not Charge.objects.exists()


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ("", "code", "Enter the voucher's code."),
        ("   ", "code", "Enter the voucher's code."),
        ("VSH1-XXXXXXXX", "code", "No voucher has the code VSH1-XXXXXXXX: check it with"),
    ],
)
def test_a_wrong_code_is_refused_at_its_field(voucher, receptionist, order, typed, field, message):
    with pytest.raises(ValidationError) as refused:
        redeem(order, voucher, receptionist, code=typed)
    assert message in " ".join(refused.value.message_dict[field])
    assert not VoucherUse.objects.exists() and not Charge.objects.exists()


@pytest.mark.parametrize("amount", ["-5", "0", "abc", "0.001", "99999999"])
def test_a_wrong_amount_is_refused_at_its_field(voucher, receptionist, order, amount):
    with pytest.raises(ValidationError) as refused:
        redeem(order, voucher, receptionist, amount=amount)
    assert "amount" in refused.value.message_dict
    assert not VoucherUse.objects.exists() and not Charge.objects.exists()


def test_the_code_is_read_as_typed_at_the_desk(voucher, receptionist, order):
    code = voucher.voucher_code
    typed = " " + code.lower()[:6] + " " + code.lower()[6:] + " "
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in code[:4])
    assert redeem(order, voucher, receptionist, code=typed, amount="100").amount == D("100.00")
    use = redeem(order, voucher, receptionist, code=full_width + code[4:], amount="100")
    assert use.voucher == voucher


def test_a_voucher_pays_only_its_own_couples_orders(voucher, receptionist, branch, package):
    stranger = order_services.create_order(
        customer=CustomerFactory(branch=branch), package=package, owner=receptionist,
        created_by=receptionist, deposit=D("2000"), deposit_method="cash",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        redeem(stranger, voucher, receptionist)
    assert refused.value.message_dict == {
        "code": [
            f"Voucher {voucher.voucher_code} was given to another couple: it pays only their "
            "orders."
        ]
    }
    assert fresh(stranger).balance_due == D("6800.00")
    assert not VoucherUse.objects.exists()


def test_a_voucher_is_good_until_the_end_of_its_last_day(voucher, receptionist, order, monkeypatch):
    from studio.models import Branch

    last_day = voucher.expires_on
    monkeypatch.setattr(Branch, "today", lambda self: last_day + timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        redeem(order, voucher, receptionist)
    assert refused.value.message_dict["code"][0].startswith(
        f"Voucher {voucher.voucher_code} was valid until"
    )
    assert not VoucherUse.objects.exists()
    monkeypatch.setattr(Branch, "today", lambda self: last_day)
    assert redeem(order, voucher, receptionist).amount == D("300.00")


def test_only_an_approved_voucher_is_taken(complaint, customer_service, receptionist, order):
    """A proposal has no code until a manager approves it; a row that had one anyway (made
    by hand) is still not taken while it is not approved."""
    proposed = services.propose_compensation(
        by=customer_service, complaint=complaint, kind="voucher", amount="300",
        expires_on=complaint.branch.today() + timedelta(days=30), reason="Scratched cover",
    )  # fmt: skip
    Compensation.objects.filter(pk=proposed.pk).update(voucher_code="VSH1-HANDMADE")
    with pytest.raises(ValidationError, match="No voucher has the code VSH1-HANDMADE"):
        redeem(order, proposed, receptionist, code="VSH1-HANDMADE")
    assert not VoucherUse.objects.exists()


def test_a_cancelled_order_takes_no_voucher(voucher, receptionist, order):
    Order.objects.filter(pk=order.pk).update(state=State.CANCELLED)
    with pytest.raises(ValidationError, match="is cancelled: a voucher cannot pay it"):
        redeem(order, voucher, receptionist)
    assert not VoucherUse.objects.exists()


@pytest.mark.parametrize("role", roles.ALL)
def test_only_the_desk_cashier_and_manager_take_vouchers(voucher, order, make_staff, role):
    staff = make_staff(role)
    if role in services.REDEEMS_VOUCHERS:
        assert redeem(order, voucher, staff).amount == D("300.00")
        return
    with pytest.raises(PermissionDenied):
        redeem(order, voucher, staff)
    assert not VoucherUse.objects.exists() and not Charge.objects.exists()


def test_staff_of_another_branch_take_no_voucher_on_this_branchs_order(
    voucher, order, other_branch
):
    stranger = StaffFactory(
        roles=[roles.RECEPTIONIST, roles.CASHIER, roles.MANAGER], branches=[other_branch]
    )
    with pytest.raises(PermissionDenied):
        redeem(order, voucher, stranger)
    assert not VoucherUse.objects.exists()


def test_the_voucher_follows_the_couple_to_another_branch(
    voucher, order, customer, other_branch, branch
):
    """The chain's voucher, given at the old branch, is taken at the new one on the order
    that moved; the balance falls there, nothing moves in the old branch's money."""
    receiving = StaffFactory(roles=[roles.MANAGER], branches=[other_branch])
    desk = StaffFactory(roles=[roles.RECEPTIONIST], branches=[other_branch])
    order_services.transfer_customer(
        customer=customer, to_branch=other_branch, orders=[order], reason="Moved", owner=receiving,
        by=receiving,
    )  # fmt: skip
    use = redeem(order, voucher, desk)
    assert (use.branch, voucher.branch) == (other_branch, branch)
    assert fresh(order).balance_due == D("6500.00")
    # The old branch's desk no longer reaches the order.
    old_desk = StaffFactory(roles=[roles.RECEPTIONIST], branches=[branch])
    with pytest.raises(PermissionDenied):
        redeem(order, voucher, old_desk)


def test_the_same_form_sent_twice_uses_the_voucher_once(voucher, receptionist, order):
    first = redeem(order, voucher, receptionist, amount="100", request_key="form-1")
    again = redeem(order, voucher, receptionist, amount="100", request_key="form-1")
    assert first == again and VoucherUse.objects.count() == 1
    assert fresh(order).balance_due == D("6700.00")


def test_a_use_is_never_changed_or_deleted(voucher, receptionist, order):
    use = redeem(order, voucher, receptionist)
    use.amount = D("1")
    with pytest.raises(ImmutableEntry):
        use.save()
    with pytest.raises(ImmutableEntry):
        use.delete()
    with pytest.raises(ImmutableEntry):
        VoucherUse.objects.filter(pk=use.pk).update(amount=D("1"))
    with (
        pytest.raises(ProgrammingError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE selection_voucheruse SET amount = 1 WHERE id = %s", [use.pk])


def test_a_manager_gives_a_mistaken_use_back_once(voucher, receptionist, manager, order):
    use = redeem(order, voucher, receptionist)
    with pytest.raises(ValidationError, match="Say why"):
        services.reverse_voucher_use(use=use, staff=manager, reason=" ")
    back = services.reverse_voucher_use(use=use, staff=manager, reason="Wrong order")
    assert (back.amount, back.reverses, back.note) == (D("-300.00"), use, "Wrong order")
    assert (back.charge.kind, back.charge.amount) == ("voucher", D("300.00"))
    assert fresh(order).balance_due == D("6800.00")
    assert Compensation.objects.get(pk=voucher.pk).left == D("300.00")
    with pytest.raises(AlreadyDone):
        services.reverse_voucher_use(use=use, staff=manager, reason="Again")
    with pytest.raises(AlreadyDone):
        services.reverse_voucher_use(use=back, staff=manager, reason="Undo the undo")
    assert VoucherUse.objects.count() == 2
    assert redeem(order, voucher, receptionist).amount == D("300.00")  # usable again


@pytest.mark.parametrize("role", roles.ALL)
def test_only_a_store_manager_gives_a_use_back(voucher, receptionist, order, make_staff, role):
    use = redeem(order, voucher, receptionist)
    staff = make_staff(role)
    if role == roles.MANAGER:
        assert services.reverse_voucher_use(use=use, staff=staff, reason="Wrong order")
        return
    with pytest.raises(PermissionDenied):
        services.reverse_voucher_use(use=use, staff=staff, reason="Wrong order")
    assert VoucherUse.objects.count() == 1


def test_a_manager_of_another_branch_gives_nothing_back(voucher, receptionist, order, other_branch):
    use = redeem(order, voucher, receptionist)
    stranger = StaffFactory(roles=[roles.MANAGER], branches=[other_branch])
    with pytest.raises(PermissionDenied):
        services.reverse_voucher_use(use=use, staff=stranger, reason="Wrong order")
    assert VoucherUse.objects.count() == 1


def test_an_erased_couple_keeps_the_vouchers_uses(
    customer, receptionist, customer_service, manager, order
):
    from followups.services import log_complaint
    from overview.selectors import customer_export
    from studio.services import erase_customer

    complaint = log_complaint(customer=customer, order=order, text="Late", logged_by=receptionist)
    voucher = give_voucher(complaint, customer_service, manager)
    redeem(order, voucher, receptionist)
    section = next(s for s in customer_export(customer) if s.key == "voucher_uses")
    assert [(r["voucher__voucher_code"], r["amount"]) for r in section.rows] == [
        (voucher.voucher_code, D("300.00"))
    ]
    order_services.take_payment(
        order=fresh(order), kind="balance", method="cash", amount="6500", staff=receptionist
    )
    Order.objects.filter(pk=order.pk).update(state=State.DELIVERED)
    erase_customer(customer=customer, by=manager, typed_name=str(customer))
    use = VoucherUse.objects.get()
    assert (use.amount, use.voucher.voucher_code) == (D("300.00"), voucher.voucher_code)
    assert Compensation.objects.get(pk=voucher.pk).reason == "—"
