"""In Chromium: the desk sets a payment plan and finds it on the overdue list once a date has
passed; a manager of another branch finds the couple by phone and accepts them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders import services
from orders.models import Instalment, Order
from studio import roles
from studio.models import Customer
from tests.factories import BranchFactory, CustomerFactory, PackageFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=home-title]")


@pytest.fixture
def desk_order():
    branch = BranchFactory(code="web1", name="Web branch")
    desk = StaffFactory(
        roles=[roles.RECEPTIONIST], branches=[branch], display_name="Desk", user__username="desk"
    )
    couple = CustomerFactory(branch=branch, owner=desk, bride_phone="13911112222")
    order = services.create_order(
        customer=couple,
        package=PackageFactory(branches=[branch]),
        owner=desk,
        created_by=desk,
        deposit="2000",
        deposit_method="cash",
    )
    return order


def test_the_desk_sets_a_plan_and_sees_it_overdue(live_server, page, desk_order):
    from playwright.sync_api import expect

    log_in(page, live_server, "desk")
    page.goto(live_server.url + desk_order.get_absolute_url())
    page.get_by_test_id("plan-link").click()
    today = timezone.localdate()
    page.fill("input[name=form-0-due_on]", (today + timedelta(days=1)).isoformat())
    page.fill("input[name=form-0-amount]", "3000")
    page.fill("input[name=form-1-due_on]", (today + timedelta(days=31)).isoformat())
    page.fill("input[name=form-1-amount]", "3000")
    page.get_by_test_id("plan-form").locator("button").click()
    expect(page.get_by_test_id("plan-errors")).to_contain_text("must sum to exactly")
    page.fill("input[name=form-1-amount]", "3800")
    page.get_by_test_id("plan-form").locator("button").click()
    expect(page.get_by_test_id("plan")).to_contain_text("¥3,800.00")
    Instalment.objects.filter(amount=3000).update(due_on=today - timedelta(days=4))
    page.goto(live_server.url + reverse("orders:overdue"))
    expect(page.get_by_test_id("days")).to_have_text("4")
    page.get_by_role("link", name=desk_order.number).click()
    expect(page.get_by_test_id("plan")).to_contain_text("Overdue")


def test_a_manager_accepts_a_couple_from_another_branch(live_server, page, desk_order):
    from playwright.sync_api import expect

    there = BranchFactory(code="web2", name="North branch")
    StaffFactory(
        roles=[roles.MANAGER], branches=[there], display_name="North Boss", user__username="boss"
    )
    log_in(page, live_server, "boss")
    page.goto(live_server.url + reverse("orders:transfers"))
    page.get_by_test_id("accept-couple").click()
    page.fill("input[name=phone]", "139 1111 2222")
    page.get_by_test_id("find-form").locator("button").click()
    form = page.get_by_test_id("accept-form")
    form.get_by_label(desk_order.number, exact=False).check()
    form.locator("textarea").fill("Moved to the north")
    form.locator("button").click()
    expect(page.locator(".alert-success")).to_contain_text("now belong to North branch")
    assert Customer.objects.get(pk=desk_order.customer_id).branch == there
    assert Order.objects.get(pk=desk_order.pk).branch == there
    page.goto(live_server.url + reverse("orders:transfers"))
    expect(page.get_by_test_id("transfers")).to_contain_text("Moved to the north")
