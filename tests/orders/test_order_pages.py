import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from orders.models import LedgerEntry
from studio import roles
from tests.factories import CustomerFactory, StaffFactory


@pytest.fixture
def stranger(other_branch):
    """A receptionist of another branch."""
    return StaffFactory(roles=[roles.RECEPTIONIST], branches=[other_branch])


def test_it_lists_orders_with_balances(login, receptionist, order):
    response = login(receptionist).get(reverse("orders:list"))
    assert response.status_code == 200
    assert order.number in response.text
    assert "¥6,800.00" in response.text


def test_the_list_needs_a_login(client, order):
    response = client.get(reverse("orders:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_field_roles_may_not_see_orders(login, photographer, order):
    assert login(photographer).get(reverse("orders:list")).status_code == 403
    assert login(photographer).get(order.get_absolute_url()).status_code == 403


def test_another_branch_sees_none_of_our_orders(login, stranger, order):
    response = login(stranger).get(reverse("orders:list"))
    assert order.number not in response.text
    assert login(stranger).get(order.get_absolute_url()).status_code == 404


def test_the_list_keeps_a_fixed_number_of_queries(
    login, receptionist, make_order, branch, django_assert_max_num_queries
):
    for _ in range(15):
        make_order(customer=CustomerFactory(branch=branch, owner=receptionist))
    client = login(receptionist)
    with django_assert_max_num_queries(12):
        client.get(reverse("orders:list"))


def test_the_detail_page_shows_why_a_step_is_blocked(login, receptionist, order):
    response = login(receptionist).get(order.get_absolute_url())
    assert response.status_code == 200
    assert "The shoot must be booked on the control sheet first." in response.text


def test_it_takes_a_payment(login, receptionist, order):
    response = login(receptionist).post(
        reverse("orders:pay", args=[order.number]),
        {"kind": "balance", "method": "alipay", "amount": "800", "request_key": "k1"},
    )
    assert response.status_code == 302
    assert order.balance_due == Decimal("6000")


def test_a_double_click_records_one_payment(login, receptionist, order):
    client = login(receptionist)
    data = {"kind": "balance", "method": "cash", "amount": "100", "request_key": "same"}
    client.post(reverse("orders:pay", args=[order.number]), data)
    client.post(reverse("orders:pay", args=[order.number]), data)
    assert order.ledger.count() == 2


@pytest.mark.parametrize(
    ("amount", "message"),
    [("0", "more than zero"), ("-10", "more than zero"), ("99999", "still due")],
)
def test_it_refuses_bad_amounts_at_the_field(login, receptionist, order, amount, message):
    response = login(receptionist).post(
        reverse("orders:pay", args=[order.number]),
        {"kind": "balance", "method": "cash", "amount": amount, "request_key": amount},
    )
    assert response.status_code == 400
    assert message in response.text
    assert order.ledger.count() == 1


def test_payment_rejects_get(login, receptionist, order):
    assert login(receptionist).get(reverse("orders:pay", args=[order.number])).status_code == 405


def test_field_roles_may_not_take_payments(login, photographer, order):
    response = login(photographer).post(
        reverse("orders:pay", args=[order.number]),
        {"kind": "balance", "method": "cash", "amount": "100", "request_key": "x"},
    )
    assert response.status_code == 403
    assert order.ledger.count() == 1


def test_another_branch_may_not_take_payments(login, stranger, order):
    response = login(stranger).post(
        reverse("orders:pay", args=[order.number]),
        {"kind": "balance", "method": "cash", "amount": "100", "request_key": "x"},
    )
    assert response.status_code == 404


def test_a_blocked_transition_says_why(login, receptionist, order):
    response = login(receptionist).post(
        reverse("orders:transition", args=[order.number, "schedule"]), follow=True
    )
    assert "The shoot must be booked on the control sheet first." in response.text
    order.refresh_from_db()
    assert order.state == "booked"


def test_field_roles_may_not_fire_transitions(login, photographer, order):
    response = login(photographer).post(reverse("orders:transition", args=[order.number, "cancel"]))
    assert response.status_code == 403


def test_the_receipt_prints_in_chinese(login, receptionist, order):
    entry = order.ledger.get()
    client = login(receptionist)
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse("orders:receipt", args=[order.number, entry.receipt_no]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert entry.receipt_no in text
    assert "收据" in text
    assert "定金" in text
    assert "2,000.00" in text


def test_another_branch_cannot_print_our_receipt(login, stranger, order):
    entry = order.ledger.get()
    response = login(stranger).get(reverse("orders:receipt", args=[order.number, entry.receipt_no]))
    assert response.status_code == 404
    assert LedgerEntry.objects.count() == 1


def test_the_payment_form_offers_the_balance_first(login, receptionist, order):
    response = login(receptionist).get(order.get_absolute_url())
    assert response.context["payment_form"]["kind"].value() == "balance"


def test_a_second_press_of_a_transition_says_already_done_on_the_order_page(login, manager, order):
    from datetime import timedelta

    from django.utils import timezone

    from shoots.models import Shoot

    start = timezone.now() + timedelta(days=8)
    Shoot.objects.create(
        order=order,
        branch=order.branch,
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        created_by=manager,
    )
    client = login(manager)
    url = reverse("orders:transition", args=[order.number, "schedule"])
    assert client.post(url).status_code == 302
    again = client.post(url, follow=True)
    assert again.status_code == 200
    assert "Already done: this order is already Scheduled." in again.text


def test_the_order_page_keeps_a_fixed_number_of_queries(
    login, receptionist, order, make_staff, django_assert_max_num_queries
):
    """The history names who fired each step and the ledger who took each payment: one
    query each however many rows and people (it once read each person's name apart)."""
    from django_fsm_log.models import StateLog

    from orders import services

    client = login(receptionist)
    url = order.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(100) as first:
        client.get(url)
    for n in range(5):
        colleague = make_staff(roles.RECEPTIONIST, display_name=f"Colleague {n}")
        StateLog.objects.create(
            content_object=order, by=colleague.user, state=order.state, transition="sign"
        )
        services.take_payment(
            order=order, kind="balance", method="cash", amount=Decimal("10"), staff=colleague
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.text.count("Colleague") >= 10


def test_plans_transfers_and_fapiao_are_read_only_for_orders_that_have_some(
    login, receptionist, order
):
    """Most orders have no payment plan, transfer or fapiao request: the order's own
    query asks (EXISTS) and the page reads none of them; once the order has a plan and a
    fapiao request, the page shows both."""
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from orders import services

    client = login(receptionist)
    url = order.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as bare:
        client.get(url)
    read = " ".join(q["sql"] for q in bare.captured_queries)
    for table in ("orders_instalment", "orders_transferredorder", "orders_fapiaorequest"):
        assert read.count(f'FROM "{table}"') == 1, table

    services.request_fapiao(
        order=order, title_kind="personal", title="Zhang <San>", amount="1", staff=receptionist
    )
    due = timezone.localdate() + timedelta(days=7)
    services.set_payment_plan(order=order, instalments=[(due, order.balance_due)], by=receptionist)
    page = client.get(url).text
    assert "Zhang &lt;San&gt;" in page and 'data-testid="plan"' in page
