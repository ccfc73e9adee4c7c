"""Favourites at home, through the couple's link: their photos as watermarked previews
(never the clean preview, never a public address), one tap to mark, a short note; only
their order's photos, only through a live link, never after the list is signed, and
nothing about prices."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from couple import services
from couple.models import CoupleLink
from orders.models import Order, State
from selection.models import Favourite
from tests.selection.conftest import photo_folder, upload  # noqa: F401

from .conftest import page_url

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def _no_bad_links_counted():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shot(shot_order, upload):  # noqa: F811
    """An order shot, photos 1–3 with their previews, photo 4 still being made; an
    English-speaking couple."""
    shot_order.customer.language = "en"
    shot_order.customer.save()
    for n in (1, 2, 3):
        upload(shot_order, n)
    upload(shot_order, 4, process=False)
    return shot_order


def _photo(order, number):
    return order.selection.photos.get(number=number)


def test_the_page_shows_their_photos_from_the_links_own_addresses(client, shot, make_link):
    shot.customer.language = "en"
    shot.customer.save()
    made = make_link(shot)
    text = client.get(page_url(made)).content.decode()
    assert "Your photos" in text
    assert text.count('class="home-tile') == 3  # photo 4 has no preview yet
    one = _photo(shot, 1)
    assert page_url(made, "couple:photo", pk=one.pk) in text
    assert 'loading="lazy"' in text
    assert "/selection/photo/" not in text  # never the staff's address (clean previews)
    for price_word in ("Price", "price", "Upsell", "Confirm"):
        assert price_word not in text


def test_the_photo_is_the_watermarked_preview(client, shot, make_link):
    made = make_link(shot)
    one = _photo(shot, 1)
    response = client.get(page_url(made, "couple:photo", pk=one.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    with one.watermarked.open("rb") as watermarked:
        assert body == watermarked.read()
    with one.preview.open("rb") as clean:
        assert body != clean.read()


def test_a_photo_of_another_order_or_without_preview_is_not_found(
    client,
    shot,
    make_shot_order,
    upload,  # noqa: F811
    make_link,
):
    theirs, _ = upload(make_shot_order(), 1)
    made = make_link(shot)
    assert client.get(page_url(made, "couple:photo", pk=theirs.pk)).status_code == 404
    assert client.get(page_url(made, "couple:photo", pk=_photo(shot, 4).pk)).status_code == 404


def test_an_expired_or_revoked_link_shows_no_photo_and_marks_nothing(
    client, shot, make_link, manager
):
    one = _photo(shot, 1)
    made = make_link(shot)
    CoupleLink.objects.filter(pk=made.link.pk).update(expires_at=timezone.now() - timedelta(1))
    assert client.get(page_url(made, "couple:photo", pk=one.pk)).status_code == 404
    url = page_url(made, "couple:favourite", pk=one.pk)
    assert client.post(url, {"favourite": "yes"}).status_code == 404
    revoked = make_link(shot)
    services.revoke_link(link=revoked.link, by=manager)
    assert client.get(page_url(revoked, "couple:photo", pk=one.pk)).status_code == 404
    url = page_url(revoked, "couple:note", pk=one.pk)
    assert client.post(url, {"note": "hello"}).status_code == 404
    assert not Favourite.objects.exists()


def test_a_link_asking_for_a_code_shows_no_photo_before_it(client, shot, make_link):
    made = make_link(shot, needs_pin=True)
    response = client.get(page_url(made, "couple:photo", pk=_photo(shot, 1).pk))
    assert response["Content-Type"].startswith("text/html")
    assert 'data-testid="pin"' in response.content.decode()
    url = page_url(made, "couple:favourite", pk=_photo(shot, 1).pk)
    client.post(url, {"favourite": "yes"}, **JSON)
    assert not Favourite.objects.exists()


def test_one_tap_marks_and_a_second_request_for_the_same_changes_nothing(client, shot, make_link):
    made = make_link(shot)
    url = page_url(made, "couple:favourite", pk=_photo(shot, 2).pk)
    first = client.post(url, {"favourite": "yes"}, **JSON)
    assert first.json() == {"favourite": True, "note": "", "count": 1}
    assert client.post(url, {"favourite": "yes"}, **JSON).json()["count"] == 1
    assert Favourite.objects.filter(chosen=True).count() == 1
    assert client.post(url, {"favourite": "no"}, **JSON).json() == {
        "favourite": False,
        "note": "",
        "count": 0,
    }


def test_without_the_script_the_heart_goes_back_to_the_photos(client, shot, make_link):
    made = make_link(shot)
    url = page_url(made, "couple:favourite", pk=_photo(shot, 2).pk)
    response = client.post(url, {"favourite": "yes"})
    assert response.status_code == 302 and response["Location"].endswith("#photos")
    assert Favourite.objects.get().chosen


def test_a_note_is_saved(client, shot, make_link):
    made = make_link(shot)
    url = page_url(made, "couple:note", pk=_photo(shot, 3).pk)
    answer = client.post(url, {"note": "brighter please"}, **JSON).json()
    assert answer == {"favourite": False, "note": "brighter please", "count": 0}
    assert Favourite.objects.get().note == "brighter please"


def test_a_note_too_long_is_refused_in_the_couples_language(client, shot, make_link):
    shot.customer.language = "zh-hans"
    shot.customer.save()
    made = make_link(shot)
    url = page_url(made, "couple:note", pk=_photo(shot, 3).pk)
    response = client.post(url, {"note": "长" * 201}, **JSON)
    assert response.status_code == 400
    assert "200" in response.json()["error"] and "备注" in response.json()["error"]
    assert not Favourite.objects.exists()


def test_a_heart_without_a_choice_is_refused(client, shot, make_link):
    made = make_link(shot)
    url = page_url(made, "couple:favourite", pk=_photo(shot, 1).pk)
    response = client.post(url, {"favourite": "maybe"}, **JSON)
    assert response.status_code == 400 and response.json()["error"]
    assert not Favourite.objects.exists()


def test_another_orders_photo_cannot_be_marked_through_this_link(
    client,
    shot,
    make_shot_order,
    upload,  # noqa: F811
    make_link,
):
    theirs, _ = upload(make_shot_order(), 1)
    made = make_link(shot)
    response = client.post(
        page_url(made, "couple:favourite", pk=theirs.pk), {"favourite": "yes"}, **JSON
    )
    assert response.status_code == 400
    assert "not on your page" in response.json()["error"]
    response = client.post(page_url(made, "couple:note", pk=theirs.pk), {"note": "x"}, **JSON)
    assert response.status_code == 400
    assert not Favourite.objects.exists()


def test_after_signing_the_photos_are_gone_and_nothing_changes(client, shot, make_link):
    made = make_link(shot)
    one = _photo(shot, 1)
    client.post(page_url(made, "couple:favourite", pk=one.pk), {"favourite": "yes"}, **JSON)
    Order.objects.filter(pk=shot.pk).update(state=State.SELECTED)
    assert 'data-testid="photos"' not in client.get(page_url(made)).content.decode()
    assert client.get(page_url(made, "couple:photo", pk=one.pk)).status_code == 404
    response = client.post(
        page_url(made, "couple:favourite", pk=one.pk), {"favourite": "no"}, **JSON
    )
    assert response.status_code == 400 and "confirmed" in response.json()["error"]
    assert Favourite.objects.get().chosen


@pytest.mark.parametrize("name", ["couple:favourite", "couple:note"])
def test_marking_refuses_get(client, shot, make_link, name):
    made = make_link(shot)
    assert client.get(page_url(made, name, pk=_photo(shot, 1).pk)).status_code == 405


def test_the_photo_refuses_post(client, shot, make_link):
    made = make_link(shot)
    assert client.post(page_url(made, "couple:photo", pk=_photo(shot, 1).pk)).status_code == 405
