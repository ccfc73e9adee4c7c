"""The managers' month report shows what each staff member earned (issue 14, item 8)."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from orders import services as orders

pytestmark = pytest.mark.django_db
URL = reverse("overview:reports")


@pytest.fixture
def earned(signing_rule, order, receptionist):
    orders.take_payment(order=order, kind="balance", method="cash", amount="1000",
                        staff=receptionist)  # fmt: skip
    return order


def _row(response, name):
    return next(r for r in response.context["staff_rows"] if r.display_name == name)


def test_the_month_shows_each_staff_members_commission(login, manager, earned):
    response = login(manager).get(URL)
    assert _row(response, "Li Na").commission == Decimal("90.00")
    assert "¥90.00" in response.content.decode()


def test_the_day_shows_what_was_earned_that_day(login, manager, earned, branch):
    response = login(manager).get(URL, {"period": "day", "day": branch.today().isoformat()})
    assert _row(response, "Li Na").commission == Decimal("90.00")


def test_the_csv_has_the_commission(login, manager, earned):
    response = login(manager).get(URL, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Staff: Li Na", "Commission", "90.00"] in rows


def test_in_chinese(client, login, manager, earned):
    client = login(manager)
    client.cookies["django_language"] = "zh-hans"
    assert "提成" in client.get(URL).content.decode()
