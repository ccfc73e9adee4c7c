"""A second press at the rentals desk after a colleague's: "Already done" on the
reservation page, with its state, not a 400 with a form the page no longer draws."""

import pytest
from django.urls import reverse

from orders.models import LedgerEntry
from rentals import services
from rentals.models import DressReservation
from studio.services import AlreadyDone
from tests.races import run_together


def _url(reservation, action="detail"):
    return reverse(f"rentals:{action}", args=[reservation.pk])


PICK_UP = {"id_type": "passport", "id_number": "E1234567", "deposit_method": "cash"}


def test_a_second_pick_up_lands_on_the_reservation_with_already_done(
    login, receptionist, picked_up
):
    response = login(receptionist).post(_url(picked_up, "pick_up"), PICK_UP, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == _url(picked_up)
    assert "Already done: this reservation is Picked up." in response.text
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.RENTAL_DEPOSIT).count() == 1


def test_a_second_return_lands_on_the_reservation_with_already_done(login, receptionist, picked_up):
    data = {"deductions": "0", "reason": "", "refund_method": "cash", "confirmed": "True"}
    client = login(receptionist)
    assert client.post(_url(picked_up, "return"), data).status_code == 302
    response = client.post(_url(picked_up, "return"), data, follow=True)
    assert response.status_code == 200
    assert "Already done: this reservation is Returned." in response.text


@pytest.mark.django_db(transaction=True)
def test_two_desks_handing_out_the_same_dress_at_once_take_one_deposit(
    reservation, receptionist, make_staff
):
    def pick_up():
        return services.pick_up_dress(
            reservation=DressReservation.objects.get(pk=reservation.pk),
            id_type="passport",
            id_number="E1234567",
            by=receptionist,
        )

    results = run_together(pick_up, pick_up)
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    assert isinstance(next(v for k, v in results if k == "error"), AlreadyDone)
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.RENTAL_DEPOSIT).count() == 1
