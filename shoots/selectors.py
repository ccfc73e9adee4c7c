"""Reads shared by the shoots pages, tasks and the Order's guards."""

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.db.models import Count, F, ForeignKey, Prefetch, Q, QuerySet
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import gettext_lazy

from followups.models import CallTask
from orders.models import Order, State
from orders.selectors import with_money
from studio import roles
from studio.models import Branch, Customer, Staff
from studio.polling import read_versions, row_version
from studio.prepared import Marker, Prepared
from studio.selectors import DataSection, data_section

from .models import (
    DEFAULT_BUDGETS,
    HandOff,
    PlannedSet,
    ResourceBooking,
    Room,
    Shoot,
    TimeBudget,
    Vehicle,
)

_PLANNED_SHOOTS = Prepared(
    lambda order_id: Shoot.objects.filter(order_id=order_id, status=Shoot.Status.PLANNED).order_by(
        "starts_at", "pk"
    ),
    [Marker.number(0)],
)


def planned_shoot(order: Order) -> Shoot | None:
    """The order's next planned shoot (the order page asks at each view: a guard)."""
    found: Shoot | None = _PLANNED_SHOOTS.first(order.pk)
    return found


def shoot_for_check_in(order: Order) -> Shoot | None:
    """The planned shoot that falls on today's date in the branch's time zone, if any."""
    today = order.branch.today()
    shoot: Shoot
    for shoot in _PLANNED_SHOOTS(order.pk):
        if timezone.localtime(shoot.starts_at, order.branch.tzinfo).date() == today:
            return shoot
    return None


# The confirmation calls before a shoot (DOMAIN.md: 7 days and 1 day before).
CALL_POINTS = (("7d", timedelta(days=7)), ("1d", timedelta(days=1)))


def confirmation_occasion(shoot: Shoot, label: str) -> str:
    return f"shoot-confirm-{label}:{shoot.pk}"


def confirmation_calls(shoot: Shoot) -> list[CallTask]:
    """The shoot's confirmation call tasks, open or closed, for its page."""
    occasions = [confirmation_occasion(shoot, label) for label, _ahead in CALL_POINTS]
    return list(
        CallTask.objects.filter(occasion__in=occasions)
        .select_related("assignee", "done_by")
        .order_by("due_at")
    )


def budgets_for(branch: Branch) -> dict[str, int]:
    """Minutes per step and outfit kind: the branch's own, else the studio's defaults."""
    budgets = {str(k): v for k, v in DEFAULT_BUDGETS.items()}
    budgets.update(TimeBudget.objects.filter(branch=branch).values_list("step", "minutes"))
    return budgets


# Who may be booked for which seat on a shoot.
SEAT_ROLES = {
    "photographer": roles.PHOTOGRAPHER,
    "assistant": roles.ASSISTANT,
    "makeup_artist": roles.MAKEUP_ARTIST,
    "dress_stylist": roles.DRESS_STYLIST,
    "driver": roles.DRIVER,
}


def busy_resources(
    *, branch: Branch, starts_at: datetime, ends_at: datetime, exclude_shoot: Shoot | None = None
) -> set[str]:
    bookings = ResourceBooking.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude_shoot is not None:
        bookings = bookings.exclude(shoot=exclude_shoot)
    return set(bookings.values_list("resource", flat=True))


def free_resources(
    *, branch: Branch, starts_at: datetime, ends_at: datetime, exclude_shoot: Shoot | None = None
) -> dict[str, Any]:
    """People per seat, rooms and vehicles of the branch that are free for the whole range."""
    busy = busy_resources(
        branch=branch, starts_at=starts_at, ends_at=ends_at, exclude_shoot=exclude_shoot
    )
    staff = list(
        Staff.objects.colleagues()
        .filter(branches=branch)
        .distinct()
        .prefetch_related("user__groups")
        .order_by("display_name")
    )
    people: dict[str, list[Staff]] = {}
    for seat, role in SEAT_ROLES.items():
        people[seat] = [
            s
            for s in staff
            if f"staff:{s.pk}" not in busy and role in {g.name for g in s.user.groups.all()}
        ]
    rooms = [
        r for r in Room.objects.filter(branch=branch, is_active=True) if f"room:{r.pk}" not in busy
    ]
    vehicles = [
        v
        for v in Vehicle.objects.filter(branch=branch, is_active=True)
        if f"vehicle:{v.pk}" not in busy
    ]
    return {"people": people, "rooms": rooms, "vehicles": vehicles}


# What a sheet's row shows of a shoot, joined in its query. The crew is not: five joins
# to the staff table made PostgreSQL plan for 8–19 ms a query (at chain scale, warm)
# against under 1–2 ms without them; `with_crew` reads the crew in one query instead.
SHEET_RELATED = ("order__customer", "order__package", "room", "vehicle")
CREW = ("photographer", "assistant", "makeup_artist", "dress_stylist", "driver")


class _WithCrew(ModelIterable):  # type: ignore[type-arg]
    """Shoots with their crew (`CREW`) read in one query of staff, as select_related
    would have given them."""

    def __iter__(self) -> Iterator[Shoot]:
        shoots = list(super().__iter__())
        fields = [cast("ForeignKey[Any, Any]", Shoot._meta.get_field(name)) for name in CREW]
        ids = {getattr(s, f.attname) for s in shoots for f in fields} - {None}
        people = Staff.objects.in_bulk(ids) if ids else {}
        for shoot in shoots:
            for f in fields:
                pk = getattr(shoot, f.attname)
                f.set_cached_value(shoot, people.get(pk) if pk is not None else None)
        yield from shoots


def with_crew(shoots: QuerySet[Shoot]) -> QuerySet[Shoot]:
    """The sheet's shoots with their order, couple, package, room, vehicle and crew."""
    shoots = shoots.select_related(*SHEET_RELATED)
    shoots._iterable_class = _WithCrew
    return shoots


def _with_plan(shoots: QuerySet[Shoot]) -> QuerySet[Shoot]:
    return with_crew(shoots).prefetch_related(
        Prefetch("plan", queryset=PlannedSet.objects.order_by("position"))
    )


# The shoots a control sheet shows: those planned, under way or done.
SHEET_STATUSES = (Shoot.Status.PLANNED, Shoot.Status.CHECKED_IN, Shoot.Status.FINISHED)


def _on_sheet(
    branch_id: int, first: datetime, last: datetime, resource: str | None = None
) -> QuerySet[Shoot]:
    """The branch's shoots on the sheet starting in [first, last); with `resource`
    ("staff:<pk>"), those that person is booked on."""
    shoots = Shoot.objects.filter(
        branch_id=branch_id, starts_at__gte=first, starts_at__lt=last, status__in=SHEET_STATUSES
    )
    if resource is not None:
        shoots = shoots.filter(bookings__resource=resource).distinct()
    return shoots


def _sheet_span(branch: Branch, start: date, end: date) -> tuple[datetime, datetime]:
    first, _ = branch.day_bounds(start)
    _, last = branch.day_bounds(end)
    return first, last


def _booked(staff: Staff | None) -> str | None:
    return None if staff is None else f"staff:{staff.pk}"


def sheet(*, branch: Branch, start: date, end: date, staff: Staff | None = None) -> QuerySet[Shoot]:
    """The control sheet (摄控表) from `start` to `end`, both days included, each shoot
    with its order, couple, package, room, vehicle, crew and outfit plan: what the day's
    sheet prints (the week's prints less, `week_sheet`)."""
    shoots = _on_sheet(branch.pk, *_sheet_span(branch, start, end), _booked(staff))
    return _with_plan(shoots).order_by("starts_at")


def _week_rows(
    branch_id: int, first: datetime, last: datetime, resource: str | None = None
) -> QuerySet[Shoot, Any]:
    return (
        _on_sheet(branch_id, first, last, resource)
        .order_by("starts_at", "pk")
        .values(
            "pk",
            "starts_at",
            "ends_at",
            bride=F("order__customer__bride_name"),
            groom=F("order__customer__groom_name"),
            room_name=F("room__name"),
            photographer_name=F("photographer__display_name"),
        )
    )


# The week's rows, their SQL written once (studio.prepared): everyone's, and one person's.
_WEEK = Prepared(_week_rows, [Marker.number(0), Marker.moment(0), Marker.moment(1)])
_WEEK_OF = Prepared(
    _week_rows, [Marker.number(0), Marker.moment(0), Marker.moment(1), Marker.text(0)]
)


def week_sheet(
    *, branch: Branch, start: date, end: date, staff: Staff | None = None
) -> list[dict[str, Any]]:
    """The week's control sheet: `sheet`'s shoots as the rows it prints (pk, starts_at,
    ends_at, the couple's names, room's and photographer's names, None where there is
    none), in one query. Building each shoot with its order, couple, package, room,
    vehicle and crew as models was a third of the page's work, for five values a row."""
    first, last = _sheet_span(branch, start, end)
    if staff is None:
        return _WEEK(branch.pk, first, last)
    return _WEEK_OF(branch.pk, first, last, _booked(staff))


# The people a sheet can be filtered by, as (pk, name): the branch's colleagues.
_SHEET_STAFF = Prepared(
    lambda branch_id: (
        Staff.objects.colleagues()
        .filter(branches=branch_id)
        .distinct()
        .order_by("display_name", "pk")
        .values_list("pk", "display_name")
    ),
    [Marker.number(0)],
)


def sheet_staff(branch: Branch) -> list[tuple[int, str]]:
    """The sheets' "staff member" filter: the branch's colleagues as (pk, name), by name."""
    return _SHEET_STAFF(branch.pk)


def waiting_for_a_shoot(*, branch: Branch, limit: int = 50) -> list[dict[str, Any]]:
    """Signed orders whose shoot is not on the sheet yet: the dispatcher books them from the
    control sheet. The wanted month first (earliest, then those without one), oldest first.
    Rows of what the sheet prints (number, couple's names, package, month, signed), no
    models: building 50 orders with their couple and package was a fifth of the page."""
    return list(
        Order.objects.filter(branch=branch, state=State.BOOKED)
        .order_by(F("wanted_shoot_month").asc(nulls_last=True), "signed_at")
        .values(
            "number",
            "customer__bride_name",
            "customer__groom_name",
            "package__name",
            "wanted_shoot_month",
            "signed_at",
        )[:limit]
    )


def shoots_on(
    *, branch: Branch, day: date, statuses: Sequence[str] | None = None
) -> QuerySet[Shoot]:
    start, end = branch.day_bounds(day)
    shoots = Shoot.objects.filter(branch=branch, starts_at__gte=start, starts_at__lt=end)
    if statuses:
        shoots = shoots.filter(status__in=statuses)
    return _with_plan(shoots).order_by("starts_at")


def with_handoffs(shoots: QuerySet[Shoot]) -> QuerySet[Shoot]:
    return shoots.prefetch_related(
        Prefetch(
            "handoffs",
            queryset=HandOff.objects.select_related("from_staff", "to_staff", "plan_line").order_by(
                "at", "pk"
            ),
        )
    )


def current_handoff(shoot: Shoot) -> HandOff | None:
    """Where the couple is now: the latest hand-off (uses the prefetched list)."""
    handoffs = list(shoot.handoffs.all())
    return handoffs[-1] if handoffs else None


def next_move(shoot: Shoot, current: HandOff | None) -> dict[str, Any] | None:
    """The next line of the plan after where the couple is, and who takes them there."""
    lines = list(shoot.plan.all())
    if current is None or current.plan_line_id is None:
        upcoming = lines[0] if lines and current is None else None
    else:
        reached = cast(PlannedSet, current.plan_line)  # plan_line_id is set
        after = [line for line in lines if line.position > reached.position]
        upcoming = after[0] if after else None
    if upcoming is None:
        return None
    return {"line": upcoming, "to": getattr(shoot, upcoming.seat)}


def _day_of(branch: Branch, now: datetime) -> date:
    return timezone.localtime(now, branch.tzinfo).date()


def _clock_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _table(model: type[Any]) -> str:
    return f'"{model._meta.db_table}"'


_SEATS = ", ".join(f"{seat}_id" for seat in Shoot.PEOPLE)


# The version query of the pages of today's shoots (studio.polling): every row they read,
# as (table, pk, row version), a shoot's table with its status. The shoots are the
# branch's of the day in any status (with `staff`, those they sit on): a superset of what
# the board and the queue show, so a couple moving on or off a page is a change to a row
# already counted. With them: their orders and couples, plans and hand-offs, the staff in
# their seats or handed to; with `budgets`, the branch's time budgets. Each is read by an
# index: the shoots by branch and start, the rest by primary or foreign key.
#
# Every poll runs it, prepared (studio.prepared.planned_once), and PostgreSQL should keep
# one plan for it rather than plan it again at each poll with the values given (a "custom
# plan": 0.7–1.0 ms a poll, against 0.3–0.4 ms with the kept plan). It keeps one when that
# plan looks no dearer than planning anew; seeing the day's bounds, it judged a day's
# shoots fewer than the default guess for an unseen range, and planned anew forever. So
# the bounds come through `(SELECT ...)`, which it does not look into when planning: both
# plans see the same guess, and it keeps one. And two statements, the branch's and one
# person's: one for both ("the staff member is null or in a seat") was planned anew too.
def _versions_sql(whose: str) -> str:
    return f"""
WITH shoot AS (
    SELECT id, status, order_id, {_SEATS}, {row_version(_table(Shoot))} AS version
    FROM {_table(Shoot)}
    WHERE branch_id = %(branch)s
        AND starts_at >= (SELECT %(start)s::timestamptz)
        AND starts_at < (SELECT %(end)s::timestamptz) {whose}
), handoff AS (
    SELECT h.id, h.to_staff_id, {row_version("h")} AS version
    FROM {_table(HandOff)} h WHERE h.shoot_id IN (SELECT id FROM shoot)
), couple AS (
    SELECT o.id, o.customer_id, {row_version("o")} AS version
    FROM {_table(Order)} o WHERE o.id IN (SELECT order_id FROM shoot)
)
SELECT 'shoot ' || status, id, version FROM shoot
UNION ALL SELECT 'order', id, version FROM couple
UNION ALL SELECT 'customer', c.id, {row_version("c")} FROM {_table(Customer)} c
    WHERE c.id IN (SELECT customer_id FROM couple)
UNION ALL SELECT 'plan', p.id, {row_version("p")} FROM {_table(PlannedSet)} p
    WHERE p.shoot_id IN (SELECT id FROM shoot)
UNION ALL SELECT 'handoff', id, version FROM handoff
UNION ALL SELECT 'staff', t.id, {row_version("t")} FROM {_table(Staff)} t
    WHERE t.id IN (SELECT unnest(ARRAY[{_SEATS}]) FROM shoot UNION SELECT to_staff_id FROM handoff)
UNION ALL SELECT 'budget', b.id, {row_version("b")} FROM {_table(TimeBudget)} b
    WHERE %(budgets)s AND b.branch_id = %(branch)s
"""


_VERSIONS = _versions_sql("")
_VERSIONS_SEATED = _versions_sql(f"AND %(staff)s::bigint = ANY(ARRAY[{_SEATS}])")


def _versions(
    *, branch: Branch, day: date, staff: Staff | None = None, budgets: bool = False
) -> list[tuple[Any, ...]] | None:
    start, end = branch.day_bounds(day)
    params = {"branch": branch.pk, "start": start, "end": end, "budgets": budgets}
    if staff is None:
        return read_versions(_VERSIONS, params)
    return read_versions(_VERSIONS_SEATED, {**params, "staff": staff.pk})


def _in_the_building(branch: Branch, now: datetime) -> QuerySet[Shoot]:
    return shoots_on(branch=branch, day=_day_of(branch, now), statuses=[Shoot.Status.CHECKED_IN])


def board(*, branch: Branch, now: datetime | None = None) -> list[dict[str, Any]]:
    """The dispatcher's board: every couple in the building, where, with whom, since when.

    The minutes are counted between clock minutes, as the board shows "since" (H:i): from
    10:00:50 to 10:05:10 is 5 minutes. So the board changes only when the clock's minute
    does, and a poll within the same minute is answered "not modified" (`board_version`)."""
    now = now or timezone.now()
    budgets = budgets_for(branch)
    rows: list[dict[str, Any]] = []
    for shoot in with_handoffs(_in_the_building(branch, now)):
        current = current_handoff(shoot)
        since = current.at if current else shoot.checked_in_at
        budget = None
        if current is not None:
            budget = current.plan_line.minutes if current.plan_line else budgets.get(current.step)
        minutes = (
            int((_clock_minute(now) - _clock_minute(since)).total_seconds() // 60) if since else 0
        )
        rows.append(
            {
                "shoot": shoot,
                "handoff": current,
                "since": since,
                "minutes": minutes,
                "budget": budget,
                "over_budget": budget is not None and minutes > budget,
                "alone": current is None or current.to_staff_id is None,
                "next": next_move(shoot, current),
            }
        )
    return rows


def board_version(*, branch: Branch, now: datetime | None = None) -> object | None:
    """Changes whenever the board's rows would (studio.polling): the rows `board` reads,
    the branch's time budgets, and the clock's minute while anyone is in the building."""
    now = now or timezone.now()
    rows = _versions(branch=branch, day=_day_of(branch, now), budgets=True)
    if rows is None:
        return None
    anyone = any(table == f"shoot {Shoot.Status.CHECKED_IN}" for table, _pk, _v in rows)
    return [_day_of(branch, now), _clock_minute(now) if anyone else None, rows]


def _my_shoots_today(*, staff: Staff, branch: Branch, now: datetime) -> QuerySet[Shoot]:
    return shoots_on(
        branch=branch,
        day=_day_of(branch, now),
        statuses=[Shoot.Status.PLANNED, Shoot.Status.CHECKED_IN],
    ).filter(
        Q(photographer=staff)
        | Q(assistant=staff)
        | Q(makeup_artist=staff)
        | Q(dress_stylist=staff)
        | Q(driver=staff)
    )


def shot_today(*, staff: Staff, branch: Branch, now: datetime | None = None) -> list[Shoot]:
    """The shoots I photographed today and finished, with how many of their photos are
    uploaded (`photo_total`) and have their previews (`photo_ready`): one query."""
    start, end = branch.day_bounds(_day_of(branch, now or timezone.now()))
    photos = "order__selection__photos"
    return list(
        Shoot.objects.filter(
            branch=branch,
            starts_at__gte=start,
            starts_at__lt=end,
            status=Shoot.Status.FINISHED,
            photographer=staff,
        )
        .select_related("order__customer")
        .order_by("starts_at")
        .annotate(
            photo_total=Count(photos),
            photo_ready=Count(
                photos, filter=Q(order__selection__photos__processed_at__isnull=False)
            ),
        )
    )


def my_queue(
    *, staff: Staff, branch: Branch, now: datetime | None = None
) -> dict[str, list[dict[str, Any]]]:
    """A tablet's "my queue now": the couples with me, and who comes to me next today."""
    now = now or timezone.now()
    shoots = list(with_handoffs(_my_shoots_today(staff=staff, branch=branch, now=now)))
    with_me: list[dict[str, Any]] = []
    next_up: list[dict[str, Any]] = []
    for shoot in shoots:
        current = current_handoff(shoot)
        entry = {"shoot": shoot, "handoff": current, "next": next_move(shoot, current)}
        if current is not None and current.to_staff_id == staff.pk:
            with_me.append(entry)
        else:
            next_up.append(entry)
    return {"with_me": with_me, "next_up": next_up}


def queue_version(*, staff: Staff, branch: Branch, now: datetime | None = None) -> object | None:
    """Changes whenever the tablet's queue would (studio.polling): the rows `my_queue`
    reads. The queue shows clock times only, nothing that moves by itself."""
    now = now or timezone.now()
    rows = _versions(branch=branch, day=_day_of(branch, now), staff=staff)
    return None if rows is None else [_day_of(branch, now), rows]


def with_arrival(shoots: Iterable[Shoot]) -> Iterable[Shoot]:
    """Sets `arrive_at` and `balance_due` on each shoot, with one query for all of them:
    a couple with a balance due comes 20 minutes early to pay it."""
    from .services import arrival_time

    balances = dict(
        with_money(Order.objects.filter(pk__in=[s.order_id for s in shoots])).values_list(
            "pk", "balance"
        )
    )
    for shoot in shoots:
        # Attributes for the pages, not fields.
        shoot.balance_due = balances.get(shoot.order_id) or 0  # type: ignore[attr-defined]
        shoot.arrive_at = arrival_time(shoot, balance_due=shoot.balance_due)  # type: ignore[attr-defined]
    return shoots


def my_day(*, staff: Staff, branch: Branch, now: datetime | None = None) -> list[Shoot]:
    """A field worker's Today: today's shoots they work on, with the couple's notes."""
    return list(_my_shoots_today(staff=staff, branch=branch, now=now or timezone.now()))


def shoots_for_feed(staff: Staff, *, now: datetime | None = None) -> QuerySet[Shoot]:
    now = now or timezone.now()
    return (
        Shoot.objects.filter(
            bookings__resource=f"staff:{staff.pk}",
            starts_at__gte=now - timedelta(days=30),
            starts_at__lt=now + timedelta(days=180),
        )
        .select_related("order__customer", "room", "branch")
        .distinct()
        .order_by("starts_at")
    )


def affected_by_late_start(shoot: Shoot) -> list[Shoot]:
    """Later shoots that share a person, room or vehicle with a shoot now running late."""
    if not shoot.late_minutes:
        return []
    new_end = shoot.ends_at + timedelta(minutes=shoot.late_minutes)
    resources = shoot.bookings.values_list("resource", flat=True)
    return list(
        Shoot.objects.filter(
            bookings__resource__in=list(resources),
            starts_at__gt=shoot.starts_at,
            starts_at__lt=new_end,
        )
        .exclude(pk=shoot.pk)
        .select_related("order__customer")
        .distinct()
    )


def timeline(shoot: Shoot) -> list[dict[str, Any]]:
    """The day's plan with clock times, shifted by a late start."""
    at = shoot.starts_at + timedelta(minutes=shoot.late_minutes)
    rows: list[dict[str, Any]] = []
    for line in shoot.plan.all():
        rows.append({"line": line, "starts": at, "ends": at + timedelta(minutes=line.minutes)})
        at += timedelta(minutes=line.minutes)
    return rows


def outfit_totals(shoots: Iterable[Shoot]) -> list[tuple[str, int]]:
    """How many of each outfit kind tomorrow's shoots need (uses the prefetched plans)."""
    totals: dict[str, int] = {}
    for shoot in shoots:
        for line in shoot.plan.all():
            if line.is_outfit:
                label = line.get_step_display()
                totals[label] = totals.get(label, 0) + 1
    return sorted(totals.items())


def customer_data(customer: Customer) -> list[DataSection]:
    """Shoots' part of a customer's export."""
    return [
        data_section(
            "shoots",
            gettext_lazy("Shoots"),
            Shoot.objects.filter(order__customer=customer).order_by("starts_at"),
            ["order__number", "starts_at", "ends_at", "status", "note", "checked_in_at"],
        )
    ]
