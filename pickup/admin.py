from django.contrib import admin

from .models import ItemCheck, LostSlipMemo, PartialPickupMemo, PickupAppointment, Survey


@admin.register(PickupAppointment)
class PickupAppointmentAdmin(admin.ModelAdmin):
    list_display = ["slip_number", "order", "starts_at", "clerk", "status", "branch"]
    list_filter = ["branch", "status"]
    search_fields = ["slip_number", "order__number"]
    list_select_related = ["order", "clerk", "branch"]
    readonly_fields = ["order", "branch", "slip_number", "created_by"]

    def has_add_permission(self, request):
        return False


class _ReadOnly(admin.ModelAdmin):
    """Records signed at the desk: looked at in the admin, never written there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LostSlipMemo)
class LostSlipMemoAdmin(_ReadOnly):
    list_display = ["appointment", "order", "id_type", "signed_at", "by"]
    search_fields = ["order__number", "appointment__slip_number"]
    list_select_related = ["appointment", "order", "by"]


@admin.register(PartialPickupMemo)
class PartialPickupMemoAdmin(_ReadOnly):
    list_display = ["appointment", "order", "rest_at", "next_appointment", "by"]
    search_fields = ["order__number", "appointment__slip_number"]
    list_select_related = ["appointment", "order", "next_appointment", "by"]


@admin.register(Survey)
class SurveyAdmin(_ReadOnly):
    list_display = ["order", "score", "would_refer", "created_at", "by"]
    list_filter = ["score", "would_refer"]
    search_fields = ["order__number"]
    list_select_related = ["order", "by"]


@admin.register(ItemCheck)
class ItemCheckAdmin(_ReadOnly):
    list_display = ["appointment", "item", "result", "note", "at", "by"]
    list_filter = ["result"]
    list_select_related = ["appointment", "item", "by"]
