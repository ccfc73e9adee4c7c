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
