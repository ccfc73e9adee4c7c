"""What the shoots answer for the apps below them (STYLE.md 16), registered from
`ShootsConfig.ready()`: the Order's guards' facts (`orders.facts`) and the care rules'
triggers about shoots (`followups.triggers`)."""

from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from followups.models import CareRule
from followups.triggers import FINDERS, Fact, order_fact, orders_by_first_deposit
from orders import facts
from orders.models import Order, State

from . import selectors
from .models import Shoot

T = CareRule.Trigger
# A shoot that took or will take place: a moved, cancelled or missed one does not count.
LIVE = (Shoot.Status.PLANNED, Shoot.Status.CHECKED_IN, Shoot.Status.FINISHED)


# --- The Order's guards ---


@facts.answers("shoot_is_today")
def shoot_is_today(order: Order) -> bool:
    return selectors.shoot_for_check_in(order) is not None


@facts.answers("has_planned_shoot")
def has_planned_shoot(order: Order) -> bool:
    return selectors.planned_shoot(order) is not None


# --- The care rules' triggers ---


@FINDERS.answers(T.NO_SHOOT_AFTER_DEPOSIT)
def no_shoot_after_deposit(since: datetime, until: datetime, now: datetime) -> list[Fact]:
    live = Shoot.objects.filter(order=OuterRef("pk"), status__in=LIVE)
    orders = orders_by_first_deposit(since, until).filter(state=State.BOOKED).exclude(Exists(live))
    return [order_fact(o, o.deposit_at) for o in orders]


@FINDERS.answers(T.SHOOT_UPCOMING)
def shoot_upcoming(since: datetime, until: datetime, now: datetime) -> list[Fact]:
    shoots = Shoot.objects.filter(
        status=Shoot.Status.PLANNED, starts_at__gte=since, starts_at__lte=until
    ).select_related("order__customer__branch", "order__owner")
    return [order_fact(s.order, s.starts_at, upcoming=True) for s in shoots]


@FINDERS.answers(T.SHOOT_DONE)
def shoot_done(since: datetime, until: datetime, now: datetime) -> list[Fact]:
    shoots = Shoot.objects.filter(
        status=Shoot.Status.FINISHED, finished_at__gte=since, finished_at__lte=until
    ).select_related("order__customer__branch", "order__owner")
    return [order_fact(s.order, s.finished_at) for s in shoots]


# --- A transfer between branches (orders.facts.BOOKINGS) ---


@facts.answers_bookings("future_shoots")
def future_shoots(orders: list[Order], now: datetime) -> list[str]:
    shoots = Shoot.objects.filter(
        order__in=orders, status=Shoot.Status.PLANNED, ends_at__gte=now
    ).select_related("order", "branch")
    return [
        _("Order %(order)s: shoot on %(when)s")
        % {
            "order": s.order.number,
            "when": date_format(localtime(s.starts_at, s.branch.tzinfo), "SHORT_DATETIME_FORMAT"),
        }
        for s in shoots.order_by("starts_at")
    ]
