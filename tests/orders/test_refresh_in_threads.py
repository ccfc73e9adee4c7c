"""An order read again from the database in a threaded server (gunicorn's gthread workers,
as the busy day runs them): no other thread's refresh can make this one fail."""

import pytest
from django_fsm import FSMModelMixin

from orders.models import Order, State

pytestmark = pytest.mark.django_db


def test_a_refresh_does_not_rely_on_the_flag_other_threads_switch(order, monkeypatch):
    # Another thread's refresh has just switched the field's shared `protected` flag back
    # on: the library's own switching-off then does nothing for this refresh.
    monkeypatch.setattr(FSMModelMixin, "_get_protected_fsm_fields", lambda self: set())
    Order.objects.filter(pk=order.pk).update(state=State.CANCELLED)
    order.refresh_from_db()
    assert order.state == State.CANCELLED


def test_a_refreshed_order_saves_from_its_new_state(order):
    Order.objects.filter(pk=order.pk).update(state=State.CANCELLED)
    order.refresh_from_db()
    order.save()  # no ConcurrentTransition: the refresh took the new state as its start
    assert Order.objects.get(pk=order.pk).state == State.CANCELLED


def test_a_refresh_of_other_fields_keeps_the_state(order):
    Order.objects.filter(pk=order.pk).update(notes="allergic to lilies")
    order.refresh_from_db(fields=["notes"])
    assert order.notes == "allergic to lilies"
    assert order.state == State.BOOKED


def test_the_state_is_still_protected_from_direct_writes(order):
    with pytest.raises(AttributeError):
        order.state = State.CANCELLED
    assert Order._meta.get_field("state").protected
