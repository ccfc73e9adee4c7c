"""Booking a shoot: the plan, the resources it holds, and what it refuses."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_fsm_log.models import StateLog

from orders.models import State
from shoots import selectors, services
from shoots.models import OutfitKind, ResourceBooking, Shoot, Step, TimeBudget


def test_it_books_a_shoot_and_schedules_the_order(book, order, crew):
    shoot = book(order)
    order.refresh_from_db()
    assert order.state == State.SCHEDULED
    assert shoot.status == Shoot.Status.PLANNED
    assert set(shoot.bookings.values_list("resource", flat=True)) == {
        f"staff:{crew.photographer.pk}",
        f"staff:{crew.assistant.pk}",
        f"staff:{crew.makeup_artist.pk}",
        f"staff:{crew.dress_stylist.pk}",
        f"room:{crew.room.pk}",
    }
    assert selectors.planned_shoot(order) == shoot


def test_the_plan_gives_the_finish_time_from_the_outfit_budgets(book, order, in_ten_days):
    shoot = book(order, sets=[OutfitKind.WHITE_GOWN, OutfitKind.EVENING_DRESS])
    steps = list(shoot.plan.values_list("step", "minutes"))
    assert steps == [
        (Step.DRESS, 20),
        (Step.MAKEUP, 60),
        (OutfitKind.WHITE_GOWN, 40),
        (Step.CHANGE, 10),
        (Step.RE_MAKEUP, 15),
        (OutfitKind.EVENING_DRESS, 25),
        (Step.FINISH, 10),
        (Step.REMOVE_MAKEUP, 15),
    ]
    assert shoot.ends_at == in_ten_days + timedelta(minutes=195)


def test_a_branch_can_change_its_budgets(book, order, branch, in_ten_days):
    TimeBudget.objects.create(branch=branch, step=OutfitKind.WHITE_GOWN, minutes=55)
    shoot = book(order, sets=[OutfitKind.WHITE_GOWN])
    assert shoot.plan.get(step=OutfitKind.WHITE_GOWN).minutes == 55


def test_it_refuses_a_double_booked_photographer_naming_them(book, make_order, crew, in_ten_days):
    first = book(make_order())
    with pytest.raises(services.DoubleBooking) as exc:
        book(make_order(), starts_at=in_ten_days + timedelta(hours=1), room=None)
    text = " ".join(exc.value.messages)
    assert crew.photographer.display_name in text
    assert first.order.number in text
    assert Shoot.objects.count() == 1


def test_it_refuses_a_double_booked_room(book, make_order, make_staff, crew, in_ten_days):
    from studio import roles

    book(make_order())
    other = make_staff(roles.PHOTOGRAPHER, display_name="Other Photographer")
    with pytest.raises(services.DoubleBooking) as exc:
        book(
            make_order(),
            starts_at=in_ten_days + timedelta(minutes=30),
            photographer=other,
            assistant=None,
            makeup_artist=None,
            dress_stylist=None,
        )
    assert "Garden room" in " ".join(exc.value.messages)


def test_back_to_back_bookings_are_allowed(book, make_order, in_ten_days):
    first = book(make_order())
    second = book(make_order(), starts_at=first.ends_at)
    assert second.starts_at == first.ends_at


def test_short_notice_needs_confirmation(book, order):
    soon = timezone.now() + timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        book(order, starts_at=soon)
    assert "short_notice_confirmed" in exc.value.error_dict
    shoot = book(order, starts_at=soon, short_notice_confirmed=True)
    assert shoot.pk


def test_it_refuses_a_time_in_the_past(book, order):
    with pytest.raises(ValidationError) as exc:
        book(order, starts_at=timezone.now() - timedelta(hours=1), short_notice_confirmed=True)
    assert "starts_at" in exc.value.error_dict


def test_it_refuses_someone_without_the_role(book, order, receptionist):
    with pytest.raises(ValidationError) as exc:
        book(order, photographer=receptionist)
    assert "photographer" in exc.value.error_dict


def test_it_refuses_staff_of_another_branch(book, order, make_staff, other_branch):
    from studio import roles

    elsewhere = make_staff(roles.PHOTOGRAPHER, branch=other_branch)
    with pytest.raises(ValidationError) as exc:
        book(order, photographer=elsewhere)
    assert "photographer" in exc.value.error_dict


def test_an_outdoor_plan_needs_vehicle_and_driver(book, order, crew):
    with pytest.raises(ValidationError) as exc:
        book(order, room=crew.outdoor)
    assert "vehicle" in exc.value.error_dict
    shoot = book(order, room=crew.outdoor, vehicle=crew.vehicle, driver=crew.driver)
    assert shoot.plan.filter(step=Step.OUTDOOR).exists()
    assert f"vehicle:{crew.vehicle.pk}" in set(shoot.bookings.values_list("resource", flat=True))


def test_a_reschedule_keeps_the_history_and_frees_the_old_time(book, order, in_ten_days):
    first = book(order)
    moved = book(order, starts_at=in_ten_days + timedelta(days=1), note="Rain")
    first.refresh_from_db()
    assert first.status == Shoot.Status.MOVED
    assert not first.bookings.exists()
    assert moved.moved_from == first
    assert list(
        StateLog.objects.for_(order).order_by("pk").values_list("transition", flat=True)
    ) == ["schedule", "reschedule"]


def test_a_reschedule_may_overlap_its_own_old_time(book, order, in_ten_days):
    book(order)
    moved = book(order, starts_at=in_ten_days + timedelta(minutes=30))
    assert moved.status == Shoot.Status.PLANNED


def test_free_resources_leave_out_the_busy(book, make_order, crew, branch, in_ten_days):
    first = book(make_order())
    free = selectors.free_resources(branch=branch, starts_at=in_ten_days, ends_at=first.ends_at)
    assert crew.photographer not in free["people"]["photographer"]
    assert crew.room not in free["rooms"]
    assert crew.driver in free["people"]["driver"]
    later = selectors.free_resources(
        branch=branch, starts_at=first.ends_at, ends_at=first.ends_at + timedelta(hours=1)
    )
    assert crew.photographer in later["people"]["photographer"]


def test_cancelling_a_shoot_frees_its_resources(book, order, crew):
    shoot = book(order)
    services.cancel_shoot(shoot=shoot, by=crew.dispatcher)
    assert not ResourceBooking.objects.exists()
