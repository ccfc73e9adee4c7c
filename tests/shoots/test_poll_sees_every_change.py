"""Whatever the tablet's queue or the board shows, a change to it is a new answer to the
poll, not 304: each change below alters the fragment's text, and the ETag the browser
holds from before must no longer match (shoots.selectors.queue_version, board_version)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from shoots import selectors, services
from shoots.models import OutfitKind, PlannedSet, Shoot, TimeBudget
from studio import roles
from studio.models import Customer, Staff

pytestmark = pytest.mark.usefixtures("mid_morning")

TABLET = reverse("shoots:tablet")
BOARD = reverse("shoots:board")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def shown(response):
    """The fragment's text, without its masked CSRF tokens (new on every drawing)."""
    return TOKEN.sub("", response.content.decode())


@pytest.fixture
def poll(login):
    def do(staff, url, etag=None):
        client = login(staff)
        if etag is None:
            client.get(url)  # the page first, as in the browser: it sets the CSRF cookie
        headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
        return client.get(url, HTTP_HX_REQUEST="true", **headers)

    return do


def _next_line(shoot, step):
    return shoot.plan.get(step=step)


# Each change: (what it is, who sees it, a function of the shoot and the crew).
def hand_on(shoot, crew):
    services.hand_off(
        shoot=shoot, plan_line=_next_line(shoot, "dress"), to_staff=crew.dress_stylist,
        by=crew.dispatcher,
    )  # fmt: skip


def set_a_look(shoot, crew):
    line = next(line for line in shoot.plan.all() if line.is_outfit)
    services.set_look(line=line, look="Garden, veil up", by=crew.dress_stylist)


def rename_the_couple(shoot, crew):
    Customer.objects.filter(pk=shoot.order.customer_id).update(bride_name="Renamed Bride")


def write_a_note(shoot, crew):
    Order.objects.filter(pk=shoot.order_id).update(notes="Allergic to latex")


def rename_the_makeup_artist(shoot, crew):
    Staff.objects.filter(pk=crew.makeup_artist.pk).update(display_name="Chen Jing-Yi")


def rename_the_next_seat(shoot, crew):
    # The hand-off button names who takes the couple next.
    move = selectors.next_move(shoot, selectors.current_handoff(shoot))
    Staff.objects.filter(pk=move["to"].pk).update(display_name="Somebody Else")


def drop_an_outfit(shoot, crew):
    PlannedSet.objects.filter(shoot=shoot, step__in=OutfitKind.values).last().delete()


def lengthen_the_makeup(shoot, crew):
    PlannedSet.objects.filter(shoot=shoot, step="makeup").update(minutes=5)


def finish(shoot, crew):
    Shoot.objects.filter(pk=shoot.pk).update(status=Shoot.Status.FINISHED)


def another_couple_today(shoot, crew):
    from orders import services as order_services
    from tests.factories import CustomerFactory

    order = order_services.create_order(
        owner=shoot.order.owner, created_by=shoot.order.owner,
        customer=CustomerFactory(branch=shoot.branch, owner=shoot.order.owner, bride_name="Xu Li"),
        package=shoot.order.package, deposit=shoot.order.package.price, deposit_method="cash",
    )  # fmt: skip
    later = services.book_shoot(
        order=order, starts_at=shoot.ends_at + timedelta(minutes=30), by=crew.dispatcher,
        photographer=crew.photographer, makeup_artist=crew.makeup_artist,
        short_notice_confirmed=True,
    )  # fmt: skip
    services.check_in(shoot=later, by=crew.dispatcher, balance_method="cash")


def take_the_makeup_artist_off(shoot, crew):
    Shoot.objects.filter(pk=shoot.pk).update(makeup_artist=None)


TABLET_CHANGES = [
    hand_on,
    set_a_look,
    rename_the_couple,
    write_a_note,
    rename_the_makeup_artist,
    rename_the_next_seat,
    drop_an_outfit,
    finish,
    another_couple_today,
    take_the_makeup_artist_off,
]
BOARD_CHANGES = [
    hand_on,
    rename_the_couple,
    rename_the_makeup_artist,
    lengthen_the_makeup,
    finish,
    another_couple_today,
]


@pytest.mark.parametrize("change", TABLET_CHANGES, ids=lambda f: f.__name__)
def test_the_tablet_sees_it(in_the_building, crew, poll, change):
    before = poll(crew.makeup_artist, TABLET)
    assert poll(crew.makeup_artist, TABLET, before["ETag"]).status_code == 304
    change(in_the_building, crew)
    after = poll(crew.makeup_artist, TABLET, before["ETag"])
    assert shown(after) != shown(before), "the change is one the queue shows"
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]


@pytest.mark.parametrize("change", BOARD_CHANGES, ids=lambda f: f.__name__)
def test_the_board_sees_it(in_the_building, crew, poll, change):
    with time_machine.travel(timezone.now(), tick=False):
        before = poll(crew.dispatcher, BOARD)
        assert poll(crew.dispatcher, BOARD, before["ETag"]).status_code == 304
        change(in_the_building, crew)
        after = poll(crew.dispatcher, BOARD, before["ETag"])
    assert shown(after) != shown(before), "the change is one the board shows"
    assert after.status_code == 200


def test_the_board_sees_a_branch_budget(in_the_building, crew, poll):
    with time_machine.travel(timezone.now(), tick=False):
        services.hand_off(
            shoot=in_the_building, step="change", to_staff=crew.dress_stylist, by=crew.dispatcher
        )
        before = poll(crew.dispatcher, BOARD)
        TimeBudget.objects.create(branch=in_the_building.branch, step="change", minutes=3)
        after = poll(crew.dispatcher, BOARD, before["ETag"])
    assert "/ 3)" in shown(after) and "/ 3)" not in shown(before)
    assert after.status_code == 200


def test_the_board_sees_the_next_minute_while_anyone_is_in(in_the_building, crew, poll):
    start = (timezone.now() + timedelta(minutes=1)).replace(second=5, microsecond=0)
    with time_machine.travel(start, tick=False):
        before = poll(crew.dispatcher, BOARD)
    with time_machine.travel(start + timedelta(seconds=50), tick=False):
        assert poll(crew.dispatcher, BOARD, before["ETag"]).status_code == 304
    with time_machine.travel(start + timedelta(seconds=60), tick=False):
        after = poll(crew.dispatcher, BOARD, before["ETag"])
    assert after.status_code == 200
    assert shown(after) != shown(before)


def test_an_empty_board_stays_not_modified_as_the_clock_turns(crew, poll, branch):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        before = poll(crew.dispatcher, BOARD)
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        assert poll(crew.dispatcher, BOARD, before["ETag"]).status_code == 304


def test_a_couple_checking_in_reaches_the_board_and_the_tablet(shoot_today, crew, poll):
    board = poll(crew.dispatcher, BOARD)
    tablet = poll(crew.makeup_artist, TABLET)
    services.check_in(shoot=shoot_today, by=crew.dispatcher, locker_key="A1")
    assert poll(crew.dispatcher, BOARD, board["ETag"]).status_code == 200
    assert poll(crew.makeup_artist, TABLET, tablet["ETag"]).status_code == 200


def test_a_new_colleague_on_the_rota_changes_nothing(in_the_building, crew, poll, make_staff):
    before = poll(crew.makeup_artist, TABLET)
    make_staff(roles.MAKEUP_ARTIST, display_name="New Hire")
    assert poll(crew.makeup_artist, TABLET, before["ETag"]).status_code == 304
