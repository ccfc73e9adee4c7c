"""The signed planning document and the receipt print as PDFs in the customer's language."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from studio import roles
from studio.models import Customer


def _money(amount, language="zh-hans"):
    from studio.templatetags.studio import money

    with translation.override(language):
        return money(amount).replace(" ", "")


def _text(response):
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "")


@pytest.fixture
def signed(customer, make_order):
    Customer.objects.filter(pk=customer.pk).update(
        bride_name="张丽", groom_name="Wang Wei", language="zh-hans"
    )
    customer.refresh_from_db()
    return make_order(discount="300", notes="Allergic to lilies")


def test_the_planning_document_prints_in_chinese(login, receptionist, signed):
    response = login(receptionist).get(reverse("orders:planning_document", args=[signed.number]))
    assert response.status_code == 200
    text = _text(response)
    assert signed.number in text
    assert "张丽" in text and "WangWei" in text
    for amount in ("8500", "2000", "6500"):
        assert _money(amount) in text
    assert "企划书" in text


def test_the_planning_document_prints_in_english_for_an_english_couple(login, receptionist, signed):
    Customer.objects.filter(pk=signed.customer_id).update(language="en")
    text = _text(login(receptionist).get(reverse("orders:planning_document", args=[signed.number])))
    assert "Planningdocument" in text


def test_the_deposit_receipt_prints_in_chinese(login, receptionist, signed):
    entry = signed.ledger.get()
    response = login(receptionist).get(
        reverse("orders:receipt", args=[signed.number, entry.receipt_no])
    )
    text = _text(response)
    assert signed.number in text and entry.receipt_no in text
    assert "张丽" in text and _money("2000") in text
    assert "收据" in text


def test_the_planning_document_rejects_post(login, receptionist, signed):
    url = reverse("orders:planning_document", args=[signed.number])
    assert login(receptionist).post(url).status_code == 405


def test_field_roles_may_not_print_it(login, photographer, signed):
    url = reverse("orders:planning_document", args=[signed.number])
    assert login(photographer).get(url).status_code == 403


def test_another_branch_cannot_print_it(login, make_staff, other_branch, signed):
    stranger = make_staff(roles.RECEPTIONIST, branch=other_branch)
    url = reverse("orders:planning_document", args=[signed.number])
    assert login(stranger).get(url).status_code == 404
