from django.contrib import admin

from studio.admin import ReadOnlyAdmin

from .models import CoupleLink


@admin.register(CoupleLink)
class CoupleLinkAdmin(ReadOnlyAdmin):
    """Who made each couple's link, until when it works, whether it was revoked. The token
    is not kept (only its hash), so it cannot be shown here."""

    branch_path = "order__branch"
    list_display = ["order", "created_at", "created_by", "expires_at", "needs_pin", "revoked_at"]
    list_filter = ["needs_pin"]
    search_fields = ["order__number"]
    list_select_related = ["order", "created_by"]
    exclude = ["token_hash", "pin_hash", "pin_expires_at"]
