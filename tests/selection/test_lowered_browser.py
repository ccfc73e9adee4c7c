"""In Chromium, in both languages: the cashier settles a list signed again for less — a
refund through the ledger in English, kept as credit in Chinese."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import LedgerEntry
from orders.services import take_payment
from selection.models import LoweredUpsell
from studio import roles

from .test_photos_browser import _open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_cashier_refunds_in_english(chromium, live_server, make_staff, order):
    cashier = make_staff(roles.CASHIER, display_name="Sun Mei")
    take_payment(order=order, kind="selection_upsell", method="cash", amount="200", staff=cashier)
    lowered = LoweredUpsell.objects.create(order=order, amount=Decimal("200.00"))
    context, page = _open(chromium, live_server, cashier, "en", reverse("selection:lowered"))
    try:
        row = page.get_by_test_id("lowered-row")
        row.get_by_label("Refund", exact=True).check()
        row.get_by_label("Refund by").select_option("alipay")
        row.get_by_label("Amount refunded (¥)").fill("300")
        row.get_by_role("button", name="Settle").click()
        page.get_by_text("Refund at most the difference, ¥200.00.").wait_for()
        row = page.get_by_test_id("lowered-row")
        row.get_by_label("Amount refunded (¥)").fill("200")
        row.get_by_role("button", name="Settle").click()
        page.get_by_text(f"Refunded to the couple of {order.number}.").wait_for()
        assert page.get_by_test_id("lowered-row").count() == 0
    finally:
        context.close()
    lowered.refresh_from_db()
    assert lowered.decision == "refunded"
    refund = order.ledger.get(kind=LedgerEntry.Kind.REFUND)
    assert (refund.amount, refund.method) == (Decimal("-200.00"), "alipay")


def test_the_cashier_keeps_it_as_credit_in_chinese(chromium, live_server, make_staff, order):
    cashier = make_staff(roles.CASHIER, display_name="Sun Mei")
    lowered = LoweredUpsell.objects.create(order=order, amount=Decimal("200.00"))
    context, page = _open(chromium, live_server, cashier, "zh-hans", reverse("selection:lowered"))
    try:
        assert page.get_by_role("heading", name="待处理的选片差额").is_visible()
        page.get_by_label("留作订单余额").check()
        page.get_by_role("button", name="处理").click()
        page.get_by_text(f"已留作订单 {order.number} 的余额。").wait_for()
        page.get_by_text("¥200.00 留作余额").wait_for()
    finally:
        context.close()
    lowered.refresh_from_db()
    assert lowered.decision == "kept"
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REFUND).exists()
