"""The chain benchmark's dataset builder, at a thousandth of its size: what it writes obeys
the models' rules and the database's constraints, walks the journey (every state, money
that adds up, nobody booked twice) and leaves the periodic jobs nothing to do at its
moment. The benchmark itself (python -m bench, make bench) never runs in the test suite."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from bench import chain, checks
from orders.models import LedgerEntry, Order, State
from shoots.models import ResourceBooking
from studio import roles
from studio.models import Staff

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SCALE = chain.Scale(factor=0.004, branches=2, years=1, seed=7)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The dataset, built once for the module in a transaction rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with connection.cursor() as cursor:
            # Foreign keys checked as each COPY ends, not at a commit that never comes.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield chain.build(SCALE, now=NOW, out=lambda line: None)
        transaction.set_rollback(True)


def test_it_writes_the_volumes_of_its_scale(built, db):
    assert built["orders.Order"] == 400
    assert built["studio.Customer"] == 800
    for table in ("LedgerEntry", "OutboxMessage", "ResourceBooking", "CallTask", "Pick"):
        assert any(k.endswith(table) and v > 0 for k, v in built.items()), table


def test_its_rows_pass_the_models_full_clean(built, db):
    assert checks.sample_errors(per_table=40) == []


def test_the_journey_holds_together(built, db):
    assert checks.invariant_errors() == []
    assert ResourceBooking.objects.exists()  # and the exclusion constraint let them all in


def test_orders_are_in_every_state_by_their_age(built, db):
    mix = checks.state_mix()
    assert set(mix) >= {
        State.BOOKED, State.SCHEDULED, State.SHOT, State.IN_PRODUCTION, State.READY,
        State.DELIVERED, State.CANCELLED,
    }  # fmt: skip
    assert mix[State.DELIVERED] > mix[State.SCHEDULED]  # most orders are old ones
    young = Order.objects.filter(state=State.BOOKED).order_by("-signed_at").first()
    assert (NOW - young.signed_at).days < 30


def test_staff_of_every_role_log_in_with_the_known_password(built, db):
    for role in roles.ALL:
        login = "chain_manager" if role == roles.CHAIN_MANAGER else f"{role}_b01"
        staff = Staff.objects.select_related("user").get(user__username=login)
        assert role in staff.role_set
        assert staff.user.check_password(chain.PASSWORD)


def test_receipt_numbers_run_in_time_order_per_branch(built, db):
    entries = list(
        LedgerEntry.objects.filter(branch__code="b01")
        .order_by("receipt_no")
        .values_list("created_at", flat=True)
    )
    assert entries == sorted(entries)


def test_the_periodic_jobs_find_their_work_done(built, db):
    assert checks.settle(NOW) == {
        "care rules": 0,
        "shoot confirmation calls": 0,
        "selection confirmation calls": 0,
        "late production alerts": 0,
        "photos ready for the couple": 0,
    }


def test_every_page_of_the_table_is_held_to_its_target(built, db):
    """bench.targets holds a page to the target of its group: the month report and its
    CSV, the admin, the polls answered 304, and every other page staff use all day."""
    from bench import pages

    groups = {p.name: p.group for p in pages.pages_to_time()}
    assert {n for n, g in groups.items() if g == "report"} == {
        "managers' month report",
        "managers' month report, CSV",
    }
    assert {n for n, g in groups.items() if g == "admin"} == {
        n for n in groups if n.startswith("admin:")
    }
    assert {n for n, g in groups.items() if g == "poll"} == {
        "board, poll unchanged",
        "tablet, poll unchanged",
    }
    staff = {n for n, g in groups.items() if g == "staff"}
    assert len(staff) == 20
    assert {"Today (receptionist)", "board, poll", "my calls"} <= staff
