"""A living demo studio, built through the same services the pages use.

Orders walk the real journey (guards and all), so every state has the payments, shoots,
selections and history it would have in a real branch.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from orders import services as orders
from orders.models import LedgerEntry, Order, State
from selection.models import ProductionItem, SelectionSession
from shoots.models import Shoot

from . import roles
from .models import Branch, Customer, Package, Staff

PASSWORD = "studio-demo-2026"

BRIDES = [
    "李娜",
    "王芳",
    "张敏",
    "刘洋",
    "陈静",
    "杨丽",
    "赵雪",
    "黄婷",
    "周琳",
    "吴倩",
    "徐颖",
    "孙悦",
    "马莉",
    "朱琪",
    "胡蓉",
    "郭佳",
    "何欣",
    "林晓",
    "罗丹",
    "高露",
]
GROOMS = [
    "王伟",
    "李强",
    "张磊",
    "刘军",
    "陈杰",
    "杨涛",
    "赵鹏",
    "黄斌",
    "周超",
    "吴昊",
    "徐浩",
    "孙凯",
    "马骏",
    "朱峰",
    "胡博",
    "郭勇",
    "何亮",
    "林宇",
    "罗毅",
    "高翔",
]

PACKAGES = [
    # code, name, price, floor, outfits, indoor, outdoor, photos, pages, signature
    ("eternal", "永恒之约 Eternal Vow", "12800", "9800", 4, 2, 1, 40, 30, True),
    ("classic", "经典时光 Classic Moments", "6800", "5200", 3, 2, 0, 25, 20, False),
    ("seaside", "海岸旅拍 Seaside Journey", "19800", "15800", 5, 1, 3, 60, 40, False),
    ("palace", "宫廷华服 Palace Costume", "9800", "7800", 4, 2, 1, 35, 24, False),
    ("simple", "简约登记照 Simple Registry", "1999", "1599", 1, 1, 0, 10, 0, False),
]

# Demo logins: one per role, the username is the role's slug.
STAFF = [
    ("receptionist", "前台 李娜 Li Na", [roles.RECEPTIONIST]),
    ("receptionist2", "前台 王芳 Wang Fang", [roles.RECEPTIONIST]),
    ("dispatcher", "调度 陈刚 Chen Gang", [roles.DISPATCHER]),
    ("dress_stylist", "礼服师 赵敏 Zhao Min", [roles.DRESS_STYLIST]),
    ("makeup_artist", "化妆师 孙丽 Sun Li", [roles.MAKEUP_ARTIST]),
    ("photographer", "摄影师 周杰 Zhou Jie", [roles.PHOTOGRAPHER]),
    ("assistant", "助理 吴晓 Wu Xiao", [roles.ASSISTANT]),
    ("driver", "司机 郑强 Zheng Qiang", [roles.DRIVER]),
    ("selection_consultant", "选片师 冯雪 Feng Xue", [roles.SELECTION_CONSULTANT]),
    ("retoucher", "修图师 何亮 He Liang", [roles.RETOUCHER]),
    ("production", "制作 许静 Xu Jing", [roles.PRODUCTION]),
    ("pickup_clerk", "取件 韩梅 Han Mei", [roles.PICKUP_CLERK]),
    ("customer_service", "客服 唐悦 Tang Yue", [roles.CUSTOMER_SERVICE]),
    ("cashier", "收银 曹颖 Cao Ying", [roles.CASHIER]),
    ("manager", "店长 林峰 Lin Feng", [roles.MANAGER]),
]

# How many orders end in each state, per branch.
SPREAD = {
    State.BOOKED: 4,
    State.SCHEDULED: 5,
    State.SHOOTING: 1,
    State.SHOT: 3,
    State.SELECTING: 2,
    State.SELECTED: 2,
    State.IN_PRODUCTION: 4,
    State.READY: 2,
    State.DELIVERED: 5,
    State.CANCELLED: 2,
}


def build(stdout=None):
    rng = random.Random(2026)
    with transaction.atomic():
        branches = [
            Branch.objects.create(
                code="sh1",
                name="静安旗舰店 Jing'an Flagship",
                address="上海市静安区南京西路 1266 号",
                phone="021-6288 0001",
            ),
            Branch.objects.create(
                code="sh2",
                name="徐汇店 Xuhui Store",
                address="上海市徐汇区衡山路 88 号",
                phone="021-6433 0002",
                pay_in_full_before_shoot=False,
            ),
        ]
        packages = _packages(branches)
        staff_by_branch = {b.pk: [] for b in branches}
        logins = []
        for i, branch in enumerate(branches):
            for username, name, role_names in STAFF:
                login = username if i == 0 else f"{username}_{branch.code}"
                staff = _staff(login, name, role_names, [branch])
                staff_by_branch[branch.pk].append(staff)
                if i == 0:
                    logins.append((login, role_names[0]))
        # The area manager oversees both branches.
        area = _staff("area_manager", "区域经理 宋洁 Song Jie", [roles.MANAGER], branches)
        logins.append(("area_manager", roles.MANAGER))
        admin = User.objects.create_superuser("admin", "admin@example.com", PASSWORD)
        Staff.objects.create(user=admin, display_name="Admin").branches.set(branches)
        for branch in branches:
            team = staff_by_branch[branch.pk] + [area]
            _orders(rng, branch, team, packages)
    return logins


def _packages(branches):
    made = []
    for code, name, price, floor, outfits, indoor, outdoor, photos, pages, sig in PACKAGES:
        package = Package.objects.create(
            code=code,
            name=name,
            price=Decimal(price),
            floor_price=Decimal(floor),
            outfits=outfits,
            indoor_scenes=indoor,
            outdoor_scenes=outdoor,
            retouched_photos=photos,
            album_pages=pages,
            is_signature=sig,
            products="相册 Album · 放大 Enlargement · 水晶 Crystal · 底片 Image files",
            wedding_day_makeup=sig,
            wedding_day_dress=sig,
        )
        package.branches.set(branches)
        made.append(package)
    return made


def _staff(username, name, role_names, branches):
    user = User.objects.create_user(username, password=PASSWORD)
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in role_names])
    if roles.MANAGER in role_names:
        user.is_staff = True  # managers use the admin for catalogues
        user.save(update_fields=["is_staff"])
    staff = Staff.objects.create(
        user=user, display_name=name, personal_phone=f"139{random.randint(10000000, 99999999)}"
    )
    staff.branches.set(branches)
    return staff


def _by_role(team, role):
    return [s for s in team if role in s.role_set]


def _orders(rng, branch, team, packages):
    takers = _by_role(team, roles.RECEPTIONIST)
    manager = _by_role(team, roles.MANAGER)[0]
    now = timezone.now()
    n = 0
    for target, count in SPREAD.items():
        for _ in range(count):
            n += 1
            taker = takers[n % len(takers)]
            customer = Customer.objects.create(
                branch=branch,
                owner=taker,
                bride_name=rng.choice(BRIDES),
                groom_name=rng.choice(GROOMS),
                bride_phone=f"138{rng.randint(10000000, 99999999)}",
                groom_phone=f"137{rng.randint(10000000, 99999999)}",
                wechat=f"wx_{branch.code}_{n}",
                wedding_date=(now + timedelta(days=rng.randint(30, 300))).date(),
                source=rng.choice(Customer.Source.values),
                marketing_consent=rng.random() < 0.7,
                notes=rng.choice(
                    [
                        "",
                        "对花粉过敏 Allergic to pollen",
                        "喜欢简约风格 Likes a simple style",
                        "新娘怕冷 Bride feels the cold easily",
                    ]
                ),
            )
            package = rng.choice(packages[:4])
            discount = Decimal(rng.choice([0, 0, 200, 500]))
            signed = now - timedelta(days=_age(target, rng))
            order = orders.create_order(
                customer=customer,
                package=package,
                owner=taker,
                created_by=taker,
                discount=discount,
                deposit=Decimal("2000"),
                deposit_method=rng.choice(LedgerEntry.Method.values),
                at=signed,
                style_wishes=rng.choice(["韩式 Korean style", "森系 Forest", "复古 Vintage"]),
            )
            _walk(rng, order, target, team, manager, signed)
    # The rest walk in without ordering: customers only.
    for _ in range(5):
        n += 1
        Customer.objects.create(
            branch=branch,
            owner=takers[n % len(takers)],
            bride_name=rng.choice(BRIDES),
            groom_name=rng.choice(GROOMS),
            bride_phone=f"138{rng.randint(10000000, 99999999)}",
            source=Customer.Source.ONLINE,
        )


def _age(target, rng):
    """Days since signing for an order now in `target`."""
    order_of = list(SPREAD)
    return 3 + order_of.index(target) * 6 + rng.randint(0, 5)


def _walk(rng, order, target, team, manager, signed):
    if target == State.BOOKED:
        return
    by = manager.user
    taker = order.owner
    if target == State.CANCELLED:
        orders.transition_order(
            order=order,
            name="cancel",
            by=by,
            note="客户取消 Cancelled by customer",
            at=signed + timedelta(days=2),
        )
        orders.refund(
            order=order,
            method="transfer",
            amount=Decimal("1000"),
            staff=manager,
            note="按退款政策退一半定金 Half the deposit back per policy",
        )
        return
    in_future = target == State.SCHEDULED
    day = timezone.localdate() + timedelta(days=rng.randint(0, 6) if in_future else 0)
    start = timezone.make_aware(datetime.combine(day, time(9 + rng.randint(0, 4), 0)))
    if in_future and start < timezone.now():
        start = timezone.now() + timedelta(hours=1)
    shoot = Shoot.objects.create(
        order=order,
        branch=order.branch,
        starts_at=start,
        ends_at=start + timedelta(hours=5),
        created_by=taker,
    )
    orders.transition_order(order=order, name="schedule", by=by, at=signed + timedelta(days=1))
    if target == State.SCHEDULED:
        return
    shoot.starts_at = timezone.now()
    shoot.ends_at = shoot.starts_at + timedelta(hours=5)
    shoot.save()
    orders.take_payment(
        order=order,
        kind=LedgerEntry.Kind.BALANCE,
        method="wechat",
        amount=order.balance_due,
        staff=taker,
        at=signed + timedelta(days=2),
    )
    orders.transition_order(order=order, name="check_in", by=by)
    if target == State.SHOOTING:
        return
    shot_at = signed + timedelta(days=3)
    Shoot.objects.filter(pk=shoot.pk).update(
        status=Shoot.Status.FINISHED, starts_at=shot_at, ends_at=shot_at + timedelta(hours=5)
    )
    orders.transition_order(order=order, name="finish_shoot", by=by, at=shot_at)
    if target == State.SHOT:
        return
    session = SelectionSession.objects.create(
        order=order,
        photo_count=rng.randint(300, 600),
        files_transferred_at=shot_at,
        files_complete=True,
    )
    orders.transition_order(
        order=order, name="start_selection", by=by, at=shot_at + timedelta(days=1)
    )
    if target == State.SELECTING:
        return
    upsell = Decimal(rng.choice([0, 800, 1500, 2600]))
    if upsell:
        orders.add_charge(
            order=order,
            kind="selection_upsell",
            amount=upsell,
            description="加选 10 张精修 10 extra retouched photos",
            staff=taker,
        )
        orders.take_payment(
            order=order,
            kind=LedgerEntry.Kind.SELECTION_UPSELL,
            method="alipay",
            amount=upsell,
            staff=taker,
        )
    session.signed_at = shot_at + timedelta(days=1)
    session.upsell_settled = True
    session.save()
    orders.transition_order(
        order=order, name="confirm_selection", by=by, at=shot_at + timedelta(days=1)
    )
    if target == State.SELECTED:
        return
    orders.transition_order(
        order=order, name="send_to_production", by=by, at=shot_at + timedelta(days=2)
    )
    items = [
        ProductionItem.objects.create(order=order, name=name, quantity=qty)
        for name, qty in (("相册 Album 30P", 1), ("放大 Enlargement 24寸", 1), ("水晶 Crystal", 2))
    ]
    if target == State.IN_PRODUCTION:
        return
    ProductionItem.objects.filter(pk__in=[i.pk for i in items]).update(
        stage=ProductionItem.Stage.DONE, qc_passed_at=timezone.now()
    )
    orders.transition_order(order=order, name="mark_ready", by=by)
    if target == State.READY:
        return
    ProductionItem.objects.filter(order=order).update(handed_over_at=timezone.now())
    orders.transition_order(order=order, name="deliver", by=by)


def is_empty():
    return not Branch.objects.exists() and not Order.objects.exists()
