"""The demo studio's rules make its payments and shoots earn commission as they happen."""

import pytest
from django.db.models import Sum

from commissions.models import Basis, CommissionRule, Credit
from demo_studio import chain as demo
from orders.models import LedgerEntry
from studio.models import Branch

pytestmark = pytest.mark.django_db


def test_the_demo_earns_commission_from_its_own_money():
    demo.build()
    for branch in Branch.objects.all():
        assert CommissionRule.objects.filter(branch=branch).count() == len(Basis)
        earned = set(Credit.objects.filter(branch=branch).values_list("basis", flat=True))
        assert {Basis.SIGNING, Basis.SHOOT_PHOTOGRAPHER, Basis.SHOOT_MAKEUP} <= earned
    package_money = LedgerEntry.objects.filter(
        kind__in=[LedgerEntry.Kind.DEPOSIT, LedgerEntry.Kind.BALANCE, LedgerEntry.Kind.REFUND]
    ).aggregate(total=Sum("amount"))["total"]
    signing = Credit.objects.filter(basis=Basis.SIGNING).aggregate(total=Sum("amount"))["total"]
    assert abs(signing - package_money * 3 / 100) < 1  # refunds taken back; fen rounding
