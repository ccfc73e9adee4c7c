"""The processing job: a thumbnail under 60 KB, an upright screen-size preview and the
couple's watermarked preview; run twice it changes nothing. The files check that lets the
selection start becomes "every photo has its preview" once photos are uploaded."""

import io

import pytest
from PIL import Image

from followups.models import SmsSignature
from orders.guards import blocked_reasons
from selection import imaging, photos, selectors, services
from selection.models import Photo

from .conftest import make_jpeg

pytestmark = pytest.mark.django_db


def _image(field):
    with field.open("rb") as f:
        return Image.open(io.BytesIO(f.read()))


def test_the_job_makes_a_small_thumbnail_and_an_upright_preview(shot_order, upload):
    # A camera held upright writes a landscape picture and orientation 6 (turn 90° right).
    photo, _ = upload(shot_order, 1, make_jpeg(size=(3000, 2000), orientation=6), process=False)
    assert photos.process_photo(photo_id=photo.pk) is True
    photo.refresh_from_db()
    assert photo.processed_at is not None
    with photo.thumbnail.open("rb") as f:
        data = f.read()
    assert len(data) < imaging.THUMBNAIL_MAX_BYTES
    thumbnail, preview = _image(photo.thumbnail), _image(photo.preview)
    assert max(thumbnail.size) == imaging.THUMBNAIL
    assert preview.size == (1280, 1920)  # portrait now
    # The dark corner was top-left; turned right it is top-right.
    assert preview.getpixel((1270, 10))[0] < 40
    assert preview.getpixel((10, 10))[0] > 150
    assert max(_image(photo.watermarked).size) == imaging.WATERMARKED


def test_a_noisy_big_photo_still_has_a_thumbnail_under_60_kb(monkeypatch):
    noise = Image.merge("RGB", [Image.effect_noise((2400, 1600), 90) for _ in range(3)])
    out = io.BytesIO()
    noise.save(out, "JPEG", quality=95)
    made = imaging.derivatives(io.BytesIO(out.getvalue()), watermark_text="x", font_path="")
    assert len(made["thumbnail"]) < imaging.THUMBNAIL_MAX_BYTES
    # The quality steps down until the thumbnail fits (a ceiling this noise overflows).
    monkeypatch.setattr(imaging, "THUMBNAIL_MAX_BYTES", 30_000)
    small = Image.merge("RGB", [Image.effect_noise((360, 240), 90) for _ in range(3)])
    assert len(imaging._jpeg(small, 75, small=True)) >= 30_000
    assert len(imaging._thumbnail_bytes(small)) < 30_000


def test_the_watermark_is_the_branchs_signature(shot_order, upload, branch, monkeypatch):
    SmsSignature.objects.create(branch=branch, sign_name="爱尚婚纱")
    seen = []
    real = imaging.derivatives

    def spy(file, *, watermark_text, font_path):
        seen.append(watermark_text)
        return real(file, watermark_text=watermark_text, font_path=font_path)

    monkeypatch.setattr(imaging, "derivatives", spy)
    upload(shot_order, 1)
    assert seen == ["爱尚婚纱"]
    photo = Photo.objects.get()
    assert (
        _image(photo.watermarked).tobytes()
        != _image(photo.preview).resize(_image(photo.watermarked).size).tobytes()
    )


def test_the_studio_name_marks_a_branch_without_a_signature(branch, settings):
    settings.STUDIO_NAME = "Studio Lumière"
    assert photos.watermark_text(branch) == "Studio Lumière"


def test_running_the_job_again_changes_nothing(shot_order, upload, photo_folder):
    photo, _ = upload(shot_order, 1)
    photo.refresh_from_db()
    files = sorted(p.name for p in photo_folder.rglob("*.jpg"))
    assert photos.process_photo(photo_id=photo.pk) is False
    assert Photo.objects.get().thumbnail.name == photo.thumbnail.name
    assert sorted(p.name for p in photo_folder.rglob("*.jpg")) == files


def test_a_second_worker_that_loses_the_race_removes_its_files(shot_order, upload, photo_folder):
    photo, _ = upload(shot_order, 1, process=False)
    real_update = Photo.objects.filter(pk=photo.pk).update

    # The other worker records its files between this one's read and its update.
    def first_wins():
        real_update(processed_at="2026-01-01T00:00Z", thumbnail="theirs.jpg")

    original = imaging.derivatives

    def slow(file, **kwargs):
        made = original(file, **kwargs)
        first_wins()
        return made

    imaging_derivatives = imaging.derivatives
    imaging.derivatives = slow
    try:
        assert photos.process_photo(photo_id=photo.pk) is False
    finally:
        imaging.derivatives = imaging_derivatives
    assert Photo.objects.get().thumbnail.name == "theirs.jpg"
    assert not list((photo_folder / str(shot_order.pk)).glob("thumbnail/*.jpg"))


def test_the_files_check_waits_for_every_preview(shot_order, upload, consultant):
    upload(shot_order, 1)
    second, _ = upload(shot_order, 2, process=False)
    assert not selectors.files_ready(shot_order)
    assert blocked_reasons(shot_order, "start_selection")
    photos.process_photo(photo_id=second.pk)
    assert selectors.files_ready(shot_order)
    services.start_selection(order=shot_order, by=consultant)
    shot_order.refresh_from_db()
    assert shot_order.state == "selecting"


def test_a_session_without_photos_keeps_the_manual_check(shot_order, consultant):
    assert not selectors.files_ready(shot_order)
    services.mark_files(
        order=shot_order, transferred=True, complete=True, photo_count=40, by=consultant
    )
    assert selectors.files_ready(shot_order)
