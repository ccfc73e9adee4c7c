from django.contrib import admin

from .models import (
    Branch,
    Customer,
    CustomerChange,
    Leave,
    MembershipLevelRule,
    MonthlyTarget,
    Package,
    ReferralReward,
    Rota,
    RotaSlot,
    Staff,
    Visit,
    WorkerHeartbeat,
)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent but never written in the admin (logs, money)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the studio's services only: looked at here, never changed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "timezone", "pay_in_full_before_shoot", "discount_limit"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "is_active"]
    list_filter = ["branches", "user__groups", "is_active"]
    filter_horizontal = ["branches"]
    search_fields = ["display_name", "user__username"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "branch", "owner", "wedding_date", "source", "membership_level"]
    list_filter = ["branch", "source", "membership_level"]
    search_fields = ["bride_name", "groom_name", "bride_phone", "groom_phone"]
    raw_id_fields = ["referrer", "owner"]
    list_select_related = ["branch", "owner"]


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "price", "floor_price", "is_signature", "is_active"]
    list_filter = ["is_active", "branches"]
    filter_horizontal = ["branches"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_seen", "beats"]
    readonly_fields = ["name", "last_seen", "beats"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["customer", "branch", "taker", "arrived_at", "source", "outcome"]
    list_filter = ["branch", "outcome", "source", "kind"]
    raw_id_fields = ["customer", "referrer"]
    list_select_related = ["customer", "branch", "taker"]
    date_hierarchy = "arrived_at"


class RotaSlotInline(admin.TabularInline):
    model = RotaSlot
    extra = 0


@admin.register(Rota)
class RotaAdmin(admin.ModelAdmin):
    list_display = ["branch", "day", "set_by"]
    list_filter = ["branch"]
    inlines = [RotaSlotInline]


@admin.register(Leave)
class LeaveAdmin(admin.ModelAdmin):
    list_display = ["staff", "starts_on", "ends_on", "agent"]
    list_select_related = ["staff", "agent"]


@admin.register(MembershipLevelRule)
class MembershipLevelRuleAdmin(admin.ModelAdmin):
    list_display = ["level", "referrals_needed", "reward"]
    list_editable = ["referrals_needed", "reward"]


@admin.register(ReferralReward)
class ReferralRewardAdmin(admin.ModelAdmin):
    list_display = [
        "referrer",
        "referred_order",
        "reward",
        "level_before",
        "level_after",
        "created_at",
    ]
    list_select_related = ["referrer", "referred_order"]
    raw_id_fields = ["referrer", "referred_order"]
    search_fields = ["referrer__bride_name", "referrer__groom_name", "referred_order__number"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MonthlyTarget)
class MonthlyTargetAdmin(admin.ModelAdmin):
    """Managers set their branches' monthly targets here; the reports page reads them."""

    list_display = ["month", "branch", "staff", "deals", "revenue"]
    list_filter = ["branch", "month"]
    list_select_related = ["branch", "staff"]
    date_hierarchy = "month"

    def _branch_ids(self, request):
        staff = getattr(request, "staff", None)
        if request.user.is_superuser or staff is None:
            return None
        return staff.branch_ids

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = self._branch_ids(request)
        return qs if ids is None else qs.filter(branch__in=ids)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = self._branch_ids(request)
        if ids is not None and db_field.name == "branch":
            kwargs["queryset"] = Branch.objects.filter(pk__in=ids)
        elif ids is not None and db_field.name == "staff":
            kwargs["queryset"] = Staff.objects.filter(branches__in=ids).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CustomerChange)
class CustomerChangeAdmin(ReadOnlyAdmin):
    """The record of who changed a couple's personal data."""

    list_display = ["at", "customer", "staff", "field", "old", "new"]
    list_select_related = ["customer", "staff"]
    search_fields = ["customer__bride_name", "customer__groom_name", "field"]
