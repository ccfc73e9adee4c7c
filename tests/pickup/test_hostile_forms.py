"""Hostile input on the pickup desk's other steps (hand-over, survey, complete), the
day-before check and the day sheet's date: never a 500, nothing saved when refused."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from orders.models import Charge, LedgerEntry
from pickup.models import ItemCheck, LostSlipMemo, PickupAppointment
from selection.models import ProductionItem
from tests.hostile import (
    assert_answered,
    hostile_posts,
    hostile_settings,
    hostile_value,
    post_hostile,
)

pytestmark = pytest.mark.django_db


def _state():
    return (
        list(PickupAppointment.objects.order_by("pk").values()),
        LostSlipMemo.objects.count(),
        LedgerEntry.objects.count(),
        Charge.objects.count(),
        ItemCheck.objects.count(),
        list(ProductionItem.objects.order_by("pk").values()),
    )


@hostile_settings
@given(
    action=st.sampled_from(["hand_over", "survey", "complete"]),
    post=hostile_posts(
        [
            "hand_over-items",
            "hand_over-rest_date",
            "survey-score",
            "survey-comments",
            "survey-would_refer",
        ],
        fixed={"survey-score": "5"},
    ),
    real_items=st.booleans(),
)
def test_the_desk_steps_never_fail_on_hostile_input(
    login, pickup_clerk, pickup, items, paid, action, post, real_items
):
    data = dict(post)
    if real_items:
        data["hand_over-items"] = [str(items[0].pk)]
    url = reverse(f"pickup:desk_{action}", args=[pickup.pk])  # one view per desk action
    post_hostile(login(pickup_clerk), url, data, _state)


@hostile_settings
@given(post=st.data())
def test_the_check_form_never_fails_on_hostile_input(login, pickup_clerk, pickup, items, post):
    fields = [f"{kind}_{item.pk}" for item in items for kind in ("item", "note")]
    data = post.draw(hostile_posts(fields, fixed={f"item_{items[0].pk}": "ok"}))
    url = reverse("pickup:check", args=[pickup.pk])
    post_hostile(login(pickup_clerk), url, data, _state)


@hostile_settings
@given(day=hostile_value)
def test_the_day_sheet_never_fails_on_a_hostile_date(login, pickup_clerk, day):
    assert_answered(login(pickup_clerk).get(reverse("pickup:sheet"), {"date": day}))
