"""A receptionist registers a walk-in in the browser, finding nobody on file first.

Chromium is the shared session fixture of tests/conftest.py (Debian's /usr/bin/chromium,
headless, --no-sandbox …): one Playwright per test session, so browser tests of every app
run together.
"""

import pytest
from django.urls import reverse

from studio import roles
from studio.models import Customer, Visit
from tests.factories import BranchFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_walk_in_is_registered_in_the_browser(live_server, page):
    from playwright.sync_api import expect

    branch = BranchFactory(code="web1", name="Web branch")
    StaffFactory(
        roles=[roles.RECEPTIONIST],
        branches=[branch],
        display_name="Desk Browser",
        user__username="desk",
    )
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "desk")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=home-title]")
    page.goto(live_server.url + reverse("studio:visit_new"))
    page.get_by_test_id("customer-search").type("13911112222")
    expect(page.get_by_test_id("search-results")).to_contain_text("No couple on file")
    page.fill("#id_bride_name", "Zhou Xin")
    page.fill("#id_bride_phone", "13911112222")
    page.fill("#id_reason", "Saw us at the wedding fair")
    page.get_by_test_id("register-visit").click()
    expect(page.get_by_test_id("taker")).to_have_text("Desk Browser")
    visit = Visit.objects.get()
    assert Customer.objects.get().bride_name == "Zhou Xin"
    assert visit.reason == "Saw us at the wedding fair"
