"""The shooting day end to end: check-in, locker key, hand-offs, outdoors, finish."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from orders import services as order_services
from orders.models import LedgerEntry, State
from shoots import selectors, services
from shoots.models import Shoot, Step


def test_check_in_takes_the_locker_deposit_and_moves_the_order(shoot_today, crew):
    shoot = services.check_in(shoot=shoot_today, by=crew.dispatcher, locker_key="A12")
    order = shoot.order
    order.refresh_from_db()
    assert order.state == State.SHOOTING
    assert shoot.status == Shoot.Status.CHECKED_IN
    assert order.hold_outstanding(LedgerEntry.Kind.LOCKER_DEPOSIT) == Decimal("100.00")
    assert order.balance_due == 0


def test_check_in_is_refused_on_the_wrong_day(book, order, crew):
    order_services.take_payment(
        order=order, kind="balance", method="cash", amount=order.balance_due, staff=crew.dispatcher
    )
    shoot = book(order)
    with pytest.raises(ValidationError) as exc:
        services.check_in(shoot=shoot, by=crew.dispatcher)
    assert "only possible on the day of the shoot" in " ".join(exc.value.messages)
    shoot.refresh_from_db()
    assert shoot.status == Shoot.Status.PLANNED


def test_check_in_is_refused_with_a_balance_due_under_pay_first(book, order, crew):
    shoot = book(
        order, starts_at=timezone.now() + timedelta(minutes=5), short_notice_confirmed=True
    )
    with pytest.raises(ValidationError) as exc:
        services.check_in(shoot=shoot, by=crew.dispatcher, locker_key="A1")
    assert "paid in full" in " ".join(exc.value.messages)
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.LOCKER_DEPOSIT).exists()


def test_the_balance_can_be_taken_at_check_in(book, order, crew):
    shoot = book(
        order, starts_at=timezone.now() + timedelta(minutes=5), short_notice_confirmed=True
    )
    services.check_in(shoot=shoot, by=crew.dispatcher, balance_method="wechat")
    order.refresh_from_db()
    assert order.state == State.SHOOTING
    assert order.balance_due == 0


def test_a_branch_without_pay_first_checks_in_with_a_balance(book, order, crew, branch):
    branch.pay_in_full_before_shoot = False
    branch.save()
    shoot = book(
        order, starts_at=timezone.now() + timedelta(minutes=5), short_notice_confirmed=True
    )
    services.check_in(shoot=shoot, by=crew.dispatcher)
    order.refresh_from_db()
    assert order.state == State.SHOOTING


def _walk_the_plan(shoot, by):
    """Tap "done" at every line of the plan, as the tablets do."""
    current = None
    while True:
        shoot = selectors.with_handoffs(Shoot.objects.filter(pk=shoot.pk)).get()
        move = selectors.next_move(shoot, selectors.current_handoff(shoot))
        if move is None:
            return shoot
        current = services.hand_off(shoot=shoot, plan_line=move["line"], to_staff=move["to"], by=by)
    return current


def test_the_hand_off_flow_end_to_end(shoot_today, crew):
    services.check_in(shoot=shoot_today, by=crew.dispatcher, locker_key="A12")
    shoot = _walk_the_plan(shoot_today, crew.dispatcher)
    handoffs = list(shoot.handoffs.order_by("at", "pk"))
    assert [h.plan_line.position for h in handoffs] == list(
        shoot.plan.values_list("position", flat=True)
    )
    assert handoffs[0].step == Step.DRESS
    assert handoffs[0].to_staff == crew.dress_stylist
    assert handoffs[1].from_staff == crew.dress_stylist
    assert handoffs[1].to_staff == crew.makeup_artist
    assert handoffs[-1].step == Step.REMOVE_MAKEUP
    with pytest.raises(ValidationError) as exc:
        services.finish_shoot(
            shoot=shoot, by=crew.dispatcher, key_returned=True, keep=Decimal("30")
        )
    assert "why" in " ".join(exc.value.messages).lower()
    services.finish_shoot(
        shoot=shoot,
        by=crew.dispatcher,
        key_returned=True,
        keep=Decimal("30"),
        keep_reason="Key bent",
    )
    order = shoot.order
    order.refresh_from_db()
    assert order.state == State.SHOT
    assert order.hold_outstanding(LedgerEntry.Kind.LOCKER_DEPOSIT) == 0
    assert Shoot.objects.get(pk=shoot.pk).status == Shoot.Status.FINISHED


def test_a_hand_off_to_someone_not_on_the_shoot_is_refused(shoot_today, crew, make_staff):
    from studio import roles

    services.check_in(shoot=shoot_today, by=crew.dispatcher)
    stranger = make_staff(roles.MAKEUP_ARTIST, display_name="Stranger")
    with pytest.raises(ValidationError) as exc:
        services.hand_off(
            shoot=shoot_today, step=Step.MAKEUP, to_staff=stranger, by=crew.dispatcher
        )
    assert "Stranger is not on this shoot" in " ".join(exc.value.messages)


def test_a_hand_off_before_check_in_is_refused(shoot_today, crew):
    with pytest.raises(ValidationError):
        services.hand_off(
            shoot=shoot_today, step=Step.MAKEUP, to_staff=crew.makeup_artist, by=crew.dispatcher
        )


def test_outdoor_trips_record_vehicle_driver_departure_and_return(book, order, crew):
    order_services.take_payment(
        order=order, kind="balance", method="cash", amount=order.balance_due, staff=crew.dispatcher
    )
    shoot = book(
        order,
        starts_at=timezone.now() + timedelta(minutes=5),
        short_notice_confirmed=True,
        room=crew.outdoor,
        vehicle=crew.vehicle,
        driver=crew.driver,
    )
    services.check_in(shoot=shoot, by=crew.dispatcher)
    trip = services.depart_outdoor(shoot=shoot, by=crew.dispatcher)
    assert (trip.vehicle, trip.driver) == (crew.vehicle, crew.driver)
    with pytest.raises(ValidationError):
        services.depart_outdoor(shoot=shoot, by=crew.dispatcher)
    trip = services.return_outdoor(shoot=shoot, by=crew.dispatcher)
    assert trip.returned_at is not None
    assert shoot.handoffs.get().step == Step.OUTDOOR


def test_the_board_flags_over_budget_and_alone(shoot_today, crew):
    services.check_in(shoot=shoot_today, by=crew.dispatcher)
    rows = selectors.board(branch=shoot_today.branch)
    assert rows[0]["alone"]
    services.hand_off(
        shoot=shoot_today,
        plan_line=shoot_today.plan.get(step=Step.MAKEUP),
        to_staff=crew.makeup_artist,
        by=crew.dispatcher,
        now=timezone.now() - timedelta(minutes=90),
    )
    row = selectors.board(branch=shoot_today.branch)[0]
    assert row["handoff"].to_staff == crew.makeup_artist
    assert row["over_budget"] and not row["alone"]


def test_visits_during_the_shoot_are_recorded(shoot_today, crew, receptionist):
    services.check_in(shoot=shoot_today, by=crew.dispatcher)
    visit = services.record_visit(shoot=shoot_today, visitor=receptionist, note="All well")
    assert shoot_today.visits.get() == visit


def test_finish_is_refused_while_the_key_deposit_is_held(shoot_today, crew):
    from orders.services import TransitionBlocked

    services.check_in(shoot=shoot_today, by=crew.dispatcher, locker_key="B3")
    # Someone skips the service and tries the transition directly.
    with pytest.raises(TransitionBlocked):
        order_services.transition_order(
            order=shoot_today.order, name="finish_shoot", by=crew.dispatcher.user
        )
