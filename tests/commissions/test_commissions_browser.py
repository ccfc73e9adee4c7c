"""In the browser: a manager adds a rule, reads the branch's month, opens a colleague's
statement and locks last month; the order taker reads their own month."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from commissions.models import StatementMonth
from orders import services as orders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(chromium, live_server, staff, language="en"):
    client = Client()
    client.force_login(staff.user)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
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
    page.set_default_timeout(15000)
    return context, page


def test_a_manager_sets_a_rule_and_locks_last_month(
    chromium, live_server, manager, receptionist, make_order, branch, last_month
):
    context, page = _page(chromium, live_server, manager)
    try:
        page.goto(f"{live_server.url}{reverse('commissions:rules')}")
        page.click("[data-testid=add-rule]")
        page.select_option("select[name=basis]", "signing")
        page.fill("input[name=percent]", "3")
        page.fill("input[name=valid_from]", "2020-01-01")
        page.click("[data-testid=rule-form] button.btn-primary")
        page.wait_for_selector("[data-testid=rule]")
        assert "3%" in page.inner_text("[data-testid=rules]")

        order = make_order()  # the ¥2,000 deposit earns the order taker ¥60
        orders.take_payment(order=order, kind="balance", method="cash", amount=Decimal("1000"),
                            staff=receptionist)  # fmt: skip
        page.goto(f"{live_server.url}{reverse('commissions:branch')}")
        assert page.inner_text("[data-testid=branch-total]") == "¥90.00"
        page.click("[data-testid=staff-line] a")
        assert page.inner_text("[data-testid=statement-total]") == "¥90.00"

        page.goto(f"{live_server.url}{reverse('commissions:branch')}?month={last_month:%Y-%m}")
        page.click("[data-testid=lock]")
        page.wait_for_selector("span[data-testid=locked]")
        assert StatementMonth.objects.get(branch=branch, month=last_month).is_locked
    finally:
        context.close()


def test_the_order_taker_reads_their_month_in_chinese(
    chromium, live_server, signing_rule, receptionist, order
):
    context, page = _page(chromium, live_server, receptionist, language="zh-hans")
    try:
        page.goto(f"{live_server.url}/")
        link = page.locator(".navbar a.dropdown-item", has_text="我的提成")  # beside my leave
        assert link.count() == 1
        page.goto(link.get_attribute("href") and f"{live_server.url}{link.get_attribute('href')}")
        assert "我的提成" in page.inner_text("h1")
        assert page.inner_text("[data-testid=statement-total]") == "¥60.00"
        assert page.locator("[data-testid=credit]").count() == 1
    finally:
        context.close()
