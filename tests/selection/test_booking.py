"""book_selection: a consultant of the branch, a time ahead, never two sessions at once."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from selection.models import SelectionSession, SessionLength
from studio import roles


def test_the_appointment_is_booked_for_two_hours(
    book_selection, shot_order, consultant, receptionist, the_day_after_tomorrow
):
    session = book_selection(shot_order)
    assert session.appointment_at == the_day_after_tomorrow
    assert session.appointment_ends_at == the_day_after_tomorrow + timedelta(hours=2)
    assert session.consultant == consultant
    assert session.booked_by == receptionist


def test_the_branch_sets_how_long_a_session_lasts(
    book_selection, shot_order, branch, the_day_after_tomorrow
):
    SessionLength.objects.create(branch=branch, minutes=90)
    session = book_selection(shot_order)
    assert session.appointment_ends_at == the_day_after_tomorrow + timedelta(minutes=90)


def test_booking_again_moves_the_appointment(book_selection, shot_order, the_day_after_tomorrow):
    book_selection(shot_order)
    later = the_day_after_tomorrow + timedelta(hours=1)
    session = book_selection(shot_order, starts_at=later)
    assert SelectionSession.objects.get() == session
    assert session.appointment_at == later


def test_only_a_selection_consultant_of_the_branch_can_be_booked(
    book_selection, shot_order, photographer, make_staff, other_branch
):
    elsewhere = make_staff(roles.SELECTION_CONSULTANT, branch=other_branch)
    for person in (photographer, elsewhere):
        with pytest.raises(ValidationError) as exc:
            book_selection(shot_order, consultant=person)
        assert "consultant" in exc.value.error_dict
    assert not SelectionSession.objects.exists()


def test_the_time_must_be_in_the_future(book_selection, shot_order, the_day_after_tomorrow):
    with pytest.raises(ValidationError) as exc:
        book_selection(shot_order, starts_at=the_day_after_tomorrow - timedelta(days=3))
    assert "starts_at" in exc.value.error_dict


def test_an_order_not_shot_yet_cannot_book(book_selection, order):
    with pytest.raises(ValidationError, match="cannot be booked now"):
        book_selection(order)
    assert not SelectionSession.objects.exists()


def test_a_consultant_is_never_booked_twice(
    book_selection, make_shot_order, the_day_after_tomorrow
):
    first = make_shot_order()
    book_selection(first)
    second = make_shot_order()
    with pytest.raises(ValidationError) as exc:
        book_selection(second, starts_at=the_day_after_tomorrow + timedelta(minutes=90))
    message = " ".join(exc.value.error_dict["consultant"][0].messages)
    assert "Feng Xue already has a selection" in message
    assert first.number in message
    assert not SelectionSession.objects.filter(order=second).exists()


def test_back_to_back_sessions_and_other_consultants_are_fine(
    book_selection, make_shot_order, make_staff, the_day_after_tomorrow
):
    book_selection(make_shot_order())
    book_selection(make_shot_order(), starts_at=the_day_after_tomorrow + timedelta(hours=2))
    other = make_staff(roles.SELECTION_CONSULTANT)
    book_selection(make_shot_order(), consultant=other)
    assert SelectionSession.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_desks_booking_the_consultant_at_once_book_one(
    book_selection, make_shot_order, the_day_after_tomorrow
):
    orders = [make_shot_order(), make_shot_order()]
    barrier = threading.Barrier(2)
    results = [None, None]

    def run(i):
        try:
            barrier.wait()
            results[i] = book_selection(
                orders[i], starts_at=the_day_after_tomorrow + timedelta(minutes=30 * i)
            )
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread met
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sum(isinstance(r, SelectionSession) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert SelectionSession.objects.count() == 1
