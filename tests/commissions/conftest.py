import datetime
from decimal import Decimal

import pytest

from commissions.models import Basis, CommissionRule


@pytest.fixture
def long_ago():
    return datetime.date(2020, 1, 1)


@pytest.fixture
def make_rule(branch, long_ago):
    """make_rule(Basis.SIGNING, percent="3") or fixed_amount="200", from 2020 on."""

    def make(basis, branch=branch, **kwargs):
        kwargs.setdefault("valid_from", long_ago)
        for name in ("percent", "fixed_amount"):
            if kwargs.get(name) is not None:
                kwargs[name] = Decimal(kwargs[name])
        return CommissionRule.objects.create(branch=branch, basis=basis, **kwargs)

    return make


@pytest.fixture
def signing_rule(make_rule):
    return make_rule(Basis.SIGNING, percent="3")


@pytest.fixture
def last_month(branch):
    return (branch.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@pytest.fixture
def in_last_month(branch, last_month):
    """A moment in the middle of last month, in the branch's time zone."""
    return datetime.datetime.combine(
        last_month.replace(day=15), datetime.time(11), tzinfo=branch.tzinfo
    )
