"""Demo dresses and reservations for one branch, made through the rental services.

Call after the branch's orders exist: `rentals.demo.seed(branch, team, rng)`.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

import time_machine

from orders.models import Order, State
from studio import roles
from studio.validators import id_card_check_character

from . import services
from .models import Dress

# (code, name, category, size, colour, rental price, deposit)
DRESSES = [
    (
        "WG-01",
        "拖尾蕾丝 Cathedral lace",
        Dress.Category.WEDDING_GOWN,
        "S",
        "象牙白 Ivory",
        1800,
        5000,
    ),
    ("WG-02", "抹胸鱼尾 Mermaid", Dress.Category.WEDDING_GOWN, "M", "纯白 White", 1500, 4000),
    ("WG-03", "齐地公主 Princess", Dress.Category.WEDDING_GOWN, "L", "香槟 Champagne", 1200, 3000),
    ("ED-01", "酒红晚装 Burgundy", Dress.Category.EVENING_DRESS, "S", "酒红 Burgundy", 600, 1500),
    ("ED-02", "宝蓝敬酒服 Toast", Dress.Category.EVENING_DRESS, "M", "宝蓝 Royal blue", 500, 1200),
    ("QP-01", "龙凤秀禾 Xiuhe", Dress.Category.QIPAO, "M", "中国红 Red", 900, 2000),
    ("QP-02", "刺绣旗袍 Embroidered", Dress.Category.QIPAO, "S", "金 Gold", 700, 1500),
    ("MS-01", "三件套西装 Three-piece", Dress.Category.MENS_SUIT, "L", "藏青 Navy", 400, 1000),
    ("MS-02", "燕尾服 Tailcoat", Dress.Category.MENS_SUIT, "XL", "黑 Black", 500, 1200),
    (
        "AC-01",
        "头纱手套套装 Veil and gloves",
        Dress.Category.ACCESSORIES,
        "F",
        "白 White",
        100,
        300,
    ),
]
MEASURES = {"bust": 84, "waist": 64, "hips": 90, "height": 165, "shoulder": 37}


def _id_card_number(rng):
    """A made-up Shanghai resident ID card number with a correct check character."""
    first17 = f"31010119{rng.randint(60, 99)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}{rng.randint(100, 999)}"
    return first17 + id_card_check_character(first17)


def seed(branch, team, rng):
    """About ten dresses; one reservation picking up today, one out and due back today, and
    a few later ones. Reservations hang on the branch's live orders."""
    desk = [s for s in team if roles.RECEPTIONIST in s.role_set] or team
    dresses = [
        Dress.objects.create(
            branch=branch,
            code=code,
            name=name,
            category=category,
            size=size,
            colour=colour,
            rental_price=Decimal(price),
            deposit=Decimal(deposit),
            condition=rng.choice([Dress.Condition.NEW, Dress.Condition.GOOD]),
        )
        for code, name, category, size, colour, price, deposit in DRESSES
    ]
    orders = list(
        Order.objects.filter(branch=branch)
        .exclude(state__in=[State.CANCELLED, State.DELIVERED])
        .select_related("customer", "package")
        .order_by("signed_at")
    )
    if len(orders) < 4:
        return dresses
    picked = rng.sample(orders, 4)
    today = branch.today()

    def reserve(order, dress, pickup_on, days):
        return services.reserve_dress(
            order=order,
            dress=dress,
            pickup_on=pickup_on,
            return_on=pickup_on + timedelta(days=days),
            by=rng.choice(desk),
            accessories=rng.choice(["头纱 Veil, 手套 gloves", "裙撑 Petticoat", "手捧花 Flowers"]),
            measurements={k: Decimal(v + rng.randint(-3, 3)) for k, v in MEASURES.items()},
            today=min(today, pickup_on),
        )

    # Picking up today: the desk holds an ID and takes the deposit.
    reserve(picked[0], dresses[0], today, 3)
    # Out since three days ago, due back today: the deposit is refunded at the desk.
    out = reserve(picked[1], dresses[3], today - timedelta(days=3), 3)
    with time_machine.travel(
        datetime.combine(today - timedelta(days=3), time(11), branch.tzinfo), tick=False
    ):
        services.pick_up_dress(
            reservation=out,
            id_type="id_card",
            id_number=_id_card_number(rng),
            by=rng.choice(desk),
        )
    # Tomorrow and next week: on the list to confirm by phone, and on the dress sheet.
    reserve(picked[2], dresses[5], today + timedelta(days=1), 2)
    reserve(picked[3], dresses[7], today + timedelta(days=7), 2)
    return dresses
