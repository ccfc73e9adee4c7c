"""The customer file: everything about the couple, newest first; payments from the file."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from followups.models import CallTask
from followups.services import create_call_task
from orders.models import LedgerEntry
from shoots.models import Shoot
from studio import roles, services


def _url(customer):
    return reverse("overview:customer", args=[customer.pk])


@pytest.fixture
def history(branch, receptionist, customer, make_order, customer_service):
    with time_machine.travel(timezone.now() - timedelta(hours=2), tick=False):
        visit = services.register_visit(
            branch=branch, registered_by=receptionist, customer=customer
        )
    services.close_visit(visit=visit, staff=receptionist, outcome="booked")
    order = make_order()
    create_call_task(
        customer=customer,
        kind=CallTask.Kind.OTHER,
        due_at=timezone.now() + timedelta(days=1),
        occasion="file:1",
        assignee=customer_service,
    )
    return order


def test_it_shows_the_timeline_newest_first(login, receptionist, customer, history):
    response = login(receptionist).get(_url(customer))
    assert response.status_code == 200
    kinds = [e.kind for e in response.context["timeline"]]
    assert kinds == ["call", "payment", "order", "visit"]
    times = [e.at for e in response.context["timeline"]]
    assert times == sorted(times, reverse=True)
    assert history.number.encode() in response.content
    assert customer.bride_phone.encode() in response.content


def test_roles_without_money_see_no_money_and_no_phones(login, make_staff, customer, history):
    # Field staff don't open the file at all (issue 8); the back office sees it masked.
    response = login(make_staff(roles.RETOUCHER)).get(_url(customer))
    assert response.status_code == 200
    body = response.content.decode()
    assert customer.bride_phone not in body and customer.groom_phone not in body
    assert "¥" not in body
    assert [e.kind for e in response.context["timeline"]] == ["call", "order", "visit"]
    assert all(e.amount is None for e in response.context["timeline"])


def test_a_payment_taken_from_the_file_comes_back_to_the_file(
    login, receptionist, customer, history
):
    data = {
        "kind": "balance",
        "method": "cash",
        "amount": "1000",
        "request_key": "k1",
        "next": _url(customer),
    }
    client = login(receptionist)
    response = client.post(reverse("orders:pay", args=[history.number]), data)
    assert response.status_code == 302 and response.url == _url(customer)
    assert history.ledger.count() == 2
    again = client.post(reverse("orders:pay", args=[history.number]), data)
    assert again.status_code == 302
    assert history.ledger.count() == 2  # a double click records one payment
    page = client.get(_url(customer))
    receipt = history.ledger.get(kind=LedgerEntry.Kind.BALANCE).receipt_no
    assert reverse("orders:receipt", args=[history.number, receipt]).encode() in page.content


def test_a_payment_above_what_is_due_is_refused(login, receptionist, history):
    data = {"kind": "balance", "method": "cash", "amount": "999999", "request_key": "k2"}
    response = login(receptionist).post(reverse("orders:pay", args=[history.number]), data)
    assert response.status_code == 400
    assert "amount" in response.context["payment_form"].errors
    assert history.ledger.count() == 1


def test_a_payment_never_redirects_elsewhere(login, receptionist, history):
    data = {
        "kind": "balance",
        "method": "cash",
        "amount": "10",
        "request_key": "k3",
        "next": "https://evil.example/",
    }
    response = login(receptionist).post(reverse("orders:pay", args=[history.number]), data)
    assert response.url == history.get_absolute_url()


def test_each_order_on_the_file_has_its_own_payment_key(
    login, receptionist, customer, make_order, history
):
    make_order()
    response = login(receptionist).get(_url(customer))
    keys = {o.payment_form["request_key"].value() for o in response.context["orders"]}
    assert len(keys) == 2


def test_it_rejects_post(login, receptionist, customer):
    assert login(receptionist).post(_url(customer)).status_code == 405


def test_another_branch_gets_404(login, other_receptionist, customer):
    assert login(other_receptionist).get(_url(customer)).status_code == 404


def test_the_agent_sees_a_banner_on_whose_behalf(login, branch, receptionist, make_staff, customer):
    agent = make_staff(roles.RECEPTIONIST, display_name="Agent Xu")
    services.record_leave(
        staff=receptionist,
        starts_on=branch.today(),
        ends_on=branch.today(),
        agent=agent,
        message="Back Monday",
    )
    response = login(agent).get(_url(customer))
    assert b'data-testid="on-behalf"' in response.content
    assert b"Li Na" in response.content and b"Back Monday" in response.content


def test_its_query_count_is_fixed(
    login, receptionist, customer, make_order, django_assert_max_num_queries
):
    for _ in range(5):
        order = make_order(deposit=Decimal("100"))
    client = login(receptionist)
    with django_assert_max_num_queries(30):
        response = client.get(_url(customer))
    assert order.number.encode() in response.content


def test_the_trail_of_changes_keeps_the_query_count_fixed(
    login, receptionist, customer, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from studio.services import update_customer

    client = login(receptionist)
    client.get(_url(customer))  # warm the session
    update_customer(customer=customer, by=receptionist, wechat="wx_1")
    with CaptureQueriesContext(connection) as few:
        client.get(_url(customer))
    for n in range(2, 12):
        update_customer(customer=customer, by=receptionist, wechat=f"wx_{n}")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(_url(customer))
    assert b"wx_11" in response.content


def test_messages_show_in_the_file_without_the_address(
    login, receptionist, make_staff, customer, branch, customer_service
):
    retoucher = make_staff(roles.RETOUCHER)
    visit = services.register_visit(branch=branch, registered_by=receptionist, customer=customer)
    services.close_visit(
        visit=visit,
        staff=receptionist,
        outcome="not_booked",
        not_booked_reason="Over budget",
        not_booked_because="other",
    )
    for staff in (receptionist, customer_service):
        response = login(staff).get(_url(customer))
        messages = [e for e in response.context["timeline"] if e.kind == "message"]
        assert len(messages) == 1, staff
        assert "SMS" in messages[0].title
        assert customer.bride_phone not in messages[0].detail
    # Who does not call customers sees no messages on the file (roles.SEES_MESSAGES), and
    # no phone.
    response = login(retoucher).get(_url(customer))
    assert not [e for e in response.context["timeline"] if e.kind == "message"]
    assert customer.bride_phone not in response.content.decode()


def test_roles_that_cannot_open_the_consultation_get_no_link_to_it(
    login, make_staff, customer, history
):
    retoucher = make_staff(roles.RETOUCHER)
    response = login(retoucher).get(_url(customer))
    assert response.status_code == 200
    visit = customer.visits.get()
    assert reverse("studio:visit", args=[visit.pk]).encode() not in response.content
    response = login(retoucher).get(reverse("studio:visit", args=[visit.pk]))
    assert response.status_code == 403


def test_the_file_shows_the_newest_events_and_the_rest_on_request(
    login, receptionist, customer, history, customer_service, settings
):
    from overview.selectors import TIMELINE_FIRST

    # Years of calls: more events than the file shows at first.
    start = timezone.now() - timedelta(days=400)
    for n in range(TIMELINE_FIRST + 5):
        create_call_task(
            customer=customer,
            kind=CallTask.Kind.OTHER,
            due_at=start + timedelta(days=n),
            occasion=f"old:{n}",
            assignee=customer_service,
        )
    client = login(receptionist)
    response = client.get(_url(customer))
    shown = response.context["timeline"]
    assert len(shown) == TIMELINE_FIRST and shown.earlier
    # The newest ones: the order, its payment, the visit and tomorrow's call are there.
    kinds = [e.kind for e in shown]
    assert {"order", "payment", "visit"} <= set(kinds)
    assert [e.at for e in shown] == sorted((e.at for e in shown), reverse=True)
    assert b'data-testid="timeline-earlier"' in response.content

    everything = client.get(_url(customer), {"timeline": "all"}).context["timeline"]
    assert len(everything) == TIMELINE_FIRST + 5 + 4 and not everything.earlier
    assert everything[:TIMELINE_FIRST] == list(shown)
    assert (
        b'data-testid="timeline-earlier"'
        not in client.get(_url(customer), {"timeline": "all"}).content
    )


def test_a_short_file_shows_everything_without_the_link(login, receptionist, customer, history):
    response = login(receptionist).get(_url(customer))
    assert not response.context["timeline"].earlier
    assert b'data-testid="timeline-earlier"' not in response.content


def test_the_timeline_rows_escape_what_people_typed(login, receptionist, customer, history):
    from followups.models import CallTask as Task

    Task.objects.filter(customer=customer).update(
        outcome="<script>alert(1)</script>", outcome_kind=""
    )
    body = login(receptionist).get(_url(customer)).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_no_banner_when_the_owners_leave_is_on_other_days(
    login, branch, receptionist, make_staff, customer
):
    agent = make_staff(roles.RECEPTIONIST, display_name="Agent Xu")
    services.record_leave(
        staff=receptionist,
        starts_on=branch.today() + timedelta(days=1),
        ends_on=branch.today() + timedelta(days=3),
        agent=agent,
    )
    response = login(agent).get(_url(customer))
    assert b'data-testid="on-behalf"' not in response.content


def test_the_file_links_the_consultation_in_progress_until_it_closes(
    login, branch, receptionist, customer
):
    visit = services.register_visit(branch=branch, registered_by=receptionist, customer=customer)
    link = f'mb-3" href="{reverse("studio:visit", args=[visit.pk])}">'.encode()
    client = login(receptionist)
    assert link in client.get(_url(customer)).content
    services.close_visit(visit=visit, staff=receptionist, outcome="booked")
    assert link not in client.get(_url(customer)).content


def test_the_timeline_reads_the_stages_rows_of_the_orders_it_was_given(
    make_order, customer, branch, receptionist
):
    """The stages' rows are read through the couple's orders; an order signed after the
    page read the orders (another desk, the same moment) shows with the next view, not as
    a row without its order."""
    from overview.selectors import customer_timeline

    first, later = make_order(), make_order()
    for o in (first, later):
        Shoot.objects.create(
            order=o,
            branch=branch,
            starts_at=timezone.now() + timedelta(days=3),
            ends_at=timezone.now() + timedelta(days=3, hours=6),
            created_by=receptionist,
        )
    both = customer_timeline(customer, sees_money=True, orders=[first, later])
    assert {e.title for e in both if e.kind == "shoot"} == {
        f"Shoot for {first.number}",
        f"Shoot for {later.number}",
    }
    assert {e.detail for e in both if e.kind == "payment"} == {first.number, later.number}
    read_before = customer_timeline(customer, sees_money=True, orders=[first])
    assert later.number not in " ".join(f"{e.title} {e.detail}" for e in read_before)
    assert [e.kind for e in read_before].count("shoot") == 1


def test_the_rarer_records_are_read_only_for_couples_who_have_some(
    login, receptionist, manager, customer, make_order, branch
):
    """A couple without a card, fapiao requests, complaints, compensations, referrals,
    rentals, consent records or changes recorded before the history: none of those is
    read. A couple with a card and such a change: both are on their file."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from orders.services import open_card
    from studio.models import CustomerChange

    make_order()
    client = login(receptionist)
    client.get(_url(customer))  # warm the session
    with CaptureQueriesContext(connection) as bare:
        client.get(_url(customer))
    read = " ".join(q["sql"] for q in bare.captured_queries)
    for table in (
        "orders_storedvaluecard",
        "orders_fapiaorequest",
        "followups_complaint",
        "selection_compensation",
        "orders_referralreward",
        "rentals_dressreservation",
        "studio_consentevent",
        "studio_customerchange",
    ):
        # Asked once, in the couple's own query (EXISTS), and never read on its own.
        assert read.count(f'FROM "{table}"') == 1, table

    card = open_card(customer=customer, staff=manager)
    CustomerChange.objects.create(
        customer=customer, staff=receptionist, field="wechat", old="wx_old", new="wx_new"
    )
    page = client.get(_url(customer)).content.decode()
    assert card.number in page and 'data-testid="open-card"' not in page
    assert "wx_old" in page and "wx_new" in page
