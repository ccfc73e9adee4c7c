"""Fapiao requests on the order page and the customer file; issued and cancelled by the
cashier or a manager; refused to other roles and other branches."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from orders import services
from orders.models import FapiaoRequest
from orders.views import REQUESTS_FAPIAO
from studio import roles
from tests.factories import StaffFactory

TAX_NUMBER = "91440300708461136T"
COMPANY = {
    "title_kind": "company",
    "title": "深圳市腾讯计算机系统有限公司",
    "tax_number": TAX_NUMBER,
    "amount": "2000",
    "request_key": "f1",
}


@pytest.fixture
def stranger(other_branch):
    return StaffFactory(roles=[roles.MANAGER], branches=[other_branch])


@pytest.fixture
def cashier(make_staff):
    return make_staff(roles.CASHIER, display_name="Sun Mei")


@pytest.fixture
def fapiao(order, receptionist):
    data = {k: v for k, v in COMPANY.items() if k != "request_key"}
    return services.request_fapiao(order=order, staff=receptionist, **data)


def test_the_desk_records_a_request_shown_on_the_order_and_the_customer_file(
    login, receptionist, order
):
    client = login(receptionist)
    response = client.post(reverse("orders:request_fapiao", args=[order.number]), COMPANY)
    assert response.status_code == 302
    fapiao = FapiaoRequest.objects.get()
    assert (fapiao.tax_number, fapiao.amount, fapiao.status) == (
        TAX_NUMBER,
        Decimal("2000"),
        "requested",
    )
    page = client.get(order.get_absolute_url())
    assert TAX_NUMBER in page.text
    assert "Requested" in page.text
    file = client.get(reverse("overview:customer", args=[order.customer_id]))
    assert 'data-testid="customer-fapiao"' in file.text
    assert "深圳市腾讯计算机系统有限公司" in file.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tax_number": "91440300708461136X"}, "18 characters"),
        ({"amount": "2000.01"}, "Only ¥2,000.00 paid is not invoiced yet"),
        ({"amount": "0"}, "more than zero"),
        ({"title": ""}, "This field is required"),
    ],
)
def test_bad_requests_are_refused_at_their_field(login, receptionist, order, changes, message):
    response = login(receptionist).post(
        reverse("orders:request_fapiao", args=[order.number]), {**COMPANY, **changes}
    )
    assert response.status_code == 400
    assert message in response.text
    assert not FapiaoRequest.objects.exists()


def test_a_double_click_records_one_request(login, receptionist, order):
    client = login(receptionist)
    data = {**COMPANY, "amount": "100"}
    client.post(reverse("orders:request_fapiao", args=[order.number]), data)
    client.post(reverse("orders:request_fapiao", args=[order.number]), data)
    assert FapiaoRequest.objects.count() == 1


def test_the_cashier_issues_it(login, cashier, fapiao):
    client = login(cashier)
    page = client.get(fapiao.order.get_absolute_url())
    assert 'data-testid="fapiao-issue"' in page.text
    response = client.post(
        reverse("orders:fapiao_issue", args=[fapiao.pk]),
        {"number": "044001900111", "issued_on": "2026-05-01"},
        follow=True,
    )
    assert "Fapiao recorded as issued." in response.text
    fapiao.refresh_from_db()
    assert (fapiao.status, fapiao.fapiao_number) == ("issued", "044001900111")


def test_issuing_without_a_date_changes_nothing(login, cashier, fapiao):
    response = login(cashier).post(
        reverse("orders:fapiao_issue", args=[fapiao.pk]), {"number": "1"}, follow=True
    )
    assert "This field is required." in response.text
    fapiao.refresh_from_db()
    assert fapiao.status == "requested"


def test_a_manager_cancels_it_with_a_reason(login, manager, fapiao):
    response = login(manager).post(
        reverse("orders:fapiao_cancel", args=[fapiao.pk]), {"reason": "wrong title"}
    )
    assert response.status_code == 302
    fapiao.refresh_from_db()
    assert (fapiao.status, fapiao.cancel_reason) == ("cancelled", "wrong title")


@pytest.mark.parametrize(
    "role", sorted(set(roles.ALL) - set(services.ISSUES_FAPIAO) - {roles.CHAIN_MANAGER})
)
def test_other_roles_may_not_issue_or_cancel(login, make_staff, fapiao, role):
    client = login(make_staff(role))
    issue = {"number": "1", "issued_on": "2026-05-01"}
    assert client.post(reverse("orders:fapiao_issue", args=[fapiao.pk]), issue).status_code == 403
    cancel = {"reason": "x"}
    assert client.post(reverse("orders:fapiao_cancel", args=[fapiao.pk]), cancel).status_code == 403
    fapiao.refresh_from_db()
    assert fapiao.status == "requested"


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - REQUESTS_FAPIAO - {roles.CHAIN_MANAGER}))
def test_other_roles_may_not_request(login, make_staff, order, role):
    response = login(make_staff(role)).post(
        reverse("orders:request_fapiao", args=[order.number]), COMPANY
    )
    assert response.status_code == 403
    assert not FapiaoRequest.objects.exists()


def test_another_branch_finds_nothing(login, stranger, fapiao):
    client = login(stranger)
    issue = {"number": "1", "issued_on": "2026-05-01"}
    assert client.post(reverse("orders:fapiao_issue", args=[fapiao.pk]), issue).status_code == 404
    cancel = {"reason": "x"}
    assert client.post(reverse("orders:fapiao_cancel", args=[fapiao.pk]), cancel).status_code == 404
    url = reverse("orders:request_fapiao", args=[fapiao.order.number])
    assert client.post(url, {**COMPANY, "request_key": "f2"}).status_code == 404
    fapiao.refresh_from_db()
    assert fapiao.status == "requested"
    assert FapiaoRequest.objects.count() == 1


def test_the_order_page_speaks_chinese(login, receptionist, fapiao):
    client = login(receptionist)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(fapiao.order.get_absolute_url())
    assert "发票" in page.text
    assert "已申请" in page.text


def test_the_order_page_keeps_a_fixed_number_of_queries_with_requests(
    login, receptionist, order, django_assert_max_num_queries
):
    client = login(receptionist)
    services.request_fapiao(
        order=order, title_kind="personal", title="张三", amount="1", staff=receptionist
    )
    with django_assert_max_num_queries(60) as few:
        client.get(order.get_absolute_url())
    for _ in range(10):
        services.request_fapiao(
            order=order, title_kind="personal", title="张三", amount="1", staff=receptionist
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(order.get_absolute_url())


def test_the_planning_document_and_receipt_print_capitals(login, receptionist, order):
    client = login(receptionist)
    planning = client.get(reverse("orders:planning_document", args=[order.number]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(planning.content)).pages)
    assert "捌仟捌佰元整" in text  # agreed 8,800
    assert "贰仟元整" in text  # the deposit
    assert "陆仟捌佰元整" in text  # the balance
    entry = order.ledger.get()
    receipt = client.get(reverse("orders:receipt", args=[order.number, entry.receipt_no]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.content)).pages)
    assert "贰仟元整" in text
