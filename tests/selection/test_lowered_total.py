"""A reopened list signed again for less than the couple paid (issue 14, item 7): the
difference waits for the cashier, who refunds it through the ledger or keeps it as credit
on the order — once, and never more than the difference."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from orders import services as orders
from orders.models import Charge, LedgerEntry
from selection import services
from selection.models import LoweredUpsell
from studio import roles
from studio.services import AlreadyDone
from tests.races import run_together


@pytest.fixture
def cashier(make_staff):
    return make_staff(roles.CASHIER, display_name="Sun Mei")


@pytest.fixture
def lowered(selecting_order, confirm, consultant):
    """35 photos confirmed (5 extra, ¥500 paid at once), reopened, signed again with 33:
    ¥200 paid beyond the new total."""
    confirm(selecting_order, numbers=range(1, 36), pay_now=("wechat", "500"))
    return _lower_to(selecting_order, consultant, keep=33)


def _lower_to(order, consultant, *, keep):
    services.reopen_selection(order=order, by=consultant)
    services.unpick(
        session=order.selection, numbers=range(keep + 1, 200), pass_="first", by=consultant
    )
    services.confirm_selection(order=order, by=consultant)
    order.refresh_from_db()
    return LoweredUpsell.objects.filter(order=order, decision="pending").first()


def _refunds(order):
    return list(order.ledger.filter(kind=LedgerEntry.Kind.REFUND).values_list("amount", flat=True))


def test_a_list_signed_for_less_waits_for_the_cashier(lowered, selecting_order):
    assert lowered.amount == Decimal("200.00")
    upsell = Charge.objects.filter(order=selecting_order, kind=Charge.Kind.SELECTION_UPSELL)
    assert sum(c.amount for c in upsell) == Decimal("300.00")


def test_a_lower_upsell_still_owed_just_owes_less(selecting_order, confirm, consultant):
    confirm(selecting_order, numbers=range(1, 36))
    assert _lower_to(selecting_order, consultant, keep=33) is None
    assert not LoweredUpsell.objects.exists()


def test_signed_for_less_again_the_waiting_difference_grows(lowered, selecting_order, consultant):
    again = _lower_to(selecting_order, consultant, keep=31)
    assert again.pk == lowered.pk and again.amount == Decimal("400.00")
    assert LoweredUpsell.objects.count() == 1


def test_signed_for_more_again_the_waiting_difference_goes(lowered, selecting_order, consultant):
    services.reopen_selection(order=selecting_order, by=consultant)
    for pass_ in ("first", "keep", "confirmed"):
        services.pick(
            session=selecting_order.selection, numbers=range(34, 36), pass_=pass_, by=consultant
        )
    services.confirm_selection(order=selecting_order, by=consultant)
    assert not LoweredUpsell.objects.exists()


def test_the_cashier_refunds_the_difference_through_the_ledger(lowered, selecting_order, cashier):
    due = selecting_order.balance_due
    done = services.settle_lowered_total(
        lowered=lowered, refund=True, method="wechat", amount="200", by=cashier
    )
    assert done.decision == "refunded" and done.refunded == Decimal("200.00")
    assert done.kept == Decimal("0")
    entry = done.refund_entry
    assert (entry.kind, entry.amount, entry.method, entry.staff) == (
        "refund", Decimal("-200.00"), "wechat", cashier
    )  # fmt: skip
    assert entry.receipt_no
    assert str(entry.note_text) == "Refund: the production list was signed again for less"
    selecting_order.refresh_from_db()
    assert selecting_order.balance_due == due + Decimal("200.00")


def test_part_refunded_the_rest_is_kept_as_credit(lowered, selecting_order, cashier):
    due = selecting_order.balance_due
    done = services.settle_lowered_total(
        lowered=lowered, refund=True, method="cash", amount="150", by=cashier
    )
    assert (done.refunded, done.kept) == (Decimal("150.00"), Decimal("50.00"))
    selecting_order.refresh_from_db()
    assert selecting_order.balance_due == due + Decimal("150.00")


def test_kept_as_credit_it_counts_towards_what_the_order_owes(lowered, selecting_order, cashier):
    due = selecting_order.balance_due
    done = services.settle_lowered_total(lowered=lowered, refund=False, by=cashier)
    assert (done.decision, done.kept, done.refund_entry) == ("kept", Decimal("200.00"), None)
    assert _refunds(selecting_order) == []
    selecting_order.refresh_from_db()
    assert selecting_order.balance_due == due


def test_decided_once(lowered, cashier):
    services.settle_lowered_total(lowered=lowered, refund=False, by=cashier)
    with pytest.raises(AlreadyDone, match="Already decided: Kept as credit on the order"):
        services.settle_lowered_total(
            lowered=lowered, refund=True, method="cash", amount="200", by=cashier
        )
    assert _refunds(lowered.order) == []


@pytest.mark.parametrize(
    ("method", "amount", "field", "message"),
    [
        ("cash", "200.01", "amount", "Refund at most the difference, ¥200.00."),
        ("cash", "0", "amount", None),
        ("cash", "-5", "amount", None),
        ("cash", "abc", "amount", None),
        ("cash", None, "amount", None),
        ("cash", "1.001", "amount", None),
        ("", "100", "method", "Choose how the money is given back."),
        ("stored", "100", "method", "Choose how the money is given back."),
        ("bitcoin", "100", "method", "Choose how the money is given back."),
    ],
)
def test_bad_input_is_refused_and_saves_nothing(lowered, cashier, method, amount, field, message):
    with pytest.raises(ValidationError) as caught:
        services.settle_lowered_total(
            lowered=lowered, refund=True, method=method, amount=amount, by=cashier
        )
    errors = caught.value.message_dict
    assert field in errors
    if message:
        assert errors[field] == [message]
    lowered.refresh_from_db()
    assert lowered.decision == "pending"
    assert _refunds(lowered.order) == []


def test_no_refund_beyond_what_was_paid_for_the_upsell(lowered, selecting_order, cashier, manager):
    orders.add_charge(
        order=selecting_order,
        kind=Charge.Kind.SELECTION_UPSELL,
        amount="150",
        description="Crystal added at the desk",
        staff=manager,
    )
    with pytest.raises(ValidationError) as caught:
        services.settle_lowered_total(
            lowered=lowered, refund=True, method="cash", amount="100", by=cashier
        )
    assert caught.value.message_dict["amount"] == [
        "Only ¥50.00 was paid for the upsell beyond what it costs now; refund no more, or "
        "keep it as credit."
    ]
    done = services.settle_lowered_total(
        lowered=lowered, refund=True, method="cash", amount="50", by=cashier
    )
    assert done.refunded == Decimal("50.00")


@pytest.mark.django_db(transaction=True)
def test_two_refunds_at_once_pay_back_once(selecting_order, confirm, consultant, cashier):
    confirm(selecting_order, numbers=range(1, 36), pay_now=("wechat", "500"))
    lowered = _lower_to(selecting_order, consultant, keep=33)

    def settle():
        return services.settle_lowered_total(
            lowered=lowered, refund=True, method="cash", amount="200", by=cashier
        )

    results = run_together(settle, settle, settle)
    assert sorted(kind for kind, _ in results) == ["error", "error", "ok"]
    assert all(isinstance(e, AlreadyDone) for kind, e in results if kind == "error")
    assert _refunds(selecting_order) == [Decimal("-200.00")]


@pytest.mark.django_db(transaction=True)
def test_a_refund_and_a_keep_at_once_decide_once(selecting_order, confirm, consultant, cashier):
    confirm(selecting_order, numbers=range(1, 36), pay_now=("wechat", "500"))
    lowered = _lower_to(selecting_order, consultant, keep=33)
    results = run_together(
        lambda: services.settle_lowered_total(
            lowered=lowered, refund=True, method="cash", amount="200", by=cashier
        ),
        lambda: services.settle_lowered_total(lowered=lowered, refund=False, by=cashier),
    )
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    lowered.refresh_from_db()
    assert _refunds(selecting_order) == ([Decimal("-200.00")] if lowered.refunded else [])
