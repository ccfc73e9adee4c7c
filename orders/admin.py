from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from studio.admin import BranchScopedAdmin, ReadOnlyAdmin, ReadOnlyInline

from . import services
from .fsm import TransitionAdminMixin
from .models import (
    CardBonusRule,
    CardEntry,
    CardHolder,
    Charge,
    FapiaoRequest,
    Instalment,
    LedgerEntry,
    Order,
    PlanRevision,
    ReferralReward,
    StoredValueCard,
    Transfer,
    TransferredOrder,
)


class ReasonForm(forms.Form):
    description = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )


class LedgerInline(ReadOnlyInline):
    model = LedgerEntry
    fields = ["receipt_no", "created_at", "kind", "method", "amount", "staff", "note_text"]
    readonly_fields = fields
    fk_name = "order"

    @admin.display(description=_("note"))
    def note_text(self, entry):
        return entry.note_text


class ChargeInline(ReadOnlyInline):
    model = Charge
    fields = ["created_at", "kind", "amount", "description_text", "created_by", "approved_by"]
    readonly_fields = fields

    @admin.display(description=_("description"))
    def description_text(self, charge):
        return charge.description_text


@admin.register(Order)
class OrderAdmin(BranchScopedAdmin, TransitionAdminMixin, admin.ModelAdmin):
    """Managers push an order through a transition with a reason; guards still apply."""

    branch_path = "branch"
    kept = True

    fsm_fields = ["state"]
    fsm_forms = dict.fromkeys(services.TRANSITIONS, ReasonForm)
    list_display = ["number", "customer", "branch", "package", "state", "signed_at"]
    list_filter = ["state", "branch"]
    search_fields = ["number", "customer__bride_name", "customer__groom_name"]
    list_select_related = ["customer", "branch", "package"]
    readonly_fields = [
        "number",
        "branch",
        "customer",
        "package_price",
        "agreed_price",
        "discount",
        "discount_approved_by",
        "signed_at",
    ]
    raw_id_fields = ["owner", "package"]
    inlines = [LedgerInline, ChargeInline]

    def has_add_permission(self, request):
        return False  # orders are signed at the front desk, with the deposit

    def run_transition(self, *, obj, name, request, note):
        # Through the service, so the admin gets the same lock, guards and log as the pages.
        services.transition_order(order=obj, name=name, by=request.user, note=note)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Read only: money history is corrected by a reversing entry, never edited."""

    branch_path = "branch"

    list_display = [
        "receipt_no",
        "branch",
        "order",
        "kind",
        "method",
        "amount",
        "staff",
        "created_at",
    ]
    list_filter = ["branch", "kind", "method"]
    search_fields = ["receipt_no", "order__number"]
    list_select_related = ["branch", "order", "staff"]
    ordering = ["-created_at", "-pk"]  # the latest money first


@admin.register(ReferralReward)
class ReferralRewardAdmin(BranchScopedAdmin, admin.ModelAdmin):
    branch_path = "referrer__branch"
    kept = True
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


@admin.register(CardBonusRule)
class CardBonusRuleAdmin(BranchScopedAdmin, admin.ModelAdmin):
    """A store manager keeps their branch's top-up offers (top up 10,000, get 1,000)."""

    branch_path = "branch"
    list_display = ["branch", "top_up", "bonus", "is_active"]
    list_filter = ["branch", "is_active"]
    list_select_related = ["branch"]


class CardEntryInline(ReadOnlyInline):
    model = CardEntry
    fk_name = "card"
    fields = ["receipt_no", "created_at", "kind", "method", "real", "bonus", "staff", "note"]
    readonly_fields = fields


class CardHolderInline(ReadOnlyInline):
    model = CardHolder
    fields = ["customer", "agreement", "note", "added_by", "added_at", "removed_by", "removed_at"]
    readonly_fields = fields


@admin.register(StoredValueCard)
class StoredValueCardAdmin(ReadOnlyAdmin):
    """Read only: money is put on and taken off a card at the desk, as entries."""

    branch_path = "branch"
    list_display = ["number", "customer", "branch", "opened_at"]
    list_filter = ["branch"]
    search_fields = ["number", "customer__bride_name", "customer__groom_name"]
    list_select_related = ["customer", "branch"]
    inlines = [CardHolderInline, CardEntryInline]


@admin.register(CardEntry)
class CardEntryAdmin(ReadOnlyAdmin):
    branch_path = "branch"
    list_display = ["receipt_no", "branch", "card", "kind", "method", "real", "bonus", "created_at"]
    list_filter = ["branch", "kind"]
    search_fields = ["receipt_no", "card__number"]
    list_select_related = ["branch", "card"]
    ordering = ["-created_at", "-pk"]


@admin.register(FapiaoRequest)
class FapiaoRequestAdmin(ReadOnlyAdmin):
    """Requested, issued and cancelled at the desk (the order page), where the rules are."""

    branch_path = "order__branch"
    list_display = ["order", "title", "tax_number", "amount", "status", "fapiao_number"]
    list_filter = ["status"]
    search_fields = ["order__number", "title", "tax_number", "fapiao_number"]
    list_select_related = ["order"]
    ordering = ["-requested_at"]


class InstalmentInline(ReadOnlyInline):
    model = Instalment
    fields = ["due_on", "amount", "is_current"]
    readonly_fields = fields


@admin.register(PlanRevision)
class PlanRevisionAdmin(ReadOnlyAdmin):
    """Read only: a plan is set and changed on the order's plan page (the service checks
    the sum and keeps each revision)."""

    branch_path = "order__branch"
    list_display = ["order", "number", "by", "at", "balance_then", "reason"]
    list_select_related = ["order", "by"]
    search_fields = ["order__number"]
    raw_id_fields = ["order"]
    ordering = ["-at", "-pk"]
    inlines = [InstalmentInline]


class TransferredOrderInline(ReadOnlyInline):
    model = TransferredOrder
    fields = ["order", "note_text"]
    readonly_fields = fields

    @admin.display(description=_("note"))
    def note_text(self, moved):
        return moved.note_text


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    """Read only: a couple moves through the receiving manager's page. Scoped to the
    receiving branch here; the branch the couple left sees it on the transfers page."""

    branch_path = "to_branch"
    # The branch it came from is on the record's page, not in the list (whose names are
    # the manager's own branches only).
    list_display = ["customer", "to_branch", "accepted_by", "at", "reason"]
    list_select_related = ["customer", "to_branch", "accepted_by"]
    list_filter = ["to_branch"]
    search_fields = ["customer__bride_name", "customer__groom_name"]
    ordering = ["-at", "-pk"]
    inlines = [TransferredOrderInline]
