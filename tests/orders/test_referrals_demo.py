"""The referrals demo seed: a gold and a silver referrer, rewarded as at signing."""

import random

from orders import referrals_demo
from orders.models import ReferralReward
from studio.models import Customer, MembershipLevelRule

from ..factories import CustomerFactory


def test_the_seed_makes_a_gold_and_a_silver_referrer(branch, receptionist, make_order):
    MembershipLevelRule.objects.all().delete()
    MembershipLevelRule.objects.create(level="silver", referrals_needed=1, reward="Voucher")
    MembershipLevelRule.objects.create(level="gold", referrals_needed=3, reward="Better voucher")
    for _ in range(6):
        make_order(customer=CustomerFactory(branch=branch, owner=receptionist))
    rewards = referrals_demo.seed(branch, [receptionist], random.Random(7))
    assert len(rewards) == 4 == ReferralReward.objects.count()
    levels = sorted(
        Customer.objects.exclude(membership_level="none").values_list("membership_level", flat=True)
    )
    assert levels == ["gold", "silver"]
