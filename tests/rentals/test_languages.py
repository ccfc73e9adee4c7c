"""Every rental page renders in English and in Simplified Chinese."""

import pytest
from django.urls import reverse

PAGES = [
    ("dresses", "礼服", "No dresses match."),
    ("reservations", "礼服预约", "Dress reservations"),
    ("reserve", "预约礼服", "Reserve a dress"),
    ("detail", "交付礼服", "Hand the dress over"),
]


@pytest.fixture
def urls(order, reservation):
    return {
        "dresses": reverse("rentals:dresses") + "?category=qipao",
        "reservations": reverse("rentals:reservations"),
        "reserve": reverse("rentals:reserve", args=[order.number]),
        "detail": reverse("rentals:detail", args=[reservation.pk]),
    }


@pytest.mark.parametrize(("page", "chinese", "english"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_renders_in_both_languages(login, manager, urls, page, chinese, english):
    client = login(manager)
    client.cookies["django_language"] = "zh-hans"
    assert chinese in client.get(urls[page]).content.decode()
    client.cookies["django_language"] = "en"
    assert english in client.get(urls[page]).content.decode()
