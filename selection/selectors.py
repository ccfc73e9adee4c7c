"""Reads for the viewing control sheet, the session, the production board, and the facts
the Order's guards ask for."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.models import Order, State
from studio import roles
from studio.listing import labels
from studio.models import Branch, Customer, PackageLine, Staff, couple_name
from studio.prepared import Marker, Prepared
from studio.products import COVERS_PRODUCTS
from studio.selectors import DataSection, data_section
from studio.texts import Params

from . import facts, texts
from .models import (
    DEFAULT_PRODUCTION_DAYS,
    DEFAULT_SESSION_MINUTES,
    Compensation,
    DesignProof,
    Favourite,
    LoweredUpsell,
    Photo,
    Pick,
    PriceItem,
    Product,
    ProductionItem,
    ProductionLeadTime,
    ProductLine,
    SelectionSession,
    SessionLength,
    VoucherUse,
)

ZERO = Decimal("0.00")
# Anything not done this many days before it is due raises the late alert.
LATE_ALERT_DAYS = 2


def session_minutes(branch: Branch) -> int:
    """How long a selection session lasts at the branch: its own setting, else 2 hours."""
    length = SessionLength.objects.filter(branch=branch).values_list("minutes", flat=True)
    return length.first() or DEFAULT_SESSION_MINUTES


def consultants(branch: Branch) -> QuerySet[Staff]:
    """The active selection consultants of the branch, for the booking form."""
    return (
        Staff.objects.colleagues()
        .filter(branches=branch, user__groups__name=roles.SELECTION_CONSULTANT)
        .distinct()
        .order_by("display_name")
    )


def appointment(order: Order) -> SelectionSession | None:
    """The order's booked selection session, or None."""
    return (
        SelectionSession.objects.filter(order=order, appointment_at__isnull=False)
        .select_related("consultant")
        .first()
    )


def sheet(
    sessions: QuerySet[SelectionSession], *, branch: Branch, day: date
) -> QuerySet[SelectionSession]:
    """The viewing control sheet (看样控制表) of one day: `sessions` already scoped."""
    start, end = branch.day_bounds(day)
    return (
        sessions.filter(order__branch=branch, appointment_at__gte=start, appointment_at__lt=end)
        .select_related("order__customer", "order__package", "consultant")
        .annotate(
            photo_total=Count("photos"),
            photo_ready=Count("photos", filter=Q(photos__processed_at__isnull=False)),
        )
        .order_by("appointment_at", "pk")
    )


# The answers the order's guards ask (orders.facts): the order page asks them at each
# view, for each step it offers. Their SQL made once per process (studio.prepared).
_SESSION_OF = Prepared(
    lambda order_id: SelectionSession.objects.filter(order_id=order_id).order_by("pk"),
    [Marker.number(0)],
)
# (photos, of which without previews) of a session; no row when it has no photo.
_PHOTO_COUNTS = Prepared(
    lambda session_id: (
        Photo.objects.filter(session_id=session_id)
        .values("session_id")
        .annotate(n=Count("pk"), waiting=Count("pk", filter=Q(processed_at__isnull=True)))
        .values_list("n", "waiting")
    ),
    [Marker.number(0)],
)
# (items, of which not passed QC, of which not handed over) of an order; no row when none.
_ITEM_COUNTS = Prepared(
    lambda order_id: (
        ProductionItem.objects.filter(order_id=order_id)
        .values("order_id")
        .annotate(
            n=Count("pk"),
            unchecked=Count("pk", filter=Q(qc_passed_at__isnull=True)),
            kept=Count("pk", filter=Q(handed_over_at__isnull=True)),
        )
        .values_list("n", "unchecked", "kept")
    ),
    [Marker.number(0)],
)


def _session(order: Order) -> SelectionSession | None:
    found: SelectionSession | None = _SESSION_OF.first(order.pk)
    return found


def files_ready(order: Order) -> bool:
    """With uploaded photos: every photo has its previews. A session without any (the
    photos shown from another program, numbers on contact sheets) keeps the consultant's
    check on the control sheet (docs/decisions.md, "Photos")."""
    s = _session(order)
    if s is None:
        return False
    counts = _PHOTO_COUNTS.first(s.pk)
    if counts is not None:
        _photos, waiting = counts
        return bool(waiting == 0)
    return bool(s.files_transferred_at and s.files_complete)


def selection_signed(order: Order) -> bool:
    s = _session(order)
    return bool(s and s.signed_at)


def upsell_settled(order: Order) -> bool:
    s = _session(order)
    return bool(s and s.upsell_settled)


def change_window_open(order: Order) -> bool:
    s = _session(order)
    return bool(s and s.change_window_open())


def change_window_waived(order: Order) -> bool:
    s = _session(order)
    return bool(s and s.change_window_waived)


def all_items_passed_qc(order: Order) -> bool:
    counts = _ITEM_COUNTS.first(order.pk)
    return counts is not None and counts[1] == 0


def all_items_handed_over(order: Order) -> bool:
    counts = _ITEM_COUNTS.first(order.pk)
    return counts is not None and counts[2] == 0


# --- The session and its live upsell ---


@dataclass
class UpsellLine:
    """One line of the upsell: how many were chosen, how many the package covers, and what
    the rest costs."""

    label: str
    chosen: int
    included: int
    unit_price: Decimal | None
    product: str = ""
    item: Params | None = None  # a price-list line's label as a studio.texts parameter

    @property
    def extra(self) -> int:
        return max(self.chosen - self.included, 0)

    @property
    def amount(self) -> Decimal:
        return (self.unit_price or ZERO) * self.extra

    def description(self) -> tuple[str, Params]:
        """The charge's words, (kind, params) of studio.texts: in the reader's language."""
        if self.item is not None:
            return texts.LINE(item=self.item, count=self.extra)
        if self.product == Product.EXTRA_PAGE:
            return texts.EXTRA_PAGES(count=self.extra)
        return texts.EXTRA_PHOTOS(count=self.extra)


@dataclass
class Allowance:
    """One line of the package and how much of it the couple's products use: the page
    shows "included: 1 of 1 used"."""

    line: PackageLine
    used: int = 0

    @property
    def label(self) -> str:
        return self.line.label

    @property
    def included(self) -> int:
        return self.line.quantity

    @property
    def left(self) -> int:
        return self.line.quantity - self.used

    @property
    def counts(self) -> bool:
        """Whether the selection uses this line up (a product of the price list), or only
        shows it (prints, a service)."""
        return self.line.kind in COVERS_PRODUCTS


def cover(allowances: list[Allowance], product: str, size: str, quantity: int) -> int:
    """Use up the package's lines for `quantity` of a product in a size: a line of that
    very size first, then a line of any size. Returns how many are covered."""
    covered = 0
    fitting = [a for a in allowances if a.line.covers(product, size)]
    for allowance in sorted(fitting, key=lambda a: a.line.size == ""):
        take = min(quantity - covered, allowance.left)
        allowance.used += take
        covered += take
    return covered


@dataclass(frozen=True, slots=True)
class Picked:
    """A photo picked in a pass, as the session page, the confirmation and the production
    list read it (hundreds of them a session: read as plain values, no Pick built)."""

    number: int
    pass_kind: str
    outfit: str
    retouch: bool
    album_page: int | None


@dataclass
class Summary:
    """Everything the session page, the confirmation and the production list show."""

    session: SelectionSession
    passes: dict[str, list[Picked]]
    confirmed: list[Picked]
    retouched: int
    retouched_included: int
    pages_used: int
    pages_included: int
    product_lines: list[ProductLine]
    lines: list[UpsellLine] = field(default_factory=list)
    allowances: list[Allowance] = field(default_factory=list)

    @property
    def album_pages(self) -> int:
        return max(self.pages_used, self.pages_included)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def over_photos(self) -> bool:
        return self.retouched > self.retouched_included

    @property
    def over_pages(self) -> bool:
        return self.pages_used > self.pages_included


# The session page's reads, each one's SQL made once per process (studio.prepared): at
# chain scale, writing them cost more than running them.
_PRICES = Prepared(
    lambda branch_id: PriceItem.objects.filter(branch_id=branch_id, is_active=True),
    [Marker.number(0)],
)
_PICKS = Prepared(
    lambda session_id: (
        Pick.objects.filter(session_id=session_id)
        .order_by("number")
        .values_list("number", "pass_kind", "outfit", "retouch", "album_page")
    ),
    [Marker.number(0)],
)
_PRODUCT_LINES = Prepared(
    lambda session_id: ProductLine.objects.filter(session_id=session_id).select_related(
        "price_item"
    ),
    [Marker.number(0)],
)
_PACKAGE_LINES = Prepared(
    lambda package_id: PackageLine.objects.filter(package_id=package_id), [Marker.number(0)]
)
_SESSION_PAGE = Prepared(
    lambda number, branch_ids: SelectionSession.objects.filter(
        order__number=number, order__branch_id__any=branch_ids
    ).select_related("order__customer", "order__package", "order__branch", "consultant"),
    [Marker.text(0), Marker.numbers(0)],
)
_LOWERED = Prepared(
    lambda order_id: LoweredUpsell.objects.filter(
        order_id=order_id, decision=LoweredUpsell.Decision.PENDING
    ).order_by("pk")[:1],
    [Marker.number(0)],
)
_PHOTO_GRID = Prepared(
    lambda session_id: (
        Photo.objects.filter(session_id=session_id)
        .order_by("number")
        .values_list("pk", "number", "processed_at", "favourite__chosen", "favourite__note")
    ),
    [Marker.number(0)],
)


def pending_lowered(order: Order) -> LoweredUpsell | None:
    """The order's lowered upsell still waiting for the cashier, if any."""
    found: LoweredUpsell | None = _LOWERED.first(order.pk)
    return found


def session_page(number: str, branch_ids: list[int]) -> SelectionSession | None:
    """The session of the order with this number, at one of these branches, with its
    order, couple, package, branch and consultant; None when there is none."""
    found: SelectionSession | None = _SESSION_PAGE.first(number, branch_ids)
    return found


def prices(branch: Branch) -> dict[tuple[str, str], PriceItem]:
    """The branch's active price list: {(product, size): PriceItem}."""
    return {(p.product, p.size): p for p in _PRICES(branch.pk)}


def summary(session: SelectionSession) -> Summary:
    """Picks per pass, counts against the package, and the upsell line by line: a product
    the package includes is covered up to the package's quantity, and only the rest is
    charged (issue 14, item 7). Five queries, whatever the number of picks or lines."""
    order = session.order
    package = order.package
    passes: dict[str, list[Picked]] = {value: [] for value in Pick.Pass.values}
    for row in _PICKS(session.pk):
        p = Picked(*row)
        passes[p.pass_kind].append(p)
    confirmed = passes[Pick.Pass.CONFIRMED]
    price = prices(order.branch)
    lines_of_products = _PRODUCT_LINES(session.pk)
    result = Summary(
        session=session,
        passes=passes,
        confirmed=confirmed,
        retouched=sum(1 for p in confirmed if p.retouch),
        retouched_included=package.retouched_photos,
        pages_used=len({p.album_page for p in confirmed if p.album_page}),
        pages_included=package.album_pages,
        product_lines=lines_of_products,
        allowances=[Allowance(line) for line in _PACKAGE_LINES(package.pk)],
    )

    def unit(product: str, size: str = "") -> Decimal | None:
        item = price.get((product, size))
        return item.price if item else None

    result.lines = [
        UpsellLine(
            label=_("Extra retouched photos"),
            chosen=result.retouched,
            included=result.retouched_included,
            unit_price=unit(Product.EXTRA_PHOTO),
            product=Product.EXTRA_PHOTO,
        ),
        UpsellLine(
            label=_("Extra album pages"),
            chosen=result.pages_used,
            included=result.pages_included,
            unit_price=unit(Product.EXTRA_PAGE),
            product=Product.EXTRA_PAGE,
        ),
    ]
    for line in lines_of_products:
        label = line.price_item.label
        if line.photo_number:
            label = f"{label} #{line.photo_number}"
        item = line.price_item
        result.lines.append(
            UpsellLine(
                label=label,
                chosen=line.quantity,
                included=cover(result.allowances, item.product, item.size, line.quantity),
                unit_price=line.price_item.price,
                product=line.price_item.product,
                item=line.price_item.label_param(line.photo_number),
            )
        )
    return result


# --- Production ---


def production_days(branch: Branch) -> int:
    """Days from the signed list to the finished products at the branch (20 unless set)."""
    days = ProductionLeadTime.objects.filter(branch=branch).values_list("days", flat=True)
    return days.first() or DEFAULT_PRODUCTION_DAYS


def with_pickup(items: QuerySet[ProductionItem]) -> QuerySet[ProductionItem]:
    """Items with the start of their order's booked pickup (`pickup_at`), one query."""
    return items.annotate(pickup_at=facts.booked_pickup_start(OuterRef("order")))


def due(item: ProductionItem, branch: Branch) -> date | None:
    """An item is due the day before its order's pickup, or — with no pickup booked — on
    the date set at confirmation (confirmation + the branch's production days)."""
    pickup_at = getattr(item, "pickup_at", None)  # from with_pickup()
    if pickup_at:
        return timezone.localtime(pickup_at, branch.tzinfo).date() - timedelta(days=1)
    return item.due_date


def is_late(item: ProductionItem, branch: Branch, today: date) -> bool:
    day = due(item, branch)
    return (
        item.stage != ProductionItem.Stage.DONE
        and day is not None
        and today >= day - timedelta(days=LATE_ALERT_DAYS)
    )


def _board_items(branch_id: int, branch_ids: list[int]) -> QuerySet[ProductionItem]:
    return with_pickup(
        ProductionItem.objects.filter(order__branch_id__any=branch_ids)
        .filter(order__branch_id=branch_id)
        .filter(
            Q(order__state=State.IN_PRODUCTION)
            | Q(order__state=State.READY, qc_passed_at__isnull=True)
        )
    ).annotate(
        order_number=F("order__number"),
        bride_name=F("order__customer__bride_name"),
        groom_name=F("order__customer__groom_name"),
        waiting_for_couple=Exists(
            _open_proofs(OuterRef("pk")).filter(
                decision=DesignProof.Decision.WAITING, shown_at__isnull=False
            )
        ),
        change_asked=Exists(
            _open_proofs(OuterRef("pk")).filter(decision=DesignProof.Decision.CHANGES)
        ),
    )


# The board's one query, its SQL made once per process (studio.prepared).
_BOARD = Prepared(_board_items, [Marker.number(0), Marker.numbers(0)])


def board(*, branch: Branch, branch_ids: Iterable[int]) -> dict[str, Any]:
    """The production board of a branch: the items of its orders in production, by stage,
    each with its due date and whether it is late, its order's number and couple, its
    stage in words. Only orders at `branch_ids` (the reader's branches); one query."""
    # Each item gets `due`, `late` and `couple` for the page.
    found: list[Any] = _BOARD(branch.pk, sorted(branch_ids))
    today, stages = branch.today(), labels(ProductionItem.Stage)
    for item in found:
        item.due = due(item, branch)
        item.late = is_late(item, branch, today)
        item.couple = couple_name(item.bride_name, item.groom_name)
        item.stage_label = stages[item.stage]
    found.sort(key=lambda i: (i.due or today, i.order_id, i.pk))
    columns = [
        {"stage": stage, "label": label, "items": [i for i in found if i.stage == stage]}
        for stage, label in ProductionItem.Stage.choices
    ]
    return {
        "columns": columns,
        "late": [i for i in found if i.late],
        "waiting_for_couple": [i for i in found if i.waiting_for_couple],
    }


def _open_proofs(item: Any) -> QuerySet[DesignProof]:
    return DesignProof.objects.filter(item=item, replaced=False)


def proofs_of(order: Order) -> list[ProductionItem]:
    """The order's albums and enlargements, each with `open_proofs` (still asked about,
    oldest first) and `old_proofs` (replaced versions): the designer's page. Two queries."""
    items: list[Any] = list(
        order.production_items.filter(product__in=[Product.ALBUM, Product.ENLARGEMENT])
        .prefetch_related(
            Prefetch("proofs", DesignProof.objects.order_by("pk"), to_attr="all_proofs")
        )
        .order_by("pk")
    )
    for item in items:
        item.open_proofs = [p for p in item.all_proofs if not p.replaced]
        item.old_proofs = [p for p in item.all_proofs if p.replaced]
    return items


def shown_proofs(order: Order) -> QuerySet[DesignProof]:
    """What the couple sees on their page: proofs shown to them and not replaced."""
    return (
        DesignProof.objects.filter(item__order=order, shown_at__isnull=False, replaced=False)
        .select_related("item")
        .order_by("item_id", "pk")
    )


def late_orders(*, now: datetime) -> list[tuple[Order, date]]:
    """(order, earliest due date) for every order in production with an item not done
    within 2 days of its due date."""
    items = with_pickup(
        ProductionItem.objects.filter(order__state=State.IN_PRODUCTION).exclude(
            stage=ProductionItem.Stage.DONE
        )
    ).select_related("order__branch", "order__customer__branch", "order__owner")
    late: dict[int, tuple[Order, date]] = {}
    for item in items:
        branch = item.order.branch
        today = timezone.localdate(now, branch.tzinfo)
        if is_late(item, branch, today):
            day = cast(date, due(item, branch))  # a late item has a due date
            order = item.order
            if order.pk not in late or day < late[order.pk][1]:
                late[order.pk] = (order, day)
    return list(late.values())


# --- The photos of a session ---


def previews_ready(order: Order) -> tuple[int, int]:
    """(photos, photos with their previews) of the order's session, in one query."""
    counts = Photo.objects.filter(session__order=order).aggregate(
        total=Count("pk"), ready=Count("pk", filter=Q(processed_at__isnull=False))
    )
    return counts["total"], counts["ready"]


def uploaded(order: Order) -> dict[int, dict[str, Any]]:
    """The photos already uploaded, by number: what the browser compares before sending a
    file again."""
    rows = Photo.objects.filter(session__order=order).values_list("number", "original_name", "size")
    return {number: {"name": name, "size": size} for number, name, size in rows}


@dataclass
class Tile:
    number: int
    thumbnail: str
    preview: str
    ready: bool
    # What the couple said at home: marked as a favourite, and their note.
    favourite: bool = False
    note: str = ""


def photo_grid(session: SelectionSession) -> list[Tile]:
    """The session's photos for the big screen, with the couple's favourites and notes from
    home, in one query whatever their number; the addresses are built from one reversed
    pattern, not reversed 1,600 times."""
    marker = 999999999
    thumbnail = reverse("selection:photo", args=[marker, "thumbnail"])
    preview = reverse("selection:photo", args=[marker, "preview"])
    rows = _PHOTO_GRID(session.pk)
    return [
        Tile(
            number=number,
            thumbnail=thumbnail.replace(str(marker), str(pk)),
            preview=preview.replace(str(marker), str(pk)),
            ready=processed_at is not None,
            favourite=bool(chosen),
            note=note or "",
        )
        for pk, number, processed_at, chosen, note in rows
    ]


@dataclass
class HomePhoto:
    pk: int
    number: int
    favourite: bool
    note: str


def home_photos(order: Order) -> list[HomePhoto]:
    """The photos the couple sees at home: those with their (watermarked) previews, while
    the list is not signed, with what they marked. One query."""
    if order.state not in (State.SHOT, State.SELECTING):
        return []
    rows = (
        Photo.objects.filter(session__order=order, processed_at__isnull=False)
        .order_by("number")
        .values_list("pk", "number", "favourite__chosen", "favourite__note")
    )
    return [
        HomePhoto(pk=pk, number=number, favourite=bool(chosen), note=note or "")
        for pk, number, chosen, note in rows
    ]


def awaiting_photos(orders: QuerySet[Order], *, branch: Branch) -> QuerySet[Order]:
    """The branch's orders shot and not yet signed (`orders` already scoped), newest
    first, with how many photos each has and how many have their previews: one query."""
    return (
        orders.filter(branch=branch, state__in=(State.SHOT, State.SELECTING))
        .select_related("customer")
        .annotate(
            photo_total=Count("selection__photos"),
            photo_ready=Count(
                "selection__photos", filter=Q(selection__photos__processed_at__isnull=False)
            ),
        )
        .order_by("-pk")
    )


def customer_data(customer: Customer) -> list[DataSection]:
    """Selection's part of a customer's export: the sessions and what is made."""
    return [
        data_section(
            "selections",
            gettext_lazy("Photo selections"),
            SelectionSession.objects.filter(order__customer=customer).order_by("pk"),
            ["order__number", "appointment_at", "photo_count", "signed_at", "upsell_discount"],
        ),
        data_section(
            "favourites",
            gettext_lazy("Favourites marked at home"),
            Favourite.objects.filter(photo__session__order__customer=customer).order_by("pk"),
            ["photo__session__order__number", "photo__number", "chosen", "note", "changed_at"],
        ),
        data_section(
            "production",
            gettext_lazy("Production items"),
            ProductionItem.objects.filter(order__customer=customer).order_by("pk"),
            ["order__number", "name", "product", "size", "pages", "stage"],
        ),
        data_section(
            "design_proofs",
            gettext_lazy("Design proofs"),
            DesignProof.objects.filter(
                item__order__customer=customer, shown_at__isnull=False
            ).order_by("pk"),
            ["item__order__number", "item__name", "title", "decision", "decided_at", "couple_note"],
        ),
        data_section(
            "compensations",
            gettext_lazy("Compensations"),
            Compensation.objects.filter(customer=customer).order_by("pk"),
            [
                "order__number",
                "kind",
                "amount",
                "expires_on",
                "voucher_code",
                "price_item__product",
                "price_item__size",
                "quantity",
                "method",
                "reason",
                "status",
                "proposed_at",
                "decided_at",
                "rejection_reason",
            ],
        ),
        data_section(
            "voucher_uses",
            gettext_lazy("Vouchers used"),
            VoucherUse.objects.filter(voucher__customer=customer).order_by("pk"),
            ["voucher__voucher_code", "order__number", "branch__name", "amount", "created_at"],
        ),
    ]


# --- Compensations (issue 14, item 6) ---


COMPENSATION_RELATED = (
    "branch",
    "customer",
    "order",
    "complaint",
    "price_item",
    "proposed_by",
    "decided_by",
)


def compensations(queryset: QuerySet[Compensation] | None = None) -> QuerySet[Compensation]:
    """Compensations with what their pages show (who proposed and decided, the product,
    the order, the complaint), in one query."""
    queryset = Compensation.objects.all() if queryset is None else queryset
    return queryset.select_related(*COMPENSATION_RELATED).prefetch_related(
        Prefetch("uses", queryset=_uses())
    )


def _uses() -> QuerySet[VoucherUse]:
    return VoucherUse.objects.select_related("order", "branch", "staff", "reverses").order_by(
        "created_at", "pk"
    )


def voucher_uses_of(order: Order) -> list[VoucherUse]:
    """The vouchers taken off an order (and given back), oldest first, each with its
    voucher and whether it was given back. Most orders have none: a plain look first
    (its SQL made once per process), the joins only when there are some."""
    if not _ANY_USE(order.pk):
        return []
    return list(
        _uses()
        .filter(order=order)
        .select_related("voucher")
        .annotate(given_back=Exists(VoucherUse.objects.filter(reverses=OuterRef("pk"))))
    )


_ANY_USE = Prepared(
    lambda order_id: VoucherUse.objects.filter(order_id=order_id).values_list("pk")[:1],
    [Marker.number(0)],
)
_ORDER_COMPENSATIONS = Prepared(
    lambda order_id: Compensation.objects.filter(order_id=order_id), [Marker.number(0)]
)


def compensations_of(*, order: Order) -> list[Compensation]:
    """An order's compensations with what their lines show (a couple's are read by the
    customer file's timeline). The rows first, then their related objects: most have
    none, and PostgreSQL took 4 ms to plan the seven joins to an empty result."""
    return with_related(_ORDER_COMPENSATIONS(order.pk))


def with_related(rows: list[Compensation]) -> list[Compensation]:
    """Compensation rows with what their lines show (one query per relation, and none
    when there are no rows)."""
    if rows:
        prefetch_related_objects(rows, *COMPENSATION_RELATED, Prefetch("uses", queryset=_uses()))
    return rows
