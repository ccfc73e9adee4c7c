"""The admin's lists at chain scale (issue 11): a fixed number of queries whatever the rows,
a count that says when it is the database's estimate, a search that reaches related rows
through their indexes and keeps the branch scope, a date drill-down without a DISTINCT over
every row. The demo studio (two branches) provides the records; the store manager of
branch 1 holds every permission, so only the scope limits what they see.
"""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo_studio import chain as demo
from followups.models import CallTask, OutboxMessage
from orders.models import LedgerEntry, Order, ReferralReward
from pickup.models import ItemCheck, PickupAppointment
from rentals.models import DressReservation
from selection.models import ProductionItem
from shoots.models import Shoot
from studio import roles
from studio.admin_lists import EstimatedCountPaginator
from studio.models import Branch, Customer, Staff, Visit

from ..factories import StaffFactory

# The lists of the big tables, and how many queries each may take (session, user, staff,
# branches, permissions, the count, the page, a filter's choices): never one per row.
LISTS = {
    LedgerEntry: 12,
    Order: 12,
    Customer: 12,
    Visit: 13,
    CallTask: 12,
    OutboxMessage: 14,
    Shoot: 13,
    PickupAppointment: 12,
    DressReservation: 12,
    ProductionItem: 12,
    ItemCheck: 10,
    ReferralReward: 10,
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo studio, built once for this module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo.build()
            b1, b2 = Branch.objects.order_by("code")
            manager = StaffFactory(roles=[roles.MANAGER], branches=[b1])
            manager.user.is_staff = True
            manager.user.save(update_fields=["is_staff"])
            manager.user.user_permissions.set(Permission.objects.all())
            chain = Staff.objects.get(user__username="chain_manager")
            yield {"b1": b1, "b2": b2, "manager": manager, "chain": chain}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def as_(client, world, db):
    def do(who):
        client.force_login(world[who].user)
        return client

    return do


def _list(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _rows(response):
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize("model", LISTS, ids=lambda m: m._meta.label)
@pytest.mark.parametrize("who", ["manager", "chain"])
def test_a_list_takes_the_same_few_queries_however_many_rows(
    as_, who, model, django_assert_max_num_queries
):
    client = as_(who)
    client.get(_list(model))  # the session and the site's caches warmed
    with django_assert_max_num_queries(LISTS[model]):
        response = client.get(_list(model))
    assert response.status_code == 200
    assert len(_rows(response)) > 1


def test_a_search_takes_a_few_queries_more(as_, world, django_assert_max_num_queries):
    client = as_("chain")
    number = Order.objects.filter(branch=world["b1"]).first().number
    with django_assert_max_num_queries(LISTS[LedgerEntry] + 2):  # the orders', the ids
        response = client.get(_list(LedgerEntry), {"q": number})
    assert {e.order.number for e in _rows(response)} == {number}


def test_the_count_is_exact_below_the_threshold(as_, world):
    response = as_("manager").get(_list(LedgerEntry), HTTP_ACCEPT_LANGUAGE="en")
    exact = LedgerEntry.objects.filter(branch=world["b1"]).count()
    assert response.context["cl"].result_count == exact
    body = response.content.decode()
    assert f"{exact} ledger entries" in body
    assert "estimated" not in body


def test_above_the_threshold_the_page_says_the_count_is_an_estimate(as_, world, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_up_to", 10)
    response = as_("manager").get(_list(LedgerEntry), HTTP_ACCEPT_LANGUAGE="en")
    cl = response.context["cl"]
    assert cl.paginator.count_is_estimated
    assert cl.result_count > 10
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert re.search(r"about [\d,]+ ledger entries \(estimated\)", text)
    response = as_("manager").get(_list(LedgerEntry), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "估计" in response.content.decode()


def test_head_office_is_shown_no_second_count_of_the_whole_table(as_):
    with CaptureQueriesContext(connection) as queries:
        as_("chain").get(_list(OutboxMessage), {"q": "13"})
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1, counts
    assert "LIMIT" in counts[0]  # the count stops at the threshold


def test_a_search_through_a_related_record_keeps_the_branch_scope(as_, world):
    """Branch 2's receipts found by their order's number: the manager of branch 1 sees none
    of them, head office sees them."""
    order = Order.objects.filter(branch=world["b2"], ledger__isnull=False).first()
    response = as_("manager").get(_list(LedgerEntry), {"q": order.number})
    assert _rows(response) == []
    response = as_("chain").get(_list(LedgerEntry), {"q": order.number})
    assert {e.order_id for e in _rows(response)} == {order.pk}


def test_a_search_by_the_couples_name_keeps_the_branch_scope(as_, world):
    customer = Customer.objects.filter(branch=world["b2"], orders__isnull=False).first()
    name = customer.bride_name
    response = as_("manager").get(_list(Order), {"q": name})
    assert all(o.branch_id == world["b1"].pk for o in _rows(response))
    response = as_("chain").get(_list(Order), {"q": name})
    assert customer.pk in {o.customer_id for o in _rows(response)}


def test_one_or_two_characters_match_from_the_start(as_, world):
    """The front desk's rule: no index finds one or two characters anywhere."""
    entry = LedgerEntry.objects.filter(branch=world["b1"]).first()
    client = as_("chain")
    head = entry.receipt_no[:2].lower()
    response = client.get(_list(LedgerEntry), {"q": head})
    starting = LedgerEntry.objects.filter(receipt_no__istartswith=head).count()
    assert response.context["cl"].result_count == starting > 0
    tail = entry.receipt_no[-2:]
    assert not entry.receipt_no.upper().startswith(tail.upper())
    assert entry not in _rows(client.get(_list(LedgerEntry), {"q": tail}))
    assert entry in _rows(client.get(_list(LedgerEntry), {"q": entry.receipt_no[-4:]}))


def test_every_word_of_a_search_must_match(as_, world):
    order = Order.objects.filter(branch=world["b1"]).select_related("customer").first()
    client = as_("chain")
    both = _rows(client.get(_list(Order), {"q": f"{order.number} {order.customer.bride_name}"}))
    assert both == [order]
    assert _rows(client.get(_list(Order), {"q": f"{order.number} nobody-by-this-name"})) == []


def test_the_customer_list_is_searched_as_the_front_desk_searches(as_, world):
    customer = Customer.objects.filter(branch=world["b1"]).exclude(bride_phone="").first()
    phone = str(customer.bride_phone)
    spaced = f"{phone[:3]} {phone[3:7]}"  # typed as it is read out
    found = _rows(as_("manager").get(_list(Customer), {"q": spaced}))
    assert customer in found
    assert all(c.branch_id == world["b1"].pk for c in found)


def test_a_message_is_found_by_its_address_from_the_start(as_, world):
    message = OutboxMessage.objects.filter(branch=world["b1"]).exclude(to="").first()
    client = as_("chain")
    assert message in _rows(client.get(_list(OutboxMessage), {"q": message.to[:5]}))
    assert message not in _rows(client.get(_list(OutboxMessage), {"q": message.to[1:6]}))


def test_the_date_drill_down_reads_no_row_by_row_distinct(as_):
    client = as_("chain")
    first, last = (
        Visit.objects.order_by(f).values_list("arrived_at", flat=True)[0]
        for f in ("arrived_at", "-arrived_at")
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_list(Visit))
    assert not [q for q in queries if "DISTINCT" in q["sql"]]
    body = response.content.decode()
    assert 'class="toplinks"' in body
    if first.year != last.year:
        for year in range(first.year, last.year + 1):
            assert f"arrived_at__year={year}" in body
    else:  # Django's rule: within one year, the months (within one month, the days)
        assert "arrived_at__month=" in body or "arrived_at__day=" in body


def test_the_message_template_filter_lists_the_catalogue(as_):
    with CaptureQueriesContext(connection) as queries:
        response = as_("chain").get(_list(OutboxMessage))
    assert not [q for q in queries if 'DISTINCT "followups_outboxmessage"' in q["sql"]]
    assert "template_key=" in response.content.decode()
