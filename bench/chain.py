"""A chain of studios, five years of it, written through the project's own models.

`build(scale)` files the couples of `scale.branches` branches over `scale.years` years and
walks each order along the journey as far as its age takes it: an order signed last week is
booked or scheduled, one from last month is being shot, selected or produced, one from last
year was delivered long ago; a few were cancelled, moved, finished late. Every row it writes
is one a service could have written on the day, with the same texts, occasions and numbers
(receipts, order numbers, slips), so the pages and the periodic jobs read what they would
read in a real chain: the care rules, the confirmation planners and the late-production
alert find their work already done at the dataset's moment (`bench.jobs` checks it).

Small tables (branches, staff, catalogue, dresses) are created with the ORM, the large ones
with COPY (`bench.copy.Table`), under every database constraint: the exclusion constraints
that forbid double bookings of a person, a room, a vehicle or a dress hold because shoots
are given lanes (a crew and a room per lane and day) and dresses are given free dates.

At scale 1.0 (the issue's volumes): 20 branches, 200,000 couples, 100,000 orders, about
820,000 ledger entries, 2,000,000 messages, 476,000 resource bookings, 770,000 picks and
430,000 call tasks. Deterministic for a seed and a day: the same seed built on the same day
gives the same rows.
"""

import random
import time as time_
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django_fsm_log.models import StateLog

from demo_studio.chain import PACKAGES, make_package
from followups import texts as care_texts
from followups.models import CallTask, CareRule, Complaint, MessageTemplate, OutboxMessage
from followups.services import outside_quiet_hours
from orders.models import (
    Charge,
    LedgerEntry,
    Order,
    OrderSequence,
    ReceiptSequence,
    ReferralReward,
    State,
)
from pickup.models import ItemCheck, PickupAppointment, SlipSequence, Survey
from rentals import texts as rental_texts
from rentals.models import Dress, DressReservation
from selection import texts as selection_texts
from selection.models import (
    DEFAULT_PRICES,
    Pick,
    PriceItem,
    Product,
    ProductionItem,
    ProductionStep,
    ProductLine,
    SelectionSession,
)
from shoots import texts as shoot_texts
from shoots.models import HandOff, OutdoorTrip, PlannedSet, ResourceBooking, Room, Shoot, Vehicle
from shoots.services import default_sets, plan_timeline
from studio import roles
from studio import texts as studio_texts
from studio.models import (
    Branch,
    ConsentEvent,
    ConsentPurpose,
    Customer,
    MembershipLevelRule,
    MonthlyTarget,
    Staff,
    Visit,
)
from studio.services import record_heartbeat, set_rota
from studio.validators import id_card_check_character

from .copy import Table, reset_sequences
from .names import couple_names, person_name

TZ = ZoneInfo("Asia/Shanghai")
PASSWORD = "studio-bench-2026"
ORDERS_AT_SCALE_1 = 100_000
COUPLES_PER_ORDER = 2
# Hand-offs, production steps, item checks and outdoor trips are written for this many
# recent days only: the pages read today's and this week's; older ones are history no
# page in the benchmark opens, and leaving them out keeps the build in its budget.
RECENT_DAYS = 45
# Picks are kept for the selections of the last this many days (the selection page reads
# the couple in front of the consultant; 770,000 picks at scale 1).
PICK_DAYS = 86

# Staff of each branch: every role, with crews for four shoots a day.
TEAM = [
    (roles.RECEPTIONIST, 3),
    (roles.DISPATCHER, 1),
    (roles.DRESS_STYLIST, 4),
    (roles.MAKEUP_ARTIST, 4),
    (roles.PHOTOGRAPHER, 4),
    (roles.ASSISTANT, 4),
    (roles.DRIVER, 1),
    (roles.SELECTION_CONSULTANT, 2),
    (roles.RETOUCHER, 2),
    (roles.PRODUCTION, 2),
    (roles.PICKUP_CLERK, 1),
    (roles.CUSTOMER_SERVICE, 2),
    (roles.CASHIER, 1),
    (roles.MANAGER, 1),
]
# Lanes of the control sheet: (local start, outdoor). One shoot per lane and day, each lane
# with its own crew and room, so nobody is booked twice.
LANES = [(time(9, 0), False), (time(9, 30), False), (time(10, 0), False), (time(8, 30), True)]
CONSULTANT_SLOTS = [time(10, 0), time(13, 0), time(15, 30)]

# The demo's packages (demo_studio.chain.PACKAGES), with how often each sells.
PACKAGE_WEIGHTS = {"eternal": 25, "classic": 35, "seaside": 10, "palace": 20, "simple": 10}
DRESSES = [
    (Dress.Category.WEDDING_GOWN, 60, "2800.00", "3000.00"),
    (Dress.Category.EVENING_DRESS, 25, "900.00", "1000.00"),
    (Dress.Category.QIPAO, 15, "800.00", "1000.00"),
    (Dress.Category.MENS_SUIT, 15, "600.00", "800.00"),
    (Dress.Category.ACCESSORIES, 5, "200.00", "200.00"),
]
METHODS = LedgerEntry.Method.values
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Scale:
    factor: float = 1.0
    branches: int = 20
    years: float = 5
    seed: int = 2026

    @property
    def orders_per_branch(self):
        return max(4, round(ORDERS_AT_SCALE_1 * self.factor / self.branches))

    def stamp(self):
        return {
            "factor": self.factor,
            "branches": self.branches,
            "years": self.years,
            "seed": self.seed,
        }


def local(day, at):
    return datetime.combine(day, at, TZ)


def local_day(moment):
    return timezone.localtime(moment, TZ).date()


# --- What the plan is made of ---


@dataclass(eq=False)
class Place:
    """One branch, with the people and things its orders use."""

    index: int
    branch: Branch
    team: dict  # role -> [Staff]
    rooms: list  # indoor Room pks, in lane order
    outdoor_room: int
    vehicle: int
    dresses: dict  # category -> [(pk, code, cleaning_days, price, deposit)]
    prices: dict  # (product, size) -> (pk, price)
    lanes: dict = field(default_factory=dict)  # day -> set of lanes taken
    consultant_slots: dict = field(default_factory=dict)  # (day, consultant) -> set of slots
    dress_busy: dict = field(default_factory=dict)  # dress pk -> [(first, last)]

    def one(self, role, n=0):
        people = self.team[role]
        return people[n % len(people)]


@dataclass(eq=False)
class Couple:
    place: Place
    created_at: datetime
    owner: Staff
    names: tuple
    phones: tuple
    birthdays: tuple
    wedding_date: date | None
    wechat: str
    address: str
    consent: bool
    language: str
    source: str
    notes: str
    referrer: "Couple | None" = None
    visits: list = field(default_factory=list)
    order: "Journey | None" = None
    id: int = 0
    level: str = Customer.Level.NONE
    referred: list = field(default_factory=list)  # (order time, Journey) of couples referred


# What a couple said when they left without booking, and the kind of reason the desk chose.
NOT_BOOKED_BECAUSE = {
    "预算不够 Over budget": Visit.NotBookedBecause.PRICE,
    "要和父母商量 Will ask the parents": Visit.NotBookedBecause.FAMILY,
    "档期未定 Date not fixed": Visit.NotBookedBecause.DATE,
}


@dataclass(eq=False)
class VisitPlan:
    couple: Couple
    arrived_at: datetime
    closed_at: datetime | None
    outcome: str
    taker: Staff
    reason: str = ""
    not_booked_reason: str = ""
    not_booked_because: str = ""
    budget: Decimal | None = None
    call: "CallPlan | None" = None
    id: int = 0


@dataclass(eq=False)
class CallPlan:
    due_at: datetime
    status: str
    done_at: datetime | None
    assignee: Staff
    outcome: tuple = ("", {})


@dataclass(eq=False)
class ShootPlan:
    journey: "Journey"
    created_at: datetime
    starts_at: datetime
    ends_at: datetime
    lane: int
    lines: list  # (step, minutes)
    status: str = Shoot.Status.PLANNED
    moved_from: "ShootPlan | None" = None
    checked_in_at: datetime | None = None
    late: int = 0
    finished_at: datetime | None = None
    locker: str = ""
    id: int = 0


@dataclass(eq=False)
class Journey:
    couple: Couple
    package: tuple
    owner: Staff
    signed_at: datetime
    discount: Decimal
    approved_by: Staff | None
    deposit: Decimal
    method: str
    id: int = 0
    number: str = ""
    state: str = State.BOOKED
    cancel_at: datetime | None = None
    book_at: datetime | None = None
    shoots: list = field(default_factory=list)
    transitions: list = field(default_factory=list)  # (at, name, source, target, user pk)
    ledger: list = field(default_factory=list)  # (at, kind, method, amount, staff, note)
    charges: list = field(default_factory=list)  # (at, kind, amount, description, staff)
    # Selection and production
    session_at: datetime | None = None  # the session's row exists from then
    files_at: datetime | None = None
    appointment: datetime | None = None
    consultant: Staff | None = None
    confirm_at: datetime | None = None
    production_at: datetime | None = None
    ready_at: datetime | None = None
    late_alert_at: datetime | None = None
    photo_count: int = 0
    picks: list = field(default_factory=list)  # (pass, number, outfit, album page)
    products: list = field(default_factory=list)  # (price item pk, quantity, photo number)
    items: list = field(default_factory=list)  # [product, name, quantity, pages, ...]
    waived: bool = False
    pickups: list = field(default_factory=list)  # [created_at, starts_at, status, slip, id]
    delivered_at: datetime | None = None
    survey: tuple | None = None
    complaint: tuple | None = None
    reservation: dict | None = None
    session_id: int = 0
    item_ids: list = field(default_factory=list)
    complaint_id: int = 0

    @property
    def place(self):
        return self.couple.place

    @property
    def agreed(self):
        return Decimal(self.package[2]) - self.discount

    def live_shoot(self):
        return next((s for s in self.shoots if s.status != Shoot.Status.MOVED), None)


class Chain:
    def __init__(self, scale, now, out):
        self.scale = scale
        self.now = now
        self.today = local_day(now)
        self.first_day = self.today - timedelta(days=round(365 * scale.years) - 1)
        self.out = out
        self.couple_count = 0

    # --- The small tables, with the ORM ---

    def catalogue(self):
        groups = {name: Group.objects.get(name=name) for name in roles.ALL}
        password = make_password(PASSWORD)
        packages = []
        for row in PACKAGES:
            code, _name, price, _floor, _outfits, _indoor, outdoor, photos, pages, _sig = row
            package = make_package(row)
            w = PACKAGE_WEIGHTS[code]
            packages.append((package, code, price, photos, pages, outdoor, w))
        self.packages = packages
        self.package_weights = [p[6] for p in packages]
        self.places = []
        self._new_staff = []
        rng = random.Random(f"{self.scale.seed}:staff")
        for i in range(self.scale.branches):
            code = f"b{i + 1:02d}"
            branch = Branch.objects.create(
                code=code,
                name=f"{i + 1}号店 Store {i + 1}",
                address=f"上海市 {i + 1} 号路 {100 + i} 号",
                phone=f"021-6{i + 1:03d} {1000 + i}",
                pay_in_full_before_shoot=i % 5 != 4,
            )
            for package in packages:
                package[0].branches.add(branch)
            team = {}
            for role, count in TEAM:
                team[role] = [
                    self._staff(
                        f"{role}{n + 1 if n else ''}_{code}",
                        person_name(rng),
                        [groups[role]],
                        [branch],
                        password,
                    )
                    for n in range(count)
                ]
            rooms = [
                Room.objects.create(branch=branch, name=f"{n + 1}号影棚 Studio {n + 1}")
                for n in range(3)
            ]
            outdoor = Room.objects.create(
                branch=branch, name="外景 滨江 Riverside outdoor", is_outdoor=True
            )
            vehicle = Vehicle.objects.create(
                branch=branch, name="别克 GL8 Buick GL8", plate=f"沪A·{i:02d}D218"
            )
            dresses = {}
            for category, count, price, deposit in DRESSES:
                made = Dress.objects.bulk_create(
                    Dress(
                        branch=branch,
                        code=f"{category[:2].upper()}{n + 1:03d}",
                        name=f"{Dress.Category(category).label} {n + 1}",
                        category=category,
                        size=rng.choice(["S", "M", "L", "XL"]),
                        colour=rng.choice(["白 White", "香槟 Champagne", "红 Red", "蓝 Blue"]),
                        rental_price=Decimal(price),
                        deposit=Decimal(deposit),
                        cleaning_days=2,
                    )
                    for n in range(count)
                )
                dresses[category] = [
                    (d.pk, d.code, d.cleaning_days, d.rental_price, d.deposit) for d in made
                ]
            prices = {}
            for product, size, price in DEFAULT_PRICES:
                item, _ = PriceItem.objects.get_or_create(
                    branch=branch, product=product, size=size, defaults={"price": price}
                )
                prices[(product, size)] = (item.pk, item.price)
            place = Place(
                i, branch, team, [r.pk for r in rooms], outdoor.pk, vehicle.pk, dresses, prices
            )
            self.places.append(place)
        branches = [p.branch for p in self.places]
        self._staff(
            "chain_manager", "总部 周敏 Zhou Min", [groups[roles.CHAIN_MANAGER]], branches, password
        )
        for k in range(0, len(branches), 5):
            self._staff(
                f"area_manager{k // 5 + 1}",
                person_name(rng),
                [groups[roles.MANAGER]],
                branches[k : k + 5],
                password,
            )
        self._save_staff()
        for place in self.places:
            set_rota(
                branch=place.branch,
                day=self.today,
                takers=place.team[roles.RECEPTIONIST],
                set_by=place.team[roles.MANAGER][0],
            )
        admin = User.objects.create(
            username="admin", password=password, is_staff=True, is_superuser=True
        )
        Staff.objects.create(user=admin, display_name="Admin").branches.set(branches)
        record_heartbeat(name="beat")
        self.rules = {r.key: r for r in CareRule.objects.all()}
        self.templates = {}
        for t in MessageTemplate.objects.filter(is_active=True):
            self.templates.setdefault(t.key, {})[t.language] = t
        self.ladder = list(MembershipLevelRule.objects.order_by("referrals_needed"))
        self.timelines = {}
        for package in packages:
            for outdoor in (False, True):
                lines = plan_timeline(
                    branch=branches[0], sets=default_sets(package[0]), outdoor=outdoor
                )
                self.timelines[(package[1], outdoor)] = [(str(s), m) for s, m in lines]

    def _staff(self, username, name, groups, branches, password):
        """A log-in-able staff member (their rows are written together by `_save_staff`)."""
        user = User(
            username=username,
            password=password,
            is_staff=any(g.name in (roles.MANAGER, roles.CHAIN_MANAGER) for g in groups),
        )
        staff = Staff(user=user, display_name=name)
        self._new_staff.append((user, staff, groups, branches))
        return staff

    def _save_staff(self):
        made = self._new_staff
        User.objects.bulk_create([u for u, _s, _g, _b in made])
        for user, staff, _g, _b in made:
            staff.user = user
        Staff.objects.bulk_create([s for _u, s, _g, _b in made])
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=u.pk, group_id=g.pk) for u, _s, gs, _b in made for g in gs
        )
        Staff.branches.through.objects.bulk_create(
            Staff.branches.through(staff_id=s.pk, branch_id=b.pk)
            for _u, s, _g, bs in made
            for b in bs
        )
        self._new_staff = []

    def targets(self):
        rows = []
        for place in self.places:
            month = self.first_day.replace(day=1)
            while month <= self.today:
                deals = max(1, round(self.scale.orders_per_branch / (12 * self.scale.years)))
                rows.append(
                    MonthlyTarget(
                        branch=place.branch, month=month, deals=deals, revenue=Decimal(deals * 9000)
                    )
                )
                for taker in place.team[roles.RECEPTIONIST]:
                    rows.append(
                        MonthlyTarget(
                            branch=place.branch,
                            month=month,
                            staff=taker,
                            deals=max(1, deals // 3),
                            revenue=Decimal(deals * 3000),
                        )
                    )
                month = (month + timedelta(days=32)).replace(day=1)
        MonthlyTarget.objects.bulk_create(rows, batch_size=5000)

    # --- The plan: every couple's and order's times, drawn in a fixed order ---

    def plan(self):
        couples = []
        for place in self.places:
            rng = random.Random(f"{self.scale.seed}:branch:{place.index}")
            couples += self._plan_branch(place, rng)
        self.couples = couples

    def _moment(self, rng, day, earliest=time(10, 0), hours=9):
        at = local(day, earliest) + timedelta(minutes=rng.randrange(hours * 60))
        return at

    def _random_past(self, rng, before=None):
        """A business-hours moment on a random day of the period, before `before` (now)."""
        before = before or self.now - timedelta(minutes=10)
        span = (self.today - self.first_day).days + 1
        for _ in range(20):
            at = self._moment(rng, self.first_day + timedelta(days=rng.randrange(span)))
            if at < before:
                return at
        return before - timedelta(minutes=rng.randrange(30, 300))

    def _plan_branch(self, place, rng):
        n_orders = self.scale.orders_per_branch
        couples = []
        journeys = []
        takers = place.team[roles.RECEPTIONIST]
        for n in range(n_orders * COUPLES_PER_ORDER):
            signs = n % COUPLES_PER_ORDER == 0
            first = self._random_past(rng)
            taker = takers[rng.randrange(len(takers))]
            couple = self._couple(rng, place, first, taker, signs)
            couples.append(couple)
            if signs:
                if rng.random() < 0.1:
                    # Came once, went home to think, came back and signed.
                    signed_at = first + timedelta(
                        days=rng.randint(1, 20), minutes=rng.randint(0, 240)
                    )
                    if signed_at > self.now - timedelta(minutes=15):
                        signed_at = first + timedelta(minutes=50)
                        self._visit(rng, couple, first, taker, booked=True)
                    else:
                        self._visit(rng, couple, first, taker, booked=False)
                        self._visit(
                            rng, couple, signed_at - timedelta(minutes=50), taker, booked=True
                        )
                else:
                    signed_at = first + timedelta(minutes=50)
                    self._visit(rng, couple, first, taker, booked=True)
                journeys.append(self._journey(rng, couple, signed_at))
            else:
                self._visit(rng, couple, first, taker, booked=False)
        # Referrals: a couple who came later names one who signed earlier.
        signed = sorted(journeys, key=lambda j: j.signed_at)
        times = [j.signed_at for j in signed]
        for couple in couples:
            if couple.source == Customer.Source.REFERRAL:
                k = bisect_right(times, couple.created_at)
                if k:
                    couple.referrer = rng.choice(signed[max(0, k - 200) : k]).couple
                else:
                    couple.source = Customer.Source.WALK_BY
        # The control sheet is filled in the order shoots were booked.
        for journey in sorted(journeys, key=lambda j: j.book_at or j.signed_at):
            self._shoot(rng, journey)
        for journey in sorted(
            journeys, key=lambda j: j.shoots[-1].starts_at if j.shoots else j.signed_at
        ):
            self._after_shoot(rng, journey)
        for journey in journeys:
            self._rental(rng, journey)
        return couples

    def _couple(self, rng, place, first, taker, signs):
        bride, groom = couple_names(rng)
        index = self._next_couple_index()
        bride_phone = str(13_000_000_000 + (index * 7_919_113) % 1_000_000_000)
        groom_phone = (
            str(15_000_000_000 + (index * 1_299_709) % 1_000_000_000) if rng.random() < 0.8 else ""
        )
        given = 0.95 if signs else 0.8
        birthdays = tuple(
            date(rng.randint(1985, 2001), rng.randint(1, 12), rng.randint(1, 28))
            if rng.random() < given
            else None
            for _ in range(2)
        )
        wedding = None
        if signs or rng.random() < 0.8:
            wedding = local_day(first) + timedelta(days=rng.randint(70, 330))
            if wedding.month == 2 and wedding.day == 29:
                wedding -= timedelta(days=1)
        source = rng.choices(Customer.Source.values, weights=[8, 30, 25, 10, 15, 5, 7])[0]
        return Couple(
            place=place,
            created_at=first,
            owner=taker,
            names=(bride, groom),
            phones=(bride_phone, groom_phone),
            birthdays=birthdays,
            wedding_date=wedding,
            wechat=f"wx_{index:07d}" if rng.random() < 0.7 else "",
            address=f"上海市 某区 {rng.randint(1, 999)} 弄 {rng.randint(1, 40)} 号"
            if rng.random() < (0.4 if signs else 0.1)
            else "",
            consent=rng.random() < 0.65,
            language="en" if rng.random() < 0.1 else "zh-hans",
            source=source,
            notes=rng.choice(
                ["", "", "", "对花粉过敏 Allergic to pollen", "喜欢简约风格 Likes a simple style"]
            ),
        )

    def _next_couple_index(self):
        self.couple_count += 1
        return self.couple_count

    def _visit(self, rng, couple, arrived_at, taker, booked):
        visit = VisitPlan(
            couple=couple,
            arrived_at=arrived_at,
            closed_at=arrived_at + timedelta(minutes=rng.randint(30, 50)),
            outcome=Visit.Outcome.BOOKED if booked else Visit.Outcome.NOT_BOOKED,
            taker=taker,
            reason=rng.choice(
                [
                    "拍婚纱照 Wedding photos",
                    "比较套系 Comparing packages",
                    "朋友推荐 A friend's advice",
                ]
            ),
            budget=Decimal(rng.choice([5000, 8000, 10000, 15000])),
        )
        if visit.closed_at > self.now:
            visit.closed_at = None
            visit.outcome = ""
        elif not booked:
            visit.not_booked_reason = rng.choice(list(NOT_BOOKED_BECAUSE))
            visit.not_booked_because = NOT_BOOKED_BECAUSE[visit.not_booked_reason]
            place = couple.place
            cs = place.team[roles.CUSTOMER_SERVICE]
            assignee = cs[rng.randrange(len(cs))]
            due = visit.closed_at + timedelta(hours=1)
            done = due + timedelta(minutes=rng.randint(-40, 180))
            roll = rng.random()
            if done > self.now or roll < 0.004:
                visit.call = CallPlan(due, CallTask.Status.OPEN, None, assignee)
            elif roll < 0.6:
                visit.call = CallPlan(due, CallTask.Status.DONE, done, assignee, ("", {}))
            else:
                visit.call = CallPlan(due, CallTask.Status.FAILED, done, assignee, ("", {}))
        couple.visits.append(visit)
        return visit

    def _journey(self, rng, couple, signed_at):
        package = rng.choices(self.packages, weights=self.package_weights)[0]
        price = Decimal(package[2])
        discount = Decimal(rng.choice([0, 0, 0, 200, 300, 500]))
        approved_by = None
        if rng.random() < 0.03 and price - Decimal(800) >= package[0].floor_price:
            discount = Decimal(800)
            approved_by = couple.place.one(roles.MANAGER)
        if price - discount < package[0].floor_price:
            discount = ZERO
        deposit = min(Decimal(rng.choice([2000, 2000, 3000])), price - discount)
        if package[1] == "simple":
            deposit = Decimal(500)
        journey = Journey(
            couple=couple,
            package=package,
            owner=couple.owner,
            signed_at=signed_at,
            discount=discount,
            approved_by=approved_by,
            deposit=deposit,
            method=rng.choice(METHODS),
        )
        couple.order = journey
        journey.ledger.append(
            (signed_at, LedgerEntry.Kind.DEPOSIT, journey.method, deposit, journey.owner, "")
        )
        roll = rng.random()
        if roll < 0.02:
            journey.book_at = None  # never booked: still waiting, offered and urged
        elif roll < 0.42:
            journey.book_at = signed_at + timedelta(minutes=5)
        else:
            journey.book_at = signed_at + timedelta(
                days=rng.randint(1, 12), minutes=rng.randint(0, 300)
            )
        if rng.random() < 0.04:
            journey.cancel_at = signed_at + timedelta(
                days=rng.randint(1, 30), hours=rng.randint(0, 6)
            )
        return journey

    # --- Shoots ---

    def _free_lane(self, place, day, outdoor):
        taken = place.lanes.setdefault(day, set())
        order = [3, 0, 1, 2] if outdoor else [0, 1, 2]
        for lane in order:
            if lane not in taken:
                return lane
        return None

    def _lane_start(self, day, lane):
        start, _outdoor = LANES[lane]
        if day == self.today:
            # Today's sheet: two shoots under way, the outdoor one out, one this evening.
            offset = {0: -100, 1: -160, 2: 150, 3: -60}[lane]
            at = self.now + timedelta(minutes=offset)
            return at.replace(minute=at.minute - at.minute % 10, second=0, microsecond=0)
        return local(day, start)

    def _shoot(self, rng, journey):
        if journey.cancel_at and journey.cancel_at > self.now:
            journey.cancel_at = None
        book_at = journey.book_at
        if book_at is not None and (
            book_at > self.now or (journey.cancel_at and journey.cancel_at <= book_at)
        ):
            journey.book_at = book_at = None
        if book_at is None:
            self._cancel(journey)
            return
        place = journey.place
        outdoor = journey.package[5] >= 2 or (journey.package[5] > 0 and rng.random() < 0.35)
        lead = rng.randint(7, 40) if rng.random() > 0.05 else rng.randint(2, 6)
        day = local_day(book_at) + timedelta(days=lead)
        moved = rng.random() < 0.05 and not journey.cancel_at
        while True:
            lane = self._free_lane(place, day, outdoor)
            if lane is not None:
                start = self._lane_start(day, lane)
                if start > book_at + timedelta(hours=1):
                    break
            day += timedelta(days=1)
        lines = self.timelines[(journey.package[1], LANES[lane][1])]
        minutes = sum(m for _s, m in lines)
        shoot = ShootPlan(journey, book_at, start, start + timedelta(minutes=minutes), lane, lines)
        owner_user = journey.owner.user_id
        journey.transitions.append((book_at, "schedule", State.BOOKED, State.SCHEDULED, owner_user))
        journey.state = State.SCHEDULED
        first_start = local(day - timedelta(days=rng.randint(2, 10)), time(11, 0))
        if moved and first_start > book_at + timedelta(days=2):
            # First booked for an earlier day, then moved; the old row stays as "moved".
            move_at = book_at + (first_start - book_at) * rng.uniform(0.3, 0.9)
            if move_at <= self.now:
                old_lines = self.timelines[(journey.package[1], False)]
                old_end = first_start + timedelta(minutes=sum(m for _s, m in old_lines))
                old = ShootPlan(journey, book_at, first_start, old_end, rng.randrange(3), old_lines)
                old.status = Shoot.Status.MOVED
                journey.shoots.append(old)
                shoot.created_at = move_at
                shoot.moved_from = old
                journey.transitions.append(
                    (move_at, "reschedule", State.SCHEDULED, State.SCHEDULED, owner_user)
                )
        journey.shoots.append(shoot)
        if journey.cancel_at:
            shoot.status = Shoot.Status.CANCELLED
            self._cancel(journey)
            return
        place.lanes.setdefault(day, set()).add(lane)
        self._shooting_day(rng, journey, shoot)

    def _cancel(self, journey):
        at = journey.cancel_at
        if at is None:
            return
        manager = journey.place.one(roles.MANAGER)
        journey.transitions.append((at, "cancel", journey.state, State.CANCELLED, manager.user_id))
        journey.state = State.CANCELLED
        refund = (journey.deposit / 2).quantize(Decimal("0.01"))
        journey.ledger.append(
            (at + timedelta(minutes=5), LedgerEntry.Kind.REFUND, LedgerEntry.Method.TRANSFER, -refund, manager,
             "按退款政策退一半定金 Half the deposit back per policy")
        )  # fmt: skip

    def _paid(self, journey):
        return sum((e[3] for e in journey.ledger if e[1] not in LedgerEntry.NOT_PAID), ZERO)

    def _due(self, journey):
        return journey.agreed + sum((c[2] for c in journey.charges), ZERO) - self._paid(journey)

    def _shooting_day(self, rng, journey, shoot):
        place = journey.place
        pay_in_full = place.branch.pay_in_full_before_shoot
        # The balance: paid ahead in instalments, or at check-in (or, where the branch
        # allows, at pickup).
        if rng.random() < 0.7:
            parts = rng.choices([1, 2, 3, 4], weights=[15, 30, 30, 25])[0]
            span = (shoot.starts_at - journey.book_at).total_seconds()
            moments = sorted(
                journey.book_at + timedelta(seconds=span * rng.uniform(0.05, 0.95))
                for _ in range(parts)
            )
            for k, at in enumerate(moments):
                at = local(local_day(at), time(11 + k, rng.randrange(60)))
                if not (journey.book_at < at < shoot.starts_at and at <= self.now):
                    continue
                due = self._due(journey)
                amount = due if k == parts - 1 else (due / (parts - k)).quantize(Decimal("1"))
                if amount > 0:
                    journey.ledger.append(
                        (
                            at,
                            LedgerEntry.Kind.BALANCE,
                            rng.choice(METHODS),
                            amount,
                            journey.owner,
                            "",
                        )
                    )
        check_in = shoot.starts_at + timedelta(minutes=rng.choice([0, 0, 0, 5, 10, 20]))
        if check_in > self.now:
            return
        dispatcher = place.one(roles.DISPATCHER)
        if pay_in_full or rng.random() < 0.3:
            due = self._due(journey)
            if due > 0:
                journey.ledger.append(
                    (check_in, LedgerEntry.Kind.BALANCE, LedgerEntry.Method.WECHAT, due, dispatcher,
                     shoot_texts.TAKEN_AT_CHECK_IN())
                )  # fmt: skip
        journey.transitions.append(
            (check_in, "check_in", State.SCHEDULED, State.SHOOTING, dispatcher.user_id)
        )
        journey.state = State.SHOOTING
        shoot.status = Shoot.Status.CHECKED_IN
        shoot.checked_in_at = check_in
        shoot.late = max(0, int((check_in - shoot.starts_at).total_seconds() // 60))
        if rng.random() < 0.95:
            shoot.locker = f"{rng.randint(1, 60):02d}"
            journey.ledger.append(
                (check_in + timedelta(seconds=30), LedgerEntry.Kind.LOCKER_DEPOSIT, LedgerEntry.Method.CASH,
                 place.branch.locker_deposit, dispatcher, shoot_texts.LOCKER_KEY(key=shoot.locker))
            )  # fmt: skip
        finish = shoot.ends_at + timedelta(minutes=shoot.late + rng.randint(0, 20))
        if finish > self.now:
            return
        if shoot.locker:
            held = place.branch.locker_deposit
            if rng.random() < 0.02:
                note = "钥匙丢失 Key lost"
                journey.ledger.append(
                    (
                        finish,
                        LedgerEntry.Kind.LOCKER_DEPOSIT,
                        LedgerEntry.Method.CASH,
                        -held,
                        dispatcher,
                        note,
                    )
                )
                journey.ledger.append(
                    (
                        finish,
                        LedgerEntry.Kind.FORFEITED_HOLD,
                        LedgerEntry.Method.CASH,
                        held,
                        dispatcher,
                        note,
                    )
                )
            else:
                journey.ledger.append(
                    (
                        finish,
                        LedgerEntry.Kind.LOCKER_DEPOSIT,
                        LedgerEntry.Method.CASH,
                        -held,
                        dispatcher,
                        "",
                    )
                )
        journey.transitions.append(
            (
                finish + timedelta(seconds=5),
                "finish_shoot",
                State.SHOOTING,
                State.SHOT,
                dispatcher.user_id,
            )
        )
        journey.state = State.SHOT
        shoot.status = Shoot.Status.FINISHED
        shoot.finished_at = finish + timedelta(seconds=5)

    # --- Selection, production, pickup ---

    def _consultant_slot(self, place, day):
        consultants = place.team[roles.SELECTION_CONSULTANT]
        while True:
            for n, consultant in enumerate(consultants):
                taken = place.consultant_slots.setdefault((day, n), set())
                for k, at in enumerate(CONSULTANT_SLOTS):
                    if k not in taken:
                        taken.add(k)
                        return consultant, local(day, at)
            day += timedelta(days=1)

    def _after_shoot(self, rng, journey):
        shoot = journey.live_shoot()
        if shoot is None or shoot.status != Shoot.Status.FINISHED:
            return
        place = journey.place
        finish = shoot.finished_at
        journey.photo_count = rng.randint(300, 700)
        files_at = self._moment(rng, local_day(finish) + timedelta(days=rng.randint(1, 3)))
        book_at = self._moment(rng, local_day(finish) + timedelta(days=rng.randint(1, 2)))
        consultant, appointment = self._consultant_slot(
            place, local_day(finish) + timedelta(days=rng.randint(5, 12))
        )
        if book_at <= self.now:
            journey.session_at = min(book_at, files_at)
            journey.appointment, journey.consultant = appointment, consultant
        if files_at <= self.now:
            journey.session_at = min(journey.session_at or files_at, files_at)
            journey.files_at = files_at
        if journey.appointment is None or files_at > appointment or appointment > self.now:
            return
        journey.transitions.append(
            (appointment, "start_selection", State.SHOT, State.SELECTING, consultant.user_id)
        )
        journey.state = State.SELECTING
        package = journey.package
        retouched = max(1, package[3] + rng.choice([-2, 0, 0, 5, 10, 20]))
        pages = package[4] + (rng.choice([0, 0, 4, 8]) if package[4] else 0)
        if appointment >= self.now - timedelta(days=PICK_DAYS):
            numbers = rng.sample(
                range(1, journey.photo_count + 1), min(journey.photo_count, retouched * 2 + 10)
            )
            keep = numbers[: retouched + 5]
            confirmed = keep[:retouched]
            for n in numbers:
                journey.picks.append((Pick.Pass.FIRST_LOOK, n, "", None))
            for n in keep:
                journey.picks.append((Pick.Pass.KEEP, n, "", None))
            for i, n in enumerate(confirmed):
                page = (i % pages) + 1 if pages else None
                journey.picks.append(
                    (Pick.Pass.CONFIRMED, n, rng.choice(["白纱", "晚装", "特色服"]), page)
                )
        if rng.random() < 0.35:
            options = [
                k for k in place.prices if k[0] in ("enlargement", "frame", "crystal", "usb")
            ]
            for key in rng.sample(options, rng.randint(1, 2)):
                pk, _price = place.prices[key]
                journey.products.append(
                    (
                        key,
                        rng.randint(1, 2),
                        rng.randint(1, journey.photo_count) if key[0] == "enlargement" else None,
                    )
                )
        confirm_at = appointment + timedelta(minutes=100)
        if rng.random() < 0.15:
            confirm_at = self._moment(
                rng, local_day(appointment) + timedelta(days=rng.randint(1, 4))
            )
        if confirm_at > self.now:
            return
        journey.confirm_at = confirm_at
        # The upsell, line by line, as confirm_selection charges it.
        extra_photos = max(0, retouched - package[3])
        extra_pages = max(0, pages - package[4])
        lines = []
        if extra_photos:
            lines.append(
                (
                    place.prices[("extra_photo", "")][1] * extra_photos,
                    selection_texts.EXTRA_PHOTOS(count=extra_photos),
                )
            )
        if extra_pages:
            lines.append(
                (
                    place.prices[("extra_page", "")][1] * extra_pages,
                    selection_texts.EXTRA_PAGES(count=extra_pages),
                )
            )
        for key, quantity, photo in journey.products:
            pk, price = place.prices[key]
            label = studio_texts.join(
                studio_texts.choice(Product(key[0])), key[1], f"#{photo}" if photo else ""
            )
            lines.append((price * quantity, selection_texts.LINE(item=label, count=quantity)))
        for amount, words in lines:
            journey.charges.append(
                (confirm_at, Charge.Kind.SELECTION_UPSELL, amount, words, consultant)
            )
        upsell = sum((a for a, _w in lines), ZERO)
        if upsell and rng.random() < 0.75:
            # Paid at once, or half now and the rest a few days later.
            first = upsell if rng.random() < 0.4 else (upsell / 2).quantize(Decimal("1"))
            journey.ledger.append(
                (confirm_at + timedelta(seconds=20), LedgerEntry.Kind.SELECTION_UPSELL, rng.choice(METHODS),
                 first, consultant, selection_texts.UPSELL_PAYMENT())
            )  # fmt: skip
            rest_at = self._moment(rng, local_day(confirm_at) + timedelta(days=rng.randint(2, 9)))
            if first < upsell and rest_at <= self.now:
                journey.ledger.append(
                    (rest_at, LedgerEntry.Kind.SELECTION_UPSELL, rng.choice(METHODS), upsell - first,
                     consultant, selection_texts.UPSELL_PAYMENT())
                )  # fmt: skip
        journey.transitions.append(
            (
                confirm_at + timedelta(seconds=30),
                "confirm_selection",
                State.SELECTING,
                State.SELECTED,
                consultant.user_id,
            )
        )
        journey.state = State.SELECTED
        journey.waived = rng.random() < 0.3
        due_day = local_day(confirm_at) + timedelta(days=20)
        items = [["retouched", "精修照片 Retouched photos", retouched, None, "", None]]
        if pages:
            items.append(["album", f"相册 Album, {pages} pages", 1, pages, "", None])
        for key, quantity, photo in journey.products:
            items.append(
                [
                    key[0],
                    f"{Product(key[0]).label} {key[1]}".strip(),
                    quantity,
                    None,
                    key[1],
                    photo,
                ]
            )
        journey.items = [
            dict(product=p, name=n, quantity=q, pages=pg, size=s, photo=ph, due=due_day)
            for p, n, q, pg, s, ph in items
        ]
        # The pickup is booked from the pickup control sheet when the list is signed.
        pickup_at = self._moment(
            rng, local_day(confirm_at) + timedelta(days=rng.randint(24, 30)), time(10, 0), 8
        )
        pickup_at = pickup_at.replace(minute=pickup_at.minute - pickup_at.minute % 30)
        journey.pickups.append(
            [confirm_at + timedelta(minutes=10), pickup_at, PickupAppointment.Status.BOOKED]
        )
        production_at = confirm_at + (
            timedelta(minutes=5) if journey.waived else timedelta(hours=3, minutes=5)
        )
        if production_at > self.now:
            return
        journey.production_at = production_at
        journey.transitions.append(
            (
                production_at,
                "send_to_production",
                State.SELECTED,
                State.IN_PRODUCTION,
                consultant.user_id,
            )
        )
        journey.state = State.IN_PRODUCTION
        late = rng.random() < 0.04
        ready_at = self._moment(rng, local_day(confirm_at) + timedelta(days=rng.randint(12, 19)))
        if late:
            ready_at = pickup_at + timedelta(days=rng.randint(0, 3))
            alert = local(local_day(pickup_at) - timedelta(days=3), time(0, rng.randrange(5, 55)))
            if alert <= self.now:
                journey.late_alert_at = alert
                moved_at = alert + timedelta(hours=10)
                if moved_at <= self.now:
                    new_at = self._moment(
                        rng, local_day(ready_at) + timedelta(days=rng.randint(2, 5)), time(10, 0), 8
                    )
                    new_at = new_at.replace(minute=new_at.minute - new_at.minute % 30)
                    journey.pickups[-1][2] = PickupAppointment.Status.MOVED
                    journey.pickups.append([moved_at, new_at, PickupAppointment.Status.BOOKED])
        journey.ready_at = ready_at
        if ready_at > self.now:
            return
        production = place.one(roles.PRODUCTION)
        journey.transitions.append(
            (ready_at, "mark_ready", State.IN_PRODUCTION, State.READY, production.user_id)
        )
        journey.state = State.READY
        pickup = journey.pickups[-1]
        if pickup[1] > self.now:
            return
        clerk = place.one(roles.PICKUP_CLERK)
        at = pickup[1] + timedelta(minutes=rng.randint(-10, 30))
        due = self._due(journey)
        if due > 0:
            journey.ledger.append(
                (
                    at + timedelta(minutes=8),
                    LedgerEntry.Kind.BALANCE,
                    rng.choice(METHODS),
                    due,
                    clerk,
                    "",
                )
            )
        for extra in range(rng.choices([0, 1, 2], weights=[55, 30, 15])[0]):
            key = rng.choice([("extra_photo", ""), ("frame", ""), ("enlargement", '20"')])
            pk, price = place.prices[key]
            quantity = rng.randint(1, 3)
            words = selection_texts.LINE(
                item=studio_texts.join(studio_texts.choice(Product(key[0])), key[1]),
                count=quantity,
            )
            sold = at + timedelta(minutes=12 + extra)
            journey.charges.append(
                (sold, Charge.Kind.PICKUP_UPSELL, price * quantity, words, clerk)
            )
            journey.ledger.append(
                (
                    sold + timedelta(seconds=5),
                    LedgerEntry.Kind.PICKUP_UPSELL,
                    rng.choice(METHODS),
                    price * quantity,
                    clerk,
                    words,
                )
            )
        if rng.random() < 0.7:
            journey.survey = (
                rng.choices([5, 4, 3, 2, 1], weights=[60, 25, 10, 3, 2])[0],
                rng.random() < 0.6,
                at + timedelta(minutes=18),
                clerk,
            )
        journey.delivered_at = at + timedelta(minutes=20)
        journey.transitions.append(
            (journey.delivered_at, "deliver", State.READY, State.DELIVERED, clerk.user_id)
        )
        journey.state = State.DELIVERED
        pickup[2] = PickupAppointment.Status.DONE
        if rng.random() < 0.02:
            logged = journey.delivered_at + timedelta(
                days=rng.randint(1, 10), hours=rng.randint(0, 5)
            )
            if logged <= self.now:
                resolved = logged + timedelta(days=rng.randint(1, 5))
                journey.complaint = (
                    logged,
                    resolved if resolved <= self.now and rng.random() < 0.8 else None,
                )

    def _rental(self, rng, journey):
        if journey.couple.wedding_date is None:
            return
        packaged = journey.package[0].wedding_day_dress
        if not packaged and rng.random() > 0.35:
            return
        place = journey.place
        created = journey.signed_at + timedelta(minutes=30)
        if created > self.now or journey.cancel_at:
            return
        wedding = journey.couple.wedding_date
        pickup_on, return_on = wedding - timedelta(days=1), wedding + timedelta(days=1)
        if pickup_on < local_day(created):
            return
        category = (
            Dress.Category.WEDDING_GOWN
            if rng.random() < 0.75
            else rng.choice([Dress.Category.QIPAO, Dress.Category.EVENING_DRESS])
        )
        dresses = list(place.dresses[category])
        rng.shuffle(dresses)
        for pk, code, cleaning, price, deposit in dresses:  # noqa: B007 - the free one is kept
            until = return_on + timedelta(days=cleaning)
            busy = place.dress_busy.setdefault(pk, [])
            if all(until < first or pickup_on > last for first, last in busy):
                busy.append((pickup_on, until))
                break
        else:
            return
        status = DressReservation.Status.RESERVED
        picked = local(pickup_on, time(10, rng.randrange(60)))
        returned = local(return_on, time(17, rng.randrange(60)))
        if picked <= self.now:
            status = DressReservation.Status.PICKED_UP
            if returned <= self.now:
                status = DressReservation.Status.RETURNED
        rental_price = ZERO if packaged else price
        journey.reservation = dict(
            created=created, dress=pk, code=code, pickup_on=pickup_on, return_on=return_on,
            until=until, status=status, price=rental_price, deposit=deposit, picked=picked,
            returned=returned, deducted=ZERO, category=category,
        )  # fmt: skip
        desk = place.one(roles.RECEPTIONIST)
        if rental_price:
            journey.charges.append(
                (created, Charge.Kind.RENTAL, rental_price,
                 rental_texts.RENTAL(code=code, **{"from": pickup_on, "to": return_on}), desk)
            )  # fmt: skip
            journey.ledger.append(
                (created + timedelta(seconds=30), LedgerEntry.Kind.RENTAL_FEE, rng.choice(METHODS),
                 rental_price, desk, "")
            )  # fmt: skip
        if status in (DressReservation.Status.PICKED_UP, DressReservation.Status.RETURNED):
            stylist = place.one(roles.DRESS_STYLIST)
            journey.ledger.append(
                (
                    picked + timedelta(seconds=10),
                    LedgerEntry.Kind.RENTAL_DEPOSIT,
                    rng.choice(METHODS),
                    deposit,
                    stylist,
                    rental_texts.DEPOSIT(code=code),
                )
            )
            if status == DressReservation.Status.RETURNED:
                keep = Decimal("200.00") if rng.random() < 0.05 else ZERO
                journey.reservation["deducted"] = keep
                note = "裙摆污渍 Stain on the hem" if keep else ""
                journey.ledger.append(
                    (
                        returned,
                        LedgerEntry.Kind.RENTAL_DEPOSIT,
                        LedgerEntry.Method.CASH,
                        -deposit,
                        stylist,
                        note,
                    )
                )
                if keep:
                    journey.ledger.append(
                        (
                            returned,
                            LedgerEntry.Kind.FORFEITED_HOLD,
                            LedgerEntry.Method.CASH,
                            keep,
                            stylist,
                            note,
                        )
                    )

    # --- Ids: the big tables are numbered in the order their rows were made ---

    def number(self):
        couples = sorted(self.couples, key=lambda c: c.created_at)
        for i, couple in enumerate(couples, 1):
            couple.id = i
        self.couples = couples
        visits = sorted((v for c in couples for v in c.visits), key=lambda v: v.arrived_at)
        for i, visit in enumerate(visits, 1):
            visit.id = i
        self.visits = visits
        journeys = sorted((c.order for c in couples if c.order), key=lambda j: j.signed_at)
        sequences = {}
        for i, journey in enumerate(journeys, 1):
            journey.id = i
            place = journey.place
            year = local_day(journey.signed_at).year
            last = sequences.get((place.index, year), 0) + 1
            sequences[(place.index, year)] = last
            journey.number = f"{place.branch.code.upper()}{year}{last:05d}"
        self.order_sequences = sequences
        self.journeys = journeys
        shoots = sorted((s for j in journeys for s in j.shoots), key=lambda s: s.created_at)
        for i, shoot in enumerate(shoots, 1):
            shoot.id = i
        self.shoots = shoots
        sessions = sorted((j for j in journeys if j.session_at), key=lambda j: j.session_at)
        for i, journey in enumerate(sessions, 1):
            journey.session_id = i
        pickups = sorted((p for j in journeys for p in j.pickups), key=lambda p: p[0])
        slips = {}
        for i, pickup in enumerate(pickups, 1):
            pickup.append(i)
        self.pickups = pickups
        # Slip numbers per branch, in the order they were issued.
        owner_of = {id(p): j for j in journeys for p in j.pickups}
        for pickup in pickups:
            place = owner_of[id(pickup)].place
            slips[place.index] = slips.get(place.index, 0) + 1
            pickup.append(f"{place.branch.code.upper()}-P{slips[place.index]:06d}")
        self.slip_sequences = slips
        self.pickup_owner = owner_of

    # --- Writing ---

    def write(self):
        out = self.out
        self.counts = {}

        def put(table, **kwargs):
            self.counts[table.model._meta.label] = table.write(out=out, **kwargs)

        put(self._customers())
        put(self._customer_history(), sort_key=lambda r: r[-4], first_id=1)
        put(self._consents(), sort_key=lambda r: r[-1], first_id=1)
        put(self._visits())
        put(self._orders())
        rewards = self._referral_rewards()
        put(rewards, sort_key=lambda r: r[-1], first_id=1)
        ledger, charges = self._money()
        put(ledger, sort_key=lambda r: (r[8], r[6]), first_id=1)
        put(charges, sort_key=lambda r: r[-1], first_id=1)
        put(self._state_log(), sort_key=lambda r: r[1], first_id=1)
        shoots, plans, bookings, handoffs, trips = self._shoots()
        put(shoots)
        put(plans)
        put(bookings, sort_key=lambda r: r[1], first_id=1)
        put(handoffs, sort_key=lambda r: r[6], first_id=1)
        put(trips, sort_key=lambda r: r[4], first_id=1)
        sessions, picks, lines = self._selection()
        put(sessions)
        put(picks, sort_key=lambda r: r[-1], first_id=1)
        put(lines)
        items, steps, pickups, checks, surveys = self._production()
        put(items)
        put(steps, sort_key=lambda r: r[5], first_id=1)
        put(pickups)
        put(checks, sort_key=lambda r: r[-1], first_id=1)
        put(surveys, sort_key=lambda r: r[-1], first_id=1)
        put(self._reservations())
        put(self._complaints())
        tasks = self._calls()
        put(tasks)
        put(self._messages(), sort_key=lambda r: r[-1], first_id=1)
        self._sequences()
        reset_sequences(
            [
                Customer, Customer.history.model, Visit, Order, ReferralReward, LedgerEntry,
                Charge, StateLog, Shoot, PlannedSet, ResourceBooking, HandOff, OutdoorTrip,
                SelectionSession, Pick, ProductLine, ProductionItem, ProductionStep,
                PickupAppointment, ItemCheck, Survey, DressReservation, CallTask, OutboxMessage,
                Complaint,
            ]
        )  # fmt: skip
        return self.counts

    def _customers(self):
        table = Table(
            Customer,
            ["id", "branch_id", "owner_id", "bride_name", "bride_phone", "bride_birthday",
             "groom_name", "groom_phone", "groom_birthday", "wechat", "address", "wedding_date",
             "source", "referrer_id", "membership_level", "notes",
             "language", "created_at"],
        )  # fmt: skip
        self.customer_columns = table.columns
        for c in self.couples:
            table.add(*self._customer_values(c))
        return table

    def _customer_values(self, c):
        return (
            c.id, c.place.branch.pk, c.owner.pk, c.names[0], c.phones[0], c.birthdays[0],
            c.names[1], c.phones[1], c.birthdays[1], c.wechat, c.address, c.wedding_date,
            c.source, c.referrer.id if c.referrer else None, c.level, c.notes,
            c.language, c.created_at,
        )  # fmt: skip

    def _consents(self):
        """A consenting couple's grants, as the front desk records them when filing."""
        table = Table(
            ConsentEvent,
            ["id", "customer_id", "purpose", "channel", "granted", "source", "recorded_by_id",
             "at"],
        )  # fmt: skip
        for c in self.couples:
            if c.consent:
                for purpose in ConsentPurpose.values:
                    for channel in ("sms", "wechat", "letter"):
                        table.add(
                            None, c.id, purpose, channel, True, "front_desk", c.owner.pk,
                            c.created_at,
                        )  # fmt: skip
        return table

    def _customer_history(self):
        """Each couple's file as it was filed (django-simple-history's "+" row)."""
        table = Table(
            Customer.history.model,
            ["history_id", *self.customer_columns, "history_date", "history_change_reason",
             "history_type", "history_user_id"],
        )  # fmt: skip
        for c in self.couples:
            table.add(None, *self._customer_values(c), c.created_at, None, "+", c.owner.user_id)
        return table

    def _visits(self):
        table = Table(
            Visit,
            ["id", "branch_id", "customer_id", "taker_id", "registered_by_id", "kind",
             "arrived_at", "source", "referrer_id", "reason", "compared_studios", "budget",
             "outcome", "not_booked_reason", "not_booked_because", "closed_at"],
        )  # fmt: skip
        for v in self.visits:
            c = v.couple
            table.add(
                v.id, c.place.branch.pk, c.id, v.taker.pk, v.taker.pk, Visit.Kind.WALK_IN,
                v.arrived_at, c.source, c.referrer.id if c.referrer else None, v.reason,
                "金夫人, 薇薇新娘" if v.outcome == Visit.Outcome.NOT_BOOKED else "", v.budget,
                v.outcome, v.not_booked_reason, v.not_booked_because, v.closed_at,
            )  # fmt: skip
        return table

    def _orders(self):
        table = Table(
            Order,
            ["id", "branch_id", "number", "customer_id", "package_id", "owner_id",
             "package_price", "discount", "discount_approved_by_id", "agreed_price", "gifts",
             "style_wishes", "notes", "wanted_shoot_month", "signed_at", "state"],
        )  # fmt: skip
        for j in self.journeys:
            price = Decimal(j.package[2])
            table.add(
                j.id, j.place.branch.pk, j.number, j.couple.id, j.package[0].pk, j.owner.pk,
                price, j.discount, j.approved_by.pk if j.approved_by else None, j.agreed,
                "婚纱照相册 + 爱情卡 Album and love card" if j.id % 3 == 0 else "",
                ("韩式 Korean style", "森系 Forest", "复古 Vintage")[j.id % 3], "", None,
                j.signed_at, j.state,
            )  # fmt: skip
        return table

    def _referral_rewards(self):
        """reward_referral at each referred couple's signing: the referrer's card climbs the
        ladder with the count of couples referred."""
        table = Table(
            ReferralReward,
            ["id", "referrer_id", "referred_order_id", "reward", "level_before", "level_after",
             "created_at"],
        )  # fmt: skip
        rank = {level: i for i, level in enumerate(Customer.Level.values)}
        referred = sorted(
            (j for j in self.journeys if j.couple.referrer is not None), key=lambda j: j.signed_at
        )
        for j in referred:
            referrer = j.couple.referrer
            referrer.referred.append((j.signed_at, j))
            count = len(referrer.referred)
            rule = None
            for candidate in self.ladder:
                if candidate.referrals_needed <= count:
                    rule = candidate
            before = referrer.level
            after = before
            if rule is not None and rank[rule.level] > rank[before]:
                after = rule.level
            referrer.level = after
            table.add(
                None, referrer.id, j.id, rule.reward if rule else "", before, after, j.signed_at
            )
        # The levels reached are on the customers' rows, written before: set them now.
        upgraded = [(c.level, c.id) for c in self.couples if c.level != Customer.Level.NONE]
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE studio_customer SET membership_level = %s WHERE id = %s", upgraded
            )
        return table

    def _money(self):
        ledger = Table(
            LedgerEntry,
            ["id", "branch_id", "order_id", "kind", "method", "amount", "receipt_no",
             "staff_id", "created_at", "note", "note_kind", "note_params"],
        )  # fmt: skip
        charges = Table(
            Charge,
            ["id", "order_id", "kind", "amount", "description", "description_kind",
             "description_params", "created_by_id", "created_at"],
        )  # fmt: skip
        per_branch = {}
        for j in self.journeys:
            for at, kind, method, amount, staff, note in j.ledger:
                per_branch.setdefault(j.place.index, []).append(
                    (at, j, kind, method, amount, staff, note)
                )
            for at, kind, amount, words, staff in j.charges:
                stored = studio_texts.stored(words, "description")
                charges.add(
                    None, j.id, kind, amount, stored["description"], stored["description_kind"],
                    stored["description_params"], staff.pk, at,
                )  # fmt: skip
        self.receipt_sequences = {}
        for index, entries in per_branch.items():
            entries.sort(key=lambda e: (e[0], e[1].id))
            code = self.places[index].branch.code.upper()
            for n, (at, j, kind, method, amount, staff, note) in enumerate(entries, 1):
                stored = studio_texts.stored(note, "note")
                ledger.add(
                    None, j.place.branch.pk, j.id, kind, method, amount, f"{code}-R{n:07d}",
                    staff.pk, at, stored["note"], stored["note_kind"], stored["note_params"],
                )  # fmt: skip
            self.receipt_sequences[index] = len(entries)
        return ledger, charges

    def _state_log(self):
        table = Table(
            StateLog,
            ["id", "timestamp", "by_id", "source_state", "state", "transition",
             "content_type_id", "object_id", "description"],
        )  # fmt: skip
        order_type = ContentType.objects.get_for_model(Order).pk
        for j in self.journeys:
            for at, name, source, target, user in j.transitions:
                table.add(None, at, user, source, target, name, order_type, j.id, None)
        return table

    def _crew(self, place, lane, shoot_id):
        team = place.team
        outdoor = LANES[lane][1]
        return {
            "photographer": team[roles.PHOTOGRAPHER][lane % 4],
            # Not every shoot takes an assistant.
            "assistant": team[roles.ASSISTANT][lane % 4] if shoot_id % 10 < 7 else None,
            "makeup_artist": team[roles.MAKEUP_ARTIST][lane % 4],
            "dress_stylist": team[roles.DRESS_STYLIST][lane % 4],
            "driver": team[roles.DRIVER][0] if outdoor else None,
            "room": place.outdoor_room if outdoor else place.rooms[lane % 3],
            "vehicle": place.vehicle if outdoor else None,
        }

    def _shoots(self):
        from shoots.models import STATION_SEATS, OutfitKind, Step

        shoots = Table(
            Shoot,
            ["id", "order_id", "branch_id", "starts_at", "ends_at", "status", "photographer_id",
             "assistant_id", "makeup_artist_id", "dress_stylist_id", "driver_id", "room_id",
             "vehicle_id", "moved_from_id", "confirmation", "checked_in_at", "late_minutes",
             "briefed_at", "locker_key", "finished_at", "created_by_id", "created_at"],
        )  # fmt: skip
        plans = Table(PlannedSet, ["id", "shoot_id", "position", "step", "minutes", "look"])
        bookings = Table(ResourceBooking, ["id", "shoot_id", "resource", "starts_at", "ends_at"])
        handoffs = Table(
            HandOff,
            ["id", "shoot_id", "step", "plan_line_id", "from_staff_id", "to_staff_id", "at",
             "recorded_by_id"],
        )  # fmt: skip
        trips = Table(
            OutdoorTrip, ["id", "shoot_id", "vehicle_id", "driver_id", "departed_at", "returned_at"]
        )
        line_id = 0
        recent = self.now - timedelta(days=RECENT_DAYS)
        live = (Shoot.Status.PLANNED, Shoot.Status.CHECKED_IN, Shoot.Status.FINISHED)
        for s in self.shoots:
            j = s.journey
            place = j.place
            crew = self._crew(place, s.lane, s.id)
            dispatcher = place.one(roles.DISPATCHER)
            s.confirmation = (
                Shoot.Confirmation.CONFIRMED
                if s.status in (Shoot.Status.CHECKED_IN, Shoot.Status.FINISHED)
                or s.starts_at - timedelta(days=1) < self.now
                else Shoot.Confirmation.PENDING
            )
            shoots.add(
                s.id, j.id, place.branch.pk, s.starts_at, s.ends_at, s.status,
                crew["photographer"].pk, crew["assistant"].pk if crew["assistant"] else None,
                crew["makeup_artist"].pk,
                crew["dress_stylist"].pk, crew["driver"].pk if crew["driver"] else None,
                crew["room"], crew["vehicle"], s.moved_from.id if s.moved_from else None,
                s.confirmation, s.checked_in_at, s.late,
                s.checked_in_at + timedelta(minutes=10) if s.checked_in_at else None,
                s.locker, s.finished_at, j.owner.pk, s.created_at,
            )  # fmt: skip
            lines = []
            at = s.starts_at + timedelta(minutes=s.late)
            for position, (step, minutes) in enumerate(s.lines):
                line_id += 1
                look = "森系 Forest" if step in OutfitKind.values and position % 3 == 0 else ""
                plans.add(line_id, s.id, position, step, minutes, look)
                lines.append((line_id, step, at, minutes))
                at += timedelta(minutes=minutes)
            if s.status in live:
                people = [
                    crew[k]
                    for k in (
                        "photographer",
                        "assistant",
                        "makeup_artist",
                        "dress_stylist",
                        "driver",
                    )
                    if crew[k]
                ]
                keys = [f"staff:{p.pk}" for p in people] + [f"room:{crew['room']}"]
                if crew["vehicle"]:
                    keys.append(f"vehicle:{crew['vehicle']}")
                for key in sorted(keys):
                    bookings.add(None, s.id, key, s.starts_at, s.ends_at)
            if s.checked_in_at is None or s.starts_at < recent:
                continue
            # 手把手: the couple handed from station to station, as far as the day has come.
            previous = None
            for lid, step, start, minutes in lines:
                if start > self.now:
                    break
                station = Step.SHOOTING if step in OutfitKind.values else Step(step)
                to = crew[STATION_SEATS[station]] or crew["photographer"]
                if station == Step.OUTDOOR:
                    to = crew["driver"] or to
                    back = start + timedelta(minutes=minutes)
                    trips.add(
                        None,
                        s.id,
                        crew["vehicle"] or place.vehicle,
                        (crew["driver"] or place.one(roles.DRIVER)).pk,
                        start,
                        back if back <= self.now else None,
                    )
                handoffs.add(
                    None, s.id, str(station), lid, previous.pk if previous else None, to.pk,
                    max(start, s.checked_in_at), (previous or dispatcher).pk,
                )  # fmt: skip
                previous = to
        return shoots, plans, bookings, handoffs, trips

    def _selection(self):
        sessions = Table(
            SelectionSession,
            ["id", "order_id", "appointment_at", "appointment_ends_at", "consultant_id",
             "photo_count", "files_transferred_at", "files_complete", "signed_at",
             "upsell_settled", "change_window_waived", "signed_by_staff_id", "booked_by_id",
             "files_checked_by_id"],
        )  # fmt: skip
        picks = Table(
            Pick,
            ["id", "session_id", "number", "pass_kind", "outfit", "retouch", "album_page",
             "picked_by_id", "picked_at"],
        )  # fmt: skip
        lines = Table(
            ProductLine,
            ["id", "session_id", "price_item_id", "quantity", "photo_number", "added_by_id"],
        )
        line_id = 0
        for j in sorted((j for j in self.journeys if j.session_id), key=lambda j: j.session_id):
            place = j.place
            consultant = j.consultant
            checker = place.one(roles.SELECTION_CONSULTANT)
            ends = j.appointment + timedelta(minutes=120) if j.appointment else None
            sessions.add(
                j.session_id, j.id, j.appointment, ends, consultant.pk if consultant else None,
                j.photo_count if j.files_at else 0, j.files_at, bool(j.files_at), j.confirm_at,
                bool(j.confirm_at), j.waived, consultant.pk if j.confirm_at else None,
                consultant.pk if consultant else None, checker.pk if j.files_at else None,
            )  # fmt: skip
            minute = {Pick.Pass.FIRST_LOOK: 10, Pick.Pass.KEEP: 40, Pick.Pass.CONFIRMED: 70}
            for kind, number, outfit, page in j.picks:
                picks.add(
                    None, j.session_id, number, kind, outfit, True, page, consultant.pk,
                    j.appointment + timedelta(minutes=minute[kind], seconds=number % 600),
                )  # fmt: skip
            for key, quantity, photo in j.products:
                line_id += 1
                lines.add(
                    line_id, j.session_id, place.prices[key][0], quantity, photo, consultant.pk
                )
        return sessions, picks, lines

    def _production(self):
        items = Table(
            ProductionItem,
            ["id", "order_id", "name", "product", "size", "photo_number", "pages", "quantity",
             "stage", "due_date", "qc_passed_at", "handed_over_at"],
        )  # fmt: skip
        steps = Table(
            ProductionStep, ["id", "item_id", "from_stage", "to_stage", "by_id", "at", "note"]
        )
        pickups = Table(
            PickupAppointment,
            ["id", "order_id", "branch_id", "starts_at", "clerk_id", "status", "slip_number",
             "checked_at", "slip_verified_at", "slip_verified_by_id", "created_by_id",
             "created_at"],
        )  # fmt: skip
        checks = Table(
            ItemCheck, ["id", "appointment_id", "item_id", "result", "note", "by_id", "at"]
        )
        surveys = Table(
            Survey, ["id", "order_id", "score", "comments", "would_refer", "by_id", "created_at"]
        )
        Stage = ProductionItem.Stage
        flow = [Stage.RETOUCH, Stage.DESIGN, Stage.PRINT, Stage.QC]
        recent = self.now - timedelta(days=RECENT_DAYS)
        item_id = 0
        made = sorted((j for j in self.journeys if j.items), key=lambda j: j.confirm_at)
        for j in made:
            place = j.place
            worker = place.one(roles.PRODUCTION)
            clerk = place.one(roles.PICKUP_CLERK)
            j.item_ids = []
            for n, item in enumerate(j.items):
                item_id += 1
                j.item_ids.append(item_id)
                stage, qc, handed = Stage.RETOUCH, None, None
                moves = []
                if j.ready_at and j.ready_at <= self.now:
                    stage, qc = Stage.DONE, j.ready_at - timedelta(minutes=len(j.items) - n)
                    if j.delivered_at:
                        handed = j.delivered_at - timedelta(minutes=5)
                    moves = flow + [Stage.DONE]
                elif j.production_at:
                    span = (j.ready_at - j.production_at).total_seconds()
                    done = (self.now - j.production_at).total_seconds() / span
                    reached = min(3, int(done * 4 + (n % 2) * 0.5))
                    stage = flow[reached]
                    moves = flow[: reached + 1]
                items.add(
                    item_id, j.id, item["name"], item["product"], item["size"], item["photo"],
                    item["pages"], item["quantity"], stage, item["due"], qc, handed,
                )  # fmt: skip
                if j.production_at and j.production_at >= recent:
                    span = ((j.ready_at or self.now) - j.production_at) / 5
                    for k in range(1, len(moves)):
                        at = j.production_at + span * k
                        if at <= self.now:
                            steps.add(None, item_id, moves[k - 1], moves[k], worker.pk, at, "")
        for pickup in self.pickups:
            created, starts, status, pk, slip = pickup
            j = self.pickup_owner[id(pickup)]
            place = j.place
            clerk = place.one(roles.PICKUP_CLERK)
            check = local(local_day(starts) - timedelta(days=1), time(15, 0))
            checked = (
                check
                if status != PickupAppointment.Status.MOVED
                and check <= self.now
                and j.ready_at
                and j.ready_at <= check
                else None
            )
            verified = (
                j.delivered_at - timedelta(minutes=15)
                if status == PickupAppointment.Status.DONE
                else None
            )
            pickups.add(
                pk, j.id, place.branch.pk, starts, clerk.pk, status, slip, checked, verified,
                clerk.pk if verified else None, j.consultant.pk, created,
            )  # fmt: skip
            if checked and checked >= recent:
                for iid in j.item_ids:
                    checks.add(None, pk, iid, ItemCheck.Result.OK, "", clerk.pk, checked)
            if j.survey and status == PickupAppointment.Status.DONE:
                score, refer, at, by = j.survey
                surveys.add(
                    None,
                    j.id,
                    score,
                    "" if score >= 4 else "等待时间太长 Waited too long",
                    refer,
                    by.pk,
                    at,
                )
        return items, steps, pickups, checks, surveys

    def _reservations(self):
        table = Table(
            DressReservation,
            ["id", "branch_id", "customer_id", "order_id", "dress_id", "wedding_date",
             "pickup_on", "return_on", "cleaning_until", "bust", "waist", "hips", "height",
             "accessories", "status", "rental_price", "deposit_amount", "id_type", "id_number",
             "picked_up_at", "returned_at", "deducted", "damage_notes", "created_by_id",
             "created_at"],
        )  # fmt: skip
        rows = sorted(
            (j for j in self.journeys if j.reservation), key=lambda j: j.reservation["created"]
        )
        for pk, j in enumerate(rows, 1):
            r = j.reservation
            out = r["status"] in (
                DressReservation.Status.PICKED_UP,
                DressReservation.Status.RETURNED,
            )
            born = j.couple.birthdays[0] or date(1992, 5, 1)
            body = f"310101{born:%Y%m%d}{pk % 1000:03d}"
            number = body + id_card_check_character(body) if out else ""
            table.add(
                pk, j.place.branch.pk, j.couple.id, j.id, r["dress"], j.couple.wedding_date,
                r["pickup_on"], r["return_on"], r["until"], Decimal("84.0"), Decimal("66.0"),
                Decimal("90.0"), Decimal("165.0"), "头纱 手套 Veil, gloves", r["status"],
                r["price"], r["deposit"], DressReservation.IdType.ID_CARD if out else "", number,
                r["picked"] if out else None,
                r["returned"] if r["status"] == DressReservation.Status.RETURNED else None,
                r["deducted"], "裙摆污渍 Stain on the hem" if r["deducted"] else "",
                j.place.one(roles.RECEPTIONIST).pk, r["created"],
            )  # fmt: skip
        return table

    def _complaints(self):
        table = Table(
            Complaint,
            ["id", "branch_id", "customer_id", "order_id", "text", "logged_by_id", "owner_id",
             "resolution", "resolved_at", "resolved_by_id", "created_at"],
        )  # fmt: skip
        rows = sorted((j for j in self.journeys if j.complaint), key=lambda j: j.complaint[0])
        for pk, j in enumerate(rows, 1):
            logged, resolved = j.complaint
            j.complaint_id = pk
            desk = j.place.one(roles.RECEPTIONIST)
            table.add(
                pk, j.place.branch.pk, j.couple.id, j.id, "相册有一页印错了 One album page was misprinted",
                desk.pk, j.owner.pk, "重新制作并致歉 Reprinted, with an apology" if resolved else "",
                resolved, j.owner.pk if resolved else None, logged,
            )  # fmt: skip
        return table

    # --- Call tasks and messages: what the services and the care rules made, once each ---

    def _first_run(self, fire, ready=None):
        """When the 10-minute care-rule run creates what fires at `fire` (and whose fact
        holds from `ready`): None if that never happened before now."""
        at = fire if ready is None or ready <= fire else ready
        if at - fire >= timedelta(days=2) or at > self.now:
            return None
        return at

    def _call_outcome(self, due, created, key):
        """(status, done_at) of a call due at `due`: open while it is due soon, else made."""
        done = max(due, created) + timedelta(minutes=20 + key % 200)
        if done > self.now:
            return CallTask.Status.OPEN, None
        if key % 250 == 0:
            return CallTask.Status.OPEN, None  # never logged: it stays on someone's list
        return (CallTask.Status.FAILED if key % 7 == 0 else CallTask.Status.DONE), done

    def _calls(self):
        table = Table(
            CallTask,
            ["id", "branch_id", "customer_id", "order_id", "visit_id", "assignee_id", "kind",
             "occasion", "due_at", "script", "script_kind", "script_params", "status",
             "outcome", "outcome_kind", "outcome_params", "created_at", "done_at", "done_by_id"],
        )  # fmt: skip
        rows = []

        def add(
            c,
            j,
            visit,
            assignee,
            kind,
            occasion,
            due,
            script,
            created,
            status,
            done,
            outcome=("", {}),
            holder=None,
        ):
            s = studio_texts.stored(script, "script")
            o = studio_texts.stored(outcome, "outcome")
            rows.append((
                created, holder,
                [None, c.place.branch.pk, c.id, j.id if j else None, visit, assignee.pk, kind,
                 occasion, due, s["script"], s["script_kind"], s["script_params"], status,
                 o["outcome"], o["outcome_kind"], o["outcome_params"], created, done,
                 assignee.pk if done else None],
            ))  # fmt: skip

        for v in self.visits:
            call = v.call
            if call is None:
                continue
            c = v.couple
            status, done, outcome = call.status, call.done_at, ("", {})
            signed = c.order.signed_at if c.order else None
            if status == CallTask.Status.OPEN and signed and signed <= self.now:
                # Booked at a later visit: close_visit closes the open follow-up.
                status, done, outcome = CallTask.Status.DONE, signed, care_texts.BOOKED_LATER()
            add(c, None, v.id, call.assignee, CallTask.Kind.VISIT_FOLLOWUP,
                f"visit-not-booked:visit={v.id}", call.due_at, care_texts.NOT_BOOKED(reason=v.not_booked_reason),
                v.closed_at, status, done, outcome, holder=call)  # fmt: skip
        urge = self.rules["urge_no_shoot_day10"]
        notice = self.rules["pickup_notice_call"]
        for j in self.journeys:
            c = j.couple
            tz_day = local_day(j.signed_at)
            # Day 10 without a shoot: the urge call (care rule).
            fire = local(tz_day + timedelta(days=10), urge.at_time)
            if self._booked_without_shoot(j, fire) and (created := self._first_run(fire)):
                status, done = self._call_outcome(fire, created, j.id)
                add(c, j, None, j.owner, CallTask.Kind.URGE,
                    f"care:{urge.key}:order={j.id}:{tz_day.isoformat()}", fire,
                    care_texts.care_script(urge.script), created, status, done)  # fmt: skip
            # The confirmation calls, 7 days and 1 day before each shoot (planned every 15 min).
            for s in j.shoots:
                self._confirmation_calls(j, s, add)
            # The selection's confirmation call, the day before.
            if j.appointment:
                point = j.appointment - timedelta(days=1)
                booked = j.session_at if j.session_at else j.appointment
                created = max(point, booked)
                if created <= self.now and created < j.appointment:
                    status, done = self._call_outcome(max(point, created), created, j.id + 1)
                    if status == CallTask.Status.OPEN and j.appointment <= self.now:
                        status, done = CallTask.Status.DONE, j.appointment - timedelta(hours=2)
                    at = timezone.localtime(j.appointment, TZ)
                    script = selection_texts.CONFIRM(
                        day=studio_texts.date(at.date()),
                        time=studio_texts.datetime(at, "TIME_FORMAT"),
                        consultant=j.consultant.display_name,
                        minutes=120,
                    )
                    add(c, j, None, j.owner, CallTask.Kind.SELECTION_CONFIRM,
                        f"selection-confirm-1d:{j.session_id}", max(point, created), script,
                        created, status, done)  # fmt: skip
            # Production late: the owner calls before the couple finds out.
            if j.late_alert_at:
                due_day = local_day(j.pickups[0][1]) - timedelta(days=1)
                moved = len(j.pickups) > 1
                done = j.pickups[1][0] if moved else None
                add(c, j, None, j.owner, CallTask.Kind.DELAY_APOLOGY, f"production-late:{j.id}",
                    j.late_alert_at, selection_texts.LATE(order=j.number, due=studio_texts.date(due_day)),
                    j.late_alert_at, CallTask.Status.DONE if done else CallTask.Status.OPEN, done)  # fmt: skip
            # The pickup notice (care rule, a call), the day before a booked pickup of a ready order.
            for pickup in j.pickups:
                starts, status = pickup[1], pickup[2]
                day = local_day(starts)
                fire = local(day - timedelta(days=1), notice.at_time)
                if status == PickupAppointment.Status.MOVED or not j.ready_at:
                    continue
                created = self._first_run(fire, j.ready_at)
                if created is None or created >= starts:
                    continue
                st, done = self._call_outcome(fire, created, j.id + 2)
                add(c, j, None, j.owner, CallTask.Kind.PICKUP_NOTICE,
                    f"care:{notice.key}:order={j.id}:{day.isoformat()}", fire,
                    care_texts.care_script(notice.script), created, st, done)  # fmt: skip
        rows.sort(key=lambda r: (r[0], r[2][7]))
        for pk, (_created, holder, row) in enumerate(rows, 1):
            row[0] = pk
            if holder is not None:
                holder.id = pk
            table.add(*row)
        return table

    def _booked_without_shoot(self, j, at):
        """At `at`, the order was still booked (not cancelled) and had no live shoot."""
        if j.signed_at > at or (j.cancel_at and j.cancel_at <= at):
            return False
        return j.book_at is None or j.book_at > at

    def _confirmation_calls(self, j, s, add):
        """shoots.services.plan_confirmation_calls, every 15 minutes: the call of the nearest
        point reached; the 7-day one, if still open, is superseded by the 1-day one."""
        end = s.starts_at
        if s.status == Shoot.Status.MOVED:
            end = s.journey.shoots[-1].created_at  # moved then: its calls were cancelled
        elif s.status == Shoot.Status.CANCELLED:
            end = j.cancel_at
        end = min(end, self.now)
        made = []
        for label, ahead in (("7d", timedelta(days=7)), ("1d", timedelta(days=1))):
            point = s.starts_at - ahead
            created = max(point, s.created_at)
            if created >= end:
                break
            if label == "7d" and s.starts_at - s.created_at <= timedelta(days=1):
                continue  # booked for tomorrow: the 1-day call straight away
            made.append((label, created, max(point, created)))
        balance_due = j.place.branch.pay_in_full_before_shoot and not any(
            e[1] == LedgerEntry.Kind.BALANCE and e[0] < s.starts_at - timedelta(hours=1)
            for e in j.ledger
        )
        at = timezone.localtime(s.starts_at, TZ)
        arrive = at - timedelta(minutes=20) if balance_due else at
        words = shoot_texts.CONFIRM_BALANCE_DUE if balance_due else shoot_texts.CONFIRM
        script = words(
            when=studio_texts.date(at.date()), arrive=studio_texts.datetime(arrive, "H:i")
        )
        for n, (label, created, due) in enumerate(made):
            later = made[n + 1][1] if n + 1 < len(made) else None
            status, done = self._call_outcome(due, created, s.id + n)
            if later is not None and (done is None or done > later):
                status, done = CallTask.Status.CANCELLED, later  # superseded by the nearer call
            if status == CallTask.Status.OPEN and end < self.now:
                # The shoot moved, was cancelled or has begun: nobody calls any more.
                status, done = (
                    (CallTask.Status.CANCELLED, end)
                    if s.status in (Shoot.Status.MOVED, Shoot.Status.CANCELLED)
                    else (CallTask.Status.DONE, end - timedelta(hours=1))
                )
            if done is not None and done > self.now:
                status, done = CallTask.Status.OPEN, None
            add(j.couple, j, None, j.owner, CallTask.Kind.SHOOT_CONFIRM,
                f"shoot-confirm-{label}:{s.id}", due, script, created, status, done)  # fmt: skip

    def _messages(self):
        table = Table(
            OutboxMessage,
            ["id", "branch_id", "customer_id", "channel", "to", "body", "template_key",
             "occasion", "purpose", "status", "send_after", "sent_at", "attempts",
             "skip_reason", "error", "created_at"],
        )  # fmt: skip
        Status, Skip = OutboxMessage.Status, OutboxMessage.SkipReason
        add_row = table.add
        PLACEHOLDERS = ("couple", "taker", "owner", "store", "store_phone")
        blank = dict.fromkeys(PLACEHOLDERS, "")

        def queue(c, key, occasion, created, send_after, owner_name):
            """followups.services.queue_message, as it was on the day."""
            branch = c.place.branch
            found = self.templates.get(key, {})
            template = found.get(c.language) or found.get("en")
            channel = template.channel if template else "sms"
            to = {"sms": c.phones[0] or c.phones[1], "wechat": c.wechat, "letter": c.address}.get(
                channel, ""
            )
            send_after = outside_quiet_hours(send_after, branch=branch, channel=channel)
            skip, body = "", ""
            if template is None:
                skip = Skip.NO_TEMPLATE
            elif template.purpose != "service" and not c.consent:
                skip = Skip.NO_CONSENT
            elif not to:
                skip = Skip.NO_ADDRESS
            else:
                couple = " & ".join(n for n in c.names if n)
                context = {"couple": couple, "store": branch.name, "store_phone": branch.phone,
                           "owner": owner_name, "taker": owner_name}  # fmt: skip
                body = template.body.format_map(blank | context)
            status, sent, attempts, error = Status.QUEUED, None, 0, ""
            if skip:
                status = Status.SKIPPED
            elif send_after <= self.now:
                sent = max(send_after, created) + timedelta(seconds=5 + len(occasion) % 50)
                if sent > self.now:
                    sent = None
                elif c.id % 331 == 0:
                    status, attempts, error, sent = Status.FAILED, 5, "gateway timeout", None
                else:
                    status, attempts = Status.SENT, 1
            add_row(
                None, branch.pk, c.id, channel, to, body, key, occasion,
                template.purpose if template else "service", status, send_after, sent, attempts, skip,
                error, created,
            )  # fmt: skip

        rules = self.rules

        def care(key, c, fact_at, ref, owner, ready=None):
            rule = rules[key]
            if not rule.is_active:
                return
            at = fact_at + rule.offset
            fire = at if rule.at_time is None else local(local_day(at), rule.at_time)
            created = self._first_run(fire, ready)
            if created is None:
                return
            occasion = f"care:{key}:{ref}:{local_day(fact_at).isoformat()}"
            queue(
                c, rule.template_key, occasion, created, fire, owner.display_name if owner else ""
            )

        for v in self.visits:
            if v.outcome == Visit.Outcome.NOT_BOOKED:
                queue(v.couple, "visit_not_booked", f"visit-not-booked:visit={v.id}", v.closed_at,
                      v.closed_at + timedelta(minutes=30), v.taker.display_name)  # fmt: skip
            call = v.call
            if call and call.status == CallTask.Status.FAILED and call.done_at:
                c = v.couple
                fire = local(
                    local_day(call.done_at) + timedelta(days=1),
                    rules["call_failed_offer_letter"].at_time,
                )
                if not (c.order and c.order.signed_at <= fire):
                    care(
                        "call_failed_offer_letter",
                        c,
                        call.done_at,
                        f"call={call.id}",
                        call.assignee,
                    )
        for j in self.journeys:
            c = j.couple
            ref = f"order={j.id}"
            care("deposit_thanks_sms", c, j.signed_at, ref, j.owner)
            care("deposit_thanks_letter", c, j.signed_at, ref, j.owner)
            for key, days in (("offer_no_shoot_day15", 15), ("offer_no_shoot_day60", 60)):
                fire = local(local_day(j.signed_at) + timedelta(days=days), rules[key].at_time)
                if self._booked_without_shoot(j, fire):
                    care(key, c, j.signed_at, ref, j.owner)
            for s in j.shoots:
                if s.finished_at:
                    care("shoot_greeting", c, s.finished_at, ref, j.owner)
            if j.confirm_at:
                care("selection_greeting", c, j.appointment, ref, j.owner, ready=j.confirm_at)
            if j.delivered_at:
                care("delivered_thanks_letter", c, j.delivered_at, ref, j.owner)
                fire = local(
                    local_day(j.delivered_at) + timedelta(days=30),
                    rules["vip_greeting_day30"].at_time,
                )
                if not any(at <= fire for at in self._referrals_filed(c)):
                    care("vip_greeting_day30", c, j.delivered_at, ref, j.owner)
            referrer = c.referrer
            if referrer is not None:
                care("referral_thanks", referrer, j.signed_at, ref, referrer.owner)
            if j.complaint:
                care(
                    "complaint_apology_letter",
                    c,
                    j.complaint[0],
                    f"complaint={j.complaint_id}",
                    j.owner,
                )
        # Birthdays and wedding anniversaries: a greeting on each day since the couple filed.
        birthday, anniversary = rules["birthday_greeting"], rules["anniversary_greeting"]
        for c in self.couples:
            for born, who in ((c.birthdays[0], "bride"), (c.birthdays[1], "groom")):
                if born:
                    self._yearly(c, born, 0, birthday, f"customer={c.id}:{who}", care)
            if c.wedding_date:
                self._yearly(
                    c, c.wedding_date, 1, anniversary, f"customer={c.id}:anniversary", care
                )
        return table

    def _referrals_filed(self, couple):
        if not hasattr(self, "_referrals_by"):
            self._referrals_by = {}
            for c in self.couples:
                if c.referrer is not None:
                    self._referrals_by.setdefault(c.referrer.id, []).append(c.created_at)
        return self._referrals_by.get(couple.id, [])

    def _yearly(self, c, day, years_after, rule, ref, care):
        filed = local_day(c.created_at)
        for year in range(max(filed.year - 1, day.year + years_after), self.today.year + 1):
            on = day.replace(year=year)
            moment = local(on, time.min)
            if moment + timedelta(days=2) < c.created_at or on > self.today:
                continue
            care(rule.key, c, moment, ref, None, ready=c.created_at)

    def _sequences(self):
        OrderSequence.objects.bulk_create(
            OrderSequence(branch=self.places[index].branch, year=year, last=last)
            for (index, year), last in self.order_sequences.items()
        )
        ReceiptSequence.objects.bulk_create(
            ReceiptSequence(branch=self.places[index].branch, last=last)
            for index, last in self.receipt_sequences.items()
        )
        SlipSequence.objects.bulk_create(
            SlipSequence(branch=self.places[index].branch, last=last)
            for index, last in self.slip_sequences.items()
        )


def build(scale=Scale(), *, now=None, out=print):
    """Build the dataset into the (empty, migrated) default database. Returns the counts."""
    now = now or timezone.now()
    chain = Chain(scale, now, out)
    started = time_.monotonic()
    with transaction.atomic():
        chain.catalogue()
        chain.targets()
    out(f"catalogue: {len(chain.places)} branches, {Staff.objects.count()} staff")
    chain.plan()
    out(f"planned {len(chain.couples):,} couples in {time_.monotonic() - started:.0f} s")
    chain.number()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    counts = chain.write()
    return counts
