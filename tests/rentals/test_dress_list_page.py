"""The dress inventory: filtered by category and size, prices only for roles that see money."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rentals.models import Dress

URL = reverse("rentals:dresses")


@pytest.fixture
def inventory(branch, dress):
    for i in range(6):
        Dress.objects.create(
            branch=branch,
            code=f"ED-{i}",
            category=Dress.Category.EVENING_DRESS,
            size="S" if i % 2 else "L",
            rental_price="600",
        )


def test_it_lists_the_branchs_dresses(login, receptionist, inventory, dress, other_dress):
    response = login(receptionist).get(URL)
    assert response.status_code == 200
    codes = [d.code for d in response.context["dresses"]]
    assert "WG-001" in codes and "WG-900" not in codes
    assert "¥1,200.00" in response.content.decode()


def test_it_filters_by_category_and_size(login, receptionist, inventory):
    response = login(receptionist).get(URL, {"category": "evening_dress", "size": "s"})
    assert {d.code for d in response.context["dresses"]} == {"ED-1", "ED-3", "ED-5"}


def test_a_bad_filter_shows_everything(login, receptionist, inventory):
    response = login(receptionist).get(URL, {"category": "spaceship"})
    assert response.status_code == 200
    assert len(response.context["dresses"]) == 7


def test_the_dress_stylist_sees_dresses_but_no_money(login, dress_stylist, inventory, reservation):
    response = login(dress_stylist).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "WG-001" in body and "¥" not in body


def test_its_query_count_is_fixed(login, receptionist, branch, inventory, reserve, make_order):
    client = login(receptionist)
    client.get(URL)  # sessions, translations and the like are warm from here on
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(5):
        dress = Dress.objects.create(branch=branch, code=f"QP-{i}", category="qipao", size="M")
        reserve(order=make_order(), dress=dress)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(response.context["dresses"]) == 12
    assert len(many) == len(few)


def test_other_roles_are_refused(login, photographer):
    assert login(photographer).get(URL).status_code == 403


def test_it_rejects_post(login, receptionist):
    assert login(receptionist).post(URL).status_code == 405
