"""orders.fsm, the one adapter to django-fsm-2's internals: what it reads from the library.

When an upgrade of django-fsm-2 moves `_django_fsm`, `get_transition` or the admin's
`_execute_fsm_transition`, these tests fail here, naming what changed.
"""

import pytest
from django.contrib.messages import get_messages
from django.utils import translation
from django_fsm_log.models import StateLog

from orders import fsm, services
from orders.models import Order, State

DECLARED = (
    "schedule",
    "reschedule",
    "check_in",
    "finish_shoot",
    "start_selection",
    "confirm_selection",
    "reopen",
    "send_to_production",
    "mark_ready",
    "deliver",
    "cancel",
)


def test_the_transitions_come_in_the_order_the_model_declares_them():
    assert fsm.names(Order) == DECLARED
    assert services.TRANSITIONS == DECLARED


def test_every_edge_is_listed_once_in_declaration_order():
    edges = [(t.name, t.source, t.target) for t in fsm.transitions(Order)]
    assert edges[0] == ("schedule", State.BOOKED, State.SCHEDULED)
    assert edges[-2:] == [
        ("cancel", State.BOOKED, State.CANCELLED),
        ("cancel", State.SCHEDULED, State.CANCELLED),
    ]
    assert len(edges) == len(DECLARED) + 1


def test_only_transitions_are_transitions():
    assert fsm.is_transition(Order, "deliver")
    assert not fsm.is_transition(Order, "save")
    assert not fsm.is_transition(Order, "no_such_thing")
    with pytest.raises(ValueError, match="not a transition"):
        fsm.custom(Order, "save")


@pytest.mark.parametrize("name", DECLARED)
def test_each_transition_carries_its_button_and_what_it_did(name):
    meta = fsm.custom(Order, name)
    assert set(meta) >= {"label", "done"}
    with translation.override("zh-hans"):
        chinese = (str(meta["label"]), str(meta["done"]))
    with translation.override("en"):
        english = (str(meta["label"]), str(meta["done"]))
    assert chinese != english, f"{name}'s texts are not translated"


def test_the_texts_read_back_through_the_services():
    with translation.override("en"):
        assert services.transition_button("cancel") == "Cancel order"
        assert services.transition_label("cancel") == "cancelled"


def test_a_transition_from_a_state_carries_its_guards_and_permission():
    found = fsm.from_state(Order, "cancel", State.SCHEDULED)
    assert found.name == "cancel" and found.target == State.CANCELLED
    assert found.permission is not None and str(found.permission.message)
    check_in = fsm.from_state(Order, "check_in", State.SCHEDULED)
    assert [c.__name__ for c in check_in.conditions] == [
        "_shoot_is_today",
        "_paid_if_branch_requires",
    ]
    assert fsm.from_state(Order, "cancel", State.SHOT) is None
    assert fsm.targets(Order, "cancel") == {State.CANCELLED}


def test_what_leads_out_of_the_current_state(order):
    assert fsm.leading_out(order) == ["schedule", "cancel"]
    assert fsm.current(order, "schedule").target == State.SCHEDULED
    assert fsm.current(order, "deliver") is None
    Order.objects.filter(pk=order.pk).update(state=State.SELECTED)
    order.refresh_from_db()
    assert fsm.leading_out(order) == ["reopen", "send_to_production"]


def test_the_admin_shows_the_buttons_of_the_transitions_that_can_run(admin_client, order):
    response = admin_client.get(f"/admin/orders/order/{order.pk}/change/")
    assert response.status_code == 200
    assert 'value="cancel"' in response.text and "Cancel order" in response.text
    assert 'value="schedule"' not in response.text  # no shoot booked yet


def test_the_admin_runs_a_transition_through_the_service(admin_client, admin_user, order):
    response = admin_client.post(
        f"/admin/orders/order/{order.pk}/transition/cancel/",
        {"description": "The couple moved abroad"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == State.CANCELLED
    log = StateLog.objects.for_(order).get()
    assert (log.transition, log.by, log.description) == (
        "cancel",
        admin_user,
        "The couple moved abroad",
    )


def test_in_the_admin_a_guard_says_what_is_missing(admin_client, order):
    # Only the service words the guard's sentence: calling the method, as django-fsm-2's
    # admin does by itself, would say "not allowed" without it.
    response = admin_client.post(
        f"/admin/orders/order/{order.pk}/transition/schedule/",
        {"description": "Try"},
    )
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "The shoot must be booked on the control sheet first." in said
    order.refresh_from_db()
    assert order.state == State.BOOKED
