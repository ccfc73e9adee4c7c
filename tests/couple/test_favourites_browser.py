"""In Chromium, in both languages: the couple, on a phone (390×844), looks through their
watermarked photos, marks favourites with one tap (a double tap marks once) and leaves a
note; at the appointment the consultant, on the big screen (1920×1080), sees them with the
note, shows only them, and takes them into the first look with one action."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from selection import services as selection
from selection.models import Favourite, Pick
from tests.selection.conftest import photo_folder, upload  # noqa: F401
from tests.selection.test_photos_browser import _open

from .conftest import page_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WORDS = {
    "en": {"title": "Your photos", "saved": "Your note is saved.", "from_home": "2 favourites"},
    "zh-hans": {"title": "您的照片", "saved": "备注已保存。", "from_home": "新人在家喜欢 2 张"},
}
NOTE = {"en": "Brighter, for the wall", "zh-hans": "调亮一点，做挂墙照"}


@pytest.fixture(autouse=True)
def _no_bad_links_counted():
    cache.clear()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_couple_marks_favourites_at_home_and_the_consultant_sees_them(
    chromium,
    live_server,
    shot_order,
    upload,  # noqa: F811
    make_link,
    consultant,
    language,
):
    from playwright.sync_api import expect

    for n in range(1, 7):
        upload(shot_order, n)
    shot_order.customer.language = language
    shot_order.customer.save()
    made = make_link(shot_order)
    words = WORDS[language]

    phone_context = chromium.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="en-US"
    )
    try:
        phone = phone_context.new_page()
        phone.set_default_timeout(20000)
        phone.goto(live_server.url + page_url(made))
        assert phone.get_attribute("html", "lang") == language
        phone.locator("#photos").scroll_into_view_if_needed()
        assert words["title"] in phone.inner_text("#photos")
        # The watermarked previews, through the link, loaded as they come into view.
        phone.wait_for_function(
            "document.querySelector('#photo-1 img').complete"
            " && document.querySelector('#photo-1 img').naturalWidth > 0"
        )
        src = phone.get_attribute("#photo-1 img", "src")
        assert src.startswith(page_url(made)) and "/photos/" in src
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page is {width}px wide on a 390px phone"

        phone.tap("[data-testid=heart-2]")
        expect(phone.locator("[data-testid=favourite-count]")).to_have_text("1")
        expect(phone.locator("[data-testid=heart-2]")).to_have_attribute("aria-pressed", "true")
        # A double tap marks once.
        phone.dblclick("[data-testid=heart-5]")
        expect(phone.locator("[data-testid=favourite-count]")).to_have_text("2")
        expect(phone.locator("[data-testid=heart-5]")).to_have_attribute("aria-pressed", "true")

        # The photo large, and a note on it.
        phone.tap("#photo-2 .home-open")
        expect(phone.locator("[data-testid=home-viewer]")).to_be_visible()
        expect(phone.locator("[data-testid=viewer-heart]")).to_have_attribute(
            "aria-pressed", "true"
        )
        phone.fill("[data-testid=note-input]", NOTE[language])
        phone.tap("[data-testid=save-note]")
        expect(phone.locator("[data-testid=note-status]")).to_have_text(words["saved"])
        phone.tap("[data-action=close]")

        # Only the favourites.
        phone.tap("[data-testid=only-favourites]")
        expect(phone.locator(".home-tile:visible")).to_have_count(2)
    finally:
        phone_context.close()

    assert set(
        Favourite.objects.filter(photo__session__order=shot_order, chosen=True).values_list(
            "photo__number", flat=True
        )
    ) == {2, 5}
    assert Favourite.objects.get(photo__number=2).note == NOTE[language]

    # At the appointment, on the big screen.
    selection.start_selection(order=shot_order, by=consultant)
    url = reverse("selection:session", args=[shot_order.number])
    context, page = _open(chromium, live_server, consultant, language, url)
    try:
        favourites = page.locator("[data-testid=favourites]")
        expect(favourites).to_contain_text(words["from_home"])
        expect(page.locator("[data-testid=notes]")).to_contain_text(NOTE[language])
        expect(page.locator(".photo-tile.is-favourite")).to_have_count(2)
        page.click("[data-testid=favourites-only]")
        expect(page.locator(".photo-tile:visible")).to_have_count(2)
        # The viewer shows the note next to the photo.
        page.click(".photo-tile[data-number='2'] .photo-open")
        expect(page.locator("[data-testid=viewer-note]")).to_have_text(NOTE[language])
        page.keyboard.press("Escape")
        page.click("[data-testid=take-favourites]")
        expect(page.locator("[data-testid=count-first]")).to_have_text("2")
    finally:
        context.close()
    assert set(
        shot_order.selection.picks.filter(pass_kind=Pick.Pass.FIRST_LOOK).values_list(
            "number", flat=True
        )
    ) == {2, 5}
