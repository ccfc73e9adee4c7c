"""The day before: the image files are transferred and complete, a button on the sheet."""

from django.urls import reverse

from orders.models import Order
from selection import services
from selection.models import SelectionSession
from studio import roles


def _files(client, session, **data):
    prefixed = {f"s{session.pk}-{k}": v for k, v in data.items()}
    return client.post(reverse("selection:files", args=[session.order.number]), prefixed)


def test_the_consultant_marks_the_files_transferred_and_complete(
    book_selection, shot_order, consultant, login
):
    session = book_selection(shot_order)
    response = _files(login(consultant), session, transferred="on", complete="on", photo_count=420)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.files_transferred_at is not None
    assert session.files_complete
    assert session.photo_count == 420
    assert session.files_checked_by == consultant


def test_the_files_check_opens_the_selection_guard(book_selection, shot_order, consultant):
    from django_fsm import can_proceed

    book_selection(shot_order)
    assert not can_proceed(shot_order.start_selection)
    services.mark_files(
        order=shot_order, transferred=True, complete=True, photo_count=300, by=consultant
    )
    assert can_proceed(Order.objects.get(pk=shot_order.pk).start_selection)


def test_complete_without_transferred_is_explained_at_the_field(
    book_selection, shot_order, consultant, login
):
    session = book_selection(shot_order)
    response = _files(login(consultant), session, complete="on", photo_count=0)
    assert response.status_code == 400
    body = response.content.decode()
    assert "only be checked complete once they are transferred" in body
    assert 'data-testid="files-error"' in body
    session.refresh_from_db()
    assert not session.files_complete and session.files_transferred_at is None


def test_a_negative_photo_count_is_refused(book_selection, shot_order, consultant, login):
    session = book_selection(shot_order)
    response = _files(login(consultant), session, transferred="on", photo_count=-3)
    assert response.status_code == 400
    assert response.content.decode().count('data-testid="files-error"') == 1
    session.refresh_from_db()
    assert session.files_checked_by is None


def test_the_files_button_refuses_get(book_selection, shot_order, consultant, login):
    session = book_selection(shot_order)
    response = login(consultant).get(reverse("selection:files", args=[session.order.number]))
    assert response.status_code == 405


def test_a_photographer_may_not_check_files(book_selection, shot_order, photographer, login):
    session = book_selection(shot_order)
    response = _files(login(photographer), session, transferred="on", photo_count=1)
    assert response.status_code == 403


def test_another_branchs_order_is_not_found(
    book_selection, shot_order, make_staff, other_branch, login
):
    session = book_selection(shot_order)
    elsewhere = make_staff(roles.SELECTION_CONSULTANT, branch=other_branch)
    response = _files(login(elsewhere), session, transferred="on", photo_count=1)
    assert response.status_code == 404
    assert SelectionSession.objects.get().files_checked_by is None
