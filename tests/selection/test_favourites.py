"""Favourites marked at home (selection.photos): the state wanted, once per photo, a short
note, the order's own photos only, never after the list is signed; the consultant takes
them into the first look in one action and sees them, with the notes, on the big screen."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from orders.models import Order, State
from selection import photos, services
from selection.models import FAVOURITE_NOTE_MAX, Favourite, Pick
from studio import roles
from tests.races import run_together

pytestmark = pytest.mark.django_db

SESSION_ROLES = {roles.SELECTION_CONSULTANT, roles.MANAGER}
REFUSED = sorted(set(roles.ALL) - SESSION_ROLES - {roles.CHAIN_MANAGER})


def _mark(order, photo, favourite=True):
    return photos.mark_favourite(order=order, photo_id=photo.pk, favourite=favourite)


def test_marking_twice_keeps_one_marked_row(shot_order, upload):
    photo, _ = upload(shot_order, 1)
    first = _mark(shot_order, photo)
    again = _mark(shot_order, photo)
    assert first.pk == again.pk and again.chosen
    assert Favourite.objects.filter(photo=photo).count() == 1


def test_unmarking_keeps_the_note_and_unmarking_a_photo_never_marked_writes_nothing(
    shot_order, upload
):
    one, _ = upload(shot_order, 1)
    two, _ = upload(shot_order, 2)
    photos.write_note(order=shot_order, photo_id=one.pk, note="  brighter,   please ")
    _mark(shot_order, one)
    unmarked = _mark(shot_order, one, favourite=False)
    assert (unmarked.chosen, unmarked.note) == (False, "brighter, please")
    assert _mark(shot_order, two, favourite=False) is None
    assert not Favourite.objects.filter(photo=two).exists()


def test_the_database_refuses_a_second_row_for_a_photo(shot_order, upload):
    photo, _ = upload(shot_order, 1)
    _mark(shot_order, photo)
    with pytest.raises(IntegrityError):
        Favourite.objects.create(photo=photo)


def test_a_note_too_long_is_refused_and_saves_nothing(shot_order, upload):
    photo, _ = upload(shot_order, 1)
    with pytest.raises(ValidationError) as caught:
        photos.write_note(order=shot_order, photo_id=photo.pk, note="x" * (FAVOURITE_NOTE_MAX + 1))
    assert "at most 200 characters" in caught.value.messages[0]
    assert not Favourite.objects.exists()


def test_a_photo_of_another_order_is_refused(shot_order, make_shot_order, upload):
    other = make_shot_order()
    theirs, _ = upload(other, 1)
    with pytest.raises(ValidationError, match="not on your page"):
        _mark(shot_order, theirs)
    with pytest.raises(ValidationError, match="not on your page"):
        photos.write_note(order=shot_order, photo_id=theirs.pk, note="mine")
    assert not Favourite.objects.exists()


def test_a_photo_without_its_previews_is_not_on_the_page(shot_order, upload):
    photo, _ = upload(shot_order, 1, process=False)
    with pytest.raises(ValidationError, match="not on your page"):
        _mark(shot_order, photo)


def test_nothing_changes_once_the_list_is_signed(shot_order, upload):
    photo, _ = upload(shot_order, 1)
    _mark(shot_order, photo)
    Order.objects.filter(pk=shot_order.pk).update(state=State.SELECTED)
    with pytest.raises(ValidationError, match="confirmed"):
        _mark(shot_order, photo, favourite=False)
    with pytest.raises(ValidationError, match="confirmed"):
        photos.write_note(order=shot_order, photo_id=photo.pk, note="late")
    assert Favourite.objects.get(photo=photo).chosen


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_from_two_requests_at_once_makes_one_row(shot_order, upload):
    photo, _ = upload(shot_order, 1)
    results = run_together(*[lambda: _mark(shot_order, photo) for _ in range(4)])
    assert [r[0] for r in results] == ["ok"] * 4
    assert Favourite.objects.filter(photo=photo, chosen=True).count() == 1


# --- At the appointment ---


@pytest.fixture
def home_favourites(shot_order, upload, consultant):
    """Photos 1–6 uploaded; the couple marked 2 and 5 and wrote on 5 and 6; the couple
    sits at the selection."""
    made = {n: upload(shot_order, n)[0] for n in range(1, 7)}
    _mark(shot_order, made[2])
    _mark(shot_order, made[5])
    photos.write_note(order=shot_order, photo_id=made[5].pk, note="for the wall")
    photos.write_note(order=shot_order, photo_id=made[6].pk, note="too dark?")
    services.start_selection(order=shot_order, by=consultant)
    shot_order.refresh_from_db()
    return shot_order


def _first_look(order):
    return set(
        order.selection.picks.filter(pass_kind=Pick.Pass.FIRST_LOOK).values_list(
            "number", flat=True
        )
    )


def test_the_consultant_takes_the_favourites_into_the_first_look_once(home_favourites, consultant):
    session = home_favourites.selection
    services.pick(session=session, numbers=[5], pass_="first", by=consultant, outfit="white")
    assert services.take_favourites(session=session, by=consultant) == 1
    assert _first_look(home_favourites) == {2, 5}
    assert session.picks.get(number=5, pass_kind="first").outfit == "white"  # kept
    assert services.take_favourites(session=session, by=consultant) == 0


def test_no_favourites_says_so(shot_order, upload, consultant):
    upload(shot_order, 1)
    services.start_selection(order=shot_order, by=consultant)
    with pytest.raises(ValidationError, match="no favourites"):
        services.take_favourites(session=shot_order.selection, by=consultant)


def test_the_session_page_shows_the_favourites_and_the_notes(home_favourites, consultant, login):
    response = login(consultant).get(reverse("selection:session", args=[home_favourites.number]))
    text = response.content.decode()
    assert "2 favourites from home" in text
    assert 'data-testid="take-favourites"' in text
    assert "for the wall" in text and "too dark?" in text
    assert text.count('data-testid="favourite-mark"') == 2


def test_the_session_page_asks_the_same_queries_for_many_photos(
    shot_order, upload, consultant, login, django_assert_max_num_queries
):
    for n in range(1, 4):
        _mark(shot_order, upload(shot_order, n)[0])
    client = login(consultant)
    url = reverse("selection:session", args=[shot_order.number])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(4, 30):
        _mark(shot_order, upload(shot_order, n)[0])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "29 favourites from home" in client.get(url).content.decode()


def test_the_take_button_puts_them_in_and_shows_the_first_look(home_favourites, consultant, login):
    url = reverse("selection:take_favourites", args=[home_favourites.number])
    response = login(consultant).post(url)
    assert response.status_code == 302 and response["Location"].endswith("?pass=first")
    assert _first_look(home_favourites) == {2, 5}


def test_the_take_button_after_signing_says_why_and_changes_nothing(
    home_favourites, consultant, login
):
    Order.objects.filter(pk=home_favourites.pk).update(state=State.SELECTED)
    client = login(consultant)
    response = client.post(
        reverse("selection:take_favourites", args=[home_favourites.number]), follow=True
    )
    assert "cannot be changed now" in response.content.decode()
    assert _first_look(home_favourites) == set()


def test_the_take_button_refuses_get(home_favourites, consultant, login):
    url = reverse("selection:take_favourites", args=[home_favourites.number])
    assert login(consultant).get(url).status_code == 405


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_cannot_take_the_favourites(home_favourites, make_staff, login, role):
    url = reverse("selection:take_favourites", args=[home_favourites.number])
    assert login(make_staff(role)).post(url).status_code == 403
    assert _first_look(home_favourites) == set()


def test_another_branch_does_not_find_the_session(home_favourites, make_staff, other_branch, login):
    staff = make_staff(roles.SELECTION_CONSULTANT, branch=other_branch)
    url = reverse("selection:take_favourites", args=[home_favourites.number])
    assert login(staff).post(url).status_code == 404
    assert _first_look(home_favourites) == set()


# --- The couple's data ---


def test_erasing_the_couple_takes_their_notes_and_keeps_the_marks(shot_order, upload):
    from studio.signals import customer_erased

    photo, _ = upload(shot_order, 1)
    _mark(shot_order, photo)
    photos.write_note(order=shot_order, photo_id=photo.pk, note="our dog in this one")
    customer_erased.send(type(shot_order.customer), customer=shot_order.customer, by=None)
    found = Favourite.objects.get(photo=photo)
    assert (found.chosen, found.note) == (True, "")


def test_the_couples_export_has_their_notes(shot_order, upload):
    from selection.selectors import customer_data

    photo, _ = upload(shot_order, 1)
    photos.write_note(order=shot_order, photo_id=photo.pk, note="our dog in this one")
    section = next(s for s in customer_data(shot_order.customer) if s.key == "favourites")
    assert section.rows[0]["note"] == "our dog in this one"
