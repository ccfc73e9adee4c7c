"""Hostile input on every form of the shooting day (check-in, hand-off, look, finish,
late start, outdoor visit, confirmation call) and the buttons without a form (no-show,
departure, return, briefing): never a 500, nothing saved when refused."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from orders.models import LedgerEntry
from shoots import services
from shoots.models import HandOff, Shoot
from tests.hostile import hostile_posts, hostile_settings, hostile_value, post_hostile

pytestmark = pytest.mark.django_db


def _state():
    return (
        list(Shoot.objects.order_by("pk").values()),
        LedgerEntry.objects.count(),
        HandOff.objects.count(),
    )


@pytest.fixture
def checked_in(shoot_today, crew):
    services.check_in(shoot=shoot_today, by=crew.dispatcher, locker_key="K-12")
    return shoot_today


def _url(name, shoot):
    return reverse(f"shoots:{name}", args=[shoot.pk])


@hostile_settings
@given(
    post=hostile_posts(
        ["locker_key", "deposit_method", "balance_method", "briefed"],
        fixed={"deposit_method": "cash"},
    )
)
def test_the_check_in_form_never_fails_on_hostile_input(login, crew, shoot_today, post):
    post_hostile(login(crew.dispatcher), _url("check_in", shoot_today), post, _state)


@hostile_settings
@given(
    post=hostile_posts(["to_staff", "plan_line", "step"], fixed={"step": "makeup"}),
    real_line=st.booleans(),
    real_staff=st.booleans(),
)
def test_the_hand_off_form_never_fails_on_hostile_input(
    login, crew, checked_in, post, real_line, real_staff
):
    if real_line:
        post["plan_line"] = str(checked_in.plan.first().pk)
    if real_staff:
        post["to_staff"] = str(crew.makeup_artist.pk)
    post_hostile(login(crew.dispatcher), _url("hand_off", checked_in), post, _state)


@hostile_settings
@given(post=hostile_posts(["line", "look"]), real_line=st.booleans())
def test_the_look_form_never_fails_on_hostile_input(login, crew, checked_in, post, real_line):
    line = checked_in.plan.filter(step__in=["white_gown", "evening_dress"]).first()
    if real_line and line is not None:
        post["line"] = str(line.pk)
    post_hostile(login(crew.dispatcher), _url("look", checked_in), post, _state)


@hostile_settings
@given(
    post=hostile_posts(
        ["key_returned", "deposit_method", "keep", "keep_reason"],
        fixed={"key_returned": "yes", "deposit_method": "cash"},
    )
)
def test_the_finish_form_never_fails_on_hostile_input(login, crew, checked_in, post):
    post_hostile(login(crew.dispatcher), _url("finish", checked_in), post, _state)


@hostile_settings
@given(post=hostile_posts(["minutes"]))
def test_the_late_start_form_never_fails_on_hostile_input(login, crew, shoot_today, post):
    post_hostile(login(crew.dispatcher), _url("late", shoot_today), post, _state)


@hostile_settings
@given(post=hostile_posts(["note"]))
def test_the_outdoor_visit_form_never_fails_on_hostile_input(login, crew, checked_in, post):
    post_hostile(login(crew.dispatcher), _url("visit", checked_in), post, _state)


@hostile_settings
@given(post=hostile_posts(["outcome"], fixed={"outcome": "confirmed"}))
def test_the_confirmation_outcome_never_fails_on_hostile_input(
    login, receptionist, book, order, post
):
    shoot = book(order)
    post_hostile(login(receptionist), _url("confirmation", shoot), post, _state)


@hostile_settings
@given(
    action=st.sampled_from(["no_show", "depart", "return", "brief"]),
    post=st.dictionaries(st.sampled_from(["next", "note", "minutes", "x"]), hostile_value),
)
def test_the_buttons_without_a_form_never_fail_on_hostile_input(
    login, crew, shoot_today, action, post
):
    post_hostile(login(crew.dispatcher), _url(action, shoot_today), post, _state)
