"""Reads of commissions the pages, the CSV and the reports share."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from studio.models import Branch, Staff

from .models import ZERO, Basis, CommissionRule, Credit, StatementMonth


@dataclass
class StaffLine:
    """One staff member's month at a branch: a total per basis and in all."""

    staff_id: int
    name: str
    by_basis: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal = ZERO

    def amounts(self) -> list[Decimal]:
        return [self.by_basis.get(basis, ZERO) for basis in Basis.values]


def credits_of(staff: Staff, month: date, branch_ids: Any) -> QuerySet[Credit]:
    """One person's credits of a month, at the branches the reader may see."""
    return (
        Credit.objects.filter(staff=staff, month=month, branch_id__in=branch_ids)
        .select_related("branch", "order__customer", "entry", "shoot")
        .order_by("earned_at", "pk")
    )


def statement(staff: Staff, month: date, branch_ids: Any) -> dict[str, Any]:
    credits = list(credits_of(staff, month, branch_ids))
    totals: dict[str, Decimal] = {}
    for credit in credits:
        totals[credit.basis] = totals.get(credit.basis, ZERO) + credit.amount
    locked = StatementMonth.objects.filter(
        month=month, branch_id__in={c.branch_id for c in credits} or branch_ids,
        locked_at__isnull=False,
    ).select_related("branch")  # fmt: skip
    return {
        "credits": credits,
        "totals": [(Basis(b).label, totals[b]) for b in Basis.values if b in totals],
        "total": sum((c.amount for c in credits), ZERO),
        "locked_months": list(locked),
    }


def branch_month(branch: Branch, month: date) -> list[StaffLine]:
    """Every staff member with credits in the branch's month, by name: one query."""
    rows = (
        Credit.objects.filter(branch=branch, month=month)
        .values("staff_id", "staff__display_name", "basis")
        .annotate(amount=Sum("amount"))
        .order_by("staff__display_name", "staff_id", "basis")
    )
    lines: dict[int, StaffLine] = {}
    for row in rows:
        line = lines.setdefault(
            row["staff_id"], StaffLine(row["staff_id"], row["staff__display_name"])
        )
        line.by_basis[row["basis"]] = row["amount"]
        line.total += row["amount"]
    return list(lines.values())


def month_row(branch: Branch, month: date) -> StatementMonth | None:
    return (
        StatementMonth.objects.filter(branch=branch, month=month)
        .select_related("locked_by")
        .first()
    )


def rules(branch: Branch) -> QuerySet[CommissionRule]:
    return CommissionRule.objects.filter(branch=branch).order_by("basis", "-valid_from")


def earned_by_staff(
    branch: Branch, *, month: date | None = None, between: tuple[Any, Any] | None = None
) -> dict[int, Decimal]:
    """What each staff member earned at the branch: in a statement month (carried-over
    credits included), or earned between two moments (a day). One query."""
    credits = Credit.objects.filter(branch=branch)
    if month is not None:
        credits = credits.filter(month=month)
    if between is not None:
        credits = credits.filter(earned_at__gte=between[0], earned_at__lt=between[1])
    return dict(
        credits.order_by()
        .values_list("staff")
        .annotate(total=Sum("amount"))
        .values_list("staff", "total")
    )
