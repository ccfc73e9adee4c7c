"""The order-taking rota: round robin, skipping leave and busy takers; safe under races."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from studio import roles, services
from studio.models import Customer, Visit
from tests.factories import BranchFactory, CustomerFactory, StaffFactory


def _walk_in(branch, by, n):
    return services.register_visit(
        branch=branch,
        registered_by=by,
        new_customer={
            "bride_name": f"Bride {n}",
            "bride_phone": f"1360000{n:04d}",
            "groom_name": "",
            "groom_phone": "",
        },
    )


def _close(visit, staff):
    services.close_visit(visit=visit, staff=staff, outcome=Visit.Outcome.BOOKED)


def test_walk_ins_go_to_the_takers_in_turn(branch, rota, takers, receptionist):
    seen = []
    for n in range(4):
        visit = _walk_in(branch, receptionist, n)
        seen.append(visit.taker)
        _close(visit, receptionist)
    assert seen == [takers[0], takers[1], takers[2], takers[0]]


def test_the_taker_becomes_the_owner_of_a_new_couple(branch, rota, takers, receptionist):
    visit = _walk_in(branch, receptionist, 1)
    assert Customer.objects.get(pk=visit.customer_id).owner == takers[0]


def test_a_taker_on_leave_is_skipped(branch, rota, takers, receptionist):
    today = branch.today()
    services.record_leave(
        staff=takers[0], starts_on=today, ends_on=today + timedelta(days=1), agent=takers[1]
    )
    assert _walk_in(branch, receptionist, 1).taker == takers[1]


def test_a_taker_with_a_customer_is_skipped(branch, rota, takers, receptionist):
    first = _walk_in(branch, receptionist, 1)  # A is now with a customer
    second = _walk_in(branch, receptionist, 2)
    third = _walk_in(branch, receptionist, 3)
    assert [first.taker, second.taker, third.taker] == takers
    _close(second, receptionist)
    assert _walk_in(branch, receptionist, 4).taker == takers[1]


def test_when_everyone_is_busy_the_turn_goes_on(branch, rota, takers, receptionist):
    for n in range(3):
        _walk_in(branch, receptionist, n)
    assert _walk_in(branch, receptionist, 9).taker == takers[0]


def test_without_a_rota_the_registering_receptionist_takes_the_walk_in(branch, receptionist):
    assert _walk_in(branch, receptionist, 1).taker == receptionist


def test_a_returning_couple_goes_to_their_owner(branch, rota, takers, receptionist):
    couple = CustomerFactory(branch=branch, owner=takers[2])
    visit = services.register_visit(branch=branch, registered_by=receptionist, customer=couple)
    assert visit.taker == takers[2]


def test_the_rota_refuses_someone_from_another_branch(branch, other_branch, manager):
    stranger = StaffFactory(roles=[roles.RECEPTIONIST], branches=[other_branch])
    with pytest.raises(services.ValidationError):
        services.set_rota(branch=branch, day=branch.today(), takers=[stranger], set_by=manager)


@pytest.mark.django_db(transaction=True)
def test_two_walk_ins_at_the_same_moment_go_to_two_different_takers():
    assert connection.vendor == "postgresql"
    branch = BranchFactory(code="race", name="Race branch")
    manager = StaffFactory(roles=[roles.MANAGER], branches=[branch])
    takers = [StaffFactory(roles=[roles.RECEPTIONIST], branches=[branch]) for _ in range(2)]
    services.set_rota(branch=branch, day=branch.today(), takers=takers, set_by=manager)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def register(n):
        try:
            barrier.wait(timeout=10)
            results.append(_walk_in(branch, manager, n).taker_id)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(results) == sorted(t.pk for t in takers)


def test_the_turn_follows_the_order_the_manager_gave(branch, takers, manager, receptionist):
    services.set_rota(
        branch=branch, day=branch.today(), takers=[takers[2], takers[0]], set_by=manager
    )
    seen = []
    for n in range(3):
        visit = _walk_in(branch, receptionist, n)
        seen.append(visit.taker)
        _close(visit, receptionist)
    assert seen == [takers[2], takers[0], takers[2]]
