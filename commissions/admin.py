from django.contrib import admin

from studio.admin import HistoryAdmin, ReadOnlyAdmin

from .models import CommissionRule, Credit, SaleShare, StatementMonth


@admin.register(CommissionRule)
class CommissionRuleAdmin(HistoryAdmin):
    """The branch's rules; a credit already written keeps the rule it was earned by."""

    branch_path = "branch"
    list_display = ["basis", "percent", "fixed_amount", "valid_from", "valid_until", "branch"]
    list_filter = ["branch", "basis"]
    list_select_related = ["branch"]


@admin.register(Credit)
class CreditAdmin(ReadOnlyAdmin):
    branch_path = "branch"
    list_display = ["staff", "month", "basis", "order", "base", "share", "amount", "earned_at"]
    list_filter = ["branch", "basis", "month"]
    search_fields = ["order__number", "staff__display_name"]
    list_select_related = ["staff", "order", "branch"]


@admin.register(StatementMonth)
class StatementMonthAdmin(ReadOnlyAdmin):
    """Locked from the branch's commissions page (commissions.services.lock_month)."""

    branch_path = "branch"
    list_display = ["month", "branch", "locked_at", "locked_by"]
    list_filter = ["branch"]
    list_select_related = ["branch", "locked_by"]


@admin.register(SaleShare)
class SaleShareAdmin(ReadOnlyAdmin):
    """Set on the order's shares page, which keeps the parts at 100%."""

    branch_path = "order__branch"
    list_display = ["order", "basis", "staff", "percent"]
    search_fields = ["order__number"]
    list_select_related = ["order", "staff"]
