"""Hostile input on the shoot booking form: never a 500, nothing booked when refused."""

import pytest
from django.urls import reverse
from hypothesis import given

from shoots.models import Shoot
from tests.hostile import assert_answered, hostile_posts, hostile_settings

pytestmark = pytest.mark.django_db


@hostile_settings
@given(
    post=hostile_posts(
        ["date", "time", "white_gowns", "evening_dresses", "specialty", "note"],
        fixed={"time": "10:00"},
    )
)
def test_the_booking_form_never_fails_on_hostile_input(login, receptionist, crew, order, post):
    before = Shoot.objects.count()
    response = login(receptionist).post(reverse("shoots:book", args=[order.number]), post)
    assert_answered(response)
    if response.status_code != 302:
        assert Shoot.objects.count() == before


def test_a_shoot_years_ahead_is_refused(login, receptionist, crew, order):
    post = {"date": "2099-05-01", "time": "10:00"}
    response = login(receptionist).post(reverse("shoots:book", args=[order.number]), post)
    assert response.status_code == 400
    assert not Shoot.objects.exists()
