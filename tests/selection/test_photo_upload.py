"""Adding a session's photos: one JPEG at a time, numbered, checked, skipped when the same
file comes again, refused when it is not a JPEG, broken, too big or under a taken number."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orders.models import Order, State
from selection import photos
from selection.models import Photo
from studio import roles

from .conftest import make_jpeg
from .test_photo_serving import REFUSED

pytestmark = pytest.mark.django_db


def _file(data, name="IMG_0001.JPG"):
    return SimpleUploadedFile(name, data, "image/jpeg")


def test_a_jpeg_keeps_its_number_exif_and_checksum_in_the_private_storage(
    shot_order, upload, photo_folder, settings
):
    data = make_jpeg(orientation=6, taken="2026:12:01 10:15:30")
    photo, created = upload(shot_order, 7, data, process=False)
    assert created
    assert (photo.number, photo.orientation, photo.width, photo.height) == (7, 6, 120, 80)
    assert photo.taken_at == datetime(2026, 12, 1, 10, 15, 30, tzinfo=shot_order.branch.tzinfo)
    assert len(photo.checksum) == 64
    assert (photo_folder / photo.original.name).read_bytes() == data
    assert not str(photo_folder).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        photo.original.url  # noqa: B018 - no public address
    session = shot_order.selection
    assert session.photo_count == 7
    assert session.files_transferred_at is not None


def test_the_same_file_under_the_same_number_is_skipped(shot_order, upload, photo_folder):
    data = make_jpeg()
    first, _ = upload(shot_order, 1, data)
    again, created = upload(shot_order, 1, data)
    assert (again.pk, created) == (first.pk, False)
    assert Photo.objects.count() == 1
    assert len(list((photo_folder / str(shot_order.pk) / "original").iterdir())) == 1


def test_another_file_under_a_taken_number_is_refused(shot_order, upload, photo_folder):
    upload(shot_order, 1, make_jpeg(color=(1, 2, 3)))
    with pytest.raises(ValidationError, match="Photo 1 is already uploaded from another file"):
        upload(shot_order, 1, make_jpeg(color=(200, 2, 3)))
    assert len(list((photo_folder / str(shot_order.pk) / "original").iterdir())) == 1


def test_the_same_file_under_two_numbers_is_refused(shot_order, upload):
    data = make_jpeg()
    upload(shot_order, 1, data)
    with pytest.raises(ValidationError, match="already uploaded as photo 1"):
        upload(shot_order, 2, data)
    assert Photo.objects.count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        (make_jpeg(fmt="PNG"), "is not a JPEG photo"),
        (b"%PDF-1.4 not a photo at all", "is not a JPEG photo"),
        (make_jpeg(size=(400, 300))[:-600], "is broken or cut short"),
        (b"", "is empty"),
    ],
    ids=["png", "pdf", "cut short", "empty"],
)
def test_bad_files_are_refused_and_nothing_is_kept(
    shot_order, consultant, photo_folder, data, message
):
    with pytest.raises(ValidationError, match=message):
        photos.add_photo(order=shot_order, number=1, upload=_file(data, "x.jpg"), by=consultant)
    assert not Photo.objects.exists()
    assert not photo_folder.exists() or not any(photo_folder.rglob("*.jpg"))


def test_a_cut_file_is_refused_even_after_weasyprint_pads_truncated_images(
    shot_order, consultant, photo_folder, monkeypatch
):
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    cut = make_jpeg(size=(400, 300))[:-700]
    with pytest.raises(ValidationError, match="is broken or cut short"):
        photos.add_photo(order=shot_order, number=1, upload=_file(cut), by=consultant)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_a_huge_file_is_refused(shot_order, consultant, photo_folder, settings):
    settings.STUDIO_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="is larger than"):
        photos.add_photo(
            order=shot_order, number=1, upload=_file(make_jpeg(size=(300, 300))), by=consultant
        )
    assert not Photo.objects.exists()


def test_a_signed_order_takes_no_more_photos(shot_order, consultant, photo_folder):
    Order.objects.filter(pk=shot_order.pk).update(state=State.SELECTED)
    shot_order.refresh_from_db()
    with pytest.raises(ValidationError, match="its photos cannot be changed now"):
        photos.add_photo(order=shot_order, number=1, upload=_file(make_jpeg()), by=consultant)
    assert not Photo.objects.exists()
    assert not any(photo_folder.rglob("*.jpg")) if photo_folder.exists() else True


# --- The upload page and its one-file requests ---


def _upload_url(order, name="upload_photo"):
    return reverse(f"selection:{name}", args=[order.number])


@pytest.mark.parametrize("role", [roles.PHOTOGRAPHER, roles.RETOUCHER, roles.SELECTION_CONSULTANT])
def test_the_photographer_retoucher_and_consultant_upload(
    shot_order, make_staff, login, photo_folder, role
):
    client = login(make_staff(role))
    assert client.get(_upload_url(shot_order, "photos")).status_code == 200
    response = client.post(
        _upload_url(shot_order), {"number": 3, "file": _file(make_jpeg(), "DSC_0003.JPG")}
    )
    assert response.status_code == 200
    assert response.json() == {"number": 3, "status": "uploaded"}
    response = client.post(
        _upload_url(shot_order), {"number": 3, "file": _file(make_jpeg(), "DSC_0003.JPG")}
    )
    assert response.json() == {"number": 3, "status": "skipped"}
    listed = client.get(_upload_url(shot_order, "photo_list")).json()
    assert listed == {"photos": {"3": {"name": "DSC_0003.JPG", "size": len(make_jpeg())}}}


def test_a_refused_file_answers_its_reason(shot_order, consultant, login, photo_folder):
    response = login(consultant).post(
        _upload_url(shot_order), {"number": 1, "file": _file(make_jpeg(fmt="PNG"), "a.png")}
    )
    assert response.status_code == 400
    assert response.json() == {"error": "“a.png” is not a JPEG photo."}
    response = login(consultant).post(_upload_url(shot_order), {"number": 0})
    assert response.status_code == 400
    assert not Photo.objects.exists()


def test_the_refusal_is_in_chinese_for_a_chinese_speaker(
    shot_order, consultant, login, photo_folder
):
    client = login(consultant)
    client.cookies["django_language"] = "zh-hans"
    response = client.post(
        _upload_url(shot_order),
        {"number": 1, "file": _file(b"nope", "a.jpg")},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "不是 JPEG 照片" in response.json()["error"]
    page = client.get(_upload_url(shot_order, "photos"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "上传" in page.content.decode()


def test_the_upload_refuses_get(shot_order, consultant, login):
    assert login(consultant).get(_upload_url(shot_order)).status_code == 405


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_may_not_upload(shot_order, make_staff, login, photo_folder, role):
    client = login(make_staff(role))
    assert client.get(_upload_url(shot_order, "photos")).status_code == 403
    assert client.get(_upload_url(shot_order, "photo_list")).status_code == 403
    response = client.post(_upload_url(shot_order), {"number": 1, "file": _file(make_jpeg())})
    assert response.status_code == 403
    assert not Photo.objects.exists()


def test_another_branchs_order_is_not_found(
    shot_order, make_staff, other_branch, login, photo_folder
):
    client = login(make_staff(roles.PHOTOGRAPHER, branch=other_branch))
    assert client.get(_upload_url(shot_order, "photos")).status_code == 404
    assert client.get(_upload_url(shot_order, "photo_list")).status_code == 404
    response = client.post(_upload_url(shot_order), {"number": 1, "file": _file(make_jpeg())})
    assert response.status_code == 404
    assert not Photo.objects.exists()
