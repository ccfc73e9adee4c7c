"""Layouts measured in Chromium (issue 8): the managers' menu fits a 1366 px desk screen in
both languages, and the selection page's product select shows its whole option."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from studio import roles
from tests.selection.conftest import (  # noqa: F401
    consultant,
    make_shot_order,
    selecting_order,
    shot_order,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}


def _open(chromium, live_server, staff, size, language, path):
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
    page.goto(f"{live_server.url}{path}")
    return context, page


OVERFLOW = """() => {
  const width = window.innerWidth;
  const nav = document.querySelector('nav.navbar');
  const out = [];
  for (const el of nav.querySelectorAll('.navbar-brand, .nav-link, select, button')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) out.push(el.textContent.trim() || el.tagName);
  }
  return {
    page: document.documentElement.scrollWidth - width,
    nav: nav.scrollWidth - nav.clientWidth,
    height: nav.getBoundingClientRect().height,
    outside: out,
  };
}"""


@pytest.fixture
def busy_manager(make_staff):
    """A manager with the admin link and a long bilingual name, as in the demo."""
    manager = make_staff(roles.MANAGER, display_name="店长 林峰 Lin Feng")
    manager.user.is_staff = True
    manager.user.save(update_fields=["is_staff"])
    return manager


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_managers_menu_fits_a_desk_screen(chromium, live_server, busy_manager, language):
    context, page = _open(chromium, live_server, busy_manager, DESK, language, "/")
    try:
        page.wait_for_selector("[data-testid=home-title]")
        # The menu is open (not folded behind the toggler) at a desk's width.
        assert page.is_visible("#mainnav")
        assert page.is_hidden(".navbar-toggler")
        measured = page.evaluate(OVERFLOW)
        assert measured["page"] <= 0, measured
        assert measured["nav"] <= 0, measured
        assert measured["outside"] == [], measured
        # One row: the bar does not wrap onto a second line.
        assert measured["height"] < 70, measured
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_managers_menu_folds_on_a_tablet(chromium, live_server, busy_manager, language):
    context, page = _open(chromium, live_server, busy_manager, TABLET, language, "/")
    try:
        page.wait_for_selector("[data-testid=home-title]")
        assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
        page.click(".navbar-toggler")
        page.wait_for_selector("#mainnav.show")
        assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    finally:
        context.close()


SELECT_FITS = """() => {
  const select = document.querySelector('#id_price_item');
  const style = getComputedStyle(select);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = style.font;
  let widest = 0;
  for (const option of select.options) widest = Math.max(widest, ctx.measureText(option.text).width);
  // Room for the text: the select's width less its padding (the arrow sits in the padding).
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const box = select.getBoundingClientRect();
  const column = select.parentElement.getBoundingClientRect();
  return {widest, room, options: select.options.length,
          spills: box.right - column.right, styled: select.classList.contains('form-select')};
}"""


@pytest.mark.parametrize("size", [DESK, TABLET], ids=["desk", "tablet"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_product_select_shows_its_whole_option(
    chromium,
    live_server,
    selecting_order,  # noqa: F811
    consultant,  # noqa: F811
    size,
    language,
):
    path = reverse("selection:session", args=[selecting_order.number])
    context, page = _open(chromium, live_server, consultant, size, language, path)
    try:
        page.wait_for_selector("#id_price_item")
        measured = page.evaluate(SELECT_FITS)
        assert measured["options"] > 1
        assert measured["widest"] <= measured["room"], measured
        assert measured["spills"] <= 0.5, measured
        assert measured["styled"], measured
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    finally:
        context.close()


def _page_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("role", sorted(roles.ALL))
def test_every_roles_menu_fits_a_desk_screen_in_both_languages(
    chromium, live_server, make_staff, role
):
    staff = make_staff(role, display_name="区域经理 宋洁 Song Jie")
    context, page = _open(chromium, live_server, staff, DESK, "en", "/")
    try:
        for language in ("en", "zh-hans"):
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
            )
            page.goto(f"{live_server.url}/")
            page.wait_for_selector("[data-testid=home-title]")
            measured = page.evaluate(OVERFLOW)
            assert measured["page"] <= 0 and measured["outside"] == [], (language, measured)
            assert measured["height"] < 70, (language, measured)
            # On a tablet the menu folds and Today still fits the width.
            page.set_viewport_size(TABLET)
            assert _page_overflow(page) <= 0, (language, "tablet")
            page.set_viewport_size(DESK)
    finally:
        context.close()


def test_every_page_of_the_manager_fits_desk_and_tablet(chromium, live_server, busy_manager):
    from studio.access import declared_roles
    from tests.studio.test_access import VIEWS

    names = [
        n
        for n, v in VIEWS
        if roles.MANAGER in set(declared_roles(v) or ())
        and hasattr(getattr(v, "view_class", None), "get")
    ]
    context, page = _open(chromium, live_server, busy_manager, DESK, "en", "/")
    try:
        for language in ("en", "zh-hans"):
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
            )
            for size in (DESK, TABLET):
                page.set_viewport_size(size)
                for name in names:
                    response = page.goto(f"{live_server.url}{reverse(name)}")
                    if "text/html" not in response.headers.get("content-type", ""):
                        continue
                    assert response.status == 200, name
                    assert _page_overflow(page) <= 0, (name, language, size)
    finally:
        context.close()
