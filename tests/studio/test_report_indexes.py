"""The tables the managers' report reads by period carry an index for it.

At chain scale a branch holds years of ledger entries, orders and visits; a report that
finds them by branch alone reads the whole history to keep one month (issue 11: 1.5 s for
the month report). The speed is the benchmark's to measure, and which plan PostgreSQL
picks depends on the data's size, so here the indexes themselves are checked: the ledger,
the orders and the visits by (branch, time); selections, production items and surveys,
which have no branch of their own, by time, joined to the branch's orders by
(branch, id).
"""

import pytest
from django.db import connection

INDEXED = [
    ("orders_ledgerentry", ["branch_id", "created_at"]),
    ("orders_order", ["branch_id", "signed_at"]),
    ("orders_order", ["branch_id", "id"]),
    ("studio_visit", ["branch_id", "arrived_at"]),
    ("selection_selectionsession", ["signed_at"]),
    ("selection_productionitem", ["qc_passed_at"]),
    ("pickup_survey", ["created_at"]),
]


@pytest.mark.parametrize(
    ("table", "columns"), INDEXED, ids=[f"{t}({', '.join(c)})" for t, c in INDEXED]
)
def test_the_reports_tables_are_indexed_for_a_period(db, table, columns):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table).values()
    indexes = [c["columns"] for c in constraints if c["index"]]
    # An index's key may be followed by the columns it carries (INCLUDE).
    assert any(index[: len(columns)] == columns for index in indexes)


def test_the_ledgers_period_index_carries_the_kind_and_the_amount(db):
    """The revenue lines and the 12-month trend read a branch's year of entries from the
    index alone: an index-only scan, not one heap page per entry."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "orders_ledgerentry")
    assert constraints["ledger_branch_money"]["columns"] == [
        "branch_id",
        "created_at",
        "kind",
        "amount",
    ]
