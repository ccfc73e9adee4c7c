"""The control sheet's day page on a portrait tablet (768 px): each shoot's status reads on
one line, in English and in Chinese."""

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_status_column_stays_on_one_line_at_768_px(
    chromium, live_server, book, make_order, crew, in_ten_days, language
):
    for hours in (0, 4, 8):
        book(make_order(), starts_at=in_ten_days + timedelta(hours=hours))
    client = Client()
    client.force_login(crew.dispatcher.user)
    context = chromium.new_context(viewport={"width": 768, "height": 1024}, locale="en-US")
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
    try:
        page.goto(f"{live_server.url}{reverse('shoots:day')}?date={in_ten_days:%Y-%m-%d}")
        if os.environ.get("SCREENSHOTS"):
            page.screenshot(
                path=f"{os.environ['SCREENSHOTS']}/sheet-day-768-{language}.png", full_page=True
            )
        cells = page.locator("[data-testid=shoot-status]").all()
        assert len(cells) == 3
        for cell in cells:
            box = cell.bounding_box()
            line = float(cell.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
            assert box["height"] < 1.5 * line, (cell.inner_text(), box, line)
    finally:
        context.close()
