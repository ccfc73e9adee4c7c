"""The demo studio's commission rules: `commissions.demo.seed_rules(branch)`, called before
the demo's orders are walked so their payments and shoots earn as they happen."""

from datetime import timedelta
from decimal import Decimal

from orders.models import Order
from studio import roles

from . import services
from .models import Basis, CommissionRule

# A common shape of studio pay: the order taker 3 % of the package money, whoever brought
# the couple in 1 %, the consultant 8 % of the selection upsell, the desk ¥30 a third sale,
# the photographer ¥120 and the makeup artist ¥80 a finished shoot.
RULES = [
    (Basis.SIGNING, "3", None),
    (Basis.INVITATION, "1", None),
    (Basis.SELECTION_UPSELL, "8", None),
    (Basis.PICKUP_SALE, None, "30"),
    (Basis.SHOOT_PHOTOGRAPHER, None, "120"),
    (Basis.SHOOT_MAKEUP, None, "80"),
]


def seed_rules(branch):
    since = branch.today() - timedelta(days=365)
    return [
        CommissionRule.objects.create(
            branch=branch,
            basis=basis,
            percent=Decimal(percent) if percent else None,
            fixed_amount=Decimal(fixed) if fixed else None,
            valid_from=since.replace(day=1),
        )
        for basis, percent, fixed in RULES
    ]


def seed_shares(branch, team):
    """Two order takers who signed the branch's newest order together share its sale."""
    takers = [s for s in team if roles.RECEPTIONIST in s.role_set and branch.pk in s.branch_ids]
    order = Order.objects.filter(branch=branch, owner__in=takers).order_by("-signed_at").first()
    if order is None or len(takers) < 2:
        return None
    other = next(s for s in takers if s.pk != order.owner_id)
    shares = [(order.owner, Decimal("50")), (other, Decimal("50"))]
    services.share_sale(order=order, basis=Basis.SIGNING, shares=shares, by=order.owner)
    return order
