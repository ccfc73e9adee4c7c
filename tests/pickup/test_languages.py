"""The pickup pages and today's pickups render in English and in Simplified Chinese."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("name", "chinese", "english"),
    [("sheet", "取件控制表", "Pickup control sheet"), ("book", "预约取件", "Book the pickup")],
)
def test_the_page_renders_in_both_languages(login, manager, ready_order, name, chinese, english):
    url = reverse(f"pickup:{name}", args=[ready_order.number] if name == "book" else [])
    client = login(manager)
    client.cookies["django_language"] = "zh-hans"
    assert chinese in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    assert english in client.get(url).content.decode()


def test_tomorrows_pickup_reads_in_chinese(login, manager, pickup):
    client = login(manager)
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("home")).content.decode()
    assert f"请带取件单 {pickup.slip_number}" in body


@pytest.mark.parametrize(
    ("name", "chinese", "english"),
    [("desk", "取件台", "Pickup desk"), ("check", "取件前检查", "Check the items before pickup")],
)
def test_the_hand_over_pages_render_in_both_languages(
    login, manager, pickup, items, name, chinese, english
):
    url = reverse(f"pickup:{name}", args=[pickup.pk])
    client = login(manager)
    client.cookies["django_language"] = "zh-hans"
    assert chinese in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    assert english in client.get(url).content.decode()
