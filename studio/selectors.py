"""Reads the front-desk pages share: the customer search, the customer file, today's list."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Field, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .listing import choice_labels
from .middleware import StaffRequest
from .models import (
    Branch,
    ConsentChannel,
    ConsentEvent,
    ConsentPurpose,
    Customer,
    CustomerChange,
    DiscountApproval,
    Leave,
    Package,
    Rota,
    Staff,
    Visit,
)
from .prepared import Marker, Prepared
from .validators import phone_search_prefix

SEARCH_LIMIT = 10
# Trigram indexes need three characters; shorter names (a surname, 李娜) match from the start.
SHORTEST_ANYWHERE = 3


def search_customers(
    queryset: QuerySet[Customer], q: str | None, *, limit: int = SEARCH_LIMIT
) -> QuerySet[Customer]:
    """The couples matching `q` (`customers_matching`), newest first, `limit` of them.
    `bench_search` times this very function."""
    found = customers_matching(queryset, q)
    return found.select_related("owner").order_by("-created_at")[:limit]


def customers_matching(queryset: QuerySet[Customer], q: str | None) -> QuerySet[Customer]:
    """Couples by phone prefix (either phone) or by name: from the start for one or two
    characters, anywhere for three or more. The front desk's search and the admin's.

    Served by indexes (migrations 0004-0005): varchar_pattern_ops on the phones and
    text_pattern_ops on UPPER(name) for prefixes, pg_trgm GIN on UPPER(name) for the rest.
    """
    q = (q or "").strip()
    digits = phone_search_prefix(q)
    if digits:
        q = digits
    if not q:
        return queryset.none()
    if digits:
        if len(q) < 3:
            return queryset.none()
        return queryset.filter(Q(bride_phone__startswith=q) | Q(groom_phone__startswith=q))
    if len(q) < SHORTEST_ANYWHERE:
        return queryset.filter(Q(bride_name__istartswith=q) | Q(groom_name__istartswith=q))
    return queryset.filter(Q(bride_name__icontains=q) | Q(groom_name__icontains=q))


def rota_for(branch: Branch, day: date) -> Rota | None:
    return Rota.objects.filter(branch=branch, day=day).prefetch_related("slots__staff").first()


def open_visits(branch: Branch) -> list[Visit]:
    """The branch's consultations in progress, the longest waiting first (Today)."""
    return _OPEN_VISITS(branch.pk)


_OPEN_VISITS = Prepared(
    lambda branch_id: (
        Visit.objects.filter(branch_id=branch_id, closed_at__isnull=True)
        .select_related("customer", "taker")
        .order_by("arrived_at")
    ),
    [Marker.number(0)],
)


def covering_for(staff: Staff, *, on: date) -> list[Leave]:
    """The leaves during which `staff` is the agent on date `on` (whose work they carry).
    Today and the call list read it at every request: its SQL made once."""
    return _COVERING(staff.pk, on)


_COVERING = Prepared(
    lambda agent_id, on: Leave.objects.filter(
        agent_id=agent_id, starts_on__lte=on, ends_on__gte=on
    ).select_related("staff"),
    [Marker.number(0), Marker.day(0)],
)


def approving_manager(
    *, approval_id: int | str | None, customer: Customer, package: Package, discount: Decimal
) -> Staff | None:
    """The manager who approved this discount (or more) for this couple and package."""
    from .models import DiscountApproval

    if not approval_id:
        return None
    found = (
        DiscountApproval.objects.filter(
            pk=approval_id,
            customer=customer,
            package=package,
            discount__gte=discount,
            status=DiscountApproval.Status.APPROVED,
        )
        .select_related("decided_by")
        .first()
    )
    return found.decided_by if found else None


def pending_approvals(request: StaffRequest) -> list[DiscountApproval]:
    from .models import DiscountApproval

    if not request.staff.is_manager:
        return []
    return list(
        DiscountApproval.objects.filter(
            branch__in=request.staff.branch_ids, status=DiscountApproval.Status.PENDING
        ).select_related("customer", "package", "requested_by")
    )


@dataclass
class FileChange:
    at: datetime
    by: object
    field: str
    old: str
    new: str


def _shown(field: "Field[Any, Any]", value: Any) -> str:
    """A value of the customer's file as the reader reads it, in their language."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if hasattr(value, "isoformat"):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


# The file's trail shows this many changes, newest first.
FILE_CHANGES = 50

_HISTORY = Prepared(
    lambda customer_id: (
        Customer.history.model.objects.filter(id=customer_id)
        .select_related("history_user__staff")
        .order_by("-history_date", "-history_id")[: FILE_CHANGES + 1]
    ),
    [Marker.number(0)],
)
_CHANGES = Prepared(
    lambda customer_id: (
        CustomerChange.objects.filter(customer_id=customer_id)
        .select_related("staff")
        .order_by("-at", "-pk")[:FILE_CHANGES]
    ),
    [Marker.number(0)],
)


def customer_changes(customer: Customer, *, recorded: bool = True) -> list[FileChange]:
    """Who changed what on a couple's file, newest first: the customer's history
    (django-simple-history, written by the file's edit page and the admin alike), and the
    changes recorded before it (`CustomerChange`, kept as written). Two queries; one when
    the caller knows there are no `recorded` changes."""
    limit = FILE_CHANGES
    records = _HISTORY(customer.pk)
    changes: list[FileChange] = []
    for newer, older in zip(records, records[1:], strict=False):
        delta = newer.diff_against(older, foreign_keys_are_objs=True)
        who = getattr(newer.history_user, "staff", None) or newer.history_user
        for change in delta.changes:
            field: Any = Customer._meta.get_field(change.field)
            changes.append(
                FileChange(
                    newer.history_date,
                    who or "—",
                    str(field.verbose_name),
                    _shown(field, change.old),
                    _shown(field, change.new),
                )
            )
    for row in _CHANGES(customer.pk) if recorded else []:
        try:
            found: Any = Customer._meta.get_field(row.field)
            label = str(found.verbose_name)
        except Exception:  # noqa: BLE001 - a field renamed since
            label = row.field
        changes.append(FileChange(row.at, row.staff, label, row.old or "—", row.new or "—"))
    changes.sort(key=lambda c: c.at, reverse=True)
    return changes[:limit]


# --- Consent (PIPL): the latest record per customer, purpose and channel ---


def consent_given(purpose: str, channel: str, *, customer: str = "pk") -> Subquery:
    """An expression for a customer queryset: True when the latest consent record of
    `purpose` on `channel` is a grant, False when it is a withdrawal, None when never
    asked. One index probe per row (index `consent_latest`), no query per customer:
    `customers.alias(ok=consent_given(...)).filter(ok=True)`."""
    latest = ConsentEvent.objects.filter(
        customer=OuterRef(customer), purpose=purpose, channel=channel
    ).order_by("-pk")
    return Subquery(latest.values("granted")[:1], output_field=BooleanField())


@dataclass
class Consent:
    """The consent in force for one purpose on one channel, with the record that set it."""

    purpose: str
    channel: str
    event: ConsentEvent | None

    @property
    def granted(self) -> bool:
        return bool(self.event and self.event.granted)

    @property
    def purpose_label(self) -> str:
        return str(ConsentPurpose(self.purpose).label)

    @property
    def channel_label(self) -> str:
        return str(ConsentChannel(self.channel).label)


def consents_of(customer: Customer) -> list[Consent]:
    """Every purpose × channel with the record in force (None: never asked), in the order
    of the choices. One query: a customer has a handful of records."""
    return _in_force(ConsentEvent.objects.filter(customer=customer).order_by("-pk"))


def _in_force(newest_first: Iterable[ConsentEvent]) -> list[Consent]:
    latest: dict[tuple[str, str], ConsentEvent] = {}
    for event in newest_first:
        latest.setdefault((event.purpose, event.channel), event)
    return [
        Consent(p, c, latest.get((p, c)))
        for p in ConsentPurpose.values
        for c in ConsentChannel.values
    ]


def has_consent(customer: Customer, *, purpose: str, channel: str) -> bool:
    """Whether the customer's latest record for `purpose` on `channel` is a grant."""
    latest = (
        ConsentEvent.objects.filter(customer=customer, purpose=purpose, channel=channel)
        .order_by("-pk")
        .values_list("granted", flat=True)
        .first()
    )
    return bool(latest)


def consents_in_force(customer_ids: Iterable[int]) -> set[tuple[int, str, str]]:
    """(customer, purpose, channel) of every consent in force for these customers, in one
    query: the dispatcher checks a whole batch again before sending (a consent withdrawn
    after the message was queued stops it)."""
    latest: dict[tuple[int, str, str], bool] = {}
    events = ConsentEvent.objects.filter(customer_id__in=set(customer_ids)).order_by("pk")
    for customer_id, purpose, channel, granted in events.values_list(
        "customer_id", "purpose", "channel", "granted"
    ):
        latest[(customer_id, purpose, channel)] = granted
    return {key for key, granted in latest.items() if granted}


@dataclass
class ConsentLine:
    """A consent record as the file's history shows it, its labels in the reader's
    language (looked up once per page, not rebuilt by get_FOO_display per record)."""

    at: datetime
    granted: bool
    purpose: str
    channel: str
    source: str
    recorded_by: Staff | None


def consent_lines(history: list[ConsentEvent]) -> list[ConsentLine]:
    purposes = choice_labels(ConsentEvent, "purpose")
    channels = choice_labels(ConsentEvent, "channel")
    sources = choice_labels(ConsentEvent, "source")
    return [
        ConsentLine(
            e.at,
            e.granted,
            purposes.get(e.purpose, e.purpose),
            channels.get(e.channel, e.channel),
            sources.get(e.source, e.source),
            e.recorded_by,
        )
        for e in history
    ]


def consent_history(customer: Customer) -> list[ConsentEvent]:
    """Every consent record of the customer, newest first, with who recorded it."""
    return _CONSENT_HISTORY(customer.pk)


_CONSENT_HISTORY = Prepared(
    lambda customer_id: (
        ConsentEvent.objects.filter(customer_id=customer_id)
        .select_related("recorded_by")
        .order_by("-pk")
    ),
    [Marker.number(0)],
)


def consent_rows(consents: list[Consent]) -> list[tuple[str, list[Consent]]]:
    """`consents_of` as the file's table shows it: a row per purpose, a cell per channel."""
    rows: dict[str, list[Consent]] = {}
    for consent in consents:
        rows.setdefault(consent.purpose_label, []).append(consent)
    return list(rows.items())


def consent_context(customer: Customer, *, any_records: bool = True) -> dict[str, Any]:
    """What `studio/includes/consent.html` shows: the state table and the history, from
    one query (none when the caller knows there are no records: never asked)."""
    history = consent_history(customer) if any_records else []
    return {
        "consent_rows": consent_rows(_in_force(history)),
        "consent_channels": ConsentChannel,
        "consent_history": consent_lines(history),
    }


# --- A customer's data, for their export (PIPL). Each app describes its own rows. ---


@dataclass
class DataSection:
    """One kind of record in a customer's export: the JSON takes `rows` as they are (codes,
    ISO dates), the PDF shows `columns` and `shown_rows` in the reader's language."""

    key: str
    title: Any
    model: type[Any]
    fields: list[str]
    rows: list[dict[str, Any]]

    def _field(self, path: str) -> Any:
        model, found = self.model, None
        for part in path.split("__"):
            found = model._meta.get_field(part)
            model = found.related_model or model
        return found

    def columns(self) -> list[str]:
        return [str(self._field(name).verbose_name) for name in self.fields]

    def shown_rows(self) -> list[list[str]]:
        fields = [self._field(name) for name in self.fields]
        return [
            [_cell(field, row[name]) for field, name in zip(fields, self.fields, strict=True)]
            for row in self.rows
        ]


def _cell(field: Any, value: Any) -> str:
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return _shown(field, value)


def data_section(key: str, title: Any, queryset: QuerySet[Any], fields: list[str]) -> DataSection:
    """`fields` of every row of `queryset` (lookups through relations allowed), one query."""
    return DataSection(key, title, queryset.model, fields, list(queryset.values(*fields)))


def customer_data(customer: Customer) -> list[DataSection]:
    """The core's part of a customer's export: the file, its visits and its consent."""
    return [
        data_section(
            "customer",
            _("Customer"),
            Customer.objects.filter(pk=customer.pk),
            [
                "bride_name",
                "bride_phone",
                "bride_birthday",
                "bride_birthday_is_lunar",
                "groom_name",
                "groom_phone",
                "groom_birthday",
                "groom_birthday_is_lunar",
                "wechat",
                "wechat_openid",
                "address",
                "wedding_date",
                "source",
                "membership_level",
                "notes",
                "language",
                "created_at",
                "branch__name",
            ],
        ),
        data_section(
            "visits",
            _("Visits"),
            Visit.objects.filter(customer=customer).order_by("arrived_at"),
            [
                "arrived_at",
                "kind",
                "reason",
                "compared_studios",
                "budget",
                "outcome",
                "not_booked_reason",
                "closed_at",
            ],
        ),  # fmt: skip
        data_section(
            "consent",
            _("Consent history"),
            ConsentEvent.objects.filter(customer=customer).order_by("pk"),
            ["at", "purpose", "channel", "granted", "source"],
        ),
    ]
