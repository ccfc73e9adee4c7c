"""A couple's data exported on their request (PIPL): JSON and a PDF in their language,
gathered from every stage, for the store manager and customer service only, in their
branch, every export recorded, the queries not growing with the rows."""

import json

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from followups.services import log_complaint, queue_message
from overview.selectors import customer_export
from studio import roles
from studio.models import DataRequest
from tests.factories import CustomerFactory, give_consent

pytestmark = pytest.mark.django_db

SECTIONS = {
    "customer", "visits", "consent", "orders", "charges", "ledger", "shoots", "selections",
    "favourites", "production", "design_proofs", "pickups", "lost_slip_memos", "surveys",
    "rentals", "messages", "calls", "complaints", "compensations", "voucher_uses",
}  # fmt: skip


def _json(customer):
    return reverse("overview:customer_export_json", args=[customer.pk])


def _pdf(customer):
    return reverse("overview:customer_export_pdf", args=[customer.pk])


@pytest.fixture
def customer_service(make_staff):
    return make_staff(roles.CUSTOMER_SERVICE, display_name="Chen Jing")


@pytest.fixture
def filed(customer, order, receptionist):
    give_consent(customer, purposes=["care"], channels=["sms"])
    queue_message(customer=customer, key="visit_not_booked", occasion="o:1", context={})
    log_complaint(customer=customer, text="The album was late", logged_by=receptionist)
    return customer


def test_customer_service_exports_everything_as_json_and_it_is_recorded(
    login, customer_service, filed, order
):
    response = login(customer_service).post(_json(filed))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert set(data) >= SECTIONS
    assert data["customer"][0]["bride_phone"] == filed.bride_phone
    assert data["orders"][0]["number"] == order.number
    assert data["ledger"][0]["amount"] == "2000.00"
    assert data["consent"][0] == {
        **data["consent"][0], "purpose": "care", "channel": "sms", "granted": True,
    }  # fmt: skip
    assert data["complaints"][0]["text"] == "The album was late"
    assert data["messages"][0]["to"] == filed.bride_phone
    request = DataRequest.objects.get()
    assert (request.kind, request.by, request.customer) == ("export_json", customer_service, filed)


def test_the_manager_exports_a_pdf_and_it_is_recorded(login, manager, filed):
    response = login(manager).post(_pdf(filed))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert DataRequest.objects.get().kind == "export_pdf"


@pytest.mark.parametrize("language,words", [("zh-hans", ["您的个人信息", "订单", "同意记录"]),
                                            ("en", ["Your personal data", "Orders"])])  # fmt: skip
def test_the_pdf_speaks_the_customers_language(filed, language, words):
    with translation.override(language):
        html = render_to_string(
            "overview/customer_export.html",
            {
                "customer": filed,
                "sections": customer_export(filed),
                "exported_at": filed.created_at,
            },
        )
    for word in words:
        assert word in html


def test_the_export_reads_each_kind_of_record_once(
    branch, receptionist, django_assert_max_num_queries
):
    customer = CustomerFactory(branch=branch)
    for i in range(10):
        queue_message(customer=customer, key="visit_not_booked", occasion=f"o:{i}", context={})
        log_complaint(customer=customer, text=f"Complaint {i}", logged_by=receptionist)
    give_consent(customer)
    with django_assert_max_num_queries(len(SECTIONS)):
        sections = customer_export(customer)
    assert {s.key for s in sections} == SECTIONS
    assert len(next(s for s in sections if s.key == "messages").rows) == 10


def test_a_get_is_refused(login, manager, filed):
    assert login(manager).get(_json(filed)).status_code == 405
    assert not DataRequest.objects.exists()


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - {roles.MANAGER, roles.CUSTOMER_SERVICE}))
def test_every_other_role_is_refused(login, make_staff, filed, role):
    client = login(make_staff(role))
    assert client.post(_json(filed)).status_code in (403, 404)
    assert client.post(_pdf(filed)).status_code in (403, 404)
    assert not DataRequest.objects.exists()


def test_another_branchs_customer_is_not_found(login, manager, other_branch):
    stranger = CustomerFactory(branch=other_branch)
    assert login(manager).post(_json(stranger)).status_code == 404
    assert not DataRequest.objects.exists()


def test_the_file_offers_the_exports_to_those_who_may(login, manager, receptionist, filed):
    file_url = reverse("overview:customer", args=[filed.pk])
    assert _json(filed) in login(manager).get(file_url).content.decode()
    assert _json(filed) not in login(receptionist).get(file_url).content.decode()
