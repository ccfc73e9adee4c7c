"""What must hold of a built dataset: the models' rules on a sample of every table, the
journey's invariants over all of it, and the periodic jobs finding nothing left to do at the
dataset's moment (the builder wrote what they would have written)."""

from collections import Counter
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum

from followups.models import CallTask, Complaint, OutboxMessage
from orders.models import Charge, LedgerEntry, Order, ReferralReward, State
from pickup.models import PickupAppointment, Survey
from rentals.models import DressReservation
from selection.models import Pick, ProductionItem, ProductLine, SelectionSession
from shoots.models import HandOff, PlannedSet, ResourceBooking, Shoot
from studio.models import Customer, Visit

SAMPLED = [
    Customer, Visit, Order, LedgerEntry, Charge, Shoot, PlannedSet, ResourceBooking, HandOff,
    SelectionSession, Pick, ProductLine, ProductionItem, PickupAppointment, Survey,
    DressReservation, Complaint, CallTask, OutboxMessage, ReferralReward,
]  # fmt: skip


def sample_errors(per_table=50):
    """full_clean() on up to `per_table` rows of each table, spread over its ids: the rows
    that fail, as (model, pk, errors)."""
    failed = []
    for model in SAMPLED:
        total = model.objects.count()
        step = max(1, total // per_table)
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True)[::step][:per_table])
        for obj in model.objects.filter(pk__in=ids):
            try:
                # The state field is protected (django-fsm): only transitions set it.
                obj.full_clean(exclude=["state"] if model is Order else None)
            except Exception as exc:  # noqa: BLE001 - every failure is reported
                failed.append((model.__name__, obj.pk, getattr(exc, "message_dict", str(exc))))
    return failed


def invariant_errors():
    """The journey's rules over every row: each is a query that must find nothing."""
    errors = []

    def none(name, queryset):
        n = queryset.count()
        if n:
            errors.append(f"{name}: {n}")

    paid = LedgerEntry.objects.exclude(kind__in=LedgerEntry.NOT_PAID)
    sums = dict(paid.values("order").annotate(t=Sum("amount")).values_list("order", "t"))
    extra = dict(Charge.objects.values("order").annotate(t=Sum("amount")).values_list("order", "t"))
    zero = Decimal("0")
    for pk, state, agreed in Order.objects.values_list("pk", "state", "agreed_price"):
        due = agreed + extra.get(pk, zero) - sums.get(pk, zero)
        if state == State.DELIVERED and due > 0:
            errors.append(f"order {pk} delivered with {due} due")
        # As the busy day checks it: a kept deposit is not paid (LedgerEntry.NOT_PAID),
        # so no order but a cancelled one (its refund policy) ends paid beyond its cost.
        if state != State.CANCELLED and due < 0:
            errors.append(f"order {pk} paid {-due} more than it owes")
    holds = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.LOCKER_DEPOSIT)
    held = holds.values("order").annotate(t=Sum("amount")).filter(~Q(t=0)).values("order")
    none("orders past the shoot still holding a locker deposit",
         Order.objects.filter(pk__in=held).exclude(state=State.SHOOTING))  # fmt: skip
    live = (Shoot.Status.PLANNED, Shoot.Status.CHECKED_IN, Shoot.Status.FINISHED)
    none("scheduled orders without a planned shoot",
         Order.objects.filter(state=State.SCHEDULED).exclude(shoots__status=Shoot.Status.PLANNED))  # fmt: skip
    none("shooting orders without a checked-in shoot",
         Order.objects.filter(state=State.SHOOTING).exclude(shoots__status=Shoot.Status.CHECKED_IN))  # fmt: skip
    none("orders with two live shoots",
         Order.objects.annotate(n=Count("shoots", filter=Q(shoots__status__in=live))).filter(n__gt=1))  # fmt: skip
    none("bookings of shoots that gave their time back",
         ResourceBooking.objects.exclude(shoot__status__in=live))  # fmt: skip
    none("delivered orders with an item not handed over",
         ProductionItem.objects.filter(order__state=State.DELIVERED, handed_over_at=None))  # fmt: skip
    none("open shoot confirmations of orders no longer scheduled",
         CallTask.objects.filter(kind=CallTask.Kind.SHOOT_CONFIRM, status=CallTask.Status.OPEN)
         .exclude(order__state=State.SCHEDULED))  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM shoots_resourcebooking a JOIN shoots_resourcebooking b
               ON a.resource = b.resource AND a.id < b.id
               AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"""
        )
        (overlaps,) = cursor.fetchone()
    if overlaps:
        errors.append(f"double bookings: {overlaps}")
    return errors


def state_mix():
    return Counter(dict(Order.objects.values_list("state").annotate(n=Count("pk"))))


def settle(now):
    """Run the periodic jobs once at the dataset's moment: how many rows each created.
    The builder wrote their history, so each should find (next to) nothing to do."""
    from followups.services import run_care_rules
    from selection.photos import announce_ready_photos
    from selection.services import alert_late_production, plan_selection_calls
    from shoots.services import plan_confirmation_calls

    created = {}
    for name, job in (
        ("care rules", run_care_rules),
        ("shoot confirmation calls", plan_confirmation_calls),
        ("selection confirmation calls", plan_selection_calls),
        ("late production alerts", alert_late_production),
        ("photos ready for the couple", announce_ready_photos),
    ):
        before = CallTask.objects.count() + OutboxMessage.objects.count()
        job(now=now)
        created[name] = CallTask.objects.count() + OutboxMessage.objects.count() - before
    return created
