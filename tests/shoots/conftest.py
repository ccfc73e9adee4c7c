from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone

from shoots import services
from shoots.models import Room, Vehicle
from studio import roles


@pytest.fixture
def crew(make_staff, photographer, branch):
    """Everyone a shoot books, a room, an outdoor plan and a vehicle at `branch`."""
    return SimpleNamespace(
        photographer=photographer,
        assistant=make_staff(roles.ASSISTANT, display_name="Sun Mei"),
        makeup_artist=make_staff(roles.MAKEUP_ARTIST, display_name="Chen Jing"),
        dress_stylist=make_staff(roles.DRESS_STYLIST, display_name="Liu Yan"),
        driver=make_staff(roles.DRIVER, display_name="Ma Qiang"),
        dispatcher=make_staff(roles.DISPATCHER, display_name="Gao Min"),
        room=Room.objects.create(branch=branch, name="Garden room"),
        outdoor=Room.objects.create(branch=branch, name="Bund outdoor", is_outdoor=True),
        vehicle=Vehicle.objects.create(branch=branch, name="White van", plate="沪A12345"),
    )


@pytest.fixture
def mid_morning():
    """10 in the morning today, whenever the tests run (the clock ticks on from there): a
    shoot "in five minutes" and another after it are still today's."""
    morning = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    with time_machine.travel(morning, tick=True):
        yield


@pytest.fixture
def in_ten_days():
    start = timezone.localtime() + timedelta(days=10)
    return start.replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def book(crew, in_ten_days):
    """book(order, **overrides) -> Shoot, with the whole indoor crew by default."""

    def do(order, **kwargs):
        kwargs.setdefault("starts_at", in_ten_days)
        kwargs.setdefault("by", crew.dispatcher)
        for seat in ("photographer", "assistant", "makeup_artist", "dress_stylist"):
            kwargs.setdefault(seat, getattr(crew, seat))
        kwargs.setdefault("room", crew.room)
        return services.book_shoot(order=order, **kwargs)

    return do


@pytest.fixture
def shoot_today(book, order):
    """A shoot starting in five minutes, its order paid in full."""
    from orders import services as order_services

    order_services.take_payment(
        order=order, kind="balance", method="cash", amount=order.balance_due, staff=order.owner
    )
    return book(
        order,
        starts_at=timezone.now() + timedelta(minutes=5),
        short_notice_confirmed=True,
    )


@pytest.fixture
def in_the_building(shoot_today, crew):
    """Today's couple checked in and with the makeup artist."""
    services.check_in(shoot=shoot_today, by=crew.dispatcher, locker_key="A1")
    services.hand_off(
        shoot=shoot_today,
        plan_line=shoot_today.plan.get(step="makeup"),
        to_staff=crew.makeup_artist,
        by=crew.dispatcher,
    )
    return shoot_today
