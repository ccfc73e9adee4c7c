"""Credits from the ledger and the order's people (commissions.services)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commissions import services
from commissions.models import Basis, Credit, ImmutableCredit, SaleShare
from orders import services as orders
from orders.models import LedgerEntry
from selection.models import SelectionSession
from studio import roles
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def pay(order, amount, staff, kind=LedgerEntry.Kind.BALANCE):
    return orders.take_payment(order=order, kind=kind, method="cash", amount=amount, staff=staff)


def credits_of(entry):
    return list(Credit.objects.filter(entry=entry).order_by("staff__display_name"))


def test_the_deposit_earns_the_order_taker_their_percentage(signing_rule, order, receptionist):
    deposit = order.ledger.get()
    [credit] = credits_of(deposit)
    assert credit.staff == receptionist
    assert credit.basis == Basis.SIGNING
    assert credit.base == Decimal("2000.00")
    assert credit.amount == Decimal("60.00")  # 3 % of ¥2,000
    assert credit.month == order.branch.today().replace(day=1)


def test_each_payment_earns_again(signing_rule, order, receptionist, make_staff):
    entry = pay(order, "1000", make_staff(roles.CASHIER))
    [credit] = credits_of(entry)
    assert credit.staff == receptionist  # the order taker, not who stood at the till
    assert credit.amount == Decimal("30.00")


def test_nothing_is_earned_without_a_rule(order):
    assert not Credit.objects.exists()


def test_a_rule_outside_its_dates_earns_nothing(make_rule, order, receptionist, branch):
    today = branch.today()
    make_rule(Basis.SIGNING, percent="3", valid_from=today.replace(year=today.year - 2),
              valid_until=today.replace(year=today.year - 1))  # fmt: skip
    pay(order, "1000", receptionist)
    assert not Credit.objects.exists()


def test_who_brought_the_couple_in_earns_the_invitation(
    make_rule, branch, make_order, receptionist, make_staff, package
):
    caller = make_staff(roles.CUSTOMER_SERVICE, display_name="Wu Jie")
    make_rule(Basis.INVITATION, percent="1")
    couple = CustomerFactory(branch=branch, owner=caller)
    order = make_order(customer=couple, package=package)
    [credit] = credits_of(order.ledger.get())
    assert (credit.staff, credit.basis, credit.amount) == (
        caller,
        Basis.INVITATION,
        Decimal("20.00"),
    )


def test_the_order_taker_who_invited_earns_no_invitation(make_rule, order):
    make_rule(Basis.INVITATION, percent="1")
    pay(order, "1000", order.owner)
    assert not Credit.objects.filter(basis=Basis.INVITATION).exists()


def test_the_selection_upsell_earns_the_consultant(make_rule, order, make_staff):
    consultant = make_staff(roles.SELECTION_CONSULTANT)
    cashier = make_staff(roles.CASHIER)
    make_rule(Basis.SELECTION_UPSELL, percent="10")
    SelectionSession.objects.create(order=order, consultant=consultant)
    orders.add_charge(order=order, kind="selection_upsell", amount="1500", staff=consultant,
                      description="Extra pages")  # fmt: skip
    entry = pay(order, "1500", cashier, kind=LedgerEntry.Kind.SELECTION_UPSELL)
    [credit] = credits_of(entry)
    assert (credit.staff, credit.amount) == (consultant, Decimal("150.00"))


def test_the_pickup_sale_earns_the_desk_that_made_it(make_rule, order, make_staff):
    clerk = make_staff(roles.PICKUP_CLERK, display_name="Tang Li")
    make_rule(Basis.PICKUP_SALE, fixed_amount="50")
    entry = pay(order, "300", clerk, kind=LedgerEntry.Kind.PICKUP_UPSELL)
    [credit] = credits_of(entry)
    assert (credit.staff, credit.amount, credit.basis) == (clerk, Decimal("50.00"), "pickup_sale")


def test_a_fixed_amount_is_earned_once_per_order(make_rule, order, receptionist):
    make_rule(Basis.SIGNING, fixed_amount="200")
    pay(order, "1000", receptionist)
    pay(order, "1000", receptionist)
    amounts = list(Credit.objects.values_list("amount", flat=True))
    assert amounts == [Decimal("200.00")]


def test_a_refund_takes_the_package_commission_back(signing_rule, order, receptionist):
    entry = orders.refund(order=order, method="cash", amount="500", staff=receptionist,
                          note="Changed package")  # fmt: skip
    [credit] = credits_of(entry)
    assert credit.amount == Decimal("-15.00")
    assert credit.staff == receptionist
    assert sum(Credit.objects.values_list("amount", flat=True)) == Decimal("45.00")


def test_a_reversal_undoes_exactly_what_the_entry_earned(
    signing_rule, order, receptionist, make_staff
):
    other = make_staff(roles.RECEPTIONIST, display_name="Hu Bo")
    services.share_sale(order=order, basis=Basis.SIGNING,
                        shares=[(receptionist, Decimal("50")), (other, Decimal("50"))],
                        by=receptionist)  # fmt: skip
    entry = pay(order, "999.99", receptionist)
    signing_rule.percent = Decimal("9")  # the rate changing later changes nothing undone
    signing_rule.save()
    reversal = orders.reverse_entry(entry=entry, staff=receptionist, note="Wrong order")
    assert [c.amount for c in credits_of(entry)] == [Decimal("15.00"), Decimal("15.00")]
    assert [c.amount for c in credits_of(reversal)] == [Decimal("-15.00"), Decimal("-15.00")]


def test_holds_earn_nothing(signing_rule, order, receptionist):
    entry = orders.take_hold(order=order, kind=LedgerEntry.Kind.LOCKER_DEPOSIT, method="cash",
                             amount="100", staff=receptionist)  # fmt: skip
    assert credits_of(entry) == []


def test_a_shared_sale_is_split_and_adds_up_to_the_whole(
    make_rule, order, receptionist, make_staff
):
    make_rule(Basis.SIGNING, percent="5")
    hu = make_staff(roles.RECEPTIONIST, display_name="Hu Bo")
    ma = make_staff(roles.RECEPTIONIST, display_name="Ma Li")
    shares = [(receptionist, Decimal("33.33")), (hu, Decimal("33.33")), (ma, Decimal("33.34"))]
    services.share_sale(order=order, basis=Basis.SIGNING, shares=shares, by=receptionist)
    entry = pay(order, "200", receptionist)  # 5 % is ¥10.00: three parts of 3.33 leave a fen
    credits = credits_of(entry)
    assert sum(c.amount for c in credits) == Decimal("10.00")
    assert sorted(c.amount for c in credits) == [Decimal("3.33"), Decimal("3.33"), Decimal("3.34")]
    assert {c.staff for c in credits} == {receptionist, hu, ma}


@pytest.mark.parametrize(
    "parts, message",
    [
        (["60", "30"], "add up to 100%"),
        (["50", "50", "same"], "one share only"),
        (["0", "100"], "more than nothing"),
    ],
)
def test_shares_that_do_not_add_up_are_refused(order, receptionist, make_staff, parts, message):
    other = make_staff(roles.RECEPTIONIST, display_name="Hu Bo")
    shares = [(receptionist, Decimal(parts[0])), (other, Decimal(parts[1]))]
    if len(parts) == 3:
        shares = [(receptionist, Decimal("50")), (receptionist, Decimal("50"))]
    with pytest.raises(ValidationError, match=message):
        services.share_sale(order=order, basis=Basis.SIGNING, shares=shares, by=receptionist)
    assert not SaleShare.objects.exists()


def test_a_share_for_someone_of_another_branch_is_refused(
    order, receptionist, make_staff, other_branch
):
    outsider = make_staff(roles.RECEPTIONIST, branch=other_branch, display_name="Ma Chao")
    with pytest.raises(ValidationError, match="does not work at this branch"):
        services.share_sale(order=order, basis=Basis.SIGNING,
                            shares=[(receptionist, Decimal("50")), (outsider, Decimal("50"))],
                            by=receptionist)  # fmt: skip


def test_a_shoot_fee_cannot_be_shared(order, receptionist):
    with pytest.raises(ValidationError, match="shoot"):
        services.share_sale(order=order, basis=Basis.SHOOT_MAKEUP,
                            shares=[(receptionist, Decimal("100"))], by=receptionist)  # fmt: skip


def test_an_entry_is_credited_once_however_often_it_is_asked(signing_rule, order):
    deposit = order.ledger.get()
    assert services.credit_entry(entry=deposit) == []
    assert services.credit_new_entries() == 0
    assert Credit.objects.count() == 1


def test_the_sweep_credits_entries_the_signal_did_not_see(signing_rule, order, receptionist):
    from commissions.models import Reckoned

    entry = pay(order, "1000", receptionist)
    # As a bulk load would leave it: no credits, not reckoned.
    Credit.objects.filter(entry=entry)._raw_delete(Credit.objects.db)
    Reckoned.objects.filter(entry=entry)._raw_delete(Reckoned.objects.db)
    assert services.credit_new_entries() == 1
    assert [c.amount for c in credits_of(entry)] == [Decimal("30.00")]


def test_credits_cannot_be_changed_or_deleted(signing_rule, order):
    credit = Credit.objects.get()
    credit.amount = Decimal("1")
    with pytest.raises(ImmutableCredit):
        credit.save()
    with pytest.raises(ImmutableCredit):
        credit.delete()
    with pytest.raises(ImmutableCredit):
        Credit.objects.update(amount=1)
    with pytest.raises(ImmutableCredit):
        Credit.objects.all().delete()
