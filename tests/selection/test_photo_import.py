"""The import command numbers a folder's JPEGs in shooting order and adds only what is new."""

import pytest
from django.core.management import CommandError, call_command

from selection.models import Photo

from .conftest import make_jpeg

pytestmark = pytest.mark.django_db


def test_a_folder_is_imported_in_shooting_order(
    shot_order, consultant, photo_folder, tmp_path, capsys
):
    folder = tmp_path / "card"
    folder.mkdir()
    # File names wrapped around (IMG_9999 → IMG_0001): the camera's time decides.
    (folder / "IMG_9998.JPG").write_bytes(make_jpeg(color=(1, 1, 1), taken="2026:12:01 10:00:00"))
    (folder / "IMG_0001.JPG").write_bytes(make_jpeg(color=(2, 2, 2), taken="2026:12:01 10:05:00"))
    (folder / "IMG_9999.jpeg").write_bytes(make_jpeg(color=(3, 3, 3), taken="2026:12:01 10:01:00"))
    (folder / "notes.txt").write_text("not a photo")
    (folder / "broken.jpg").write_bytes(make_jpeg(size=(400, 300))[:-700])
    username = consultant.user.username
    call_command("import_photos", shot_order.number, str(folder), by=username)
    out = capsys.readouterr()
    assert "3 added, 0 already there, 1 refused." in out.out
    assert "notes.txt: not a JPEG" in out.err
    assert "broken.jpg" in out.err
    names = list(Photo.objects.order_by("number").values_list("number", "original_name"))
    assert names[:3] == [(1, "IMG_9998.JPG"), (2, "IMG_9999.jpeg"), (3, "IMG_0001.JPG")]
    call_command("import_photos", shot_order.number, str(folder), by=username)
    assert "0 added, 3 already there, 1 refused." in capsys.readouterr().out
    assert Photo.objects.count() == 3


def test_someone_of_another_branch_cannot_import(shot_order, make_staff, other_branch, tmp_path):
    from studio import roles

    elsewhere = make_staff(roles.PHOTOGRAPHER, branch=other_branch)
    with pytest.raises(CommandError, match="does not work at"):
        call_command("import_photos", shot_order.number, str(tmp_path), by=elsewhere.user.username)
