from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from studio.admin import ReadOnlyAdmin

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


@admin.register(LostSlipMemo)
class LostSlipMemoAdmin(ReadOnlyAdmin):
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
    list_display = ["appointment", "order", "rest_at", "next_appointment", "by"]
    search_fields = ["order__number", "appointment__slip_number"]
    list_select_related = ["appointment", "order", "next_appointment", "by"]


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["order", "score", "would_refer", "created_at", "by"]
    list_filter = ["score", "would_refer"]
    search_fields = ["order__number"]
    list_select_related = ["order", "by"]


@admin.register(ItemCheck)
class ItemCheckAdmin(ReadOnlyAdmin):
    list_display = ["appointment", "item", "result", "note", "at", "by"]
    list_filter = ["result"]
    list_select_related = ["appointment", "item", "by"]
