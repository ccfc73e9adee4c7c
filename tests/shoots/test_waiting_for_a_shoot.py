"""Signed orders wait on the control sheet until the dispatcher books their shoot; the
order page opens the booking too."""

from datetime import date

import pytest
from django.urls import reverse

from studio import roles


@pytest.fixture
def dispatcher(make_staff):
    return make_staff(roles.DISPATCHER, display_name="Gao Min")


def test_the_day_sheet_lists_orders_waiting_for_a_shoot(login, dispatcher, make_order):
    later = make_order(wanted_shoot_month=date(2027, 3, 1))
    sooner = make_order(wanted_shoot_month=date(2027, 1, 1))
    response = login(dispatcher).get(reverse("shoots:day"))
    assert response.status_code == 200
    assert [o["number"] for o in response.context["waiting"]] == [sooner.number, later.number]
    assert reverse("shoots:book", args=[sooner.number]) in response.content.decode()


def test_a_booked_shoot_leaves_the_waiting_list(book, login, dispatcher, order):
    book(order)
    response = login(dispatcher).get(reverse("shoots:day"))
    assert response.context["waiting"] == []
    assert b'data-testid="waiting"' not in response.content


def test_roles_that_do_not_book_see_no_waiting_list(login, make_staff, order):
    consultant = make_staff(roles.SELECTION_CONSULTANT)
    response = login(consultant).get(reverse("shoots:day"))
    assert response.status_code == 200
    assert response.context["waiting"] == []


def test_another_branchs_orders_do_not_wait_on_my_sheet(login, make_staff, other_branch, order):
    elsewhere = make_staff(roles.DISPATCHER, branch=other_branch)
    response = login(elsewhere).get(reverse("shoots:day"))
    assert response.context["waiting"] == []


def test_the_waiting_list_keeps_its_query_count(
    login, dispatcher, make_order, django_assert_max_num_queries
):
    client = login(dispatcher)
    make_order()
    client.get(reverse("shoots:day"))
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("shoots:day"))
    for _ in range(3):
        make_order()
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("shoots:day"))


def test_the_order_page_opens_the_booking(login, receptionist, order):
    response = login(receptionist).get(order.get_absolute_url())
    assert b'data-testid="book-shoot"' in response.content
    assert reverse("shoots:book", args=[order.number]).encode() in response.content


def test_a_cashier_who_cannot_book_gets_no_booking_button(login, make_staff, order):
    cashier = make_staff(roles.CASHIER)
    response = login(cashier).get(order.get_absolute_url())
    assert response.status_code == 200
    assert b'data-testid="book-shoot"' not in response.content
