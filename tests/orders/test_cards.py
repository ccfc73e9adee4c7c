"""Stored-value cards (储值卡): top-ups with the branch's bonus, payments on orders, refunds
of the unspent money, corrections; the balance is always read from the card's entries."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from orders import services
from orders.models import CardBonusRule, CardEntry, ImmutableEntry, LedgerEntry
from tests.factories import CustomerFactory


@pytest.fixture
def card(customer, receptionist):
    return services.open_card(customer=customer, staff=receptionist)


@pytest.fixture
def bonus_rules(branch):
    CardBonusRule.objects.create(branch=branch, top_up=Decimal("5000"), bonus=Decimal("300"))
    CardBonusRule.objects.create(branch=branch, top_up=Decimal("10000"), bonus=Decimal("1000"))


def top_up(card, staff, amount, **kwargs):
    return services.top_up_card(card=card, method="wechat", amount=amount, staff=staff, **kwargs)


def test_a_customer_has_one_card(customer, receptionist, manager, card):
    again = services.open_card(customer=customer, staff=manager)
    assert again == card
    assert card.number == f"SH1-C{customer.pk:07d}"
    assert card.balance == Decimal("0")


def test_a_top_up_gets_the_best_bonus_it_reaches(card, receptionist, bonus_rules):
    entry = top_up(card, receptionist, "12000")
    assert (entry.real, entry.bonus) == (Decimal("12000"), Decimal("1000"))
    assert card.balances == (Decimal("12000"), Decimal("1000"))
    assert card.balance == Decimal("13000")
    assert entry.receipt_no == "SH1-R0000001"


def test_a_small_top_up_gets_no_bonus(card, receptionist, bonus_rules):
    assert top_up(card, receptionist, "4999.99").bonus == Decimal("0")


def test_an_inactive_rule_gives_nothing(card, receptionist, branch):
    CardBonusRule.objects.create(branch=branch, top_up=1, bonus=50, is_active=False)
    assert top_up(card, receptionist, "100").bonus == Decimal("0")


def test_another_branchs_rule_gives_nothing(card, receptionist, other_branch):
    CardBonusRule.objects.create(branch=other_branch, top_up=1, bonus=50)
    assert top_up(card, receptionist, "100").bonus == Decimal("0")


@pytest.mark.parametrize("amount", ["0", "-5", "0.001", "abc", "99999999"])
def test_it_refuses_bad_top_up_amounts(card, receptionist, amount):
    with pytest.raises(ValidationError) as caught:
        top_up(card, receptionist, amount)
    assert "amount" in caught.value.message_dict
    assert not card.entries.exists()


def test_a_top_up_cannot_be_paid_with_the_card_itself(card, receptionist):
    with pytest.raises(ValidationError):
        services.top_up_card(card=card, method="stored", amount="100", staff=receptionist)


def test_a_double_submitted_top_up_counts_once(card, receptionist):
    first = top_up(card, receptionist, "500", request_key="k")
    second = top_up(card, receptionist, "500", request_key="k")
    assert first == second
    assert card.balance == Decimal("500")


def test_paying_from_the_card_spends_real_money_then_bonus(card, receptionist, order, bonus_rules):
    top_up(card, receptionist, "5000")  # 5000 + 300 bonus
    entries = services.pay_from_card(
        card=card, order=order, kind="balance", amount="5200", staff=receptionist
    )
    assert [(e.kind, e.method, e.amount) for e in entries] == [
        ("balance", "stored", Decimal("5000")),
        ("card_bonus", "stored", Decimal("200")),
    ]
    assert card.balances == (Decimal("0"), Decimal("100"))
    assert order.paid == Decimal("7200")  # the deposit and all the card paid
    assert order.balance_due == Decimal("1600")
    assert [e.card_entry.receipt_no for e in entries] == [e.receipt_no for e in entries]


def test_the_card_pays_no_more_than_it_holds(card, receptionist, order):
    top_up(card, receptionist, "100")
    with pytest.raises(ValidationError) as caught:
        services.pay_from_card(
            card=card, order=order, kind="balance", amount="100.01", staff=receptionist
        )
    assert "holds only" in caught.value.message_dict["amount"][0]
    assert order.ledger.count() == 1


def test_the_card_pays_no_more_than_is_due(card, receptionist, order):
    top_up(card, receptionist, "9000")
    with pytest.raises(ValidationError) as caught:
        services.pay_from_card(
            card=card, order=order, kind="balance", amount="6800.01", staff=receptionist
        )
    assert "still due" in caught.value.message_dict["amount"][0]


def test_a_card_pays_only_its_holders_orders(card, receptionist, make_order, branch):
    top_up(card, receptionist, "500")
    someone_else = make_order(customer=CustomerFactory(branch=branch))
    with pytest.raises(ValidationError, match="does not hold this card"):
        services.pay_from_card(
            card=card, order=someone_else, kind="balance", amount="100", staff=receptionist
        )


def test_a_card_payment_cannot_be_typed_in_as_a_plain_payment(order, receptionist):
    with pytest.raises(ValidationError) as caught:
        services.take_payment(
            order=order, kind="balance", method="stored", amount="100", staff=receptionist
        )
    assert "method" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.refund(order=order, method="stored", amount="1", staff=receptionist, note="x")


def test_reversing_a_card_payment_puts_the_money_back_on_the_card(
    card, receptionist, manager, order
):
    top_up(card, receptionist, "1000")
    [entry] = services.pay_from_card(
        card=card, order=order, kind="balance", amount="400", staff=receptionist
    )
    reversal = services.reverse_entry(entry=entry, staff=manager, note="wrong order")
    assert reversal.amount == Decimal("-400")
    assert card.balance == Decimal("1000")
    assert order.paid == Decimal("2000")
    assert reversal.card_entry.kind == CardEntry.Kind.REVERSAL


def test_a_refund_gives_back_the_real_money_and_forfeits_the_bonus(
    card, receptionist, order, bonus_rules
):
    top_up(card, receptionist, "10000")
    services.pay_from_card(
        card=card, order=order, kind="balance", amount="3000", staff=receptionist
    )
    refund = services.refund_card(
        card=card, method="transfer", staff=receptionist, note="moving abroad"
    )
    assert (refund.real, refund.bonus) == (Decimal("-7000"), Decimal("-1000"))
    assert card.balance == Decimal("0")
    with pytest.raises(ValidationError, match="Nothing is left"):
        services.refund_card(card=card, method="cash", staff=receptionist, note="again")


def test_a_refund_needs_a_reason(card, receptionist):
    top_up(card, receptionist, "100")
    with pytest.raises(ValidationError) as caught:
        services.refund_card(card=card, method="cash", staff=receptionist, note="")
    assert "note" in caught.value.message_dict


def test_a_mistaken_top_up_is_reversed_while_unspent(card, receptionist, manager, order):
    mistake = top_up(card, receptionist, "1000")
    services.pay_from_card(card=card, order=order, kind="balance", amount="1", staff=receptionist)
    with pytest.raises(ValidationError, match="already spent"):
        services.reverse_card_entry(entry=mistake, staff=manager, note="typo")
    right = top_up(card, receptionist, "50")
    reversal = services.reverse_card_entry(entry=right, staff=manager, note="typo")
    assert reversal.real == Decimal("-50")
    assert card.balance == Decimal("999")
    with pytest.raises(ValidationError, match="already reversed"):
        services.reverse_card_entry(entry=right, staff=manager, note="typo")


def test_card_entries_cannot_be_changed_or_deleted(card, receptionist):
    entry = top_up(card, receptionist, "100")
    entry.real = Decimal("1000")
    with pytest.raises(ImmutableEntry):
        entry.save()
    with pytest.raises(ImmutableEntry):
        entry.delete()
    with pytest.raises(ImmutableEntry):
        CardEntry.objects.filter(pk=entry.pk).update(real=1)


def test_the_database_refuses_to_rewrite_card_entries(card, receptionist):
    entry = top_up(card, receptionist, "100")
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE orders_cardentry SET real = 1 WHERE id = %s", [entry.pk])


def test_top_ups_and_payments_share_the_gapless_receipt_numbers(card, receptionist, order):
    top_up(card, receptionist, "100")
    services.pay_from_card(card=card, order=order, kind="balance", amount="50", staff=receptionist)
    numbers = sorted(
        [*LedgerEntry.objects.values_list("receipt_no", flat=True)]
        + [*CardEntry.objects.filter(ledger_entry=None).values_list("receipt_no", flat=True)]
    )
    assert numbers == ["SH1-R0000001", "SH1-R0000002", "SH1-R0000003"]
