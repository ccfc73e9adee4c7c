"""The couple's page in Chromium at phone size (390×844), in English and in Chinese: the
timeline, a proof approved, a change asked, the code sent by SMS, a link refused."""

import pytest
from django.core.cache import cache

from couple import services
from followups.models import OutboxMessage
from selection.models import DesignProof

from .conftest import page_url

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="en-US"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _no_bad_links_counted():
    cache.clear()


def _fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a 390px phone"


def test_an_english_couple_follows_their_order_and_approves_a_spread(
    live_server, phone, shown_proof, make_link
):
    order = shown_proof.item.order
    order.customer.language = "en"
    order.customer.save()
    made = make_link(order)
    phone.goto(live_server.url + page_url(made))
    assert phone.get_attribute("html", "lang") == "en"
    assert "Your order" in phone.inner_text("main")
    assert phone.get_attribute("[data-testid=step-production]", "data-state") == "current"
    assert phone.get_attribute("[data-testid=step-booked]", "data-state") == "done"
    # The spread is shown, from the page's own address.
    # Lazy-loaded below the timeline: scrolled to, it loads.
    phone.locator("[data-testid=proof] img").scroll_into_view_if_needed()
    phone.wait_for_function("document.querySelector('[data-testid=proof] img').naturalWidth > 0")
    _fits_the_phone(phone)
    phone.click("[data-testid=approve]")
    phone.wait_for_selector("[data-testid=decision]")
    assert "You approved this layout." in phone.inner_text("[data-testid=decision]")
    assert DesignProof.objects.get(pk=shown_proof.pk).decision == "approved"


def test_a_chinese_couple_types_their_code_and_asks_for_a_change(
    live_server, phone, shown_proof, make_link, monkeypatch
):
    # The code the SMS carries (the live server runs in this process): known to the test.
    monkeypatch.setattr(services.secrets, "randbelow", lambda _n: 123456)
    order = shown_proof.item.order
    order.customer.language = "zh-hans"
    order.customer.save()
    made = make_link(order, needs_pin=True)
    phone.goto(live_server.url + page_url(made))  # an English phone: the page is Chinese
    assert phone.get_attribute("html", "lang") == "zh-hans"
    assert "短信验证码" in phone.inner_text("[data-testid=pin]")
    _fits_the_phone(phone)
    phone.click("[data-testid=send-pin]")
    phone.wait_for_selector("[data-testid=message]")
    assert OutboxMessage.objects.filter(template_key="couple_pin").exists()
    code = "123456"
    phone.fill("#code", "000000")
    phone.click("[data-testid=check-pin]")
    assert "验证码不正确" in phone.inner_text("[data-testid=pin-error]")
    phone.fill("#code", code)
    phone.click("[data-testid=check-pin]")
    phone.wait_for_selector("[data-testid=timeline]")
    assert "您的订单" in phone.inner_text("main")
    assert "相册制作中" in phone.inner_text("[data-testid=step-production]")
    _fits_the_phone(phone)
    phone.fill("[data-testid=proof] textarea", "第 3 页的天空再亮一点")
    phone.click("[data-testid=ask-change]")
    phone.wait_for_selector("[data-testid=decision]")
    assert "您提出了修改" in phone.inner_text("[data-testid=decision]")
    proof = DesignProof.objects.get(pk=shown_proof.pk)
    assert (proof.decision, proof.couple_note) == ("changes", "第 3 页的天空再亮一点")


def test_a_revoked_link_says_it_does_not_work(live_server, phone, order, make_link, manager):
    made = make_link(order)
    services.revoke_link(link=made.link, by=manager)
    response = phone.goto(live_server.url + page_url(made))
    assert response.status == 404
    assert "This link does not work" in phone.inner_text("[data-testid=refused]")
    assert order.number not in phone.content()
