"""A birthday kept by the lunar calendar is typed as the lunar date on the customer edit
form, stored as the solar date of birth, and a lunar date that does not exist is refused
with the reason, in both languages."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from studio.forms import CustomerForm


def _post(login, staff, customer, **fields):
    post = {
        "bride_name": customer.bride_name,
        "bride_phone": customer.bride_phone,
        "language": "zh-hans",
        **fields,
    }
    return login(staff).post(reverse("studio:customer_edit", args=[customer.pk]), post)


def test_a_leap_month_lunar_birthday_is_stored_as_the_solar_date(login, receptionist, customer):
    response = _post(
        login,
        receptionist,
        customer,
        bride_birthday="1987-06-15",
        bride_birthday_is_lunar="on",
        bride_birthday_leap="on",
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.bride_birthday == date(1987, 8, 9)  # 1987 闰六月十五
    assert customer.bride_birthday_is_lunar
    # The form shows it back as it was typed.
    page = login(receptionist).get(reverse("studio:customer_edit", args=[customer.pk]))
    form = page.context["form"]
    assert form.initial["bride_birthday"] == "1987-06-15"
    assert form.initial["bride_birthday_leap"] is True


def test_a_solar_birthday_stays_solar(login, receptionist, customer):
    assert _post(login, receptionist, customer, groom_birthday="1990-02-28").status_code == 302
    customer.refresh_from_db()
    assert customer.groom_birthday == date(1990, 2, 28) and not customer.groom_birthday_is_lunar


@pytest.mark.parametrize(
    ("typed", "leap", "says"),
    [
        ("2025-04-30", False, "only 29 days"),  # lunar 2025's 4th month is short
        ("1990-06-15", True, "leap month of 1990 is month 5"),
        ("2026-06-15", True, "2026 has no leap month"),
        ("1990-13-01", False, "a month from 1 to 12"),
    ],
)
def test_a_lunar_date_that_does_not_exist_is_refused(
    login, receptionist, customer, typed, leap, says
):
    fields = {"bride_birthday": typed, "bride_birthday_is_lunar": "on"}
    if leap:
        fields["bride_birthday_leap"] = "on"
    response = _post(login, receptionist, customer, **fields)
    assert response.status_code == 400
    assert says in " ".join(response.context["form"].errors["bride_birthday"])
    customer.refresh_from_db()
    assert customer.bride_birthday is None and not customer.bride_birthday_is_lunar


def test_the_reason_is_given_in_chinese(db, customer):
    data = {
        "bride_name": customer.bride_name,
        "bride_phone": customer.bride_phone,
        "language": "zh-hans",
        "bride_birthday": "2025-04-30",
        "bride_birthday_is_lunar": "on",
    }
    with translation.override("zh-hans"):
        form = CustomerForm(data, instance=customer)
        assert not form.is_valid()
        assert "只有29天" in " ".join(form.errors["bride_birthday"])


def test_a_lunar_30th_of_february_is_accepted_where_it_exists(login, receptionist, customer):
    # Lunar 1990's second month has 30 days: no solar calendar could take "02-30".
    response = _post(
        login, receptionist, customer, bride_birthday="1990-02-30", bride_birthday_is_lunar="on"
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.bride_birthday == date(1990, 3, 26)
