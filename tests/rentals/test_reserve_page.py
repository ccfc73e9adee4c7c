"""Reserving a dress from the order page."""

from datetime import timedelta

import pytest
from django.urls import reverse

from rentals.models import DressReservation


def _url(order):
    return reverse("rentals:reserve", args=[order.number])


@pytest.fixture
def data(dress, in_a_week):
    return {
        "dress": dress.pk,
        "pickup_on": in_a_week.isoformat(),
        "return_on": (in_a_week + timedelta(days=2)).isoformat(),
        "bust": "86",
        "waist": "66",
        "hips": "90",
        "height": "165",
        "shoulder": "38",
        "accessories": "Veil, gloves",
    }


def test_it_shows_the_form(login, receptionist, order, dress):
    response = login(receptionist).get(_url(order))
    assert response.status_code == 200
    assert b'data-testid="reservation-form"' in response.content
    assert list(response.context["form"].fields["dress"].queryset) == [dress]


def test_it_reserves_and_goes_to_the_reservation(login, cashier, order, data):
    response = login(cashier).post(_url(order), data)
    reservation = DressReservation.objects.get()
    assert response.status_code == 302 and response.url == reservation.get_absolute_url()
    assert reservation.order == order and reservation.customer == order.customer
    assert reservation.bust == 86 and reservation.accessories == "Veil, gloves"
    assert reservation.rental_price == 1200 and reservation.deposit_amount == 3000
    assert reservation.created_by == cashier


def test_bad_dates_are_explained(login, receptionist, order, data, in_a_week):
    data["return_on"] = (in_a_week - timedelta(days=1)).isoformat()
    response = login(receptionist).post(_url(order), data)
    assert response.status_code == 400
    assert "return_on" in response.context["form"].errors
    assert not DressReservation.objects.exists()


def test_a_taken_dress_is_refused_naming_the_clash(
    login, receptionist, order, data, reservation, make_order
):
    other = make_order()
    response = login(receptionist).post(_url(other), data)
    assert response.status_code == 400
    assert order.number in response.content.decode()
    assert DressReservation.objects.count() == 1


def test_the_dress_stylist_may_not_reserve(login, dress_stylist, order, data):
    client = login(dress_stylist)
    assert client.get(_url(order)).status_code == 403
    assert client.post(_url(order), data).status_code == 403


def test_another_branchs_order_is_404(login, make_staff, other_branch, order):
    from studio import roles

    stranger = make_staff(roles.RECEPTIONIST, branch=other_branch)
    assert login(stranger).get(_url(order)).status_code == 404


def test_it_rejects_put(login, receptionist, order):
    assert login(receptionist).put(_url(order)).status_code == 405
