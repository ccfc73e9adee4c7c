from django.contrib import admin

from studio.admin import BranchScopedAdmin, HistoryAdmin, ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Compensation,
    DesignProof,
    Favourite,
    LoweredUpsell,
    Photo,
    PriceItem,
    ProductionItem,
    ProductionLeadTime,
    ProductionStep,
    SessionLength,
    VoucherUse,
)


@admin.register(SessionLength)
class SessionLengthAdmin(BranchScopedAdmin, admin.ModelAdmin):
    branch_path = "branch"
    list_display = ["branch", "minutes"]


@admin.register(ProductionLeadTime)
class ProductionLeadTimeAdmin(BranchScopedAdmin, admin.ModelAdmin):
    branch_path = "branch"
    list_display = ["branch", "days"]


@admin.register(PriceItem)
class PriceItemAdmin(HistoryAdmin):
    """The per-branch price list of the selection upsell (单项计价)."""

    branch_path = "branch"

    list_display = ["branch", "product", "size", "price", "is_active"]
    list_filter = ["branch", "product", "is_active"]
    list_editable = ["price", "is_active"]


class ProductionStepInline(ReadOnlyInline):
    model = ProductionStep
    readonly_fields = ["from_stage", "to_stage", "by", "at", "note"]


class DesignProofInline(ReadOnlyInline):
    """The layouts shown to the couple and their answers; files are opened from the
    proofs page, which checks who asks."""

    model = DesignProof
    fields = ["title", "uploaded_by", "uploaded_at", "shown_at", "decision", "couple_note"]
    readonly_fields = fields


@admin.register(ProductionItem)
class ProductionItemAdmin(BranchScopedAdmin, admin.ModelAdmin):
    branch_path = "order__branch"
    kept = True
    list_display = ["order", "name", "quantity", "stage", "due_date", "qc_passed_at"]
    list_filter = ["stage", "order__branch"]
    search_fields = ["order__number", "name"]
    list_select_related = ["order"]
    readonly_fields = ["stage", "qc_passed_at", "handed_over_at"]
    inlines = [ProductionStepInline, DesignProofInline]


@admin.register(Photo)
class PhotoAdmin(ReadOnlyAdmin):
    """The photos of the sessions: added by the upload or the import command, looked at
    here (the files themselves are served by the studio's pages, not the admin)."""

    branch_path = "session__order__branch"
    list_display = ["session", "number", "original_name", "taken_at", "processed_at"]
    list_select_related = ["session__order"]
    search_fields = ["session__order__number"]
    readonly_fields = [
        "session", "number", "original_name", "size", "checksum", "width", "height",
        "orientation", "taken_at", "processed_at", "uploaded_by", "uploaded_at",
    ]  # fmt: skip
    exclude = ["original", "thumbnail", "preview", "watermarked"]


class VoucherUseInline(ReadOnlyInline):
    """A voucher's uses at the desks (and uses given back): written by the services only."""

    model = VoucherUse
    fk_name = "voucher"
    fields = ["created_at", "order", "branch", "amount", "staff", "reverses", "note"]
    readonly_fields = fields


@admin.register(Compensation)
class CompensationAdmin(ReadOnlyAdmin):
    """Vouchers, free items and refunds given for complaints and delays: proposed and
    decided on the compensation pages (an approval takes effect through the service, once),
    read here."""

    branch_path = "branch"
    list_display = ["proposed_at", "customer", "order", "kind", "amount", "status", "decided_by"]
    list_filter = ["kind", "status", "branch"]
    list_select_related = ["customer", "order", "decided_by"]
    search_fields = ["order__number", "voucher_code"]
    readonly_fields = [f.name for f in Compensation._meta.fields]
    inlines = [VoucherUseInline]


@admin.register(Favourite)
class FavouriteAdmin(ReadOnlyAdmin):
    """The photos couples marked at home and their notes: theirs, written on their page."""

    branch_path = "photo__session__order__branch"
    list_display = ["photo", "chosen", "note", "changed_at"]
    list_filter = ["chosen"]
    list_select_related = ["photo__session__order"]
    search_fields = ["photo__session__order__number"]


@admin.register(LoweredUpsell)
class LoweredUpsellAdmin(ReadOnlyAdmin):
    """Lists signed again for less, and what the cashier decided (on the desk's page)."""

    branch_path = "order__branch"
    list_display = ["order", "amount", "decision", "refunded", "decided_by", "decided_at"]
    list_filter = ["decision", "order__branch"]
    list_select_related = ["order", "decided_by"]
    search_fields = ["order__number"]
