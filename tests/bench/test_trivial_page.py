"""The benchmark's trivial baseline page: plain text through every middleware, for logged-in
staff, and only where the benchmark's settings add it."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="bench.urls")
def test_it_answers_plain_text_to_staff(client, receptionist):
    client.force_login(receptionist.user)
    response = client.get("/bench/trivial/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response.content == b"ok"


@override_settings(ROOT_URLCONF="bench.urls")
def test_it_sends_a_stranger_to_the_login_page(client):
    response = client.get("/bench/trivial/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_project_pages_are_all_there_too(client, receptionist):
    client.force_login(receptionist.user)
    assert client.get("/").status_code == 200


def test_the_project_itself_has_no_such_page():
    with pytest.raises(NoReverseMatch):
        reverse("bench_trivial")
