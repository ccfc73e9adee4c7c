"""The customer edit form refuses a birthday or a wedding date that cannot be true."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bride_birthday", "0001-01-01"),
        ("groom_birthday", "1899-12-31"),
        ("bride_birthday", "9999-12-31"),
        ("wedding_date", "9999-12-31"),
    ],
)
def test_a_date_that_cannot_be_true_is_refused(login, receptionist, customer, field, value):
    post = {
        "bride_name": customer.bride_name,
        "bride_phone": customer.bride_phone,
        "language": "zh-hans",
        field: value,
    }
    response = login(receptionist).post(reverse("studio:customer_edit", args=[customer.pk]), post)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    customer.refresh_from_db()
    assert getattr(customer, field) is None


def test_a_birthday_in_1990_is_kept(login, receptionist, customer):
    post = {
        "bride_name": customer.bride_name,
        "bride_phone": customer.bride_phone,
        "language": "zh-hans",
        "bride_birthday": "1990-05-17",
    }
    response = login(receptionist).post(reverse("studio:customer_edit", args=[customer.pk]), post)
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.bride_birthday.isoformat() == "1990-05-17"
