"""The dress inventory: filtered by category and size, prices only for roles that see money."""

import pytest
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
    codes = [d["code"] for d in response.context["dresses"]]
    assert "WG-001" in codes and "WG-900" not in codes
    assert "¥1,200.00" in response.content.decode()


def test_it_filters_by_category_and_size(login, receptionist, inventory):
    response = login(receptionist).get(URL, {"category": "evening_dress", "size": "s"})
    assert {d["code"] for d in response.context["dresses"]} == {"ED-1", "ED-3", "ED-5"}


def test_a_bad_filter_shows_everything(login, receptionist, inventory):
    response = login(receptionist).get(URL, {"category": "spaceship"})
    assert response.status_code == 200
    assert len(response.context["dresses"]) == 7


def test_the_dress_stylist_sees_dresses_but_no_money(login, dress_stylist, inventory, reservation):
    response = login(dress_stylist).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "WG-001" in body and "¥" not in body


def test_it_shows_each_dress_with_its_dates_in_the_readers_language(
    login, dress_stylist, reservation
):
    client = login(dress_stylist)
    client.cookies["django_language"] = "zh-hans"
    body = client.get(URL).content.decode()
    link = reverse("rentals:detail", args=[reservation.pk])
    pickup, back, clean = (
        f"{d.year}年{d.month}月{d.day}日"
        for d in (reservation.pickup_on, reservation.return_on, reservation.cleaning_until)
    )
    assert f'<a href="{link}">{pickup}–{back}</a>' in body
    assert f"清洗至 {clean}" in body
    assert "<td>婚纱</td>" in body and "<td>良好</td>" in body
    client.cookies["django_language"] = "en"
    body = client.get(URL).content.decode()
    assert f"cleaning until {reservation.cleaning_until:%m/%d/%Y}" in body
    assert "<td>Wedding gown</td>" in body and "<td>Good</td>" in body


def test_a_free_dress_says_so(login, dress_stylist, dress):
    assert (
        '<span class="text-success">Free</span>' in login(dress_stylist).get(URL).content.decode()
    )


def test_its_query_count_is_fixed(
    login, receptionist, branch, inventory, reserve, make_order, django_assert_max_num_queries
):
    client = login(receptionist)
    client.get(URL)  # sessions, translations and the like are warm from here on
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    for i in range(5):
        dress = Dress.objects.create(branch=branch, code=f"QP-{i}", category="qipao", size="M")
        reserve(order=make_order(), dress=dress)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["dresses"]) == 12


def test_other_roles_are_refused(login, photographer):
    assert login(photographer).get(URL).status_code == 403


def test_it_rejects_post(login, receptionist):
    assert login(receptionist).post(URL).status_code == 405


def test_the_rows_escape_what_was_typed(login, receptionist, dress, reservation):
    """The rows are written in Python (rentals.templatetags.rental_rows), each value
    escaped as the template escaped it; the desk sees the prices."""
    Dress.objects.filter(pk=dress.pk).update(
        code="<b>&WG", name='<img src=x onerror="alert(1)">', size="<i>M", colour="<u>Ivory"
    )
    body = login(receptionist).get(URL).content.decode()
    assert "<b>&" not in body and "<img src=x" not in body and "<i>M" not in body
    assert "<strong>&lt;b&gt;&amp;WG</strong>" in body
    assert (
        '<div class="small text-muted">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</div>' in body
    )
    assert "<td>&lt;i&gt;M</td>" in body and "<td>&lt;u&gt;Ivory</td>" in body
    assert '<td class="text-end money">¥1,200.00</td>' in body
    link = reverse("rentals:detail", args=[reservation.pk])
    assert f'<div><a href="{link}">' in body
