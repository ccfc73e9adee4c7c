"""Booking the pickup from the order, and the day's pickup control sheet."""

from datetime import timedelta

import pytest
from django.urls import reverse

from pickup.models import PickupAppointment
from studio import roles


def _book_url(order):
    return reverse("pickup:book", args=[order.number])


SHEET = reverse("pickup:sheet")


@pytest.fixture
def data(tomorrow_at_ten):
    return {"date": tomorrow_at_ten.date().isoformat(), "time": "10:00", "note": "Big frame"}


def test_it_shows_the_form(login, pickup_clerk, ready_order):
    response = login(pickup_clerk).get(_book_url(ready_order))
    assert response.status_code == 200
    assert b'data-testid="pickup-form"' in response.content


def test_it_books_and_goes_to_the_days_sheet(login, pickup_clerk, ready_order, data):
    response = login(pickup_clerk).post(_book_url(ready_order), data)
    assert response.status_code == 302
    assert response.url == f"{SHEET}?date={data['date']}"
    booked = PickupAppointment.objects.get()
    assert booked.note == "Big frame" and booked.created_by == pickup_clerk


def test_a_past_time_is_explained(login, receptionist, ready_order, data, branch):
    data["date"] = (branch.today() - timedelta(days=1)).isoformat()
    response = login(receptionist).post(_book_url(ready_order), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not PickupAppointment.objects.exists()


def test_an_order_not_in_production_is_explained(login, receptionist, order, data):
    response = login(receptionist).post(_book_url(order), data)
    assert response.status_code == 400
    assert "in production" in response.content.decode()


def test_other_roles_are_refused(login, photographer, make_staff, ready_order, data):
    assert login(photographer).get(_book_url(ready_order)).status_code == 403
    cashier = make_staff(roles.CASHIER)
    assert login(cashier).post(_book_url(ready_order), data).status_code == 403


def test_another_branch_gets_404(login, make_staff, other_branch, ready_order):
    stranger = make_staff(roles.RECEPTIONIST, branch=other_branch)
    assert login(stranger).get(_book_url(ready_order)).status_code == 404


def test_the_book_page_rejects_put(login, receptionist, ready_order):
    assert login(receptionist).put(_book_url(ready_order)).status_code == 405


def test_the_sheet_lists_the_days_pickups_with_the_balance(login, receptionist, pickup):
    response = login(receptionist).get(SHEET, {"date": pickup.starts_at.date().isoformat()})
    assert response.status_code == 200
    body = response.content.decode()
    assert pickup.slip_number in body and "¥6,800.00" in body


def test_the_sheet_leaves_out_moved_and_other_days(login, receptionist, pickup, ready_order):
    from pickup import services

    services.book_pickup(
        order=ready_order, starts_at=pickup.starts_at + timedelta(days=1), by=receptionist
    )
    response = login(receptionist).get(SHEET, {"date": pickup.starts_at.date().isoformat()})
    assert response.context["rows"] == []


def test_the_sheet_shows_another_branch_nothing(login, make_staff, other_branch, pickup):
    stranger = make_staff(roles.RECEPTIONIST, branch=other_branch)
    response = login(stranger).get(SHEET, {"date": pickup.starts_at.date().isoformat()})
    assert response.context["rows"] == []


def test_a_bad_date_shows_today(login, receptionist, branch):
    response = login(receptionist).get(SHEET, {"date": "soon"})
    assert response.status_code == 200 and response.context["day"] == branch.today()


def test_the_sheet_refuses_field_roles_and_post(login, photographer, receptionist):
    assert login(photographer).get(SHEET).status_code == 403
    assert login(receptionist).post(SHEET).status_code == 405


def test_the_sheets_query_count_is_fixed(
    login, receptionist, pickup, make_order, branch, django_assert_max_num_queries
):
    from orders.models import Order, State
    from pickup import services

    client = login(receptionist)
    params = {"date": pickup.starts_at.date().isoformat()}
    client.get(SHEET, params)
    with django_assert_max_num_queries(10) as few:
        client.get(SHEET, params)
    for i in range(4):
        order = make_order()
        Order.objects.filter(pk=order.pk).update(state=State.READY)
        services.book_pickup(
            order=order, starts_at=pickup.starts_at + timedelta(minutes=i + 1), by=receptionist
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(SHEET, params)
    assert len(response.context["rows"]) == 5


def test_the_order_page_links_to_booking_the_pickup(login, receptionist, ready_order):
    response = login(receptionist).get(ready_order.get_absolute_url())
    assert b'data-testid="book-pickup"' in response.content
    assert b'data-testid="reserve-dress"' in response.content


def test_a_double_submit_books_once(login, pickup_clerk, ready_order, data):
    client = login(pickup_clerk)
    key = client.get(_book_url(ready_order)).context["form"]["request_key"].value()
    for _ in range(2):
        assert client.post(_book_url(ready_order), {**data, "request_key": key}).status_code == 302
    [booked] = PickupAppointment.objects.filter(order=ready_order)
    assert booked.status == PickupAppointment.Status.BOOKED and booked.request_key == key
