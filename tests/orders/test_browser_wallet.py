"""In the browser: the desk opens a card, tops it up, pays an order from it, and records a
fapiao request that the cashier then issues."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders import services
from orders.models import CardBonusRule, FapiaoRequest, StoredValueCard
from studio import roles
from tests.factories import BranchFactory, CustomerFactory, PackageFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=home-title]")


def test_a_card_is_opened_topped_up_and_pays_an_order(live_server, page):
    from playwright.sync_api import expect

    branch = BranchFactory(code="web1", name="Web branch")
    cashier = StaffFactory(
        roles=[roles.CASHIER], branches=[branch], display_name="Till", user__username="till"
    )
    CardBonusRule.objects.create(branch=branch, top_up=Decimal("10000"), bonus=Decimal("1000"))
    customer = CustomerFactory(branch=branch, owner=cashier)
    order = services.create_order(
        customer=customer,
        package=PackageFactory(branches=[branch]),
        owner=cashier,
        created_by=cashier,
        deposit=Decimal("2000"),
        deposit_method="cash",
    )
    log_in(page, live_server, "till")
    page.goto(live_server.url + reverse("overview:customer", args=[customer.pk]))
    page.get_by_test_id("open-card").click()
    expect(page.get_by_test_id("card-balance")).to_have_text("¥0.00")
    form = page.get_by_test_id("top-up-form")
    form.locator("select[name=method]").select_option("wechat")
    form.locator("input[name=amount]").fill("10000")
    form.get_by_role("button").click()
    expect(page.get_by_test_id("card-balance")).to_have_text("¥11,000.00")
    expect(page.get_by_test_id("card-bonus")).to_have_text("¥1,000.00")

    page.goto(live_server.url + order.get_absolute_url())
    pay = page.get_by_test_id("card-payment-form")
    pay.locator("input[name=amount]").fill("6800")
    pay.get_by_role("button").click()
    expect(page.get_by_test_id("balance")).to_contain_text("¥0.00")
    card = StoredValueCard.objects.get()
    assert card.balances == (Decimal("3200"), Decimal("1000"))


def test_a_fapiao_is_requested_and_issued(live_server, page):
    from playwright.sync_api import expect

    branch = BranchFactory(code="web2", name="Web branch 2")
    cashier = StaffFactory(
        roles=[roles.CASHIER], branches=[branch], display_name="Till", user__username="till2"
    )
    order = services.create_order(
        customer=CustomerFactory(branch=branch, owner=cashier),
        package=PackageFactory(branches=[branch]),
        owner=cashier,
        created_by=cashier,
        deposit=Decimal("2000"),
        deposit_method="cash",
    )
    log_in(page, live_server, "till2")
    page.goto(live_server.url + order.get_absolute_url())
    page.get_by_text("Request a fapiao").click()
    form = page.get_by_test_id("fapiao-form")
    form.get_by_label("Company").check()
    form.locator("input[name=title]").fill("深圳市腾讯计算机系统有限公司")
    form.locator("input[name=tax_number]").fill("91440300708461136X")
    form.locator("input[name=amount]").fill("2000")
    form.get_by_role("button").click()
    expect(page.get_by_test_id("fapiao-form")).to_contain_text("18 characters")
    assert not FapiaoRequest.objects.exists()
    form = page.get_by_test_id("fapiao-form")
    form.locator("input[name=tax_number]").fill("91440300708461136T")
    form.get_by_role("button").click()
    expect(page.get_by_test_id("fapiao-requests")).to_contain_text("91440300708461136T")
    issue = page.get_by_test_id("fapiao-issue")
    issue.locator("input[name=number]").fill("044001900111")
    issue.locator("input[name=issued_on]").fill("2026-05-01")
    issue.get_by_role("button").click()
    expect(page.get_by_test_id("fapiao-requests")).to_contain_text("044001900111")
    assert FapiaoRequest.objects.get().status == "issued"
