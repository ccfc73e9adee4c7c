"""The care-rule scan stays cheap at chain scale (issue 11: 200,000 couples): a run asks a
fixed number of queries however many couples it finds, each finder reads by an index
instead of scanning its table, and a holiday rule reads only its own holiday's couples,
only once its time has come and only those it has not greeted yet."""

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_fsm_log.models import StateLog

from followups import services
from followups.models import CareRule, OutboxMessage
from followups.services import CARE_LOOKBACK, run_care_rules
from followups.triggers import FINDERS
from orders.models import Order
from tests.factories import CustomerFactory, give_consent

from .test_care_rules import SH, T0

pytestmark = pytest.mark.django_db

T = CareRule.Trigger
MID_AUTUMN = date(2026, 9, 25)


def morning(day):
    return datetime.combine(day, time(9, 30), SH)


def couples(branch, n, **fields):
    found = [
        CustomerFactory(branch=branch, address="No. 1 Nanjing Road", **fields) for _ in range(n)
    ]
    for customer in found:
        give_consent(customer)
    return found


# A steady run (everything already fired) asks this many queries, whatever the number of
# couples: each rule's lock, its finder's few queries and one look at what it fired, and
# one read of the branches' own rules (100 with the two instalment reminders' rules), and
# two more (their branches, their owners) for each dated finder that found couples.
STEADY_RUN_QUERIES = 102


@pytest.mark.parametrize("n", [2, 12])
def test_a_run_after_the_greetings_asks_a_fixed_number_of_queries(
    branch, n, django_assert_max_num_queries
):
    couples(branch, n, bride_birthday=date(1995, 3, 10), wedding_date=date(2020, 3, 10))
    now = morning(date(2026, 3, 10))
    assert run_care_rules(now=now) == 2 * n
    with django_assert_max_num_queries(STEADY_RUN_QUERIES):
        assert run_care_rules(now=now + timedelta(minutes=10)) == 0


def test_what_a_rule_fired_is_found_across_several_questions(branch, monkeypatch):
    monkeypatch.setattr(services, "_ASK_BY", 2)
    couples(branch, 5, bride_birthday=date(1995, 3, 10))
    now = morning(date(2026, 3, 10))
    assert run_care_rules(now=now) == 5
    assert run_care_rules(now=now + timedelta(minutes=10)) == 0
    assert OutboxMessage.objects.filter(occasion__startswith="care:birthday_greeting:").count() == 5


# The finders' questions and the index each must be able to use (issue 11's table scans:
# birthdays by month and day, first deposits, failed follow-up calls, deliveries).
INDEXED = [
    (T.BIRTHDAY, ["customer_bride_month_day", "customer_groom_month_day"]),
    (T.WEDDING_ANNIVERSARY, ["customer_wedding_month_day"]),
    (T.DEPOSIT_PAID, ["ledger_created"]),
    (T.CALL_FAILED, ["calltask_failed_followups"]),
    (T.DELIVERED, ["statelog_by_state_and_time"]),
]


def _orders_log(n):
    """n state changes of orders over a year, one in fifty a delivery."""
    order_type = ContentType.objects.get_for_model(Order)
    states = ["booked", "scheduled", "shooting", "shot", "selecting", "in_production", "ready"]
    StateLog.objects.bulk_create(
        StateLog(
            timestamp=T0 - timedelta(hours=3 * i),
            state="delivered" if i % 50 == 0 else states[i % len(states)],
            source_state="ready",
            transition="deliver" if i % 50 == 0 else "advance",
            content_type=order_type,
            object_id=i + 1,
        )
        for i in range(n)
    )


@pytest.mark.parametrize("trigger,indexes", INDEXED)
def test_each_finder_reads_by_its_index(branch, trigger, indexes):
    with CaptureQueriesContext(connection) as asked:
        FINDERS.ask(trigger, T0 - timedelta(days=3), T0 + timedelta(days=1), T0)
    plans = []
    with connection.cursor() as cursor:
        # A state log as a studio's: every row an order's, few of them deliveries. On a
        # nearly empty table the planner may take any index (the content type's, say).
        _orders_log(3000)
        cursor.execute("ANALYZE django_fsm_log_statelog")
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table would be scanned
        for query in asked.captured_queries:
            cursor.execute(f"EXPLAIN {query['sql']}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    for index in indexes:
        assert any(index in plan for plan in plans), (index, plans)


def _holiday_facts(rule_key, now):
    rule = CareRule.objects.select_related("holiday").get(key=rule_key)
    since = now - CARE_LOOKBACK - rule.offset - timedelta(days=1)
    until = now - rule.offset + timedelta(days=1)
    return FINDERS.ask(T.HOLIDAY, since, until, now, rule=rule)


def test_a_holiday_rule_reads_nobody_before_its_time(branch):
    couples(branch, 3)
    assert _holiday_facts("holiday_mid_autumn", morning(MID_AUTUMN) - timedelta(minutes=1)) == []
    assert len(_holiday_facts("holiday_mid_autumn", morning(MID_AUTUMN))) == 3


def test_a_holiday_rule_reads_nobody_on_another_holiday(branch):
    couples(branch, 3)
    assert _holiday_facts("holiday_qixi", morning(MID_AUTUMN) + timedelta(hours=1)) == []


def test_a_holiday_rule_reads_only_the_couples_it_has_not_greeted(branch):
    greeted = couples(branch, 3)
    run_care_rules(now=morning(MID_AUTUMN))
    assert (
        OutboxMessage.objects.filter(occasion__startswith="care:holiday_mid_autumn:").count() == 3
    )
    later = morning(MID_AUTUMN) + timedelta(hours=2)
    assert _holiday_facts("holiday_mid_autumn", later) == []
    # A couple who agrees to messages that morning is greeted on the next run, and only they.
    [newcomer] = couples(branch, 1)
    assert [f.customer for f in _holiday_facts("holiday_mid_autumn", later)] == [newcomer]
    run_care_rules(now=later)
    greetings = OutboxMessage.objects.filter(occasion__startswith="care:holiday_mid_autumn:")
    assert sorted(greetings.values_list("customer", flat=True)) == sorted(
        c.pk for c in [*greeted, newcomer]
    )
