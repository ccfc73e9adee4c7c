"""Dress pickups and returns on the Today page and in the customer file."""

from datetime import timedelta

import pytest
from django.urls import reverse

from rentals import services
from rentals.models import DressReservation

HOME = reverse("home")


@pytest.fixture
def going_out_today(reserve, branch):
    return reserve(pickup_on=branch.today())


@pytest.fixture
def coming_back_today(reserve, make_order, branch, receptionist, dress):
    from rentals.models import Dress

    suit = Dress.objects.create(
        branch=branch, code="MS-07", category="mens_suit", size="L", deposit="800"
    )
    reservation = reserve(order=make_order(), dress=suit, pickup_on=branch.today())
    services.pick_up_dress(
        reservation=reservation, id_type="passport", id_number="E12345678", by=receptionist
    )
    # Booked last week for a return today: dates are history, not what the service checks.
    DressReservation.objects.filter(pk=reservation.pk).update(
        pickup_on=branch.today() - timedelta(days=3),
        return_on=branch.today(),
        cleaning_until=branch.today() + timedelta(days=2),
    )
    return reservation


def _arrivals(response, kind_starts):
    return [a for a in response.context["arrivals"] if str(a.kind).startswith(kind_starts)]


def test_today_lists_dress_pickups_with_the_id_and_deposit(login, receptionist, going_out_today):
    response = login(receptionist).get(HOME)
    (arrival,) = _arrivals(response, "Dress pickup")
    assert "WG-001" in arrival.kind and arrival.all_day
    assert "ID document to hold" in arrival.needs
    assert "Deposit to take: ¥3,000.00" in arrival.needs
    assert "All day" in response.content.decode()


def test_today_lists_dress_returns_with_the_deposit_to_refund(
    login, receptionist, coming_back_today
):
    response = login(receptionist).get(HOME)
    (arrival,) = _arrivals(response, "Dress return")
    assert arrival.needs == ["Deposit to refund: ¥800.00"]


def test_an_overdue_return_stays_on_today_until_it_is_back(
    login, receptionist, coming_back_today, branch
):
    DressReservation.objects.filter(pk=coming_back_today.pk).update(
        return_on=branch.today() - timedelta(days=1)
    )
    response = login(receptionist).get(HOME)
    (arrival,) = _arrivals(response, "Dress return")
    assert arrival.needs[0].startswith("Overdue since")


def test_tomorrows_dress_pickups_are_on_the_list_to_confirm(login, receptionist, reserve, branch):
    reserve(pickup_on=branch.today() + timedelta(days=1))
    response = login(receptionist).get(HOME)
    assert [str(a.kind) for a in response.context["tomorrow"]] == ["Dress pickup WG-001"]
    assert response.context["arrivals"] == []


def test_field_roles_see_the_dress_but_no_amounts_and_no_phones(
    login, dress_stylist, going_out_today, coming_back_today, customer
):
    """The dress stylist's Today lists the dresses going out and coming back, without the
    front desk's lists (amounts, phones, calls: issue 8)."""
    response = login(dress_stylist).get(HOME)
    assert len(response.context["dresses_today"]) == 2
    assert "arrivals" not in response.context and "tomorrow" not in response.context
    body = response.content.decode()
    assert "WG-001" in body and "¥" not in body
    assert customer.bride_phone not in body
    assert "/studio/customers/" not in body


def test_another_branch_sees_none_of_it(login, make_staff, other_branch, going_out_today):
    from studio import roles

    stranger = make_staff(roles.RECEPTIONIST, branch=other_branch)
    assert login(stranger).get(HOME).context["arrivals"] == []


def test_the_customer_file_shows_the_reservation(login, receptionist, customer, reservation):
    response = login(receptionist).get(reverse("overview:customer", args=[customer.pk]))
    (event,) = [e for e in response.context["timeline"] if e.kind == "rental"]
    assert "WG-001" in event.title and event.amount == 1200
    assert event.url == reservation.get_absolute_url()


def test_the_customer_file_hides_the_rental_price_from_roles_without_money(
    login, make_staff, customer, reservation
):
    from studio import roles

    # Field staff no longer open the file at all (issue 8); a dispatcher sees no money.
    dispatcher = make_staff(roles.DISPATCHER)
    response = login(dispatcher).get(reverse("overview:customer", args=[customer.pk]))
    (event,) = [e for e in response.context["timeline"] if e.kind == "rental"]
    assert event.amount is None
    assert "¥" not in response.content.decode()


def test_todays_query_count_stays_fixed(
    login, receptionist, reserve, make_order, branch, going_out_today
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rentals.models import Dress

    client = login(receptionist)
    client.get(HOME)
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    for i in range(4):
        dress = Dress.objects.create(branch=branch, code=f"QP-{i}", category="qipao", size="S")
        reserve(order=make_order(), dress=dress, pickup_on=branch.today())
    with CaptureQueriesContext(connection) as many:
        response = client.get(HOME)
    assert len(response.context["arrivals"]) == 5
    assert len(many) == len(few)
