"""In Chromium: the upload with its progress bar, refusals, a retry and a restart that skips
what is there; the big-screen viewer moved with the keyboard, picking with one tap or a
key, comparing side by side, typed numbers still working; and only a screenful of 800
thumbnails asked for at first. Both languages."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from selection import photos
from selection.models import Photo, Pick
from studio import roles

from .conftest import make_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIG_SCREEN = {"width": 1920, "height": 1080}
FINISHED = {"en": "Finished", "zh-hans": "完成"}
NOT_JPEG = {"en": "is not a JPEG photo", "zh-hans": "不是 JPEG 照片"}


def _open(chromium, live_server, staff, language, path, size=BIG_SCREEN):
    client = Client()
    client.force_login(staff.user)
    context = chromium.new_context(viewport=size, locale="en-US")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server.url}{path}")
    return context, page


@pytest.fixture
def worker_inline(monkeypatch):
    """The Celery job's service runs as soon as the upload commits (the worker is tested
    in test_celery_photos.py)."""
    monkeypatch.setattr(photos, "_queue_processing", lambda pk: photos.process_photo(photo_id=pk))


def _files(count):
    return [
        {"name": f"IMG_{n:04d}.JPG", "mimeType": "image/jpeg",
         "buffer": make_jpeg(size=(600, 400), color=(n * 40 % 255, 80, 120))}
        for n in range(1, count + 1)
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_upload_shows_progress_refuses_bad_files_retries_and_resumes(
    chromium, live_server, shot_order, make_staff, photo_folder, worker_inline, language
):
    from playwright.sync_api import expect

    photographer = make_staff(roles.PHOTOGRAPHER)
    url = reverse("selection:photos", args=[shot_order.number])
    context, page = _open(chromium, live_server, photographer, language, url)
    try:
        # The connection drops on the first try of one file: the script tries it again.
        dropped = []

        def drop_once(route):
            body = route.request.post_data_buffer or b""
            if b"IMG_0002.JPG" in body and not dropped:
                dropped.append(1)
                route.abort()
            else:
                route.continue_()

        page.route("**/upload/", drop_once)
        chosen = _files(4) + [
            {"name": "poster.png", "mimeType": "image/png", "buffer": make_jpeg(fmt="PNG")},
            {"name": "IMG_0099.JPG", "mimeType": "image/jpeg",
             "buffer": make_jpeg(size=(400, 300))[:-700]},
        ]  # fmt: skip
        page.set_input_files("#id_files", chosen)
        page.click("[data-testid=upload]")
        status = page.locator("[data-testid=upload-status]")
        expect(status).to_contain_text(FINISHED[language])
        bar = page.locator("[data-testid=progress]")
        expect(bar).to_be_visible()
        expect(bar).to_have_attribute("aria-valuenow", "100")
        errors = page.locator("[data-testid=upload-error]")
        expect(errors).to_have_count(2)
        expect(errors.filter(has_text="poster.png")).to_contain_text(NOT_JPEG[language])
        expect(errors.filter(has_text="IMG_0099.JPG")).to_have_count(1)
        assert dropped == [1]
        # Numbered by file name from 1: poster.png sorts after IMG_0099.
        assert list(Photo.objects.order_by("number").values_list("number", "original_name")) == [
            (n, f"IMG_{n:04d}.JPG") for n in range(1, 5)
        ]
        assert not Photo.objects.filter(processed_at__isnull=True).exists()

        # Started again with the same files: nothing is sent twice.
        page.reload()
        sent = []
        page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/upload/") else None)
        page.set_input_files("#id_files", _files(4))
        page.click("[data-testid=upload]")
        expect(status).to_contain_text(FINISHED[language])
        assert sent == []
        assert Photo.objects.count() == 4
    finally:
        context.close()


@pytest.fixture
def photographed_session(selecting_order, upload):
    for n in range(1, 7):
        upload(selecting_order, n, make_jpeg(size=(900, 600), color=(n * 40 % 255, 90, 60)))
    return selecting_order


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_viewer_moves_with_the_keyboard_and_picks_with_one_tap(
    chromium, live_server, photographed_session, consultant, language
):
    from playwright.sync_api import expect

    order = photographed_session
    url = reverse("selection:session", args=[order.number]) + "?pass=first"
    context, page = _open(chromium, live_server, consultant, language, url)
    try:
        tiles = page.locator(".photo-tile")
        expect(tiles).to_have_count(6)
        expect(tiles.nth(0).locator("img")).to_have_attribute(
            "src", "/selection/photo/" + str(Photo.objects.get(number=1).pk) + "/thumbnail/"
        )
        tiles.nth(0).locator(".photo-open").click()
        viewer = page.locator("[data-testid=viewer]")
        number = page.locator("[data-testid=viewer-number]")
        expect(viewer).to_be_visible()
        expect(number).to_have_text("1")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        expect(number).to_have_text("3")
        page.keyboard.press("ArrowLeft")
        expect(number).to_have_text("2")
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        expect(number).to_have_text("6")  # round to the last
        page.keyboard.press("+")
        expect(viewer).to_have_attribute("data-zoom", "1.5")
        page.keyboard.press("-")
        expect(viewer).to_have_attribute("data-zoom", "1")
        page.keyboard.press(" ")  # picks photo 6
        expect(tiles.nth(5)).to_have_class("photo-tile is-picked")
        expect(page.locator("[data-testid=count-first]")).to_have_text("1")
        page.keyboard.press("Escape")
        expect(viewer).to_be_hidden()

        # One tap on ✓ in the grid, and again to take it out.
        tiles.nth(2).locator(".photo-pick").click()
        expect(tiles.nth(2).locator(".photo-pick")).to_have_attribute("aria-pressed", "true")
        expect(page.locator("[data-testid=count-first]")).to_have_text("2")
        assert set(Pick.objects.values_list("number", flat=True)) == {3, 6}
        tiles.nth(2).locator(".photo-pick").click()
        expect(tiles.nth(2).locator(".photo-pick")).to_have_attribute("aria-pressed", "false")
        expect(page.locator("[data-testid=count-first]")).to_have_text("1")

        # Typed numbers still work, and the grid follows them.
        page.fill("#id_numbers", "1-2")
        page.locator("[data-testid=pick-form] button[value=pick]").click()
        expect(tiles.nth(0)).to_have_class("photo-tile is-picked")
        expect(tiles.nth(1)).to_have_class("photo-tile is-picked")
        assert set(Pick.objects.values_list("number", flat=True)) == {1, 2, 6}

        # Two photos side by side, then four.
        page.click("[data-testid=compare-mode]")
        tiles.nth(1).locator(".photo-open").click()
        tiles.nth(3).locator(".photo-open").click()
        page.click("[data-testid=compare]")
        compare = page.locator("[data-testid=compare-view]")
        expect(compare).to_be_visible()
        expect(compare.locator("img")).to_have_count(2)
        page.keyboard.press("Escape")
        expect(compare).to_be_hidden()
        tiles.nth(4).locator(".photo-open").click()
        tiles.nth(5).locator(".photo-open").click()
        page.click("[data-testid=compare]")
        expect(compare.locator("img")).to_have_count(4)
        expect(compare.locator("figcaption").first).to_have_text("2 ✓")
    finally:
        context.close()


def test_a_swipe_moves_the_viewer(chromium, live_server, photographed_session, consultant):
    from playwright.sync_api import expect

    order = photographed_session
    url = reverse("selection:session", args=[order.number])
    client = Client()
    client.force_login(consultant.user)
    context = chromium.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}]
    )  # fmt: skip
    page = context.new_page()
    try:
        page.goto(live_server.url + url)
        page.locator(".photo-tile .photo-open").first.tap()
        number = page.locator("[data-testid=viewer-number]")
        expect(number).to_have_text("1")
        swipe = """(dx) => {
          const el = document.querySelector('#photo-viewer');
          const touch = (x) => new Touch({identifier: 1, target: el, clientX: x, clientY: 500});
          el.dispatchEvent(new TouchEvent('touchstart', {touches: [touch(600)], bubbles: true}));
          el.dispatchEvent(new TouchEvent('touchend', {changedTouches: [touch(600 + dx)], bubbles: true}));
        }"""
        page.evaluate(swipe, -200)
        expect(number).to_have_text("2")
        page.evaluate(swipe, 200)
        expect(number).to_have_text("1")
    finally:
        context.close()


def test_800_photos_ask_only_for_a_screenful_of_thumbnails_at_first(
    chromium, live_server, selecting_order, consultant, photo_folder
):
    from django.core.files.base import ContentFile

    from selection.models import photo_storage

    session = selecting_order.selection
    name = photo_storage().save("shared/thumbnail.jpg", ContentFile(make_jpeg(size=(360, 240))))
    now = timezone.now()
    Photo.objects.bulk_create(
        Photo(session=session, number=n, original="o.jpg", checksum=f"{n:064d}",
              thumbnail=name, preview=name, watermarked=name, processed_at=now,
              uploaded_by=consultant)
        for n in range(1, 801)
    )  # fmt: skip
    asked = []
    url = reverse("selection:session", args=[selecting_order.number])
    context, page = _open(chromium, live_server, consultant, "en", "/")
    try:
        page.on("request", lambda r: asked.append(r.url) if "/thumbnail/" in r.url else None)
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        first = len(asked)
        # A 1920-pixel wide grid of 150-pixel tiles, 72% of 1080 high: about 70 on screen.
        assert 20 < first < 150, first
        page.evaluate(
            "() => { const g = document.querySelector('.photo-grid'); g.scrollTop = g.scrollHeight; }"
        )
        page.wait_for_function(
            "() => document.querySelector('.photo-tile[data-number=\"800\"] img').src !== ''"
        )
        assert len(asked) < 800 - 100
    finally:
        context.close()
