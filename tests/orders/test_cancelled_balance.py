"""A cancelled order owes nothing more: its unpaid balance is not shown in red as owed."""

import pytest
from django.urls import reverse

from orders import services


@pytest.fixture
def cancelled(order, manager):
    services.transition_order(order=order, name="cancel", by=manager.user)
    order.refresh_from_db()
    assert order.balance_due > 0
    return order


def _balance_cell(html, number):
    row = html.split(number, 1)[1].split("</tr>", 1)[0]
    return row.split('data-testid="balance"', 1)[1]


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Not owed (order cancelled)"), ("zh-hans", "无需支付（订单已取消）")],
)
def test_the_list_and_the_pages_do_not_show_it_as_owed(
    cancelled, make_order, login, receptionist, language, words
):
    owing = make_order()
    client = login(receptionist)
    client.cookies["django_language"] = language
    html = client.get(reverse("orders:list")).content.decode()
    cell = _balance_cell(html, cancelled.number)
    assert words in cell and "text-danger" not in cell
    # An order still running keeps its balance in red.
    assert "text-danger" in _balance_cell(html, owing.number)
    detail = client.get(cancelled.get_absolute_url()).content.decode()
    balance = detail.split('data-testid="balance"', 1)[1].split("</dd>", 1)[0]
    assert words in balance and "text-danger" not in balance
    file = client.get(reverse("overview:customer", args=[cancelled.customer_id])).content.decode()
    card = file.split(cancelled.number, 1)[1].split('data-testid="order-card"', 1)[0]
    assert words in card
