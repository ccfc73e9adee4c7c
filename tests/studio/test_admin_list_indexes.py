"""The admin's lists and searches are served by indexes: the SQL the admin writes and the
indexes the migrations create must agree (an UPPER() on one side only, and PostgreSQL reads
the whole table). Checked on the query plans with sequential scans priced out, as the
planner sees a chain's tables; the timings themselves are the benchmark's (bench/)."""

import pytest
from django.contrib import admin
from django.db import connection

from followups.models import CallTask, Complaint, OutboxMessage
from orders.models import LedgerEntry, Order, ReferralReward
from pickup.models import ItemCheck, PickupAppointment, Survey
from rentals.models import DressReservation
from shoots.models import Shoot
from studio.admin_lists import matching, orm_lookup
from studio.models import Customer, Visit

pytestmark = pytest.mark.django_db

ORDERED_BY = {
    LedgerEntry: "ledger_created",
    Order: "order_signed",
    ReferralReward: "referral_reward_created",
    Customer: "customer_created",
    Visit: "visit_arrived",
    CallTask: "calltask_due",
    OutboxMessage: "outbox_created",
    Complaint: "complaint_created",
    Shoot: "shoot_starts",
    PickupAppointment: "pickup_starts",
    Survey: "survey_created",
    ItemCheck: "item_check_at",
    DressReservation: "dress_res_pickup",
}

SEARCHED_BY = [
    (LedgerEntry, "receipt_no", "R0001", "ledger_receipt_trgm"),
    (LedgerEntry, "receipt_no", "sh", "ledger_receipt_prefix"),
    (Order, "number", "2026", "order_number_trgm"),
    (Order, "number", "b0", "order_number_prefix"),
    (OutboxMessage, "^to", "1380", "outbox_to_prefix"),
    (Customer, "bride_name", "王小", "customer_bride_prefix"),
    (Customer, "bride_name", "王小明", "customer_bride_trgm"),
]


def _plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("model", ORDERED_BY, ids=lambda m: m._meta.label)
def test_a_big_list_is_read_in_its_order_from_an_index(model):
    model_admin = admin.site._registry[model]
    ordering = list(model_admin.ordering or model._meta.ordering)
    plan = _plan(model._default_manager.order_by(*ordering)[:50])
    assert ORDERED_BY[model] in plan, plan


@pytest.mark.parametrize(
    ("model", "field", "term", "index"), SEARCHED_BY, ids=[s[-1] for s in SEARCHED_BY]
)
def test_a_search_is_served_by_an_index(model, field, term, index):
    lookup = orm_lookup(model, field, term)
    plan = _plan(model._default_manager.filter(matching(model, [lookup], term)).order_by())
    assert index in plan, plan
    assert "Seq Scan" not in plan, plan


# The biggest lists at chain scale (docs/performance.md: 1.9 million messages, 760,000
# ledger entries, 200,000 couples, 90,000 orders) and words people search them by: a
# surname or a two-character name (from the start), a full name (anywhere, by trigrams), a
# phone's first digits, a receipt's or an order's number.
BIGGEST = [OutboxMessage, LedgerEntry, Customer, Order]
TERMS = ["王芳", "王小明", "Zhao", "1380", "B01-R00012", "王小明 1380"]


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize("model", BIGGEST, ids=lambda m: m._meta.label)
def test_every_query_of_a_big_lists_search_is_served_by_indexes(model, term, rf, admin_user):
    """The admin's own search (its `search_fields`, its `get_search_results`), every query
    it runs, on plans with sequential scans priced out: a search field without an index
    (a text matched anywhere, a lookup the indexes do not cover) reads the whole table."""
    from django.test.utils import CaptureQueriesContext

    model_admin = admin.site._registry[model]
    request = rf.get("/", {"q": term})
    request.user = admin_user
    with CaptureQueriesContext(connection) as ran:
        found, _repeats = model_admin.get_search_results(
            request, model_admin.get_queryset(request), term
        )
        list(found.order_by()[:50])
    selects = [q["sql"] for q in ran.captured_queries if q["sql"].startswith("SELECT")]
    assert selects
    for sql in selects:
        plan = _plan_sql(sql)
        assert "Seq Scan" not in plan, f"{sql}\n{plan}"


def _plan_sql(sql):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())
