"""The reservation page: details for the stylist, pick-up and return forms for the desk."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import LedgerEntry
from rentals.models import DressReservation
from studio import roles


def _url(reservation, action="detail"):
    return reverse(f"rentals:{action}", args=[reservation.pk])


def test_the_desk_sees_the_pick_up_form(login, receptionist, reservation):
    response = login(receptionist).get(_url(reservation))
    assert response.status_code == 200
    assert b'data-testid="pick-up-form"' in response.content
    assert b'data-testid="return-form"' not in response.content
    assert "¥3,000.00" in response.content.decode()


def test_the_dress_stylist_sees_measurements_but_no_money_and_no_forms(
    login, dress_stylist, picked_up
):
    response = login(dress_stylist).get(_url(picked_up))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="measurements"' in body and "86" in body
    assert "¥" not in body and picked_up.id_number not in body
    assert picked_up.customer.bride_phone not in body
    assert 'data-testid="return-form"' not in body


def test_picking_up_holds_the_id_and_takes_the_deposit(login, cashier, reservation):
    data = {"id_type": "id_card", "id_number": "310101199001011234", "deposit_method": "card"}
    response = login(cashier).post(_url(reservation, "pick_up"), data)
    assert response.status_code == 302 and response.url == _url(reservation)
    reservation.refresh_from_db()
    assert reservation.status == DressReservation.Status.PICKED_UP
    hold = reservation.order.ledger.get(kind=LedgerEntry.Kind.RENTAL_DEPOSIT)
    assert hold.method == "card" and hold.staff == cashier


def test_picking_up_without_an_id_number_is_explained(login, cashier, reservation):
    data = {"id_type": "id_card", "id_number": "", "deposit_method": "cash"}
    response = login(cashier).post(_url(reservation, "pick_up"), data)
    assert response.status_code == 400
    assert "id_number" in response.context["pick_up_form"].errors
    reservation.refresh_from_db()
    assert reservation.status == DressReservation.Status.RESERVED


def test_returning_with_a_deduction_refunds_the_rest(login, receptionist, picked_up):
    data = {"deductions": "300", "reason": "Veil torn", "refund_method": "cash"}
    client = login(receptionist)
    # First the desk sees what goes back (issue 8); nothing is refunded yet.
    response = client.post(_url(picked_up, "return_preview"), data)
    assert response.status_code == 200
    assert response.context["return_preview"]["refund"] == Decimal("2700.00")
    body = response.content.decode()
    assert 'data-testid="refund"' in body and "2,700.00" in body
    picked_up.refresh_from_db()
    assert picked_up.status == DressReservation.Status.PICKED_UP
    assert picked_up.order.hold_outstanding(LedgerEntry.Kind.RENTAL_DEPOSIT) > 0
    response = client.post(_url(picked_up, "return"), data)
    assert response.status_code == 302
    picked_up.refresh_from_db()
    assert picked_up.status == DressReservation.Status.RETURNED
    assert picked_up.deducted == Decimal("300.00")
    assert picked_up.order.hold_outstanding(LedgerEntry.Kind.RENTAL_DEPOSIT) == 0


def test_a_deduction_without_a_reason_is_explained(login, receptionist, picked_up):
    data = {"deductions": "300", "reason": "", "refund_method": "cash"}
    response = login(receptionist).post(_url(picked_up, "return_preview"), data)
    assert response.status_code == 400
    assert "reason" in response.context["return_form"].errors


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Give back to the customer"), ("zh-hans", "退还客户")]
)
def test_the_refund_is_shown_in_both_languages(login, receptionist, picked_up, language, words):
    client = login(receptionist)
    client.cookies["django_language"] = language
    data = {"deductions": "0", "reason": "", "refund_method": "cash"}
    body = client.post(_url(picked_up, "return_preview"), data).content.decode()
    assert words in body
    assert "3,000.00" in body


def test_a_deduction_above_the_deposit_is_refused_before_the_confirmation(
    login, receptionist, picked_up
):
    data = {"deductions": "5000", "reason": "Ruined", "refund_method": "cash"}
    response = login(receptionist).post(_url(picked_up, "return_preview"), data)
    assert response.status_code == 400
    assert "deductions" in response.context["return_form"].errors
    assert "return_preview" not in response.context


def test_cancelling_frees_the_dates(login, manager, reservation):
    response = login(manager).post(_url(reservation, "cancel"), {"reason": "Plans changed"})
    assert response.status_code == 302
    reservation.refresh_from_db()
    assert reservation.status == DressReservation.Status.CANCELLED


def test_the_dress_stylist_may_not_pick_up_return_or_cancel(login, dress_stylist, reservation):
    client = login(dress_stylist)
    for action in ("pick_up", "return_preview", "return", "cancel"):
        assert client.post(_url(reservation, action), {}).status_code == 403


def test_the_actions_reject_get(login, receptionist, reservation):
    client = login(receptionist)
    for action in ("pick_up", "return_preview", "return", "cancel"):
        assert client.get(_url(reservation, action)).status_code == 405
    assert client.post(_url(reservation)).status_code == 405


def test_another_branch_gets_404(login, make_staff, other_branch, reservation):
    stranger = make_staff(roles.RECEPTIONIST, branch=other_branch)
    client = login(stranger)
    assert client.get(_url(reservation)).status_code == 404
    data = {"id_type": "id_card", "id_number": "1", "deposit_method": "cash"}
    assert client.post(_url(reservation, "pick_up"), data).status_code == 404
    data = {"deductions": "0", "reason": "", "refund_method": "cash"}
    assert client.post(_url(reservation, "return_preview"), data).status_code == 404


def test_a_photographer_is_refused(login, photographer, reservation):
    assert login(photographer).get(_url(reservation)).status_code == 403


def test_the_reservation_list_shows_what_is_coming(login, dress_stylist, reservation):
    response = login(dress_stylist).get(reverse("rentals:reservations"))
    assert response.status_code == 200
    assert [r["pk"] for r in response.context["reservations"]] == [reservation.pk]
    assert "¥" not in response.content.decode()
