from django.contrib import admin

from .models import CallTask, MessageTemplate, OutboxMessage


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Managers edit the words of every message, per language, and switch them off."""

    list_display = ["key", "language", "channel", "marketing", "is_active"]
    list_filter = ["channel", "language", "marketing", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["key", "body"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """What was queued and sent: read-only; the dispatcher alone changes a message."""

    list_display = ["created_at", "customer", "channel", "template_key", "status", "send_after"]
    list_filter = ["status", "channel", "template_key", "branch"]
    search_fields = ["to", "occasion", "customer__bride_name", "customer__groom_name"]
    list_select_related = ["customer"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CallTask)
class CallTaskAdmin(admin.ModelAdmin):
    list_display = ["due_at", "customer", "kind", "assignee", "status"]
    list_filter = ["status", "kind", "branch"]
    raw_id_fields = ["customer", "order", "visit", "assignee", "done_by"]
    list_select_related = ["customer", "assignee"]
