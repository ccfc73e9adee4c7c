"""In the browser: the desk records a consent on the file, the manager exports the data
and erases it after typing the couple's name."""

import pytest
from django.urls import reverse

from studio import roles
from studio.models import ConsentEvent, Customer, DataRequest
from tests.factories import BranchFactory, CustomerFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=home-title]")


def test_consent_export_and_erasure_in_the_browser(live_server, page):
    from playwright.sync_api import expect

    branch = BranchFactory(code="web1", name="Web branch")
    StaffFactory(
        roles=[roles.MANAGER], branches=[branch], display_name="Boss", user__username="boss"
    )
    customer = CustomerFactory(branch=branch, bride_name="Zhou Xin", groom_name="Li Wei")
    _login(page, live_server, "boss")

    page.goto(live_server.url + reverse("studio:customer_edit", args=[customer.pk]))
    form = page.get_by_test_id("consent-form")
    form.get_by_label("agrees").check()
    form.locator("select[name=purpose]").select_option("care")
    form.get_by_label("WeChat").check()
    form.locator("select[name=source]").select_option("paper_form")
    page.get_by_test_id("record-consent").click()
    expect(page.get_by_test_id("consent-care-wechat")).to_contain_text("yes")
    expect(page.get_by_test_id("consent-history")).to_contain_text("Signed paper form")
    event = ConsentEvent.objects.get()
    assert (event.purpose, event.channel, event.granted) == ("care", "wechat", True)

    page.goto(live_server.url + reverse("overview:customer", args=[customer.pk]))
    with page.expect_download() as download:
        page.get_by_test_id("export-json").click()
    assert download.value.suggested_filename == f"customer-{customer.pk}.json"
    assert DataRequest.objects.filter(kind="export_json").count() == 1

    page.get_by_test_id("erase-customer").click()
    page.fill("input[name=typed_name]", "Zhou Xin & Li Wei")
    page.get_by_test_id("erase").click()
    expect(page.get_by_test_id("erased")).to_be_visible()
    expect(page.get_by_test_id("customer-title")).to_have_text("[erased]")
    assert Customer.objects.get(pk=customer.pk).erased_at is not None
