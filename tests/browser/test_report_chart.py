"""A store manager opens the month report in Chromium: the 12-month trend chart is drawn
(three series, twelve months) beside its table, in English and in 简体中文, and the page
logs no error to the console."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from orders import services as order_services
from studio import roles
from studio.models import Visit
from tests.factories import CustomerFactory, PackageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-1"  # tests/factories.py


@pytest.fixture
def manager_with_months(branch, make_staff):
    """Visits and deals in three of the last twelve months."""
    manager = make_staff(roles.MANAGER, display_name="Wang Fang")
    desk = make_staff(roles.RECEPTIONIST, display_name="Li Na")
    package = PackageFactory(name="Eternal Love", branches=[branch])
    first = branch.today().replace(day=1)
    for back, source in ((0, "online"), (2, "fair"), (7, "referral")):
        month = first
        for _ in range(back):
            month = (month - datetime.timedelta(days=1)).replace(day=1)
        moment = datetime.datetime.combine(month, datetime.time(11), branch.tzinfo)
        customer = CustomerFactory(branch=branch, owner=desk, source=source)
        Visit.objects.create(
            branch=branch,
            customer=customer,
            taker=desk,
            registered_by=desk,
            source=source,
            outcome=Visit.Outcome.BOOKED,
            arrived_at=moment,
        )
        with time_machine.travel(moment, tick=False):
            order_services.create_order(
                customer=customer,
                package=package,
                owner=desk,
                created_by=desk,
                deposit=Decimal(2000),
                deposit_method="wechat",
            )
    return manager


def _drawn(page):
    """What Chart.js drew on the trend's canvas: its labels and series sizes."""
    return page.evaluate(
        """() => {
          const chart = window.Chart && Chart.getChart(document.getElementById("trend-chart"));
          if (!chart) { return null; }
          return {labels: chart.data.labels,
                  series: chart.data.datasets.map(d => [d.label, d.data.length]),
                  width: chart.width, height: chart.height};
        }"""
    )


def test_the_trend_chart_is_drawn_in_english_and_chinese_without_console_errors(
    manager_with_months, live_server, page
):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", manager_with_months.user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    page.goto(live_server.url + reverse("overview:reports"))
    page.wait_for_selector("[data-testid=trend-table]")
    page.wait_for_function("() => window.Chart && Chart.getChart('trend-chart')")
    drawn = _drawn(page)
    assert len(drawn["labels"]) == 12
    assert drawn["series"] == [["Visits", 12], ["Deals signed", 12], ["Revenue", 12]]
    assert drawn["width"] > 300 and drawn["height"] > 100
    assert page.locator("[data-testid=trend-table] tbody tr").count() == 12
    assert page.is_visible("text=Where the couples came from")

    page.select_option("#language-form select[name=language]", "zh-hans")
    page.wait_for_selector("html[lang=zh-hans]")
    page.wait_for_function("() => window.Chart && Chart.getChart('trend-chart')")
    drawn = _drawn(page)
    assert drawn["series"] == [["到店记录", 12], ["签单数", 12], ["营业额", 12]]
    assert all("年" in label for label in drawn["labels"]), drawn["labels"]
    assert page.is_visible("text=客人从哪里来")
    assert errors == []
