"""What the shooting day writes (the locker key's deposit, the check-in in the order's
history, the no-show call) is stored as a kind and parameters and read in the reader's
language, whatever language the writer's page was in."""

import html
import io
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from shoots import services


def _visible(client, url, language):
    client.cookies["django_language"] = language
    body = client.get(url).content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def _check_in_in_english(shoot, crew):
    with translation.override("en"):
        services.check_in(shoot=shoot, by=crew.dispatcher, locker_key="K-12")


def test_the_locker_key_reads_in_the_readers_language(shoot_today, crew, manager, login):
    _check_in_in_english(shoot_today, crew)
    client = login(manager)
    url = reverse("orders:detail", args=[shoot_today.order.number])
    chinese = _visible(client, url, "zh-hans")
    assert "衣柜钥匙 K-12" in chinese and "Locker key" not in chinese
    english = _visible(client, url, "en")
    assert "Locker key K-12" in english and "衣柜钥匙" not in english


def test_the_history_names_the_action_and_the_state_in_the_readers_language(
    shoot_today, crew, manager, login
):
    _check_in_in_english(shoot_today, crew)
    client = login(manager)
    url = reverse("orders:detail", args=[shoot_today.order.number])
    chinese = _visible(client, url, "zh-hans")
    assert "报到 → 拍摄中" in chinese
    assert "check_in" not in chinese and "→ shooting" not in chinese
    english = _visible(client, url, "en")
    assert "Check in → Shooting" in english and "报到" not in english


def test_the_receipt_the_customer_takes_is_in_the_customers_language(
    shoot_today, crew, manager, login
):
    _check_in_in_english(shoot_today, crew)
    entry = shoot_today.order.ledger.get(kind="locker_deposit")
    client = login(manager)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("orders:receipt", args=[entry.order.number, entry.receipt_no]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert shoot_today.order.customer.language == "zh-hans"
    assert "衣柜钥匙 K-12" in text and "Locker key" not in text


def test_the_no_show_call_reads_in_the_readers_language(shoot_today, crew, receptionist, login):
    with translation.override("en"):
        services.mark_no_show(
            shoot=shoot_today, by=crew.dispatcher, now=shoot_today.starts_at + timedelta(hours=1)
        )
    client = login(receptionist)
    chinese = _visible(client, reverse("followups:tasks"), "zh-hans")
    assert "他们错过了" in chinese and "They missed" not in chinese
    english = _visible(client, reverse("followups:tasks"), "en")
    assert "They missed the shoot" in english and "他们错过了" not in english


def test_the_confirmation_call_closed_on_the_shoot_page_reads_in_the_readers_language(
    book, order, crew, in_ten_days, login
):
    shoot = book(order)
    services.plan_confirmation_calls(now=in_ten_days - timedelta(hours=20))
    with translation.override("en"):
        services.record_confirmation(shoot=shoot, outcome="confirmed", by=crew.dispatcher)
    client = login(crew.dispatcher)
    chinese = _visible(client, reverse("shoots:detail", args=[shoot.pk]), "zh-hans")
    assert "已确认（拍摄页登记）" in chinese and "on the shoot page" not in chinese
