"""3小时后不能退改: reopen within 3 hours of signing; production after it, or when waived."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import State
from orders.services import TransitionBlocked
from selection import services


def test_the_list_reopens_within_3_hours(selecting_order, confirm, consultant):
    confirm(selecting_order, now=timezone.now() - timedelta(hours=2, minutes=50))
    services.reopen_selection(order=selecting_order, by=consultant)
    selecting_order.refresh_from_db()
    assert selecting_order.state == State.SELECTING


def test_the_list_does_not_reopen_after_3_hours(selecting_order, confirm, consultant):
    confirm(selecting_order, now=timezone.now() - timedelta(hours=3, minutes=1))
    with pytest.raises(TransitionBlocked, match="within 3 hours"):
        services.reopen_selection(order=selecting_order, by=consultant)
    assert selecting_order.selection.signed_at is not None


def test_production_waits_for_the_window(selecting_order, confirm, consultant):
    confirm(selecting_order)
    with pytest.raises(TransitionBlocked, match="change window is still open"):
        services.send_to_production(order=selecting_order, by=consultant)


def test_production_starts_after_the_window(selecting_order, confirm, consultant):
    confirm(selecting_order, now=timezone.now() - timedelta(hours=4))
    services.send_to_production(order=selecting_order, by=consultant)
    selecting_order.refresh_from_db()
    assert selecting_order.state == State.IN_PRODUCTION


def test_a_waived_window_sends_to_production_at_once(selecting_order, confirm, consultant):
    confirm(selecting_order, waive_change_window=True)
    services.send_to_production(order=selecting_order, by=consultant)
    selecting_order.refresh_from_db()
    assert selecting_order.state == State.IN_PRODUCTION
