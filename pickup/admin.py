from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from studio.admin import BranchScopedAdmin, ReadOnlyAdmin

from .models import ItemCheck, LostSlipMemo, PartialPickupMemo, PickupAppointment, Survey


@admin.register(PickupAppointment)
class PickupAppointmentAdmin(BranchScopedAdmin, admin.ModelAdmin):
    branch_path = "branch"
    kept = True
    list_display = ["slip_number", "order", "starts_at", "clerk", "status", "branch"]
    list_filter = ["branch", "status"]
    search_fields = ["slip_number", "order__number"]
    list_select_related = ["order", "clerk", "branch"]
    # Moving, checking and handing over go through pickup.services (new slip, memos, money).
    readonly_fields = [
        "order", "branch", "slip_number", "created_by", "starts_at", "status", "checked_at",
        "slip_verified_at", "slip_verified_by",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False


@admin.register(LostSlipMemo)
class LostSlipMemoAdmin(ReadOnlyAdmin):
    branch_path = "order__branch"
    list_display = ["appointment", "order", "id_type", "signed_at", "by"]
    search_fields = ["order__number", "appointment__slip_number"]
    list_select_related = ["appointment", "order", "by"]
    exclude = ["id_number"]
    readonly_fields = ["id_number_masked"]

    @admin.display(description=_("ID document number"))
    def id_number_masked(self, obj):
        return obj.masked_id_number


@admin.register(PartialPickupMemo)
class PartialPickupMemoAdmin(ReadOnlyAdmin):
    branch_path = "order__branch"
    list_display = ["appointment", "order", "rest_at", "next_appointment", "by"]
    search_fields = ["order__number", "appointment__slip_number"]
    list_select_related = ["appointment", "order", "next_appointment", "by"]


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    branch_path = "order__branch"
    list_display = ["order", "score", "would_refer", "created_at", "by"]
    list_filter = ["score", "would_refer"]
    search_fields = ["order__number"]
    list_select_related = ["order", "by"]


@admin.register(ItemCheck)
class ItemCheckAdmin(ReadOnlyAdmin):
    branch_path = "appointment__branch"
    list_display = ["appointment", "item", "result", "note", "at", "by"]
    list_filter = ["result"]
    list_select_related = ["appointment__order", "item", "by"]
