"""A couple moves to another branch: accepted by a manager there, with the chosen open
orders; the old branch loses access at once, the money stays where it was taken."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from followups.models import CallTask
from followups.services import create_call_task
from orders import services
from orders.models import LedgerEntry, Order, State, Transfer
from studio import roles
from studio.models import Customer
from tests.factories import CustomerFactory, StaffFactory


@pytest.fixture
def receiving(other_branch):
    """The store manager of the branch the couple moves to."""
    return StaffFactory(roles=[roles.MANAGER], branches=[other_branch], display_name="Xu Lan")


def accept(customer, receiving, other_branch, orders=(), reason="Moved to Beijing", **kwargs):
    kwargs.setdefault("owner", receiving)
    return services.transfer_customer(
        customer=Customer.objects.get(pk=customer.pk),
        to_branch=other_branch,
        orders=list(orders),
        reason=reason,
        by=receiving,
        **kwargs,
    )


def test_the_couple_and_the_chosen_orders_move(customer, order, receiving, other_branch, branch):
    transfer = accept(customer, receiving, other_branch, [order])
    customer.refresh_from_db()
    order.refresh_from_db()
    assert customer.branch == other_branch and customer.owner == receiving
    assert order.branch == other_branch and order.owner == receiving
    assert transfer.from_branch == branch and list(transfer.orders.all()) == [order]
    [moved] = order.moves.all()
    assert moved.note_text == (
        "Moved from Shanghai Jing'an to Beijing Chaoyang, accepted by Xu Lan: Moved to Beijing"
    )


def test_money_stays_where_it_was_taken_and_the_balance_is_due_at_the_new_branch(
    customer, order, receiving, other_branch, branch
):
    accept(customer, receiving, other_branch, [order])
    order = Order.objects.get(pk=order.pk)
    assert list(order.ledger.values_list("branch", flat=True)) == [branch.pk]
    assert order.balance_due == Decimal("6800.00")
    entry = services.take_payment(
        order=order, kind="balance", method="cash", amount="6800", staff=receiving
    )
    assert entry.branch == other_branch and entry.receipt_no.startswith("BJ1-")
    assert sorted(LedgerEntry.objects.values_list("branch__code", flat=True)) == ["bj1", "sh1"]


def test_orders_left_behind_stay_at_the_old_branch(
    customer, make_order, receptionist, receiving, other_branch, branch
):
    first, second = make_order(), make_order()
    accept(customer, receiving, other_branch, [second])
    assert Order.objects.get(pk=first.pk).branch == branch
    assert Order.objects.get(pk=second.pk).branch == other_branch


def test_the_old_branch_loses_access_at_once(
    login, customer, order, receptionist, manager, receiving, other_branch
):
    client = login(manager)
    assert client.get(reverse("overview:customer", args=[customer.pk])).status_code == 200
    accept(customer, receiving, other_branch, [order])
    for staff in (manager, receptionist):
        client = login(staff)
        assert client.get(reverse("overview:customer", args=[customer.pk])).status_code == 404
        assert client.get(order.get_absolute_url()).status_code == 404
        assert client.get(reverse("orders:plan", args=[order.number])).status_code == 404
        search = client.get(reverse("studio:customer_search"), {"q": customer.bride_phone})
        assert customer.bride_name not in search.text
        assert order.number not in client.get(reverse("orders:list")).text
    new = login(receiving)
    assert new.get(reverse("overview:customer", args=[customer.pk])).status_code == 200
    assert new.get(order.get_absolute_url()).status_code == 200


def test_open_calls_go_to_the_new_owner(customer, order, receiving, other_branch):
    from django.utils import timezone

    task = create_call_task(
        customer=customer, kind="other", due_at=timezone.now(), occasion="t:1", order=order
    )
    accept(customer, receiving, other_branch, [order])
    task = CallTask.objects.get(pk=task.pk)
    assert task.branch == other_branch and task.assignee == receiving


@pytest.mark.parametrize("who", ["old_manager", "receptionist_there", "nobody_there"])
def test_only_a_manager_of_the_receiving_branch_accepts(
    customer, order, manager, other_branch, who
):
    by = {
        "old_manager": manager,
        "receptionist_there": StaffFactory(roles=[roles.RECEPTIONIST], branches=[other_branch]),
        "nobody_there": StaffFactory(roles=[roles.MANAGER], branches=[]),
    }[who]
    with pytest.raises(PermissionDenied):
        services.transfer_customer(
            customer=customer, to_branch=other_branch, orders=[order], reason="x", by=by, owner=by
        )
    assert Customer.objects.get(pk=customer.pk).branch != other_branch
    assert not Transfer.objects.exists()


def test_a_reason_is_needed(customer, order, receiving, other_branch):
    with pytest.raises(ValidationError) as refused:
        accept(customer, receiving, other_branch, [order], reason="  ")
    assert "Say why the couple moves" in str(refused.value)
    assert not Transfer.objects.exists()


def test_the_new_owner_must_work_at_the_new_branch(
    customer, order, receiving, other_branch, receptionist
):
    with pytest.raises(ValidationError) as refused:
        accept(customer, receiving, other_branch, [order], owner=receptionist)
    assert "must work at Beijing Chaoyang" in str(refused.value)


def test_closed_or_someone_elses_orders_do_not_move(
    customer, make_order, receptionist, receiving, other_branch, branch, manager
):
    done = make_order()
    services.transition_order(order=done, name="cancel", by=manager.user)
    theirs = make_order(customer=CustomerFactory(branch=branch, owner=receptionist))
    for order in (done, theirs):
        with pytest.raises(ValidationError) as refused:
            accept(customer, receiving, other_branch, [order])
        assert "Only the couple's open orders" in str(refused.value)
    assert Customer.objects.get(pk=customer.pk).branch == branch
    assert Order.objects.get(pk=done.pk).state == State.CANCELLED


def test_accepting_twice_is_already_done(customer, order, receiving, other_branch):
    seen = Customer.objects.get(pk=customer.pk)
    accept(customer, receiving, other_branch, [order])
    with pytest.raises(services.AlreadyDone) as second:
        services.transfer_customer(
            customer=seen, to_branch=other_branch, orders=[], reason="x", by=receiving,
            owner=receiving,
        )  # fmt: skip
    assert "now filed at Beijing Chaoyang" in str(second.value)
    assert Transfer.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_managers_accepting_at_once_move_the_couple_once(
    customer, order, other_branch, is_postgres
):
    if not is_postgres:
        pytest.skip("row locks")
    managers = [StaffFactory(roles=[roles.MANAGER], branches=[other_branch]) for _ in "ab"]
    seen = Customer.objects.get(pk=customer.pk)
    barrier = threading.Barrier(2)
    outcomes = []

    def go(by):
        barrier.wait()
        try:
            services.transfer_customer(
                customer=seen, to_branch=other_branch, orders=[order], reason="race", by=by,
                owner=by,
            )  # fmt: skip
            outcomes.append("moved")
        except services.AlreadyDone:
            outcomes.append("already")
        except Exception as exc:  # pragma: no cover - shown when the race goes wrong
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(m,)) for m in managers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already", "moved"]
    assert Transfer.objects.count() == 1
    assert Order.objects.get(pk=order.pk).moves.count() == 1
