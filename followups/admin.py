from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studio.admin import CHAIN_WIDE, BranchScopedAdmin, HistoryAdmin
from studio.services import AlreadyDone

from . import services
from . import texts as care_texts
from .models import (
    CallTask,
    CareRule,
    Complaint,
    Holiday,
    InboundReply,
    MessageTemplate,
    OutboxMessage,
    SmsSignature,
    SmsTemplateCode,
    WeChatTemplate,
)


class ChainTextAdmin(HistoryAdmin):
    """Rows that are the chain's (no branch) or one branch's own: head office edits the
    chain's, a store manager only their branch's (its own row wins there over the chain's:
    docs/decisions.md, "Rules and templates per branch"). A store manager never sees or
    saves the chain's rows here, nor a row without a branch."""

    branch_path = "branch"

    @admin.display(description=_("branch"), ordering="branch")
    def scope(self, obj):
        return obj.branch or _("The chain (every branch without its own)")


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ChainTextAdmin):
    """Managers edit the words of every message, per language and recipient's gender, and
    switch them off."""

    list_display = [
        "name",
        "language",
        "gender",
        "scope",
        "channel",
        "gateway_template_code",
        "purpose",
        "is_active",
    ]
    list_filter = ["channel", "language", "gender", "branch", "purpose", "is_active"]
    list_select_related = ["branch"]
    list_editable = ["is_active"]
    search_fields = ["key", "body"]

    @admin.display(description=_("message"), ordering="key")
    def name(self, template):
        return care_texts.template_name(template.key)


@admin.register(SmsSignature)
class SmsSignatureAdmin(BranchScopedAdmin, admin.ModelAdmin):
    """A branch's SMS gateway: its provider, its signature (签名) exactly as registered
    there, and Tencent's SDK app id. Store managers edit their own branch's."""

    branch_path = "branch"
    list_display = ["branch", "provider", "sign_name", "sdk_app_id"]
    list_filter = ["provider"]


@admin.register(SmsTemplateCode)
class SmsTemplateCodeAdmin(BranchScopedAdmin, admin.ModelAdmin):
    """The codes a provider gave a branch's registered templates, per template and
    language. Store managers keep their own branch's."""

    branch_path = "branch"
    list_display = ["branch", "provider", "template_key", "language", "code"]
    list_filter = ["provider", "language", "branch"]
    search_fields = ["template_key", "code"]
    list_select_related = ["branch"]


@admin.register(WeChatTemplate)
class WeChatTemplateAdmin(admin.ModelAdmin):
    """The templates registered at the chain's WeChat Official Account, and which
    placeholders fill their fields: head office's (one account for the chain)."""

    list_display = ["template_key", "language", "template_id"]
    list_filter = ["language"]
    search_fields = ["template_key", "template_id"]


@admin.register(InboundReply)
class InboundReplyAdmin(admin.ModelAdmin):
    """What customers texted back, and whose marketing consent an opt-out withdrew:
    written by the gateways' callbacks only, kept as the record of the withdrawal."""

    list_display = ["received_at", "phone", "text", "provider", "opt_out"]
    list_filter = ["opt_out", "provider"]
    search_fields = ["phone"]
    readonly_fields = [f.name for f in InboundReply._meta.fields] + ["customers"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TemplateFilter(admin.SimpleListFilter):
    """Messages by template, offering the templates of the catalogue (a few dozen rows)
    where Django would read every message for the distinct keys."""

    title = _("template")
    parameter_name = "template_key"

    def lookups(self, request, model_admin):
        keys = MessageTemplate.objects.order_by("key").values_list("key", flat=True).distinct()
        return [(key, care_texts.template_name(key)) for key in keys]

    def queryset(self, request, queryset):
        return queryset.filter(template_key=self.value()) if self.value() else queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(BranchScopedAdmin, admin.ModelAdmin):
    """What was queued and sent: read-only; the dispatcher alone changes a message. A
    message "Sent or not? Check with the gateway" was left by a dead worker with a gateway
    that cannot say whether it got it: a person looks it up in the provider's console."""

    branch_path = "branch"
    kept = True

    list_display = [
        "created_at", "customer", "channel", "template", "status", "send_after", "claimed_by",
    ]  # fmt: skip
    list_filter = ["status", "channel", TemplateFilter, "branch"]
    # The address from its start (a phone's first digits), or the couple's names.
    search_fields = ["^to", "customer__bride_name", "customer__groom_name"]
    list_select_related = ["customer"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("message"), ordering="template_key")
    def template(self, message):
        return care_texts.template_name(message.template_key)


@admin.register(CallTask)
class CallTaskAdmin(BranchScopedAdmin, admin.ModelAdmin):
    branch_path = "branch"
    kept = True
    list_display = ["due_at", "customer", "kind", "assignee", "status"]
    list_filter = ["status", "kind", "branch"]
    raw_id_fields = ["assignee"]
    list_select_related = ["customer", "assignee"]
    # Reassign or re-time a call here; closing it is `close_call_task`'s, on the task list.
    readonly_fields = [
        "branch", "customer", "order", "visit", "kind", "occasion", "status", "what_to_say",
        "how_it_went", "created_at", "done_at", "done_by",
    ]  # fmt: skip

    @admin.display(description=_("what to say"))
    def what_to_say(self, task):
        return task.script_text

    @admin.display(description=_("outcome"))
    def how_it_went(self, task):
        return task.outcome_text


@admin.register(CareRule)
class CareRuleAdmin(ChainTextAdmin):
    """Managers switch the care rules off, re-time them, or add one (DOMAIN.md, stage 8)."""

    list_display = [
        "rule_name",
        "scope",
        "trigger",
        "holiday",
        "offset_minutes",
        "at_time",
        "action",
        "is_active",
    ]
    list_filter = ["trigger", "action", "branch", "is_active"]
    list_editable = ["is_active"]
    list_select_related = ["branch", "holiday"]
    search_fields = ["key", "description", "template_key"]
    readonly_fields = ["updated_at", "updated_by"]

    @admin.display(description=_("rule"))
    def rule_name(self, rule):
        return rule.name

    def save_model(self, request, obj, form, change):
        obj.updated_at = timezone.now()
        obj.updated_by = getattr(request.user, "staff", None)
        super().save_model(request, obj, form, change)


@admin.register(Holiday)
class HolidayAdmin(BranchScopedAdmin, admin.ModelAdmin):
    """The holidays the care rules greet on: a solar or lunar date, or the n-th weekday of a
    month. Switching one off silences its rule."""

    branch_path = CHAIN_WIDE

    list_display = ["holiday_name", "calendar", "month", "day", "weekday", "nth", "is_active"]
    list_filter = ["calendar", "is_active"]
    list_editable = ["is_active"]

    @admin.display(description=_("holiday"), ordering="key")
    def holiday_name(self, holiday):
        return holiday.display_name


@admin.register(Complaint)
class ComplaintAdmin(BranchScopedAdmin, admin.ModelAdmin):
    """Complaints are logged from the customer file; here the owner records the resolution
    (through `resolve_complaint`, once)."""

    branch_path = "branch"
    kept = True

    list_display = ["created_at", "customer", "owner", "is_resolved", "branch"]
    list_filter = ["branch", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["text", "customer__bride_name", "customer__groom_name"]
    list_select_related = ["customer", "owner", "branch"]
    raw_id_fields = ["customer", "order", "owner"]
    readonly_fields = [
        "branch",
        "customer",
        "order",
        "text",
        "logged_by",
        "owner",
        "created_at",
        "resolved_at",
        "resolved_by",
    ]
    fields = readonly_fields[:7] + ["resolution"] + readonly_fields[7:]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.resolved_at is not None:
            return [*self.readonly_fields, "resolution"]  # resolved once, by resolve_complaint
        return self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "resolution" in form.base_fields:
            form.base_fields["resolution"].required = True
        return form

    @admin.display(boolean=True, description=_("resolved"))
    def is_resolved(self, obj):
        return obj.is_resolved

    def save_model(self, request, obj, form, change):
        if obj.resolved_at is not None:
            return  # nothing of a resolved complaint is editable here
        try:
            services.resolve_complaint(complaint=obj, resolution=obj.resolution, by=request.staff)
        except AlreadyDone as exc:  # resolved by someone else since the page opened
            self.message_user(request, " ".join(exc.messages), messages.WARNING)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
