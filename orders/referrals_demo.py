"""Demo referrals: `orders.referrals_demo.seed(branch, team, rng)`.

Call it for each branch after its couples and orders exist (the demo builder that calls it
owns the order of things): a few signed couples are marked as referred by an earlier couple,
who earns the vouchers and climbs the membership ladder, as at signing.
"""

from studio.models import Customer

from .models import Order
from .services import reward_referral


def seed(branch, team, rng):
    """One referrer with three referred couples (gold card), one with one (silver)."""
    orders = list(
        Order.objects.filter(branch=branch, customer__referrer__isnull=True)
        .select_related("customer")
        .order_by("signed_at")
    )
    couples = list(dict.fromkeys(o.customer for o in orders))
    if len(couples) < 6:
        return []
    rng.shuffle(couples)
    ladder = [(couples[0], couples[1:4]), (couples[4], couples[5:6])]
    rewards = []
    for referrer, referred in ladder:
        for couple in referred:
            Customer.objects.filter(pk=couple.pk).update(
                referrer=referrer, source=Customer.Source.REFERRAL
            )
            couple.referrer_id = referrer.pk
            for order in orders:
                if order.customer_id == couple.pk:
                    order.customer = couple
                    rewards.append(reward_referral(order=order))
    return rewards
