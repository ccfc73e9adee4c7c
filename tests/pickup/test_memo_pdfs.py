"""The lost-slip and partial pickup memos print the order number and Chinese text."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from pickup import services
from studio import roles


def _text(response):
    return "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


@pytest.fixture
def chinese_customer(pickup):
    customer = pickup.order.customer
    customer.language = "zh-hans"
    customer.save(update_fields=["language"])
    return customer


def test_the_lost_slip_memo_prints_in_chinese(login, pickup_clerk, pickup, chinese_customer):
    memo = services.verify_slip(
        appointment=pickup,
        lost_slip_id_type="id_card",
        lost_slip_id_number="110101199001011237",
        by=pickup_clerk,
    )
    response = login(pickup_clerk).get(reverse("pickup:lost_slip_pdf", args=[memo.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _text(response)
    assert pickup.order.number in text and "取件单丢失备忘录" in text


def test_the_partial_memo_prints_in_chinese(
    login, pickup_clerk, pickup, items, paid, chinese_customer
):
    services.verify_slip(appointment=pickup, slip_number=pickup.slip_number, by=pickup_clerk)
    memo = services.hand_over(appointment=pickup, item_ids=[items[0].pk], by=pickup_clerk)
    response = login(pickup_clerk).get(reverse("pickup:partial_pdf", args=[memo.pk]))
    text = _text(response)
    assert pickup.order.number in text and "取件备忘录" in text
    assert memo.next_appointment.slip_number in text


def test_the_memo_of_another_branch_is_404(login, make_staff, other_branch, pickup, pickup_clerk):
    memo = services.verify_slip(
        appointment=pickup,
        lost_slip_id_type="id_card",
        lost_slip_id_number="110101199001011237",
        by=pickup_clerk,
    )
    stranger = make_staff(roles.PICKUP_CLERK, branch=other_branch)
    assert login(stranger).get(reverse("pickup:lost_slip_pdf", args=[memo.pk])).status_code == 404


def test_memos_refuse_field_roles_and_post(login, photographer, pickup_clerk, pickup):
    memo = services.verify_slip(
        appointment=pickup,
        lost_slip_id_type="id_card",
        lost_slip_id_number="110101199001011237",
        by=pickup_clerk,
    )
    url = reverse("pickup:lost_slip_pdf", args=[memo.pk])
    assert login(photographer).get(url).status_code == 403
    assert login(pickup_clerk).post(url).status_code == 405
