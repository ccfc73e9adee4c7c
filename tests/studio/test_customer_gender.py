"""Each person of the couple may have a gender on the file (issue 12, item 4): optional,
edited with the contact details, recorded in the file's history."""

import pytest
from django.urls import reverse


def _post(client, customer, **data):
    url = reverse("studio:customer_edit", args=[customer.pk])
    fields = {"bride_name": customer.bride_name, "bride_phone": customer.bride_phone}
    return client.post(url, fields | {"language": "zh-hans"} | data)


@pytest.mark.django_db
def test_the_genders_are_edited_on_the_file(login, receptionist, customer):
    response = _post(login(receptionist), customer, bride_gender="female", groom_gender="")
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.bride_gender, customer.groom_gender) == ("female", "")
    assert customer.history.first().bride_gender == "female"


@pytest.mark.django_db
def test_an_unknown_gender_is_refused(login, receptionist, customer):
    response = _post(login(receptionist), customer, bride_gender="robot")
    assert response.status_code == 400
    assert response.context["form"].errors["bride_gender"]
    customer.refresh_from_db()
    assert customer.bride_gender == ""


@pytest.mark.django_db
def test_the_form_shows_the_genders_in_chinese(login, receptionist, customer):
    client = login(receptionist)
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("studio:customer_edit", args=[customer.pk])).content.decode()
    assert "新娘性别" in body and "女" in body
