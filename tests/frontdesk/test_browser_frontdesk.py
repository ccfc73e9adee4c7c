"""A receptionist registers a walk-in in the browser, finding nobody on file first."""

import pytest
from django.urls import reverse

from studio import roles
from studio.models import Customer, Visit
from tests.factories import BranchFactory, StaffFactory

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_walk_in_is_registered_in_the_browser(live_server):
    from playwright.sync_api import expect, sync_playwright

    branch = BranchFactory(code="web1", name="Web branch")
    StaffFactory(
        roles=[roles.RECEPTIONIST],
        branches=[branch],
        display_name="Desk Browser",
        user__username="desk",
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page()
            page.goto(live_server.url + reverse("login"))
            page.fill("input[name=username]", "desk")
            page.fill("input[name=password]", "pw-for-tests-1")
            page.locator("form button[type=submit], form input[type=submit]").last.click()
            page.goto(live_server.url + reverse("studio:visit_new"))
            page.get_by_test_id("customer-search").type("13911112222")
            expect(page.get_by_test_id("search-results")).to_contain_text("No couple on file")
            page.fill("#id_bride_name", "Zhou Xin")
            page.fill("#id_bride_phone", "13911112222")
            page.fill("#id_reason", "Saw us at the wedding fair")
            page.get_by_test_id("register-visit").click()
            expect(page.get_by_test_id("taker")).to_have_text("Desk Browser")
        finally:
            browser.close()
    visit = Visit.objects.get()
    assert Customer.objects.get().bride_name == "Zhou Xin"
    assert visit.reason == "Saw us at the wedding fair"
