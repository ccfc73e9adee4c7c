"""The couple's page: opened by its link without a login, in the couple's language, their
order only, nothing internal; wrong, expired and revoked links and guessing refused."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from couple import services
from couple.models import CoupleLink
from orders.models import Order, State
from selection.models import DesignProof
from tests.factories import CustomerFactory

from .conftest import page_url


@pytest.fixture(autouse=True)
def _no_bad_links_counted():
    cache.clear()
    yield
    cache.clear()


def test_it_opens_without_a_login_and_shows_the_timeline(client, order, make_link):
    order.customer.language = "en"
    order.customer.save()
    response = client.get(page_url(make_link(order)))
    assert response.status_code == 200
    text = response.content.decode()
    for step in (
        "Booked",
        "Photo shoot",
        "Choosing your photos",
        "Making your album",
        "Ready for pickup",
    ):
        assert step in text
    assert order.number in text
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_it_speaks_the_couples_language_not_the_browsers(client, order, make_link):
    order.customer.language = "zh-hans"
    order.customer.save()
    response = client.get(page_url(make_link(order)), HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert "您的订单" in text and "选片" in text and "Your order" not in text
    assert response["Content-Language"] == "zh-hans"
    order.customer.language = "en"
    order.customer.save()
    response = client.get(page_url(make_link(order)), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "Your order" in response.content.decode()


def test_it_never_shows_notes_staff_phones_or_other_money(client, order, make_link, receptionist):
    order.customer.notes = "SECRET-CUSTOMER-NOTE"
    order.customer.save()
    Order.objects.filter(pk=order.pk).update(notes="SECRET-ORDER-NOTE")
    receptionist.personal_phone = "13912345678"
    receptionist.save()
    text = client.get(page_url(make_link(order))).content.decode()
    for secret in (
        "SECRET-CUSTOMER-NOTE",
        "SECRET-ORDER-NOTE",
        "13912345678",
        receptionist.display_name,
        order.customer.bride_phone,
        "Package price",
        "Paid",
    ):
        assert secret not in text


def test_the_balance_due_shows_when_the_order_is_ready(client, production_order, make_link):
    Order.objects.filter(pk=production_order.pk).update(state=State.READY)
    response = client.get(page_url(make_link(production_order)))
    assert 'data-testid="balance"' in response.content.decode()
    assert response.context["steps"][-1].balance > 0


def test_it_never_shows_another_order(client, order, make_order, make_link, branch, receptionist):
    other_couple = CustomerFactory(branch=branch, owner=receptionist, bride_name="Other Bride")
    other = make_order(customer=other_couple)
    mine = make_link(order)
    make_link(other)
    text = client.get(page_url(mine)).content.decode()
    assert order.number in text and other.number not in text and "Other Bride" not in text


@pytest.mark.parametrize("state", ["expired", "revoked", "wrong", "replaced"])
def test_a_link_that_does_not_work_is_refused(client, order, make_link, manager, state):
    made = make_link(order)
    token = made.token
    if state == "expired":
        CoupleLink.objects.filter(pk=made.link.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    elif state == "revoked":
        services.revoke_link(link=made.link, by=manager)
    elif state == "wrong":
        token = token[:-2] + "zz"
    else:
        make_link(order)
    response = client.get(page_url(token))
    assert response.status_code == 404
    text = response.content.decode()
    assert 'data-testid="refused"' in text and order.number not in text


def test_guessing_links_from_one_address_is_stopped(client, order, make_link, settings):
    settings.STUDIO_COUPLE_BAD_LINKS_PER_HOUR = 3
    made = make_link(order)
    for n in range(3):
        assert client.get(page_url(f"guess{n}:abc")).status_code == 404
    assert client.get(page_url("guess9:abc")).status_code == 429
    # Even the right link, from that address, until the hour is over.
    assert client.get(page_url(made)).status_code == 429
    assert client.get(page_url(made), REMOTE_ADDR="10.0.0.9").status_code == 200


def test_the_page_refuses_a_post(client, order, make_link):
    assert client.post(page_url(make_link(order))).status_code == 405


def test_the_page_keeps_its_queries_few(
    client, production_order, make_link, shown_proof, designer, django_assert_max_num_queries
):
    made = make_link(production_order)
    client.get(page_url(made))
    with django_assert_max_num_queries(12):
        client.get(page_url(made))
    # More proofs, the same queries.
    for n in range(5):
        DesignProof.objects.create(
            item=shown_proof.item, file=shown_proof.file.name, content_type="image/jpeg",
            uploaded_by=designer, shown_at=timezone.now(), title=f"Spread {n}",
        )  # fmt: skip
    with django_assert_max_num_queries(12):
        assert client.get(page_url(made)).content.decode().count('data-testid="proof"') == 6
