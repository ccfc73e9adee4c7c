"""Picking photo numbers in passes: ranges, narrowing passes, limits."""

import pytest
from django.core.exceptions import ValidationError
from django.forms import ValidationError as FormError

from orders.models import State
from selection import selectors, services
from selection.forms import parse_numbers
from selection.models import Pick


def test_a_line_of_numbers_and_ranges_reads_as_photo_numbers():
    assert parse_numbers("1-5, 33 41，7") == {1, 2, 3, 4, 5, 7, 33, 41}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1-x", "“1-x” is not a photo number or a range like 1-20."),
        ("20-1", "from low to high"),
        ("0", "start at 1"),
        ("1-999999", "more than 5000"),
        (" , ", "at least one"),
    ],
)
def test_a_bad_line_says_what_is_wrong(text, message):
    with pytest.raises(FormError) as exc:
        parse_numbers(text)
    assert message in exc.value.messages[0]


def test_picks_are_recorded_per_pass(session, consultant):
    services.pick(session=session, numbers={1, 2, 3, 4}, pass_="first", by=consultant)
    services.pick(session=session, numbers={2, 3}, pass_="keep", by=consultant)
    assert sorted(session.picks.filter(pass_kind="keep").values_list("number", flat=True)) == [2, 3]
    assert session.picks.count() == 6


def test_picking_a_number_again_updates_it_once(session, consultant):
    services.pick(session=session, numbers={5}, pass_="first", by=consultant)
    services.pick(
        session=session, numbers={5}, pass_="first", by=consultant, retouch=False, album_page=3
    )
    pick = session.picks.get()
    assert (pick.retouch, pick.album_page) == (False, 3)


def test_a_later_pass_only_takes_numbers_from_the_one_before(session, consultant):
    services.pick(session=session, numbers={1, 2}, pass_="first", by=consultant)
    with pytest.raises(ValidationError) as exc:
        services.pick(session=session, numbers={2, 9}, pass_="keep", by=consultant)
    assert "9" in exc.value.message_dict["numbers"][0]
    assert not session.picks.filter(pass_kind="keep").exists()


def test_a_pass_may_start_when_the_one_before_is_empty(session, consultant):
    services.pick(session=session, numbers={7}, pass_="confirmed", by=consultant)
    assert session.picks.filter(pass_kind="confirmed").count() == 1


def test_numbers_beyond_the_photos_taken_are_refused(session, consultant):
    with pytest.raises(ValidationError) as exc:
        services.pick(session=session, numbers={199, 201}, pass_="first", by=consultant)
    assert "only 200 photos" in exc.value.message_dict["numbers"][0]
    assert not session.picks.exists()


def test_taking_a_number_out_takes_it_out_of_later_passes_too(session, consultant):
    for pass_ in ("first", "keep", "confirmed"):
        services.pick(session=session, numbers={1, 2}, pass_=pass_, by=consultant)
    removed = services.unpick(session=session, numbers={2}, pass_="keep", by=consultant)
    assert removed == 2
    remaining = set(session.picks.values_list("pass_kind", "number"))
    assert remaining == {("first", 1), ("first", 2), ("keep", 1), ("confirmed", 1)}


def test_photos_are_picked_only_while_the_order_is_selecting(shot_order, consultant):
    services.mark_files(
        order=shot_order, transferred=True, complete=True, photo_count=10, by=consultant
    )
    with pytest.raises(ValidationError, match="cannot be changed now"):
        services.pick(session=shot_order.selection, numbers={1}, pass_="first", by=consultant)


def test_counts_follow_the_confirmed_pass_against_the_package(session, consultant):
    services.pick(session=session, numbers=range(1, 41), pass_="confirmed", by=consultant)
    services.pick(
        session=session, numbers={39, 40}, pass_="confirmed", by=consultant, retouch=False
    )
    for page, numbers in enumerate([range(1, 4), range(4, 8)], start=1):
        services.pick(
            session=session, numbers=numbers, pass_="confirmed", by=consultant, album_page=page
        )
    summary = selectors.summary(session)
    assert (summary.retouched, summary.retouched_included) == (38, 30)
    assert (summary.pages_used, summary.pages_included) == (2, 20)
    assert summary.over_photos and not summary.over_pages
    assert len(summary.passes[Pick.Pass.CONFIRMED]) == 40


def test_starting_the_selection_needs_the_files(shot_order, consultant):
    from orders.services import TransitionBlocked

    with pytest.raises(TransitionBlocked, match="image files"):
        services.start_selection(order=shot_order, by=consultant)
    shot_order.refresh_from_db()
    assert shot_order.state == State.SHOT
