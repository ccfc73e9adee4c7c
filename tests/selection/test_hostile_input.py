"""Hostile input on the selection booking form: never a 500, nothing booked when refused."""

import pytest
from django.urls import reverse
from hypothesis import given

from selection.models import SelectionSession
from tests.hostile import assert_answered, hostile_posts, hostile_settings

pytestmark = pytest.mark.django_db


@hostile_settings
@given(post=hostile_posts(["date", "time", "consultant"], fixed={"time": "10:00"}))
def test_the_booking_form_never_fails_on_hostile_input(
    login, receptionist, consultant, shot_order, post
):
    before = list(SelectionSession.objects.values_list("pk", "appointment_at"))
    response = login(receptionist).post(reverse("selection:book", args=[shot_order.number]), post)
    assert_answered(response)
    if response.status_code != 302:
        assert list(SelectionSession.objects.values_list("pk", "appointment_at")) == before
