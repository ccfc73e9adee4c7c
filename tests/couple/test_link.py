"""The couple's private link: only its hash is kept, it is sent in the couple's language,
a new one replaces the old, and revoked, expired, forged or cancelled links open nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from couple import services
from couple.models import CoupleLink
from orders.models import Order, State
from studio.services import AlreadyDone

from .conftest import last_message


def test_only_a_hash_of_the_token_is_kept(order, make_link):
    made = make_link(order)
    raw = services.unsign(made.token)
    row = CoupleLink.objects.filter(pk=made.link.pk).values().get()
    assert raw and len(raw) >= 32
    assert all(raw not in str(value) for value in row.values())
    assert row["token_hash"] == services.token_hash(raw)
    assert services.find_link(made.token) == made.link


def test_the_link_is_sent_by_sms_in_the_customers_language(order, make_link):
    order.customer.language = "zh-hans"
    order.customer.save()
    made = make_link(order)
    message = last_message(order.customer, "couple_link")
    assert made.url in message.body
    assert "专属页面" in message.body
    order.customer.language = "en"
    order.customer.save()
    made = make_link(order)
    message = last_message(order.customer, "couple_link")
    assert made.url in message.body and "your own page" in message.body


def test_a_new_link_revokes_the_one_before(order, make_link, receptionist):
    first = make_link(order)
    second = make_link(order)
    assert services.find_link(first.token) is None
    assert services.find_link(second.token) == second.link
    first.link.refresh_from_db()
    assert first.link.revoked_by == receptionist


def test_a_revoked_link_opens_nothing_and_revoking_twice_says_so(order, make_link, manager):
    made = make_link(order)
    services.revoke_link(link=made.link, by=manager)
    assert services.find_link(made.token) is None
    with pytest.raises(AlreadyDone):
        services.revoke_link(link=made.link, by=manager)


def test_an_expired_link_opens_nothing(order, make_link):
    made = make_link(order, days=1)
    assert services.find_link(made.token, now=timezone.now() + timedelta(hours=23))
    assert services.find_link(made.token, now=timezone.now() + timedelta(days=1, minutes=1)) is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda t: "x" + t,  # token changed, signature kept
        lambda t: t.split(":")[0],  # no signature
        lambda t: "",
    ],
)
def test_a_forged_token_opens_nothing(order, make_link, tamper):
    made = make_link(order)
    assert services.find_link(tamper(made.token)) is None


def test_a_cancelled_orders_link_opens_nothing_and_none_is_made(order, make_link):
    made = make_link(order)
    Order.objects.filter(pk=order.pk).update(state=State.CANCELLED)
    assert services.find_link(made.token) is None
    with pytest.raises(ValidationError):
        make_link(order)


@pytest.mark.parametrize("days", [0, -1, 367])
def test_a_link_works_between_one_day_and_a_year(order, make_link, days):
    with pytest.raises(ValidationError):
        make_link(order, days=days)
    assert not CoupleLink.objects.exists()
