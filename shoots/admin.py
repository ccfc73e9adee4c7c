from django.contrib import admin

from studio.admin import BranchScopedAdmin, HistoryAdmin, ReadOnlyInline, ScopedInline

from .models import (
    CalendarFeed,
    HandOff,
    OutdoorTrip,
    PlannedSet,
    Room,
    Shoot,
    ShootVisit,
    TimeBudget,
    Vehicle,
)


@admin.register(Room)
class RoomAdmin(BranchScopedAdmin, admin.ModelAdmin):
    branch_path = "branch"
    list_display = ["name", "branch", "is_outdoor", "is_active"]
    list_filter = ["branch", "is_outdoor", "is_active"]


@admin.register(Vehicle)
class VehicleAdmin(BranchScopedAdmin, admin.ModelAdmin):
    branch_path = "branch"
    list_display = ["name", "plate", "branch", "is_active"]
    list_filter = ["branch", "is_active"]


@admin.register(TimeBudget)
class TimeBudgetAdmin(HistoryAdmin):
    branch_path = "branch"
    list_display = ["branch", "step", "minutes"]
    list_filter = ["branch"]


class PlannedSetInline(ScopedInline, admin.TabularInline):
    model = PlannedSet
    extra = 0
    fields = ["position", "step", "minutes", "look"]


class HandOffInline(ReadOnlyInline):
    model = HandOff


class TripInline(ReadOnlyInline):
    model = OutdoorTrip


class VisitInline(ReadOnlyInline):
    model = ShootVisit


@admin.register(Shoot)
class ShootAdmin(BranchScopedAdmin, admin.ModelAdmin):
    """Read-mostly: bookings are made on the control sheet, where clashes are checked."""

    branch_path = "branch"
    kept = True

    list_display = ["order", "branch", "starts_at", "ends_at", "status", "photographer", "room"]
    list_filter = ["branch", "status"]
    list_select_related = ["order", "branch", "photographer", "room"]
    date_hierarchy = "starts_at"
    search_fields = ["order__number", "order__customer__bride_name", "order__customer__groom_name"]
    inlines = [PlannedSetInline, HandOffInline, TripInline, VisitInline]
    readonly_fields = [
        "order", "branch", "starts_at", "ends_at", "status", "photographer", "assistant",
        "makeup_artist", "dress_stylist", "driver", "room", "vehicle", "moved_from",
        "checked_in_at", "finished_at", "created_by",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(BranchScopedAdmin, admin.ModelAdmin):
    branch_path = "staff__branches"
    list_display = ["staff", "created_at"]
    readonly_fields = ["token"]
