"""The rental's charge and its deposit's ledger note are read in the reader's language."""

import html
import re

from django.urls import reverse
from django.utils import translation

from rentals import services


def _visible(client, url, language):
    client.cookies["django_language"] = language
    body = client.get(url).content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_the_rental_charge_and_deposit_read_in_the_readers_language(
    reserve, dress, receptionist, manager, login
):
    with translation.override("en"):
        reservation = reserve(rental_price=800)
        services.pick_up_dress(
            reservation=reservation,
            id_type="id_card",
            id_number="310101199001011234",
            by=receptionist,
        )
    client = login(manager)
    url = reverse("orders:detail", args=[reservation.order.number])
    chinese = _visible(client, url, "zh-hans")
    assert f"礼服出租 {dress.code}" in chinese and f"礼服 {dress.code}" in chinese
    assert "Dress rental" not in chinese and f"Dress {dress.code}" not in chinese
    english = _visible(client, url, "en")
    assert f"Dress rental {dress.code}" in english and f"Dress {dress.code}" in english
    assert "礼服" not in english


def test_a_cancelled_rental_reads_in_the_readers_language(reserve, receptionist, manager, login):
    with translation.override("zh-hans"):
        reservation = reserve(rental_price=800)
        services.cancel_reservation(reservation=reservation, by=receptionist, reason="改期")
    english = _visible(
        login(manager), reverse("orders:detail", args=[reservation.order.number]), "en"
    )
    assert "cancelled: 改期" in english and "已取消" not in english
