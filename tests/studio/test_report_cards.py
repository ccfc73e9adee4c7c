"""Stored-value cards in the managers' report: a top-up is money owed to the customer (a
liability), never revenue; a card becomes revenue when it pays an order, and its bonus
value never does."""

from decimal import Decimal

from django.urls import reverse

from orders import services
from orders.models import CardBonusRule
from overview import reports

D = Decimal


def test_top_ups_are_not_revenue_and_card_payments_are_without_their_bonus(
    branch, order, receptionist
):
    month = reports.Period.month_of(branch.today())
    before = reports.money(branch, month)
    CardBonusRule.objects.create(branch=branch, top_up=D("1000"), bonus=D("100"))
    card = services.open_card(customer=order.customer, staff=receptionist)
    services.top_up_card(card=card, method="cash", amount="1000", staff=receptionist)
    after_top_up = reports.money(branch, month)
    assert after_top_up["revenue_total"] == before["revenue_total"] == D("2000.00")
    assert after_top_up["card_top_ups"] == D("1000.00")
    assert after_top_up["cards_outstanding"] == D("1000.00")

    services.pay_from_card(
        card=card, order=order, kind="balance", amount="1100", staff=receptionist
    )
    after_payment = reports.money(branch, month)
    assert after_payment["revenue_total"] == D("3000.00")  # the 1,000 paid in, not the bonus
    assert after_payment["cards_outstanding"] == D("0.00")
    staff = {row.pk: row.revenue for row in reports.per_staff(branch, month)}
    assert staff[receptionist.pk] == D("3000.00")


def test_the_report_page_shows_the_cards_owed(login, manager, branch, order, receptionist):
    card = services.open_card(customer=order.customer, staff=receptionist)
    services.top_up_card(card=card, method="cash", amount="2500", staff=receptionist)
    response = login(manager).get(reverse("overview:reports"))
    assert "¥2,500.00 of customers' money still on cards" in response.text
    csv = login(manager).get(reverse("overview:reports"), {"format": "csv"})
    assert "Still on cards (owed),2500.00" in csv.content.decode()
