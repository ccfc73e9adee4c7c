"""A link that asks for a code: nothing shows before the code sent by SMS is typed;
wrong codes are counted and lock the link for half an hour."""

import pytest
from django.core.cache import cache

from couple import services
from couple.models import CoupleLink

from .conftest import last_message, page_url


@pytest.fixture(autouse=True)
def _no_bad_links_counted():
    cache.clear()


@pytest.fixture
def pinned(order, make_link):
    order.customer.language = "en"
    order.customer.save()
    return make_link(order, needs_pin=True)


def _code(order):
    return last_message(order.customer, "couple_pin").params["code"]


def test_nothing_shows_before_the_code(client, pinned, order):
    response = client.get(page_url(pinned))
    text = response.content.decode()
    assert response.status_code == 200 and 'data-testid="pin"' in text
    assert 'data-testid="timeline"' not in text and order.number not in text


def test_the_right_code_opens_the_page_for_this_browser(client, pinned, order):
    client.post(page_url(pinned, "couple:send_pin"))
    code = _code(order)
    assert len(code) == 6 and code.isdigit()
    assert code not in str(CoupleLink.objects.filter(pk=pinned.link.pk).values().get())
    response = client.post(page_url(pinned, "couple:check_pin"), {"code": code})
    assert response.status_code == 302
    assert 'data-testid="timeline"' in client.get(page_url(pinned)).content.decode()


def test_the_code_is_sent_in_the_couples_language(client, pinned, order):
    order.customer.language = "zh-hans"
    order.customer.save()
    client.post(page_url(pinned, "couple:send_pin"))
    assert "验证码" in last_message(order.customer, "couple_pin").body


def test_a_code_is_sent_at_most_once_a_minute(client, pinned, order):
    client.post(page_url(pinned, "couple:send_pin"))
    client.post(page_url(pinned, "couple:send_pin"))
    pinned.link.refresh_from_db()
    assert pinned.link.pins_sent == 1


def test_a_wrong_code_is_refused(client, pinned, order):
    client.post(page_url(pinned, "couple:send_pin"))
    wrong = f"{(int(_code(order)) + 1) % 1000000:06d}"
    response = client.post(page_url(pinned, "couple:check_pin"), {"code": wrong})
    assert response.status_code == 400
    assert "That is not the code we sent." in response.content.decode()
    assert 'data-testid="timeline"' not in client.get(page_url(pinned)).content.decode()


def test_an_empty_code_is_refused(client, pinned):
    assert client.post(page_url(pinned, "couple:check_pin"), {"code": ""}).status_code == 400


def test_wrong_codes_lock_the_link_even_for_the_right_code(client, pinned, order, settings):
    client.post(page_url(pinned, "couple:send_pin"))
    code = _code(order)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for _ in range(settings.STUDIO_COUPLE_PIN_ATTEMPTS - 1):
        assert client.post(page_url(pinned, "couple:check_pin"), {"code": wrong}).status_code == 400
    assert client.post(page_url(pinned, "couple:check_pin"), {"code": wrong}).status_code == 429
    response = client.post(page_url(pinned, "couple:check_pin"), {"code": code})
    assert response.status_code == 429
    assert 'data-testid="timeline"' not in client.get(page_url(pinned)).content.decode()
    # Locked: no new code is sent either.
    assert services.send_pin(link=pinned.link) is False


def test_another_browser_must_type_the_code_too(client, pinned, order, django_user_model):
    from django.test import Client

    client.post(page_url(pinned, "couple:send_pin"))
    client.post(page_url(pinned, "couple:check_pin"), {"code": _code(order)})
    other = Client()
    assert 'data-testid="pin"' in other.get(page_url(pinned)).content.decode()
