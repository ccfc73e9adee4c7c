"""A living demo studio, built through the same services the pages use.

Orders walk the real journey (guards and all), so every state has the payments, shoots,
selections and history it would have in a real branch.
"""

import functools
import random
from datetime import datetime, time, timedelta
from decimal import Decimal

import time_machine
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from commissions import demo as commissions_demo
from followups import demo as followups_demo
from orders import referrals_demo, wallet_demo
from orders import services as orders
from orders.models import LedgerEntry, Order, State
from pickup import demo as pickup_demo
from rentals import demo as rentals_demo
from selection import demo as selection_demo
from selection import texts as selection_texts
from selection.models import ProductionItem, SelectionSession
from shoots import services as shoot_services
from shoots.models import Room, Vehicle
from shoots.selectors import SEAT_ROLES
from studio import roles
from studio import services as studio_services
from studio.models import (
    Branch,
    ConsentChannel,
    ConsentEvent,
    ConsentPurpose,
    Customer,
    Gender,
    Package,
    PackageLine,
    Staff,
    Visit,
)
from studio.products import Included

from . import targets

PASSWORD = "studio-demo-2026"


def replay(when):
    """Replay one step of the studio's history at `when`: the clock stands still there
    while the services run, so they stamp what they write with that moment as they would
    have on the day. Production code never takes a date for "now" from its caller."""
    return time_machine.travel(when, tick=False)


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
    # A full crew so the week's control sheet has people to spare.
    ("photographer2", "摄影师 钱程 Qian Cheng", [roles.PHOTOGRAPHER]),
    ("photographer3", "摄影师 沈阳 Shen Yang", [roles.PHOTOGRAPHER]),
    ("makeup_artist2", "化妆师 卫红 Wei Hong", [roles.MAKEUP_ARTIST]),
    ("makeup_artist3", "化妆师 蒋琴 Jiang Qin", [roles.MAKEUP_ARTIST]),
    ("dress_stylist2", "礼服师 韩雪 Han Xue", [roles.DRESS_STYLIST]),
    ("assistant2", "助理 杨帆 Yang Fan", [roles.ASSISTANT]),
]
# Only these are printed as the demo logins (one per role); the others log in the same way.
EXTRA = {
    "receptionist2",
    "photographer2",
    "photographer3",
    "makeup_artist2",
    "makeup_artist3",
    "dress_stylist2",
    "assistant2",
}

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
                customer_name_zh="静安旗舰店",
                customer_name_en="Jing'an Flagship Store",
                address="上海市静安区南京西路 1266 号",
                phone="021-6288 0001",
            ),
            Branch.objects.create(
                code="sh2",
                name="徐汇店 Xuhui Store",
                customer_name_zh="徐汇店",
                customer_name_en="Xuhui Store",
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
                if i == 0 and username not in EXTRA:
                    logins.append((login, role_names[0]))
        # The area manager oversees both branches.
        area = _staff("area_manager", "区域经理 宋洁 Song Jie", [roles.MANAGER], branches)
        logins.append(("area_manager", roles.MANAGER))
        # Head office: opens branches, assigns staff, grants roles (in the admin).
        _staff("chain_manager", "总部 周敏 Zhou Min", [roles.CHAIN_MANAGER], branches)
        logins.append(("chain_manager", roles.CHAIN_MANAGER))
        admin = User.objects.create(
            username="admin",
            email="admin@example.com",
            password=_password_hash(),
            is_staff=True,
            is_superuser=True,
        )
        Staff.objects.create(user=admin, display_name="Admin").branches.set(branches)
        for branch in branches:
            team = staff_by_branch[branch.pk] + [area]
            _places(branch)
            studio_services.set_rota(
                branch=branch,
                day=branch.today(),
                takers=_by_role(team, roles.RECEPTIONIST),
                set_by=_by_role(team, roles.MANAGER)[0],
            )
            commissions_demo.seed_rules(branch)  # before the money, so it earns as it comes
            _orders(rng, branch, team, packages)
            commissions_demo.seed_shares(branch, team)
            selection_demo.seed(branch, team, rng)
            rentals_demo.seed(branch, team, rng)
            pickup_demo.seed(branch, team, rng)
            complaints = followups_demo.seed(branch, team, rng)
            selection_demo.compensate(branch, team, complaints)
            referrals_demo.seed(branch, team, rng)
            wallet_demo.seed(branch, team, rng)
            targets.seed(branch, team, rng)
        # The beat task does this every 15 minutes; the demo shows its calls at once.
        shoot_services.plan_confirmation_calls()
    return logins


def make_package(row):
    """One of PACKAGES as a Package (the benchmark's chain sells the same ones)."""
    code, name, price, floor, outfits, indoor, outdoor, photos, pages, sig = row
    return Package.objects.create(
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
        contents_note="相册 Album · 放大 Enlargement · 水晶 Crystal · 底片 Image files",
        wedding_day_makeup=sig,
        wedding_day_dress=sig,
    )


def _packages(branches):
    made = []
    for row in PACKAGES:
        package = make_package(row)
        package.branches.set(branches)
        if package.is_signature:
            # What the signature packages include beyond photos and pages, as lines (the
            # benchmark's chain, which writes its charges itself, sells them without).
            PackageLine.objects.bulk_create(
                [
                    PackageLine(package=package, kind=Included.ENLARGEMENT, size='24"', position=1),
                    PackageLine(package=package, kind=Included.SECOND_MAKEUP, position=2),
                ]
            )
        made.append(package)
    return made


@functools.cache
def _password_hash():
    """The demo password hashed once for every demo login: hashing it per user (a second
    each, by design) was most of the first `make run`."""
    return make_password(PASSWORD)


def _staff(username, name, role_names, branches):
    user = User.objects.create(username=username, password=_password_hash())
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in role_names])
    if {roles.MANAGER, roles.CHAIN_MANAGER} & set(role_names):
        user.is_staff = True  # managers and head office use the admin
        user.save(update_fields=["is_staff"])
    staff = Staff.objects.create(
        user=user,
        display_name=name,
        personal_phone=f"139{random.randint(10000000, 99999999)}",
        **customer_names(name),
    )
    staff.branches.set(branches)
    return staff


def customer_names(label):
    """How customers know a demo staff member, from the rota's "前台 李娜 Li Na": 小李 in
    Chinese, Li Na in English (never the role and both scripts)."""
    _role, chinese, *pinyin = label.split()
    return {"customer_name_zh": f"小{chinese[0]}", "customer_name_en": " ".join(pinyin)}


def _places(branch):
    for name in ("1号影棚 Studio 1", "2号影棚 Studio 2", "3号欧式棚 Studio 3"):
        Room.objects.create(branch=branch, name=name)
    Room.objects.create(branch=branch, name="外景 滨江 Riverside outdoor", is_outdoor=True)
    Vehicle.objects.create(branch=branch, name="别克 GL8 Buick GL8", plate="沪A·6D218")


class Crews:
    """Hands out crews in turn, so shoots at the same time get different people."""

    def __init__(self, team):
        self.turn = 0
        self.seats = {seat: _by_role(team, role) for seat, role in SEAT_ROLES.items()}
        self.rooms = list(Room.objects.filter(is_outdoor=False))

    def next(self, branch, lead=False):
        """The next crew in turn; `lead` is the demo logins' own crew (photographer, …)."""
        self.turn += 1
        turn = 0 if lead else self.turn
        crew = {
            seat: people[turn % len(people)]
            for seat, people in self.seats.items()
            if seat != "driver"
        }
        rooms = [r for r in self.rooms if r.branch_id == branch.pk]
        crew["room"] = rooms[turn % len(rooms)]
        return crew


def _book(order, crews, starts_at, by, lead=False):
    """Book the next free crew; try later slots when everyone is taken."""
    for attempt in range(12):
        when = starts_at + timedelta(hours=attempt * 5)
        try:
            return shoot_services.book_shoot(
                order=order,
                starts_at=when,
                by=by,
                short_notice_confirmed=True,
                now=min(timezone.now(), when - timedelta(minutes=1)),
                **crews.next(order.branch, lead=lead and attempt == 0),
            )
        except shoot_services.DoubleBooking:
            continue
    raise RuntimeError(f"No free crew for {order}")


def _book_past(order, crews, wanted, by):
    """Book the next free crew on a morning or an afternoon from `wanted`'s day on."""
    for day in range(30):
        for hour in (9, 14):
            start = timezone.make_aware(
                datetime.combine(timezone.localdate(wanted) + timedelta(days=day), time(hour))
            )
            try:
                return shoot_services.book_shoot(
                    order=order,
                    starts_at=start,
                    by=by,
                    short_notice_confirmed=True,
                    **crews.next(order.branch),
                )
            except shoot_services.DoubleBooking:
                continue
    raise RuntimeError(f"No free crew for {order}")


def _check_in(rng, shoot, by, locker):
    """The couple arrives: checked in, and sent to the dress stylist, first in the plan."""
    shoot_services.check_in(
        shoot=shoot,
        by=by,
        balance_method="wechat",
        locker_key=f"{rng.randint(1, 60):02d}" if locker else "",
    )
    first = shoot.plan.order_by("position").first()
    shoot_services.hand_off(shoot=shoot, to_staff=shoot.dress_stylist, plan_line=first, by=by)


def _by_role(team, role):
    return [s for s in team if role in s.role_set]


def _orders(rng, branch, team, packages):
    takers = _by_role(team, roles.RECEPTIONIST)
    manager = _by_role(team, roles.MANAGER)[0]
    crews = Crews(team)
    now = timezone.now()
    n = 0
    for target, count in SPREAD.items():
        for _ in range(count):
            n += 1
            taker = takers[n % len(takers)]
            signed = now - timedelta(days=_age(target, rng))
            with replay(signed - timedelta(hours=1)):
                visit = _file_couple(
                    branch=branch,
                    registered_by=taker,
                    couple=_couple(rng, n, now),
                    source=rng.choice(Customer.Source.values),
                    reason="拍婚纱照 Wedding photos",
                )
            customer = visit.customer
            taker = visit.taker
            with replay(signed):
                studio_services.close_visit(
                    visit=visit,
                    staff=taker,
                    outcome=Visit.Outcome.BOOKED,
                    budget=Decimal(rng.choice([6000, 10000, 15000])),
                )
                package = rng.choice(packages[:4])
                discount = Decimal(rng.choice([0, 0, 200, 500]))
                order = orders.create_order(
                    customer=customer,
                    package=package,
                    owner=taker,
                    created_by=taker,
                    discount=discount,
                    deposit=Decimal("2000"),
                    deposit_method=rng.choice(LedgerEntry.Method.values),
                    style_wishes=rng.choice(["韩式 Korean style", "森系 Forest", "复古 Vintage"]),
                )
            _walk(rng, order, target, crews, manager, signed)
    # Today's walk-ins who did not book: customer service calls them within the hour.
    for hours in (5, 3, 1):
        n += 1
        with replay(now - timedelta(hours=hours)):
            visit = _file_couple(
                branch=branch,
                registered_by=takers[0],
                couple=_couple(rng, n, now),
                source=Customer.Source.ONLINE,
                reason="比较套系 Comparing packages",
            )
        said = rng.choice(list(NOT_BOOKED_BECAUSE))
        with replay(now - timedelta(hours=hours) + timedelta(minutes=40)):
            studio_services.close_visit(
                visit=visit,
                staff=visit.taker,
                outcome=Visit.Outcome.NOT_BOOKED,
                compared_studios="金夫人, 薇薇新娘",
                budget=Decimal("5000"),
                not_booked_reason=said,
                not_booked_because=NOT_BOOKED_BECAUSE[said],
            )


# What a couple said when they left without booking, and the kind of reason the desk chose.
NOT_BOOKED_BECAUSE = {
    "预算不够 Over budget": Visit.NotBookedBecause.PRICE,
    "要和父母商量 Will ask the parents": Visit.NotBookedBecause.FAMILY,
    "档期未定 Date not fixed": Visit.NotBookedBecause.DATE,
}


def _file_couple(*, couple, **kwargs):
    """Register the couple's visit; a consenting couple signs the consent form at the desk
    (offers and greetings, by SMS and WeChat)."""
    consents = couple.pop("consents")
    visit = studio_services.register_visit(new_customer=couple, **kwargs)
    if consents:
        for purpose in ConsentPurpose.values:
            for channel in (ConsentChannel.SMS, ConsentChannel.WECHAT):
                studio_services.grant_consent(
                    visit.customer,
                    purpose=purpose,
                    channel=channel,
                    source=ConsentEvent.Source.PAPER_FORM,
                    by=kwargs["registered_by"],
                )
    return visit


def _couple(rng, n, now):
    return {
        "bride_name": rng.choice(BRIDES),
        "groom_name": rng.choice(GROOMS),
        # Most couples told us; the others get the messages' neutral text.
        "bride_gender": Gender.FEMALE if n % 5 else "",
        "groom_gender": Gender.MALE if n % 5 else "",
        "bride_phone": f"138{rng.randint(10000000, 99999999)}",
        "groom_phone": f"137{rng.randint(10000000, 99999999)}",
        "wechat": f"wx_demo_{n}",
        "wedding_date": (now + timedelta(days=rng.randint(30, 300))).date(),
        # Popped before filing (`_file_couple`): consent is recorded, not a field.
        "consents": rng.random() < 0.7,
        "notes": rng.choice(
            [
                "",
                "对花粉过敏 Allergic to pollen",
                "喜欢简约风格 Likes a simple style",
                "新娘怕冷 Bride feels the cold easily",
            ]
        ),
    }


def _age(target, rng):
    """Days since signing for an order now in `target`."""
    order_of = list(SPREAD)
    return 3 + order_of.index(target) * 6 + rng.randint(0, 5)


def _walk(rng, order, target, crews, manager, signed):
    if target == State.BOOKED:
        return
    by = manager.user
    taker = order.owner
    if target == State.CANCELLED:
        with replay(signed + timedelta(days=2)):
            orders.transition_order(
                order=order, name="cancel", by=by, note="客户取消 Cancelled by customer"
            )
        orders.refund(
            order=order,
            method="transfer",
            amount=Decimal("1000"),
            staff=manager,
            note="按退款政策退一半定金 Half the deposit back per policy",
        )
        return
    if target == State.SCHEDULED:
        # This week's control sheet: a morning or an afternoon in the next days.
        day = timezone.localdate() + timedelta(days=1 + order.pk % 6)
        start = timezone.make_aware(datetime.combine(day, time(rng.choice([9, 13]), 30)))
        _book(order, crews, start, taker)
        return
    shot_at = signed + timedelta(days=3)
    today = target == State.SHOOTING
    if not today:
        # Money is never backdated after the fact: the balance is taken with its own date.
        with replay(signed + timedelta(days=2)):
            orders.take_payment(
                order=order,
                kind=LedgerEntry.Kind.BALANCE,
                method="wechat",
                amount=order.balance_due,
                staff=taker,
            )
    if today:
        shoot = _book(order, crews, timezone.now() + timedelta(seconds=1), taker, lead=True)
        _check_in(rng, shoot, taker, locker=True)
        makeup = shoot.plan.order_by("position")[1]
        shoot_services.hand_off(
            shoot=shoot, to_staff=shoot.makeup_artist, plan_line=makeup, by=taker
        )
        return
    # A shoot that happened: booked the day after signing, shot on the first day from
    # `shot_at` on when a crew was free.
    with replay(signed + timedelta(days=1)):
        shoot = _book_past(order, crews, shot_at, taker)
    with replay(shoot.starts_at):
        _check_in(rng, shoot, taker, locker=False)
    with replay(shoot.ends_at):
        shoot_services.finish_shoot(shoot=shoot, by=taker, key_returned=True)
    shot_at = shoot.starts_at
    if target == State.SHOT:
        return
    by = manager.user
    session = SelectionSession.objects.create(
        order=order,
        photo_count=rng.randint(300, 600),
        files_transferred_at=shot_at,
        files_complete=True,
    )
    with replay(shot_at + timedelta(days=1)):
        orders.transition_order(order=order, name="start_selection", by=by)
    if target == State.SELECTING:
        return
    upsell = Decimal(rng.choice([0, 800, 1500, 2600]))
    if upsell:
        with replay(shot_at + timedelta(days=1)):
            orders.add_charge(
                order=order,
                kind="selection_upsell",
                amount=upsell,
                description=selection_texts.EXTRA_PHOTOS(count=10),
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
    with replay(shot_at + timedelta(days=1)):
        orders.transition_order(order=order, name="confirm_selection", by=by)
    if target == State.SELECTED:
        return
    with replay(shot_at + timedelta(days=2)):
        orders.transition_order(order=order, name="send_to_production", by=by)
    items = [
        ProductionItem.objects.create(order=order, name=name, quantity=qty)
        for name, qty in (("相册 Album 30P", 1), ("放大 Enlargement 24寸", 1), ("水晶 Crystal", 2))
    ]
    if target == State.IN_PRODUCTION:
        return
    ready_at = min(shot_at + timedelta(days=12), timezone.now())
    ProductionItem.objects.filter(pk__in=[i.pk for i in items]).update(
        stage=ProductionItem.Stage.DONE, qc_passed_at=ready_at
    )
    with replay(ready_at):
        orders.transition_order(order=order, name="mark_ready", by=by)
    if target == State.READY:
        return
    delivered_at = min(shot_at + timedelta(days=15), timezone.now())
    ProductionItem.objects.filter(order=order).update(handed_over_at=delivered_at)
    with replay(delivered_at):
        orders.transition_order(order=order, name="deliver", by=by)


def login_table(branches):
    """[(role, [login at each of `branches`])]: the demo logins as build() names them
    (the first branch's without a suffix), the area manager and admin on every branch."""
    rows = []
    for username, _name, role_names in STAFF:
        if username not in EXTRA:
            logins = [
                username if i == 0 else f"{username}_{b.code}" for i, b in enumerate(branches)
            ]
            rows.append((role_names[0], logins))
    rows.append(("area manager", ["area_manager"] * len(branches)))
    rows.append(("chain manager", ["chain_manager"] * len(branches)))
    rows.append(("admin", ["admin"] * len(branches)))
    return rows


def is_empty():
    return not Branch.objects.exists() and not Order.objects.exists()
