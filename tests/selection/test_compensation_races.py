"""Two managers press "Approve" on the same compensation at once: it takes effect once."""

from decimal import Decimal

import pytest

from orders.models import LedgerEntry
from selection import services
from selection.models import Compensation, ProductionItem
from studio import roles
from studio.services import AlreadyDone
from tests.races import run_together

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def managers(make_staff):
    return make_staff(roles.MANAGER), make_staff(roles.MANAGER)


def _approve_together(compensation, managers):
    return run_together(
        *(
            lambda m=m: services.approve_compensation(compensation=compensation, by=m)
            for m in managers
        )
    )


def _outcomes(results):
    done = [r for kind, r in results if kind == "ok"]
    refused = [r for kind, r in results if kind == "error"]
    assert len(done) == 1, results
    assert len(refused) == 1 and isinstance(refused[0], AlreadyDone), results
    return done[0]


def test_a_refund_approved_twice_at_once_is_posted_once(complaint, customer_service, managers):
    proposed = services.propose_compensation(
        by=customer_service, complaint=complaint, kind="refund", amount="800", method="cash",
        reason="Scratched cover",
    )  # fmt: skip
    approved = _outcomes(_approve_together(proposed, managers))
    refunds = LedgerEntry.objects.filter(kind="refund")
    assert [e.amount for e in refunds] == [Decimal("-800.00")]
    assert Compensation.objects.get().ledger_entry == refunds.get() == approved.ledger_entry
    assert complaint.order.paid == Decimal("1200.00")


def test_a_free_item_approved_twice_at_once_is_made_once(
    complaint, customer_service, managers, enlargement
):
    proposed = services.propose_compensation(
        by=customer_service, complaint=complaint, kind="free_item", price_item=enlargement,
        reason="Scratched cover",
    )  # fmt: skip
    _outcomes(_approve_together(proposed, managers))
    assert ProductionItem.objects.filter(order=complaint.order).count() == 1


def test_two_refunds_of_the_last_money_approved_at_once_never_exceed_what_was_paid(
    complaint, customer_service, managers
):
    first, second = (
        services.propose_compensation(
            by=customer_service,
            complaint=complaint,
            kind="refund",
            amount="1500",
            method="cash",
            reason="Scratched cover",
        )  # fmt: skip
        for _n in range(2)
    )
    results = run_together(
        lambda: services.approve_compensation(compensation=first, by=managers[0]),
        lambda: services.approve_compensation(compensation=second, by=managers[1]),
    )
    assert sorted(kind for kind, _r in results) == ["error", "ok"], results
    assert [e.amount for e in LedgerEntry.objects.filter(kind="refund")] == [Decimal("-1500.00")]
    assert sorted(Compensation.objects.values_list("status", flat=True)) == [
        "approved", "proposed",
    ]  # fmt: skip
