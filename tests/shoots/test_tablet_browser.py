"""The tablet page in Chromium (the shared `chromium` fixture, Debian's browser) at tablet
sizes: usable, and no money, addresses or phone numbers."""

import re
import zoneinfo
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from orders import services as order_services
from shoots import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)|\d{3}[ -]?\d{4}[ -]?\d{4}")


@pytest.fixture
def morning(branch):
    """10:00 at the branch, the clock running: both couples' shoots fall on today whatever
    the hour the suite runs (after 21:00 the second one fell on tomorrow)."""
    tz = zoneinfo.ZoneInfo(branch.timezone)
    at = datetime.combine(timezone.now().astimezone(tz).date(), time(10), tz)
    with time_machine.travel(at, tick=True):
        yield


@pytest.fixture
def busy_day(morning, book, make_order, crew, customer):
    """Two couples today: one with the makeup artist now, one coming next."""
    customer.address = "88 Nanjing West Road"
    customer.save()
    first = make_order(notes="Allergic to latex")
    second = make_order()
    for order in (first, second):
        order_services.take_payment(
            order=order,
            kind="balance",
            method="cash",
            amount=order.balance_due,
            staff=crew.dispatcher,
        )
    now = timezone.now()
    shoot = book(first, starts_at=now + timedelta(minutes=2), short_notice_confirmed=True)
    book(
        second,
        starts_at=shoot.ends_at + timedelta(minutes=5),
        short_notice_confirmed=True,
        room=None,
    )
    services.check_in(shoot=shoot, by=crew.dispatcher, locker_key="A3")
    services.hand_off(
        shoot=shoot,
        plan_line=shoot.plan.get(step="makeup"),
        to_staff=crew.makeup_artist,
        by=crew.dispatcher,
    )
    return shoot


def _open(chromium, live_server, staff, size):
    client = Client()
    client.force_login(staff.user)
    context = chromium.new_context(viewport=size, locale="en-US")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/shoots/tablet/")
    return context, page


@pytest.mark.parametrize(
    "size", [{"width": 1024, "height": 768}, {"width": 768, "height": 1024}], ids=str
)
def test_the_tablet_shows_my_queue_without_money_or_phones(
    chromium, live_server, busy_day, crew, customer, size
):
    context, page = _open(chromium, live_server, crew.makeup_artist, size)
    try:
        text = page.inner_text("body")
        assert "With me now" in text
        assert "Allergic to latex" in text
        assert len(page.locator("[data-testid=queue-card]").all()) == 2
        assert "¥" not in text
        assert "100.00" not in text
        assert not PHONE.search(page.content()), PHONE.search(page.content())
        for phone in customer.phones:
            assert phone not in page.content()
        assert customer.address not in page.content()
        assert page.locator("[data-testid=queue][hx-trigger^='every 20s']").count() == 1
        # What the htmx poll fetches every 20 seconds: the queue alone, no money or phones.
        fragment = page.request.get(
            f"{live_server.url}/shoots/tablet/", headers={"HX-Request": "true"}
        ).text()
        assert "Allergic to latex" in fragment
        assert "<html" not in fragment
        assert "¥" not in fragment
        assert "100.00" not in fragment
        assert not PHONE.search(fragment), PHONE.search(fragment)
        for phone in customer.phones:
            assert phone not in fragment
        assert customer.address not in fragment
        button = page.locator("button.btn-touch").first
        box = button.bounding_box()
        assert box["height"] >= 48
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        # One tap hands the couple on to the next station.
        button.click()
        page.wait_for_load_state()
        assert busy_day.handoffs.count() == 2
        assert "¥" not in page.inner_text("body")
    finally:
        context.close()
