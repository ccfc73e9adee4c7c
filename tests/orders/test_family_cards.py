"""Family cards: the main holder lets family members of the same branch (parents, say) pay
their orders from the card; the desk adds and removes them with the main holder's
agreement recorded, the statement shows who spent, and the card's lock still holds."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from orders import services
from orders.models import CardEntry, CardHolder, Order, StoredValueCard
from orders.views import CARD_ROLES
from studio import roles
from tests.factories import CustomerFactory, StaffFactory
from tests.races import run_together


@pytest.fixture
def card(customer, receptionist):
    card = services.open_card(customer=customer, staff=receptionist)
    services.top_up_card(card=card, method="cash", amount="1000", staff=receptionist)
    return card


@pytest.fixture
def parents(branch, receptionist):
    return CustomerFactory(
        branch=branch, owner=receptionist, bride_name="Mother Wu", groom_name="Father Wu"
    )


@pytest.fixture
def parents_order(make_order, parents):
    return make_order(customer=parents)


def add(card, who, staff, agreement="signed"):
    return services.add_card_holder(card=card, customer=who, agreement=agreement, staff=staff)


def pay(card, order, staff, amount="300"):
    return services.pay_from_card(
        card=card, order=order, kind="balance", amount=amount, staff=staff
    )


def test_a_holder_pays_their_order_and_the_statement_says_who(
    card, parents, parents_order, receptionist
):
    holder = add(card, parents, receptionist)
    assert holder.agreement == "signed" and holder.added_by == receptionist
    [entry] = pay(card, parents_order, receptionist)
    assert entry.card_entry.payer == parents
    assert card.balance == Decimal("700")


def test_a_non_holder_is_refused(card, parents, parents_order, receptionist):
    with pytest.raises(ValidationError) as refused:
        pay(card, parents_order, receptionist)
    assert "Mother Wu & Father Wu does not hold this card" in str(refused.value)
    assert card.balance == Decimal("1000")


def test_a_removed_holder_pays_no_more_and_the_row_is_kept(
    card, parents, parents_order, receptionist, manager
):
    holder = add(card, parents, receptionist)
    services.remove_card_holder(holder=holder, agreement="phone", staff=manager)
    with pytest.raises(ValidationError):
        pay(card, parents_order, receptionist)
    kept = CardHolder.objects.get(pk=holder.pk)
    assert kept.removed_by == manager and kept.removed_agreement == "phone"
    again = add(card, parents, receptionist, agreement="in_person")
    assert again.pk != holder.pk and pay(card, parents_order, receptionist)


def test_a_customer_of_another_branch_cannot_hold_the_card(card, other_branch, receptionist):
    stranger = CustomerFactory(branch=other_branch)
    with pytest.raises(ValidationError) as refused:
        add(card, stranger, receptionist)
    assert "Only customers of Shanghai Jing'an can share this card." in str(refused.value)
    assert not CardHolder.objects.exists()


def test_the_main_holders_agreement_must_be_recorded(card, parents, receptionist):
    with pytest.raises(ValidationError) as refused:
        add(card, parents, receptionist, agreement="")
    assert "Record how the main holder agreed." in str(refused.value)
    with pytest.raises(ValidationError):
        add(card, card.customer, receptionist)
    assert not CardHolder.objects.exists()


def test_adding_twice_is_already_done(card, parents, receptionist):
    add(card, parents, receptionist)
    with pytest.raises(services.AlreadyDone):
        add(card, parents, receptionist)
    assert CardHolder.objects.count() == 1


def test_a_card_of_another_branch_cannot_pay_even_for_a_holder(
    card, parents, receptionist, other_branch, package
):
    add(card, parents, receptionist)
    package.branches.add(other_branch)
    there = StaffFactory(roles=[roles.RECEPTIONIST], branches=[other_branch])
    elsewhere = services.create_order(
        customer=CustomerFactory(branch=other_branch, owner=there), package=package,
        owner=there, created_by=there, deposit=Decimal("100"), deposit_method="cash",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        pay(card, elsewhere, receptionist)
    assert "another customer or branch" in str(refused.value)


@pytest.mark.django_db(transaction=True)
def test_two_holders_spending_the_last_balance_at_once_make_one_payment(
    card, parents, parents_order, order, receptionist, manager, is_postgres
):
    if not is_postgres:
        pytest.skip("row locks")
    add(card, parents, receptionist)

    def spend(staff, on):
        return lambda: pay(
            StoredValueCard.objects.get(pk=card.pk), Order.objects.get(pk=on.pk), staff, "1000"
        )

    results = run_together(spend(receptionist, order), spend(manager, parents_order))
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    assert card.balance == Decimal("0")
    assert CardEntry.objects.filter(kind="spend").count() == 1


# --- The pages ---


def test_the_desk_adds_a_holder_by_phone_and_the_card_page_lists_them(
    login, receptionist, card, parents
):
    client = login(receptionist)
    response = client.post(
        reverse("orders:card_holder_add", args=[card.number]),
        {"phone": parents.bride_phone, "agreement": "signed", "note": "Her parents"},
        follow=True,
    )
    assert "may now pay from this card" in response.text
    assert "Mother Wu &amp; Father Wu" in response.text
    assert CardHolder.objects.get().customer == parents


def test_an_unknown_phone_is_a_sentence_and_saves_nothing(login, receptionist, card, other_branch):
    elsewhere = CustomerFactory(branch=other_branch)
    response = login(receptionist).post(
        reverse("orders:card_holder_add", args=[card.number]),
        {"phone": elsewhere.bride_phone, "agreement": "signed"},
    )
    assert response.status_code == 400
    assert "No customer of Shanghai Jing&#x27;an has this phone number." in response.text
    assert not CardHolder.objects.exists()


def test_the_holders_order_page_offers_the_family_card(
    login, receptionist, card, parents, parents_order
):
    add(card, parents, receptionist)
    client = login(receptionist)
    page = client.get(parents_order.get_absolute_url())
    assert "family card of" in page.text and card.number in page.text
    response = client.post(
        reverse("orders:pay_from_card", args=[parents_order.number]),
        {"card": card.pk, "kind": "balance", "amount": "250", "request_key": "f1"},
    )
    assert response.status_code == 302
    statement = client.get(card.get_absolute_url())
    assert "Mother Wu &amp; Father Wu" in statement.text
    assert card.balance == Decimal("750")


def test_a_non_holder_cannot_choose_the_card_on_their_order(
    login, receptionist, card, parents_order
):
    response = login(receptionist).post(
        reverse("orders:pay_from_card", args=[parents_order.number]),
        {"card": card.pk, "kind": "balance", "amount": "250", "request_key": "f2"},
    )
    assert response.status_code == 400
    assert card.balance == Decimal("1000")


def test_the_desk_removes_a_holder(login, receptionist, card, parents):
    holder = add(card, parents, receptionist)
    response = login(receptionist).post(
        reverse("orders:card_holder_remove", args=[holder.pk]), {"agreement": "phone"}, follow=True
    )
    assert "no longer pays from this card" in response.text
    assert CardHolder.objects.get().removed_at is not None


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - CARD_ROLES - {roles.CHAIN_MANAGER}))
def test_other_roles_may_not_change_the_holders(
    login, make_staff, receptionist, card, parents, role
):
    holder = add(card, parents, receptionist)
    client = login(make_staff(role))
    add_url = reverse("orders:card_holder_add", args=[card.number])
    assert client.post(add_url, {"phone": "13800000000", "agreement": "signed"}).status_code == 403
    remove_url = reverse("orders:card_holder_remove", args=[holder.pk])
    assert client.post(remove_url, {"agreement": "phone"}).status_code == 403
    assert CardHolder.objects.get().removed_at is None


def test_another_branch_may_not_change_the_holders(
    login, receptionist, card, parents, other_branch
):
    holder = add(card, parents, receptionist)
    client = login(StaffFactory(roles=[roles.RECEPTIONIST], branches=[other_branch]))
    add_url = reverse("orders:card_holder_add", args=[card.number])
    assert (
        client.post(add_url, {"phone": parents.bride_phone, "agreement": "signed"}).status_code
        == 404
    )
    remove_url = reverse("orders:card_holder_remove", args=[holder.pk])
    assert client.post(remove_url, {"agreement": "phone"}).status_code == 404
    assert CardHolder.objects.get().removed_at is None


def test_the_holder_routes_reject_get(login, receptionist, card, parents):
    holder = add(card, parents, receptionist)
    client = login(receptionist)
    assert client.get(reverse("orders:card_holder_add", args=[card.number])).status_code == 405
    assert client.get(reverse("orders:card_holder_remove", args=[holder.pk])).status_code == 405


def test_the_order_page_offers_the_cards_cards_of_gives(
    login, receptionist, manager, card, customer, parents, parents_order, branch
):
    """The order page reads the cards in one prepared query: the customer's own (oldest
    first), the family cards they hold, never one whose holding was removed."""
    from orders import selectors

    own = services.open_card(customer=parents, staff=receptionist)
    add(card, parents, receptionist)
    assert selectors.usable_cards(parents_order) == services.cards_of(parents)
    assert [c.pk for c in selectors.usable_cards(parents_order)] == sorted([own.pk, card.pk])
    [holder] = CardHolder.objects.all()
    services.remove_card_holder(holder=holder, agreement="phone", staff=manager)
    assert selectors.usable_cards(parents_order) == [own]
    page = login(receptionist).get(parents_order.get_absolute_url())
    assert own.number in page.text and card.number not in page.text


def test_an_order_at_another_branch_than_the_couples_offers_no_card(
    card, customer, make_order, other_branch
):
    """The cards are those of the couple's branch (services.cards_of) at the order's: once
    the couple's file moved to another branch, an order left at the old one pays from
    none, not even the card opened there."""
    from orders import selectors
    from studio.models import Customer

    order = make_order(customer=customer)
    assert selectors.usable_cards(order) == [card]
    Customer.objects.filter(pk=customer.pk).update(branch=other_branch)
    order = Order.objects.select_related("customer").get(pk=order.pk)
    assert services.cards_of(order.customer) == []
    assert selectors.usable_cards(order) == []
