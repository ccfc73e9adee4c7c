"""Demo stored-value cards and fapiao: `orders.wallet_demo.seed(branch, team, rng)`.

Call it for each branch after its orders exist: the branch's top-up offers, one couple's
card topped up and paying part of a balance, and a fapiao requested and one issued.
"""

from decimal import Decimal

from studio import roles

from .models import CardBonusRule, Order, State
from .services import issue_fapiao, open_card, pay_from_card, request_fapiao, top_up_card


def seed(branch, team, rng):
    desk = next(s for s in team if s.has_role(roles.CASHIER, roles.RECEPTIONIST))
    manager = next(s for s in team if s.has_role(roles.MANAGER))
    CardBonusRule.objects.get_or_create(
        branch=branch, top_up=Decimal("5000"), defaults={"bonus": Decimal("300")}
    )
    CardBonusRule.objects.get_or_create(
        branch=branch, top_up=Decimal("10000"), defaults={"bonus": Decimal("1000")}
    )
    orders = Order.objects.filter(branch=branch).exclude(state=State.CANCELLED).order_by("pk")
    owing = next((o for o in orders if o.balance_due > 0), None)
    if owing is None:
        return
    card = open_card(customer=owing.customer, staff=desk)
    top_up_card(card=card, method="wechat", amount=Decimal("10000"), staff=desk)
    pay_from_card(
        card=card, order=owing, kind="balance", amount=min(owing.balance_due, 1000), staff=desk
    )
    request_fapiao(
        order=owing, title_kind="personal", title=str(owing.customer), amount="500", staff=desk
    )
    paid = next((o for o in orders if o.pk != owing.pk and o.paid >= 1000), None)
    if paid is not None:
        fapiao = request_fapiao(
            order=paid,
            title_kind="company",
            title="深圳市腾讯计算机系统有限公司",
            tax_number="91440300708461136T",
            amount="1000",
            staff=desk,
        )
        issue_fapiao(
            fapiao=fapiao,
            number=f"0440019{rng.randint(10000, 99999)}",
            issued_on=branch.today(),
            staff=manager,
        )
