"""Photos on S3-compatible storage: Django still decides who may see a photo, then answers
with a redirect to a signed address that works five minutes (the bytes do not pass through
Django); the local folder keeps streaming the file. A signed address is computed locally:
these tests need no S3 and no network (the endpoint does not exist)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from selection.models import Photo
from studio import roles
from tests.couple.conftest import make_link, page_url  # noqa: F401

pytestmark = pytest.mark.django_db

ENDPOINT = "https://s3.studio.invalid"


@pytest.fixture
def s3(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "studio-photos",
                "endpoint_url": ENDPOINT,
                "region_name": "us-east-1",
                "access_key": "test-key",
                "secret_key": "test-secret",
                "location": "photos",
                "querystring_auth": True,
                "signature_version": "s3v4",
                "default_acl": None,
            },
        },
    }


@pytest.fixture
def photo_on_s3(s3, shot_order, consultant):
    """A photo whose files are on the bucket (the rows only: nothing is uploaded)."""
    from selection.models import SelectionSession

    session, _ = SelectionSession.objects.get_or_create(order=shot_order)
    names = {kind: f"{shot_order.pk}/{kind}/00001.jpg" for kind in ("thumbnail", "preview")}
    return Photo.objects.create(
        session=session,
        number=1,
        original=f"{shot_order.pk}/original/00001.jpg",
        checksum="a" * 64,
        watermarked=f"{shot_order.pk}/watermarked/00001.jpg",
        processed_at=timezone.now(),
        uploaded_by=consultant,
        **names,
    )


def _signed(location, kind, photo):
    parts = urlsplit(location)
    query = parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}" == ENDPOINT
    assert parts.path == f"/studio-photos/photos/{photo.session.order_id}/{kind}/00001.jpg"
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query
    assert query["response-cache-control"] == ["private, max-age=300"]
    return query


@pytest.mark.parametrize("kind", ["thumbnail", "preview", "watermarked"])
def test_staff_are_sent_to_a_signed_address_that_works_five_minutes(
    photo_on_s3, consultant, login, kind
):
    response = login(consultant).get(reverse("selection:photo", args=[photo_on_s3.pk, kind]))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, max-age=150"
    _signed(response["Location"], kind, photo_on_s3)


def test_a_refused_role_gets_no_address(photo_on_s3, make_staff, login):
    response = login(make_staff(roles.RECEPTIONIST)).get(
        reverse("selection:photo", args=[photo_on_s3.pk, "preview"])
    )
    assert response.status_code == 403
    assert "Location" not in response


def test_another_branch_gets_no_address(photo_on_s3, make_staff, other_branch, login):
    staff = make_staff(roles.SELECTION_CONSULTANT, branch=other_branch)
    response = login(staff).get(reverse("selection:photo", args=[photo_on_s3.pk, "preview"]))
    assert response.status_code == 404
    assert "Location" not in response


def test_a_file_not_made_yet_gets_no_address(photo_on_s3, consultant, login):
    Photo.objects.filter(pk=photo_on_s3.pk).update(thumbnail="")
    response = login(consultant).get(reverse("selection:photo", args=[photo_on_s3.pk, "thumbnail"]))
    assert response.status_code == 404


def test_the_couple_is_sent_to_the_watermarked_file_only(
    photo_on_s3,
    client,
    make_link,  # noqa: F811
):
    made = make_link(photo_on_s3.session.order)
    response = client.get(page_url(made, "couple:photo", pk=photo_on_s3.pk))
    assert response.status_code == 302
    assert "private" in response["Cache-Control"]
    _signed(response["Location"], "watermarked", photo_on_s3)


def test_a_revoked_couple_link_gets_no_address(
    photo_on_s3,
    client,
    make_link,  # noqa: F811
    manager,
):
    from couple import services

    made = make_link(photo_on_s3.session.order)
    services.revoke_link(link=made.link, by=manager)
    response = client.get(page_url(made, "couple:photo", pk=photo_on_s3.pk))
    assert response.status_code == 404
    assert "Location" not in response


def test_a_bucket_without_signatures_is_streamed_not_redirected(s3, settings):
    """An unsigned address would be public: such a bucket is read through Django."""
    from selection import photos

    settings.STORAGES["photos"]["OPTIONS"]["querystring_auth"] = False
    settings.STORAGES = {**settings.STORAGES}
    photo = Photo(preview="1/preview/00001.jpg")
    assert photos.signed_url(photo.preview) is None


def test_the_local_folder_streams_the_file(shot_order, upload, consultant, login):
    photo, _ = upload(shot_order, 1)
    response = login(consultant).get(reverse("selection:photo", args=[photo.pk, "preview"]))
    assert response.status_code == 200
    assert "Location" not in response
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
