from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from studio.admin import BranchScopedAdmin, HistoryAdmin

from .models import Dress, DressReservation


@admin.register(Dress)
class DressAdmin(HistoryAdmin):
    branch_path = "branch"
    list_display = [
        "code",
        "name",
        "category",
        "size",
        "colour",
        "condition",
        "branch",
        "is_active",
    ]
    list_filter = ["branch", "category", "condition", "is_active"]
    search_fields = ["code", "name", "colour"]


@admin.register(DressReservation)
class DressReservationAdmin(BranchScopedAdmin, admin.ModelAdmin):
    """Read-only: reservations change through the pages, so money and dates stay in step."""

    branch_path = "branch"
    kept = True

    list_display = ["dress", "customer", "order", "pickup_on", "return_on", "status", "branch"]
    list_filter = ["branch", "status"]
    search_fields = ["dress__code", "order__number"]
    list_select_related = ["dress", "customer", "order", "branch"]
    exclude = ["id_number"]
    readonly_fields = ["id_number_masked"]

    @admin.display(description=_("ID document number"))
    def id_number_masked(self, obj):
        return obj.masked_id_number

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
