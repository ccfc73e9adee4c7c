"""The dress stylist opens a reservation for the fitting, not the couple's customer file."""

from django.urls import reverse


def test_the_dress_stylist_gets_no_link_to_the_customer_file(reservation, dress_stylist, login):
    html = login(dress_stylist).get(reverse("rentals:detail", args=[reservation.pk])).content
    assert b"/studio/customers/" not in html
    assert b"Customer file" not in html


def test_the_desk_keeps_the_link(reservation, receptionist, login):
    html = login(receptionist).get(reverse("rentals:detail", args=[reservation.pk])).content
    assert reverse("overview:customer", args=[reservation.customer_id]).encode() in html
