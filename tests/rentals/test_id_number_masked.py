"""The ID document held for a dress: read in full only by the desk that hands the dress
over and takes it back; masked for everyone else, the admin included."""

from django.urls import reverse

from rentals.models import DressReservation
from studio import roles

MASKED = "3101**********1234"


def test_the_desk_handing_the_dress_over_reads_the_whole_number(login, cashier, picked_up):
    body = login(cashier).get(reverse("rentals:detail", args=[picked_up.pk])).content.decode()
    assert picked_up.id_number in body


def test_others_who_open_the_reservation_see_it_masked(login, make_staff, picked_up):
    consultant = make_staff(roles.SELECTION_CONSULTANT)
    response = login(consultant).get(reverse("rentals:detail", args=[picked_up.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert MASKED in body and picked_up.id_number not in body


def test_the_dress_stylist_sees_it_masked(login, dress_stylist, picked_up):
    body = login(dress_stylist).get(reverse("rentals:detail", args=[picked_up.pk]))
    assert MASKED in body.content.decode()


def test_the_admin_shows_it_masked(client, django_user_model, picked_up):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    url = reverse("admin:rentals_dressreservation_change", args=[picked_up.pk])
    body = client.get(url).content.decode()
    assert MASKED in body and picked_up.id_number not in body


def test_a_wrong_id_card_number_at_pickup_is_explained_and_nothing_changes(
    login, cashier, reservation
):
    data = {"id_type": "id_card", "id_number": "123", "deposit_method": "cash"}
    response = login(cashier).post(reverse("rentals:pick_up", args=[reservation.pk]), data)
    assert response.status_code == 400
    error = response.context["pick_up_form"].errors["id_number"][0]
    assert "18 characters" in error
    reservation.refresh_from_db()
    assert reservation.status == DressReservation.Status.RESERVED and not reservation.id_number
