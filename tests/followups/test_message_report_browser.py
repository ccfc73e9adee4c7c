"""A store manager opens the messages report in Chromium, picks a period, and reads the
counts; a period the wrong way round is explained."""

import pytest
from django.urls import reverse

from followups.services import queue_message
from studio import roles
from tests.factories import BranchFactory, CustomerFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_reads_the_messages_report(live_server, page):
    from playwright.sync_api import expect

    branch = BranchFactory(code="web1", name="Web branch")
    StaffFactory(roles=[roles.MANAGER], branches=[branch], user__username="boss")
    customer = CustomerFactory(branch=branch)
    queue_message(customer=customer, key="visit_not_booked", occasion="o:1", context={})
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=home-title]")
    page.goto(live_server.url + reverse("followups:care_rules"))
    page.get_by_test_id("message-report-link").click()
    expect(page.get_by_test_id("report-row")).to_have_count(1)
    expect(page.get_by_test_id("report-total")).to_contain_text("1")
    page.fill("#id_first", "2026-03-07")
    page.fill("#id_last", "2026-03-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("comes after")
