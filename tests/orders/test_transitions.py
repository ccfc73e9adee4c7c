"""Every transition of the Order, allowed and forbidden, and what each guard says."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_fsm_log.models import StateLog

from orders import services
from orders.models import LedgerEntry, Order, State
from selection.models import ProductionItem, SelectionSession
from shoots.models import Shoot

# transition -> (sources, target), exactly DOMAIN.md's diagram.
ALLOWED = {
    "schedule": ({State.BOOKED}, State.SCHEDULED),
    "reschedule": ({State.SCHEDULED}, State.SCHEDULED),
    "check_in": ({State.SCHEDULED}, State.SHOOTING),
    "finish_shoot": ({State.SHOOTING}, State.SHOT),
    "start_selection": ({State.SHOT}, State.SELECTING),
    "confirm_selection": ({State.SELECTING}, State.SELECTED),
    "reopen": ({State.SELECTED}, State.SELECTING),
    "send_to_production": ({State.SELECTED}, State.IN_PRODUCTION),
    "mark_ready": ({State.IN_PRODUCTION}, State.READY),
    "deliver": ({State.READY}, State.DELIVERED),
    "cancel": ({State.BOOKED, State.SCHEDULED}, State.CANCELLED),
}


def test_the_code_has_exactly_the_documented_transitions():
    field = Order._meta.get_field("state")
    found = {}
    for t in field.get_all_transitions(Order):
        sources, target = found.setdefault(t.name, (set(), t.target))
        sources.add(t.source)
    assert found == {name: (set(src), tgt) for name, (src, tgt) in ALLOWED.items()}
    assert {s for s, _ in State.choices} == {
        "booked",
        "scheduled",
        "shooting",
        "shot",
        "selecting",
        "selected",
        "in_production",
        "ready",
        "delivered",
        "cancelled",
    }


FORBIDDEN = [
    (name, state)
    for name, (sources, _target) in ALLOWED.items()
    for state in State.values
    if state not in sources
]


def _force_state(order, state):
    """Put an order in a state without the journey, only to test what is refused there."""
    Order.objects.filter(pk=order.pk).update(state=state)
    order.refresh_from_db()
    return order


@pytest.mark.parametrize(("name", "state"), FORBIDDEN)
def test_it_refuses_transitions_from_the_wrong_state(order, manager, name, state):
    _force_state(order, state)
    with pytest.raises(services.TransitionBlocked) as exc:
        services.transition_order(order=order, name=name, by=manager.user)
    assert exc.value.messages
    assert Order.objects.get(pk=order.pk).state == state


def _book_shoot_today(order, staff):
    start = timezone.now() + timedelta(minutes=5)
    return Shoot.objects.create(
        order=order,
        branch=order.branch,
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        created_by=staff,
    )


def _walk_to(order, staff, target):
    """Walk an order through the real journey to `target`, setting up each guard's facts."""
    user = staff.user
    steps = []
    if target == State.BOOKED:
        return order
    shoot = _book_shoot_today(order, staff)
    services.take_payment(
        order=order, kind="balance", method="cash", amount=order.balance_due, staff=staff
    )
    steps = [
        "schedule",
        "check_in",
        "finish_shoot",
        "start_selection",
        "confirm_selection",
        "send_to_production",
        "mark_ready",
        "deliver",
    ]
    for name in steps:
        if order.state == target:
            break
        if name == "finish_shoot":
            Shoot.objects.filter(pk=shoot.pk).update(status=Shoot.Status.FINISHED)
        if name == "start_selection":
            SelectionSession.objects.create(
                order=order, files_transferred_at=timezone.now(), files_complete=True
            )
        if name == "confirm_selection":
            SelectionSession.objects.filter(order=order).update(
                signed_at=timezone.now(), upsell_settled=True
            )
        if name == "send_to_production":
            SelectionSession.objects.filter(order=order).update(change_window_waived=True)
        if name == "mark_ready":
            ProductionItem.objects.create(order=order, name="Album", qc_passed_at=timezone.now())
        if name == "deliver":
            ProductionItem.objects.update(handed_over_at=timezone.now())
        services.transition_order(order=order, name=name, by=user)
    assert order.state == target
    return order


def test_the_whole_journey_is_logged(order, manager):
    _walk_to(order, manager, State.DELIVERED)
    logs = list(StateLog.objects.for_(order).order_by("pk").values_list("source_state", "state"))
    assert logs == [
        ("booked", "scheduled"),
        ("scheduled", "shooting"),
        ("shooting", "shot"),
        ("shot", "selecting"),
        ("selecting", "selected"),
        ("selected", "in_production"),
        ("in_production", "ready"),
        ("ready", "delivered"),
    ]
    assert set(StateLog.objects.for_(order).values_list("by", flat=True)) == {manager.user.pk}


def test_a_note_is_kept_in_the_log(order, manager):
    _book_shoot_today(order, manager)
    services.transition_order(order=order, name="schedule", by=manager.user, note="Phoned")
    assert StateLog.objects.for_(order).get().description == "Phoned"


GUARDS = [
    ("schedule", State.BOOKED, "The shoot must be booked on the control sheet first."),
    ("check_in", State.SCHEDULED, "Check-in is only possible on the day of the shoot."),
    (
        "start_selection",
        State.SHOT,
        "The image files must be transferred and checked complete before selection.",
    ),
    (
        "confirm_selection",
        State.SELECTING,
        "The customer must sign the production list before the selection is confirmed.",
    ),
    (
        "confirm_selection",
        State.SELECTING,
        "The selection upsell must be paid or recorded as owed.",
    ),
    (
        "reopen",
        State.SELECTED,
        "Changes are only allowed within 3 hours of signing the production list.",
    ),
    ("mark_ready", State.IN_PRODUCTION, "Every production item must pass quality control first."),
    ("deliver", State.READY, "The balance must be paid before the order is delivered."),
    ("deliver", State.READY, "Every item must be handed over to the customer."),
]


@pytest.mark.parametrize(("name", "state", "message"), GUARDS)
def test_each_guard_says_what_is_missing(order, manager, name, state, message):
    _force_state(order, state)
    with pytest.raises(services.TransitionBlocked) as exc:
        services.transition_order(order=order, name=name, by=manager.user)
    assert message in exc.value.messages


def test_guard_messages_are_in_chinese_too(order, manager):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(services.TransitionBlocked) as exc:
        services.transition_order(order=order, name="schedule", by=manager.user)
    assert "摄控表" in exc.value.messages[0]


def test_check_in_needs_the_package_paid_when_the_branch_says_so(order, manager):
    _book_shoot_today(order, manager)
    services.transition_order(order=order, name="schedule", by=manager.user)
    with pytest.raises(services.TransitionBlocked) as exc:
        services.transition_order(order=order, name="check_in", by=manager.user)
    assert "paid in full" in exc.value.messages[0]
    order.branch.pay_in_full_before_shoot = False
    order.branch.save()
    services.transition_order(order=order, name="check_in", by=manager.user)
    assert order.state == State.SHOOTING


def test_finish_shoot_waits_for_the_locker_key(order, manager):
    _walk_to(order, manager, State.SHOOTING)
    services.take_hold(
        order=order, kind=LedgerEntry.Kind.LOCKER_DEPOSIT, method="cash", amount=100, staff=manager
    )
    with pytest.raises(services.TransitionBlocked) as exc:
        services.transition_order(order=order, name="finish_shoot", by=manager.user)
    assert "locker key" in exc.value.messages[0]
    services.return_hold(
        order=order, kind=LedgerEntry.Kind.LOCKER_DEPOSIT, method="cash", staff=manager
    )
    services.transition_order(order=order, name="finish_shoot", by=manager.user)
    assert order.state == State.SHOT


def test_reopen_is_possible_within_three_hours_only(order, manager):
    _walk_to(order, manager, State.SELECTED)
    services.transition_order(order=order, name="reopen", by=manager.user)
    assert order.state == State.SELECTING
    services.transition_order(order=order, name="confirm_selection", by=manager.user)
    SelectionSession.objects.filter(order=order).update(
        signed_at=timezone.now() - timedelta(hours=3, minutes=1)
    )
    with pytest.raises(services.TransitionBlocked):
        services.transition_order(order=order, name="reopen", by=manager.user)


def test_send_to_production_waits_for_the_change_window(order, manager):
    _walk_to(order, manager, State.SELECTED)
    SelectionSession.objects.filter(order=order).update(change_window_waived=False)
    with pytest.raises(services.TransitionBlocked) as exc:
        services.transition_order(order=order, name="send_to_production", by=manager.user)
    assert "3-hour change window" in exc.value.messages[0]


def test_only_a_manager_may_cancel(order, receptionist, manager):
    with pytest.raises(PermissionDenied):
        services.transition_order(order=order, name="cancel", by=receptionist.user)
    services.transition_order(order=order, name="cancel", by=manager.user, note="Moved abroad")
    assert order.state == State.CANCELLED


def test_the_state_cannot_be_set_directly(order):
    with pytest.raises(AttributeError):
        order.state = State.DELIVERED
