"""A photo's files are served only by the view, to staff of its branch whose roles handle
photos (field staff included: photos are not money or phones)."""

import pytest
from django.urls import reverse

from studio import roles

pytestmark = pytest.mark.django_db

# Everyone but the photographer, the retoucher, the consultant and the store manager (head
# office works in the admin, not at a branch's pages).
ALLOWED = {roles.PHOTOGRAPHER, roles.RETOUCHER, roles.SELECTION_CONSULTANT, roles.MANAGER}
REFUSED = sorted(set(roles.ALL) - ALLOWED - {roles.CHAIN_MANAGER})


def test_the_refused_roles_are_every_other_role():
    assert len(REFUSED) == len(roles.ALL) - 5


def _url(photo, kind):
    return reverse("selection:photo", args=[photo.pk, kind])


@pytest.mark.parametrize("kind", ["thumbnail", "preview", "watermarked"])
def test_staff_of_the_branch_get_each_file(shot_order, upload, make_staff, login, kind):
    photo, _ = upload(shot_order, 1)
    response = login(make_staff(roles.PHOTOGRAPHER)).get(_url(photo, kind))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=86400"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_an_unknown_kind_or_a_file_not_made_yet_is_not_found(shot_order, upload, consultant, login):
    photo, _ = upload(shot_order, 1, process=False)
    client = login(consultant)
    assert client.get(_url(photo, "thumbnail")).status_code == 404
    assert client.get(_url(photo, "original")).status_code == 404


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_are_refused(shot_order, upload, make_staff, login, role):
    photo, _ = upload(shot_order, 1)
    assert login(make_staff(role)).get(_url(photo, "preview")).status_code == 403


def test_another_branch_does_not_find_the_photo(
    shot_order, upload, make_staff, other_branch, login
):
    photo, _ = upload(shot_order, 1)
    client = login(make_staff(roles.SELECTION_CONSULTANT, branch=other_branch))
    assert client.get(_url(photo, "preview")).status_code == 404


def test_the_file_refuses_post(shot_order, upload, consultant, login):
    photo, _ = upload(shot_order, 1)
    assert login(consultant).post(_url(photo, "preview")).status_code == 405
