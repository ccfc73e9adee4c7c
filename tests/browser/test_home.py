"""The demo receptionist logs in, switches language and sees the home page in both."""

import pytest

from demo_studio import chain as demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_studio(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return demo.build()


def test_the_demo_receptionist_sees_home_in_english_and_chinese(demo_studio, live_server, page):
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "receptionist")
    page.fill("input[name=password]", demo.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=home-title]")
    assert "Good day" in page.inner_text("[data-testid=home-title]")
    assert page.is_visible("text=Orders")

    page.select_option("#language-form select[name=language]", "zh-hans")
    page.wait_for_load_state("load")
    page.wait_for_selector("html[lang=zh-hans]")
    assert "您好" in page.inner_text("[data-testid=home-title]")
    assert page.is_visible("text=订单")

    page.select_option("#language-form select[name=language]", "en")
    page.wait_for_selector("html[lang=en]")
    assert "Good day" in page.inner_text("[data-testid=home-title]")


def test_a_wrong_password_is_refused_with_a_message(demo_studio, live_server, page):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "receptionist")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    assert page.is_visible("text=Please enter a correct username and password")
