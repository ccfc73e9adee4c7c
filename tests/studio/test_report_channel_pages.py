"""The month report's page and CSV with channels, reasons not booked, fapiao and the trend:
who may read them, whose branch they show, in both languages, and at a fixed query count
whatever the number of months, channels and reasons with data."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from orders import services as order_services
from orders.models import FapiaoRequest
from overview import reports
from studio import roles
from studio.models import Customer, Visit
from tests.factories import CustomerFactory, StaffFactory

URL = reverse("overview:reports")
READS_REPORTS = {roles.MANAGER, roles.CHAIN_MANAGER}


def visit(branch, taker, *, source, outcome, because="", at=None):
    customer = CustomerFactory(branch=branch, owner=taker, source=source)
    Visit.objects.create(
        branch=branch,
        customer=customer,
        taker=taker,
        registered_by=taker,
        source=source,
        outcome=outcome,
        not_booked_reason="Too dear" if outcome == Visit.Outcome.NOT_BOOKED else "",
        not_booked_because=because,
        arrived_at=at or timezone.now(),
    )
    return customer


def deal(customer, package, staff, *, at=None, fapiao=None):
    """A signed order (deposit 2,000) and, if asked, a fapiao issued for `fapiao` yuan."""
    with time_machine.travel(at or timezone.now(), tick=False):
        order = order_services.create_order(
            customer=customer,
            package=package,
            owner=staff,
            created_by=staff,
            deposit=Decimal(2000),
            deposit_method="wechat",
        )
        if fapiao:
            asked = order_services.request_fapiao(
                order=order,
                title_kind=FapiaoRequest.Title.PERSONAL,
                title="Zhang Wei",
                amount=fapiao,
                staff=staff,
            )
            order_services.issue_fapiao(
                fapiao=asked,
                number=f"F{asked.pk}",
                issued_on=customer.branch.today(),
                staff=staff,
            )
    return order


@pytest.fixture
def cashier(make_staff):
    return make_staff(roles.CASHIER, roles.RECEPTIONIST, display_name="Sun Li")


@pytest.fixture
def month_of_visits(branch, cashier, package):
    """Today: 2 online visits (1 booked, signed with a 1,500 fapiao), 1 from a fair not booked
    for the price, 1 referral not booked with no reason recorded (closed before it was asked)."""
    online = visit(branch, cashier, source="online", outcome=Visit.Outcome.BOOKED)
    visit(branch, cashier, source="online", outcome="")
    visit(branch, cashier, source="fair", outcome=Visit.Outcome.NOT_BOOKED, because="price")
    visit(branch, cashier, source="referral", outcome=Visit.Outcome.NOT_BOOKED)
    return deal(online, package, cashier, fapiao=Decimal(1500))


def test_the_page_shows_channels_reasons_fapiao_and_the_trend(
    login, manager, branch, month_of_visits
):
    response = login(manager).get(URL)
    assert response.status_code == 200
    channels = {row["key"]: row for row in response.context["channels"]}
    assert list(channels) == Customer.Source.values
    online = channels["online"]
    assert (online["visits"], online["booked"], online["deals"]) == (2, 1, 1)
    assert online["conversion"] == Decimal("50.0")
    assert channels["fair"]["visits"] == 1 and channels["fair"]["conversion"] == 0
    assert channels["social"]["conversion"] is None
    reasons = {row["key"]: row["visits"] for row in response.context["not_booked"]["rows"]}
    assert reasons["price"] == 1 and reasons[""] == 1 and reasons["date"] == 0
    invoicing = response.context["invoicing"]
    assert invoicing["received"] == Decimal("2000.00")
    assert invoicing["issued_amount"] == Decimal("1500.00")
    assert invoicing["not_invoiced"] == Decimal("500.00")
    trend = response.context["trend"]
    assert len(trend) == 12 and trend[-1]["month"] == branch.today().replace(day=1)
    assert (trend[-1]["visits"], trend[-1]["deals"], trend[-1]["revenue"]) == (4, 1, 2000)
    html = response.content.decode()
    assert 'data-testid="channel-online"' in html
    assert "Price or budget" in html and "Not recorded" in html
    assert "¥1,500.00" in html and "¥500.00" in html
    assert 'id="trend-chart"' in html and "trend-chart-data" in html
    assert 'data-testid="trend-table"' in html  # the chart's figures, readable without it


def test_the_page_and_csv_read_in_chinese(login, manager, month_of_visits):
    client = login(manager)
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for words in ("网络平台", "价格或预算", "未记录", "未开票", "十二个月"):
        assert words in html, words
    text = client.get(URL, {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = text.content.decode("utf-8-sig")
    assert "渠道：网络平台" in text and "未开票" in text


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - READS_REPORTS))
def test_every_other_role_is_refused_the_page_and_the_csv(login, make_staff, role):
    client = login(make_staff(role))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv"}).status_code == 403


def test_another_branchs_figures_stay_out_of_reach(
    login, make_staff, branch, other_branch, month_of_visits
):
    elsewhere = make_staff(roles.MANAGER, branch=other_branch)
    client = login(elsewhere)
    assert client.get(URL, {"branch": branch.pk}).status_code == 404
    assert client.get(URL, {"branch": branch.pk, "format": "csv"}).status_code == 404
    response = client.get(URL)
    assert response.context["branch"] == other_branch
    assert sum(row["visits"] for row in response.context["channels"]) == 0
    assert response.context["invoicing"]["issued_amount"] == 0
    assert response.context["trend"][-1]["visits"] == 0
    head_office = StaffFactory(roles=[roles.CHAIN_MANAGER])
    seen = login(head_office).get(URL, {"branch": branch.pk})
    assert seen.context["trend"][-1]["visits"] == 4


def _months_back(branch, n):
    """A moment in the middle of each of the last `n` months, on the branch's calendar."""
    first = branch.today().replace(day=1)
    out = []
    for _ in range(n):
        out.append(
            datetime.datetime.combine(first.replace(day=15), datetime.time(12), branch.tzinfo)
        )
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return out


@pytest.mark.parametrize("query", [{}, {"format": "csv"}], ids=["page", "csv"])
def test_the_query_count_is_fixed_whatever_the_months_channels_and_reasons(
    login, manager, branch, cashier, package, query, django_assert_max_num_queries
):
    client = login(manager)
    customer = visit(branch, cashier, source="online", outcome=Visit.Outcome.BOOKED)
    deal(customer, package, cashier, fapiao=Decimal(500))
    with django_assert_max_num_queries(30) as few:
        client.get(URL, query)
    reasons = Visit.NotBookedBecause.values
    for n, moment in enumerate(_months_back(branch, 14)):
        for source in Customer.Source.values:
            customer = visit(branch, cashier, source=source, outcome="booked", at=moment)
            deal(customer, package, cashier, at=moment, fapiao=Decimal(300))
            because = reasons[n % len(reasons)]
            visit(branch, cashier, source=source, outcome="not_booked", because=because, at=moment)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, query)
    assert response.status_code == 200
    if not query:
        per_month = 2 * len(Customer.Source.values)
        assert all(row["visits"] == per_month for row in response.context["trend"][:-1])
        assert all(row["deals"] for row in response.context["channels"])


def test_the_figures_read_one_grouped_query_each(branch, django_assert_num_queries):
    period = reports.Period.month_of(branch.today())
    with django_assert_num_queries(3):
        reports.trend(branch, period)
    with django_assert_num_queries(2):
        reports.channels(branch, period)
    with django_assert_num_queries(1):
        reports.not_booked(branch, period)
    with django_assert_num_queries(1):
        reports.invoicing(branch, period, Decimal(0))
