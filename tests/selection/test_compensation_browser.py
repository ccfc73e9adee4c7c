"""In the browser: customer service proposes a refund on a complaint, the store manager
approves it and the order's ledger shows it; the pages read in Chinese too."""

from decimal import Decimal

import pytest
from django.urls import reverse

from followups.services import log_complaint
from orders import services as order_services
from orders.models import LedgerEntry
from selection import services
from selection.models import Compensation
from studio import roles
from tests.factories import BranchFactory, CustomerFactory, PackageFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=home-title]")


def log_out(page):
    page.context.clear_cookies()


@pytest.fixture
def world():
    branch = BranchFactory(code="web9", name="Web branch")
    desk = StaffFactory(roles=[roles.RECEPTIONIST], branches=[branch], display_name="Desk")
    service = StaffFactory(
        roles=[roles.CUSTOMER_SERVICE], branches=[branch], display_name="Hu Jing",
        user__username="hujing",
    )  # fmt: skip
    manager = StaffFactory(
        roles=[roles.MANAGER], branches=[branch], display_name="Wang Fang",
        user__username="wangfang",
    )  # fmt: skip
    order = order_services.create_order(
        customer=CustomerFactory(branch=branch, owner=desk),
        package=PackageFactory(branches=[branch]),
        owner=desk,
        created_by=desk,
        deposit=Decimal("2000"),
        deposit_method="cash",
    )
    complaint = log_complaint(
        customer=order.customer, order=order, text="Scratched album cover", logged_by=desk
    )
    return {"order": order, "complaint": complaint, "service": service, "manager": manager}


def test_a_refund_is_proposed_approved_and_posted(live_server, page, world):
    from playwright.sync_api import expect

    order, complaint = world["order"], world["complaint"]
    log_in(page, live_server, "hujing")
    page.goto(live_server.url + reverse("overview:customer", args=[order.customer_id]))
    page.get_by_role("link", name="Complaint logged by").click()
    expect(page.get_by_test_id("source")).to_contain_text("Scratched album cover")
    form = page.get_by_test_id("propose-form")
    form.get_by_label("Refund", exact=True).check()
    form.locator("input[name=amount]").fill("600")
    form.locator("select[name=method]").select_option("wechat")
    form.locator("textarea[name=reason]").fill("Cover scratched at delivery")
    page.get_by_test_id("propose").click()
    expect(page.get_by_test_id("compensation")).to_contain_text("Waiting for a manager")
    expect(page.get_by_test_id("approve")).to_have_count(0)

    log_out(page)
    log_in(page, live_server, "wangfang")
    page.goto(live_server.url + reverse("selection:compensations"))
    page.get_by_role("link", name="Complaint of").click()
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("compensation")).to_contain_text("Approved")
    expect(page.get_by_test_id("compensation")).to_contain_text("Wang Fang")
    entry = LedgerEntry.objects.get(kind="refund")
    assert entry.amount == Decimal("-600.00")
    assert Compensation.objects.get().ledger_entry == entry

    page.goto(live_server.url + order.get_absolute_url())
    expect(page.get_by_test_id("paid")).to_have_text("¥1,400.00")
    expect(page.get_by_test_id("order-compensations")).to_contain_text("Refund of ¥600.00")
    assert complaint.compensations.count() == 1


def test_the_pages_read_in_chinese(live_server, page, world):
    from playwright.sync_api import expect

    complaint = world["complaint"]
    proposed = services.propose_compensation(
        by=world["service"], complaint=complaint, kind="voucher", amount="300",
        expires_on=complaint.branch.today().replace(year=complaint.branch.today().year + 1),
        reason="请再来拍一组",
    )  # fmt: skip
    services.approve_compensation(compensation=proposed, by=world["manager"])
    log_in(page, live_server, "wangfang")
    page.goto(live_server.url + reverse("selection:compensations"))
    with page.expect_navigation():
        page.locator("#language-form select[name=language]").select_option("zh-hans")
    row = page.get_by_test_id("compensation")
    expect(row).to_contain_text("代金券 VWEB9-")
    expect(row).to_contain_text("面值 ¥300.00")
    expect(row).to_contain_text("请再来拍一组")
    page.goto(live_server.url + reverse("overview:customer", args=[complaint.customer_id]))
    expect(page.get_by_test_id("timeline")).to_contain_text("补偿（")


def test_a_voucher_is_used_at_the_desk_on_the_order_page(live_server, page, world):
    from playwright.sync_api import expect

    order, complaint = world["order"], world["complaint"]
    proposed = services.propose_compensation(
        by=world["service"], complaint=complaint, kind="voucher", amount="300",
        expires_on=complaint.branch.today().replace(year=complaint.branch.today().year + 1),
        reason="Scratched cover",
    )  # fmt: skip
    code = services.approve_compensation(compensation=proposed, by=world["manager"]).voucher_code
    log_in(page, live_server, "wangfang")
    page.goto(live_server.url + order.get_absolute_url())
    balance = page.get_by_test_id("balance").inner_text()
    form = page.get_by_test_id("voucher-form")
    form.get_by_label("Voucher code").fill(" " + code.lower())
    form.get_by_role("button", name="Use the voucher").click()
    expect(page.get_by_test_id("voucher-use")).to_contain_text(f"Voucher {code}: ¥300.00 taken off")
    expect(page.get_by_test_id("vouchers-used")).to_have_text("-¥300.00")
    assert page.get_by_test_id("balance").inner_text() != balance
    expect(page.get_by_test_id("paid")).to_have_text("¥2,000.00")  # not money received
    assert order.voucher_uses.get().amount == Decimal("300.00")
