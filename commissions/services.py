"""Writes for commissions: credits from the ledger and finished shoots, shares of a sale,
locking a month. Each function is one transaction and locks what it changes."""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.models import LedgerEntry, Order
from selection.models import SelectionSession
from shoots.models import Shoot
from studio.models import Branch, Staff
from studio.services import AlreadyDone

from .models import (
    HUNDRED,
    LEDGER_BASES,
    REFUND_BASES,
    SHOOT_BASES,
    ZERO,
    Basis,
    CommissionRule,
    Credit,
    Reckoned,
    SaleShare,
    StatementMonth,
)

FEN = Decimal("0.01")
Share = tuple[Staff, Decimal]


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def local_day(branch: Branch, when: datetime) -> date:
    return when.astimezone(branch.tzinfo).date()


def _open_month(branch: Branch, month: date) -> date:
    """The first month from `month` on that is not locked, its row locked until commit:
    a manager locking it meanwhile waits, and a month locked first sends the credit on."""
    while True:
        StatementMonth.objects.bulk_create(
            [StatementMonth(branch=branch, month=month)], ignore_conflicts=True
        )
        row = StatementMonth.objects.select_for_update().get(branch=branch, month=month)
        if not row.is_locked:
            return month
        month = next_month(month)


def rules_on(branch: Branch, day: date) -> dict[str, CommissionRule]:
    """The branch's rule for each basis on `day` (rules of one basis never overlap)."""
    found = CommissionRule.objects.filter(branch=branch, valid_from__lte=day).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )
    return {rule.basis: rule for rule in found.order_by("valid_from")}


def split(total: Decimal, shares: Sequence[Share]) -> list[tuple[Staff, Decimal, Decimal]]:
    """(staff, share, amount) for each share, in whole fen; the last takes the remainder so
    the parts add up to the total exactly."""
    parts = []
    given = ZERO
    for i, (staff, percent) in enumerate(shares):
        if i == len(shares) - 1:
            amount = total - given
        else:
            amount = (total * percent / HUNDRED).quantize(FEN, rounding=ROUND_HALF_UP)
        given += amount
        parts.append((staff, percent, amount))
    return parts


def earners(order: Order, basis: str, entry: LedgerEntry | None = None) -> list[Share]:
    """Who earns on this order's `basis`: the shares a manager set, else the one person
    the order names (the order taker, who brought the couple in, the consultant, the desk)."""
    shares = [
        (s.staff, s.percent)
        for s in SaleShare.objects.filter(order=order, basis=basis).select_related("staff")
    ]
    if shares:
        return shares
    person: Staff | None = None
    if basis == Basis.SIGNING:
        person = order.owner
    elif basis == Basis.INVITATION:
        inviter = order.customer.owner
        # The first to take the couple (by phone, online, at a fair) when someone else signed.
        if inviter is not None and inviter.pk != order.owner_id:
            person = inviter
    elif basis == Basis.SELECTION_UPSELL:
        session = SelectionSession.objects.filter(order=order).select_related("consultant")
        found = session.first()
        if found is not None and found.consultant is not None:
            person = found.consultant
        elif entry is not None:
            person = entry.staff
    elif basis == Basis.PICKUP_SALE and entry is not None:
        person = entry.staff  # the desk that made the third sale
    return [(person, HUNDRED)] if person is not None else []


def _claim(**what: object) -> bool:
    """Mark an entry or a shoot reckoned; False when someone did it first. A second worker
    waits on the unique index until the first commits, then finds the row."""
    try:
        with transaction.atomic():
            Reckoned.objects.create(**what)
    except IntegrityError:
        return False
    return True


def _fixed_already_earned(order: Order, basis: str) -> bool:
    net = Credit.objects.filter(
        order=order, basis=basis, rule__fixed_amount__isnull=False, shoot__isnull=True
    ).aggregate(total=Sum("amount"))["total"]
    return bool(net and net > ZERO)


def _ledger_credits(entry: LedgerEntry) -> list[Credit]:
    """The unsaved credits an entry earns (or takes back), without their month."""
    order = entry.order
    day = local_day(entry.branch, entry.created_at)
    found: list[Credit] = []
    if entry.reverses_id is None:
        rules = rules_on(entry.branch, day)
        if not rules:
            return found

    def add(basis: str, rule: CommissionRule, base: Decimal, total: Decimal, shares) -> None:
        for staff, percent, amount in split(total, shares):
            if amount:
                found.append(
                    Credit(
                        branch=entry.branch, staff=staff, basis=basis, rule=rule, order=order,
                        entry=entry, base=base, share=percent, amount=amount,
                        earned_at=entry.created_at,
                    )
                )  # fmt: skip

    if entry.reverses_id:
        # A correction undoes exactly what the corrected entry earned, whoever earned it.
        for old in Credit.objects.filter(entry_id=entry.reverses_id).select_related("staff"):
            found.append(
                Credit(
                    branch=old.branch, staff=old.staff, basis=old.basis, rule_id=old.rule_id,
                    order=order, entry=entry, base=-old.base, share=old.share,
                    amount=-old.amount, earned_at=entry.created_at,
                )
            )  # fmt: skip
        return found
    if entry.kind == LedgerEntry.Kind.REFUND:
        for basis in REFUND_BASES:
            rule = rules.get(basis)
            if rule is not None and rule.percent is not None:
                total = (entry.amount * rule.percent / HUNDRED).quantize(FEN, ROUND_HALF_UP)
                add(basis, rule, entry.amount, total, earners(order, basis, entry))
        return found
    for basis, kinds in LEDGER_BASES.items():
        if entry.kind not in kinds or entry.amount <= ZERO:
            continue
        rule = rules.get(basis)
        if rule is None:
            continue
        if rule.percent is not None:
            total = (entry.amount * rule.percent / HUNDRED).quantize(FEN, ROUND_HALF_UP)
        elif _fixed_already_earned(order, basis):
            continue
        else:
            total = rule.fixed_amount or ZERO
        add(basis, rule, entry.amount, total, earners(order, basis, entry))
    return found


def _write(branch: Branch, day: date, credits: list[Credit]) -> list[Credit]:
    if not credits:
        return []
    month = _open_month(branch, month_of(day))
    for credit in credits:
        credit.month = month
    return Credit.objects.bulk_create(credits)


def credit_entry(*, entry: LedgerEntry) -> list[Credit]:
    """The credits of one ledger entry, exactly once: money received earns the order's
    people their rules' part, a refund takes the package's part back, a reversal undoes
    the reversed entry's credits. They go to the entry's month, or the next open one when
    a manager has locked it. Holds, and what was kept of them, earn nothing."""
    with transaction.atomic():
        if not _claim(entry=entry):
            return []
        if entry.kind in LedgerEntry.NOT_PAID:
            return []
        credits = _ledger_credits(entry)
        return _write(entry.branch, local_day(entry.branch, entry.created_at), credits)


def credit_shoot(*, shoot: Shoot) -> list[Credit]:
    """A finished shoot's per-shoot fees for its photographer and makeup artist, once."""
    if shoot.status != Shoot.Status.FINISHED:
        return []
    with transaction.atomic():
        if not _claim(shoot=shoot):
            return []
        when = shoot.finished_at or timezone.now()
        day = local_day(shoot.branch, when)
        credits = []
        rules = rules_on(shoot.branch, day)
        for basis, field in SHOOT_BASES.items():
            person = getattr(shoot, field)
            rule = rules.get(basis)
            if person is None or rule is None or rule.fixed_amount is None:
                continue
            credits.append(
                Credit(
                    branch=shoot.branch, staff=person, basis=basis, rule=rule,
                    order_id=shoot.order_id, shoot=shoot, amount=rule.fixed_amount,
                    earned_at=when,
                )
            )  # fmt: skip
        return _write(shoot.branch, day, credits)


def credit_new_entries(*, limit: int = 500) -> int:
    """The sweep behind the signal: entries and finished shoots written without it
    (bulk loads, a receiver that failed) get their credits. Idempotent."""
    entries = LedgerEntry.objects.filter(
        ~Exists(Reckoned.objects.filter(entry=OuterRef("pk")))
    ).select_related("branch", "order__customer", "order__owner", "staff")[:limit]
    shoots = Shoot.objects.filter(
        ~Exists(Reckoned.objects.filter(shoot=OuterRef("pk"))), status=Shoot.Status.FINISHED
    ).select_related("branch", "photographer", "makeup_artist")[:limit]
    done = 0
    for entry in entries:
        done += bool(credit_entry(entry=entry))
    for shoot in shoots:
        done += bool(credit_shoot(shoot=shoot))
    return done


def share_sale(*, order: Order, basis: str, shares: Sequence[Share], by: Staff) -> None:
    """From now on the order's `basis` is earned by these people in these parts (adding
    up to 100%); credits already written stay as they are. One person: the shares go."""
    if basis not in LEDGER_BASES:
        raise ValidationError({"basis": _("Only a sale can be shared, not a shoot's fee.")})
    people = [staff.pk for staff, _percent in shares]
    if len(set(people)) != len(people):
        raise ValidationError(_("Each person can have one share only."))
    if any(percent <= ZERO for _staff, percent in shares):
        raise ValidationError(_("Each share must be more than nothing."))
    if sum((percent for _staff, percent in shares), ZERO) != HUNDRED:
        raise ValidationError(_("The shares must add up to 100%."))
    outsiders = [s for s, _p in shares if not s.branches.filter(pk=order.branch_id).exists()]
    if outsiders:
        raise ValidationError(
            _("%(name)s does not work at this branch.") % {"name": outsiders[0].display_name}
        )
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=order.pk)
        SaleShare.objects.filter(order=order, basis=basis).delete()
        if len(shares) > 1:
            SaleShare.objects.bulk_create(
                [SaleShare(order=order, basis=basis, staff=s, percent=p) for s, p in shares]
            )


def lock_month(*, branch: Branch, month: date, by: Staff) -> StatementMonth:
    """The manager has checked the month: from now on nothing lands in it. Only a month
    that is over can be locked; a second press finds it locked (AlreadyDone)."""
    month = month_of(month)
    if month >= month_of(branch.today()):
        raise ValidationError({"month": _("A month can be locked once it is over.")})
    with transaction.atomic():
        StatementMonth.objects.bulk_create(
            [StatementMonth(branch=branch, month=month)], ignore_conflicts=True
        )
        row = StatementMonth.objects.select_for_update().get(branch=branch, month=month)
        if row.is_locked:
            name = row.locked_by.display_name if row.locked_by else "?"
            raise AlreadyDone(
                _("Already done: %(month)s was locked by %(name)s.")
                % {"month": f"{month:%Y-%m}", "name": name}
            )
        row.locked_at = timezone.now()
        row.locked_by = by
        row.save(update_fields=["locked_at", "locked_by"])
        return row
