"""The selection on the big screen: the photo grid on the session page, whatever the number
of photos, in constant queries and well under a second; one tap picks through the same
service as typed numbers."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from selection.models import Photo

pytestmark = pytest.mark.django_db


def fake_photos(session, count, by):
    """Rows only (the page reads no file): `count` processed photos."""
    now = timezone.now()
    Photo.objects.bulk_create(
        Photo(
            session=session,
            number=n,
            original=f"o/{n}.jpg",
            checksum=f"{n:064d}",
            thumbnail="t.jpg",
            preview="p.jpg",
            watermarked="w.jpg",
            processed_at=now,
            uploaded_by=by,
        )  # fmt: skip
        for n in range(1, count + 1)
    )


def _url(order):
    return reverse("selection:session", args=[order.number])


def test_the_grid_shows_every_photo_and_the_picked_ones(
    session, selecting_order, consultant, login
):
    fake_photos(session, 12, consultant)
    from selection import services

    services.pick(session=session, numbers={3, 5}, pass_="first", by=consultant)
    body = login(consultant).get(_url(selecting_order)).content.decode()
    assert body.count('class="photo-tile"') == 12
    assert 'data-picked="3,5"' in body
    assert "selection/viewer.js" in body
    # Thumbnails wait for the script to ask for them (a screenful at a time).
    assert "<img src=" not in body.split('data-testid="photo-grid"')[1].split("</section>")[0]


def test_a_session_without_photos_keeps_the_numbers_only(selecting_order, consultant, login):
    body = login(consultant).get(_url(selecting_order)).content.decode()
    assert "photo-grid" not in body
    assert 'data-testid="pick-form"' in body


def test_800_photos_render_in_constant_queries_and_under_a_second(
    session, selecting_order, consultant, login, django_assert_max_num_queries
):
    client = login(consultant)
    fake_photos(session, 10, consultant)
    with django_assert_max_num_queries(30) as few:
        client.get(_url(selecting_order))
    queries = len(few.captured_queries)
    assert queries
    Photo.objects.all().delete()
    fake_photos(session, 800, consultant)
    client.get(_url(selecting_order))  # templates compiled, caches warm
    started = time.perf_counter()
    with django_assert_max_num_queries(queries):
        response = client.get(_url(selecting_order))
    elapsed = time.perf_counter() - started
    assert response.content.decode().count('class="photo-tile"') == 800
    assert elapsed < 1.0, f"{elapsed:.2f} s"


def test_one_tap_picks_through_the_picks_form(session, selecting_order, consultant, login):
    fake_photos(session, 5, consultant)
    client = login(consultant)
    response = client.post(
        reverse("selection:picks", args=[selecting_order.number]),
        {"numbers": "4", "pass_kind": "first", "action": "pick", "retouch": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-picked="4"' in response.content.decode()
