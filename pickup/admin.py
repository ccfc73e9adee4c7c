from django.contrib import admin

from .models import PickupAppointment


@admin.register(PickupAppointment)
class PickupAppointmentAdmin(admin.ModelAdmin):
    list_display = ["slip_number", "order", "starts_at", "clerk", "status", "branch"]
    list_filter = ["branch", "status"]
    search_fields = ["slip_number", "order__number"]
    list_select_related = ["order", "clerk", "branch"]
    readonly_fields = ["order", "branch", "slip_number", "created_by"]

    def has_add_permission(self, request):
        return False
