"""The studio's admin, and the one rule every admin follows: a store manager sees and
changes only what belongs to the branches they manage (`BranchScopedAdmin`); head office
(the chain manager, the superuser) sees everything and alone creates branches, assigns staff
to branches and grants roles. An admin that does not declare its scope is head office's
only (`studio.admin_site.StudioAdminSite`)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .access import is_chain, managed_branch_ids
from .admin_lists import EstimatedCountPaginator, search
from .models import (
    Branch,
    ConsentEvent,
    Customer,
    CustomerChange,
    DataRequest,
    Leave,
    MembershipLevelRule,
    MonthlyTarget,
    Package,
    PackageLine,
    Rota,
    RotaSlot,
    Staff,
    Visit,
    WorkerHeartbeat,
)
from .selectors import customers_matching
from .services import phones_on_other_files

# `branch_path` of data that belongs to no branch (the chain's rules, templates).
CHAIN_WIDE = None
UNDECLARED = object()


def may_use_admin(request):
    """Only head office and store managers work in the admin."""
    return is_chain(request) or bool(managed_branch_ids(request))


def branch_path_of(model):
    """How a model reaches its branch: the registered admin's `branch_path`, else a
    `branch` field; None when it belongs to no branch."""
    if model is Branch:
        return "pk"
    model_admin = admin.site._registry.get(model)
    path = getattr(model_admin, "branch_path", UNDECLARED)
    if path is not UNDECLARED:
        return path
    try:
        model._meta.get_field("branch")
    except FieldDoesNotExist:
        return None
    return "branch"


def _crosses_many(model, path):
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def scope_queryset(queryset, path, branch_ids):
    """Rows of `queryset` that belong to `branch_ids` (None: all) through `path`."""
    if branch_ids is None or path is None:
        return queryset
    if path == "pk":
        return queryset.filter(pk__in=branch_ids)
    if _crosses_many(queryset.model, path):
        inside = queryset.model._base_manager.filter(**{f"{path}__in": branch_ids})
        return queryset.filter(pk__in=inside.values("pk"))
    return queryset.filter(**{f"{path}__in": branch_ids})


def scope_choices(formfield, request):
    """An FK or M2M form field offers only rows of the user's branches."""
    if formfield is None or not hasattr(formfield, "queryset"):
        return formfield
    queryset = formfield.queryset
    formfield.queryset = scope_queryset(
        queryset, branch_path_of(queryset.model), managed_branch_ids(request)
    )
    return formfield


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A list filter by a related record that offers only those of the user's branches."""

    def field_choices(self, field, request, model_admin):
        model = field.related_model
        rows = scope_queryset(
            model._default_manager.all(), branch_path_of(model), managed_branch_ids(request)
        )
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False,
            ordering=ordering,
            limit_choices_to=Q(pk__in=rows.values("pk")),
        )


def branches_of(obj, path, cleaned_data=None):
    """The branch ids `obj` belongs to through `path`, as it is about to be saved."""
    if path == "pk":
        return {obj.pk} if obj.pk is not None else set()
    name, _sep, rest = path.partition("__")
    field = obj._meta.get_field(name)
    if field.many_to_many:
        if cleaned_data is not None and name in cleaned_data:
            related = list(cleaned_data[name])
        else:
            related = list(getattr(obj, name).all()) if obj.pk is not None else []
    elif not rest:
        value = getattr(obj, field.attname)
        return set() if value is None else {value}
    else:
        try:
            related = [getattr(obj, name)]
        except ObjectDoesNotExist:
            related = []
    found = set()
    for item in related:
        if item is None:
            continue
        found |= {item.pk} if not rest else branches_of(item, rest)
    return found


class ScopedForm(forms.ModelForm):
    """Refuses, as a form error, an object saved into a branch the user does not manage."""

    scope_path = None
    scope_ids = None

    def _post_clean(self):
        super()._post_clean()
        if self.scope_ids is None or self.scope_path is None:
            return
        found = branches_of(self.instance, self.scope_path, self.cleaned_data)
        if not found or not found <= set(self.scope_ids):
            self.add_error(None, _("You may only save records of the branches you manage."))


class BranchScopedAdmin:
    """The one mixin for every admin of the studio (put it before ModelAdmin).

    - `branch_path`: the lookup from the model to its branch ("branch", "order__branch",
      "branches", "pk" for Branch); `CHAIN_WIDE` for the chain's own rules and templates.
    - `kept`: records that must be kept; nobody deletes them here.
    - `chain_only`: "add", "change", "delete" and/or "view" that belong to head office.
    - `chain_fields`: fields a store manager sees but may not change.

    Lists stay fast at chain scale (`studio.admin_lists`): the count is exact up to 10,000
    rows and PostgreSQL's estimate above ("about", on the page), never a second count of
    the whole table, no facet counts, 50 rows a page (rendering rows is most of a list's
    time), and the search reaches related rows through their own indexes.
    """

    branch_path = UNDECLARED
    kept = False
    chain_only = ()
    chain_fields = ()

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50

    def _ids(self, request):
        return managed_branch_ids(request)

    def _in_scope(self, request, obj):
        if obj is None or self._ids(request) is None or self.branch_path is CHAIN_WIDE:
            return True
        rows = scope_queryset(self.model._default_manager, self.branch_path, self._ids(request))
        return rows.filter(pk=obj.pk).exists()

    def _allowed(self, request, action, obj=None):
        if not may_use_admin(request):
            return False
        if action in self.chain_only and not is_chain(request):
            return False
        return self._in_scope(request, obj)

    def has_module_permission(self, request):
        return may_use_admin(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, "view", obj) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._allowed(request, "add") and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, "change", obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self.kept:
            return False
        return self._allowed(request, "delete", obj) and super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.branch_path is CHAIN_WIDE:
            return queryset
        return scope_queryset(queryset, self.branch_path, self._ids(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return scope_choices(super().formfield_for_foreignkey(db_field, request, **kwargs), request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return scope_choices(super().formfield_for_manytomany(db_field, request, **kwargs), request)

    def get_search_results(self, request, queryset, search_term):
        search_fields = self.get_search_fields(request)
        if not (search_fields and search_term):
            return queryset, False
        return search(queryset, search_fields, search_term)

    def get_list_filter(self, request):
        """Filters by a related record offer only those of the user's own records."""
        filters = list(super().get_list_filter(request))
        if is_chain(request):
            return filters
        scoped = []
        for item in filters:
            if isinstance(item, str):
                try:
                    field = get_fields_from_path(self.model, item)[-1]
                except (FieldDoesNotExist, NotRelationField):
                    field = None
                if field is not None and field.is_relation:
                    item = (item, ScopedRelatedFilter)
            scoped.append(item)
        return scoped

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not is_chain(request):
            fields += [f for f in self.chain_fields if f not in fields]
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if self.branch_path is CHAIN_WIDE:
            return form
        attrs = {"scope_path": self.branch_path, "scope_ids": self._ids(request)}
        return type(form.__name__, (ScopedForm, form), attrs)

    def _check_history_scope(self, request, object_id):
        if self._ids(request) is None:
            return  # head office also reads the history of what was deleted
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._check_history_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_history_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedInline:
    """Inline rows offer only choices of the user's branches."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return scope_choices(super().formfield_for_foreignkey(db_field, request, **kwargs), request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return scope_choices(super().formfield_for_manytomany(db_field, request, **kwargs), request)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent but never written in the admin (logs, money)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(BranchScopedAdmin, admin.ModelAdmin):
    """Records written by the studio's services only: looked at here, never changed."""

    kept = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HistoryAdmin(BranchScopedAdmin, SimpleHistoryAdmin):
    """Records people edit by hand: every edit is kept (who, when, old, new)."""


@admin.register(Branch)
class BranchAdmin(HistoryAdmin):
    """A store manager adjusts their own branch's rules; head office opens branches."""

    branch_path = "pk"
    chain_only = ("add", "delete")
    list_display = ["code", "name", "timezone", "pay_in_full_before_shoot", "discount_limit"]


@admin.register(Staff)
class StaffAdmin(HistoryAdmin):
    """Head office hires staff and assigns them to branches; a store manager may correct
    a name or phone of their own staff, never a branch or an account."""

    branch_path = "branches"
    chain_only = ("add", "delete")
    chain_fields = ("user", "branches")
    list_display = ["display_name", "user", "is_active"]
    list_filter = ["branches", "user__groups", "is_active"]
    filter_horizontal = ["branches"]
    search_fields = ["display_name", "user__username"]


class CustomerAdminForm(forms.ModelForm):
    """A phone already on another couple's file is refused at its field, as on the app's
    own edit page (`studio.services.phones_on_other_files`: the same check and phone lock;
    the admin saves in the same transaction as this clean)."""

    editor_branch_ids = ()

    def clean(self):
        cleaned = super().clean()
        customer = self.instance if self.instance.pk else None
        phones = {
            key: cleaned[key]
            for key in ("bride_phone", "groom_phone")
            if cleaned.get(key) and (customer is None or key in self.changed_data)
        }
        branch = cleaned.get("branch") or getattr(self.instance, "branch", None)
        if phones and branch is not None:
            branch_ids = set(self.editor_branch_ids) | {branch.pk}
            if customer is not None:
                branch_ids.add(customer.branch_id)
            errors = phones_on_other_files(customer=customer, phones=phones, branch_ids=branch_ids)
            for key, message in errors.items():
                self.add_error(key, message)
        return cleaned


@admin.register(Customer)
class CustomerAdmin(HistoryAdmin):
    branch_path = "branch"
    kept = True
    form = CustomerAdminForm
    list_display = ["__str__", "branch", "owner", "wedding_date", "source", "membership_level"]
    list_filter = ["branch", "source", "membership_level"]
    search_fields = ["bride_name", "groom_name", "bride_phone", "groom_phone"]
    search_help_text = _("A phone from its first digits, or a name.")
    raw_id_fields = ["referrer", "owner"]
    list_select_related = ["branch", "owner"]
    readonly_fields = ["erased_at"]

    def get_search_results(self, request, queryset, search_term):
        """The front desk's search, on the same indexes (phones from their first digits)."""
        if not search_term.strip():
            return queryset, False
        return customers_matching(queryset, search_term), False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        staff = getattr(request.user, "staff", None)
        branch_ids = tuple(staff.branch_ids) if staff is not None else ()
        return type(form.__name__, (form,), {"editor_branch_ids": branch_ids})


class PackageLineInline(admin.TabularInline):
    """What the package includes, line by line (the selection covers its products with
    them): head office's, like the package."""

    model = PackageLine
    extra = 0
    fields = ["position", "kind", "size", "quantity", "name"]


@admin.register(Package)
class PackageAdmin(HistoryAdmin):
    """The chain's catalogue: store managers see what their branches sell."""

    branch_path = "branches"
    chain_only = ("add", "change", "delete")
    list_display = ["name", "code", "price", "floor_price", "is_signature", "is_active"]
    list_filter = ["is_active", "branches"]
    filter_horizontal = ["branches"]
    inlines = [PackageLineInline]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(BranchScopedAdmin, admin.ModelAdmin):
    branch_path = CHAIN_WIDE
    chain_only = ("view", "add", "change", "delete")
    list_display = ["name", "last_seen", "beats"]
    readonly_fields = ["name", "last_seen", "beats"]


@admin.register(Visit)
class VisitAdmin(BranchScopedAdmin, admin.ModelAdmin):
    branch_path = "branch"
    kept = True
    list_display = ["customer", "branch", "taker", "arrived_at", "source", "outcome"]
    list_filter = ["branch", "outcome", "source", "kind"]
    raw_id_fields = ["customer", "referrer"]
    list_select_related = ["customer", "branch", "taker"]
    # How a consultation ended is `close_visit`'s (it books the not-booked follow-up).
    readonly_fields = [
        "branch",
        "registered_by",
        "outcome",
        "not_booked_because",
        "not_booked_reason",
        "closed_at",
    ]
    date_hierarchy = "arrived_at"


class RotaSlotInline(ScopedInline, admin.TabularInline):
    model = RotaSlot
    extra = 0


@admin.register(Rota)
class RotaAdmin(BranchScopedAdmin, admin.ModelAdmin):
    branch_path = "branch"
    list_display = ["branch", "day", "set_by"]
    list_filter = ["branch"]
    inlines = [RotaSlotInline]


@admin.register(Leave)
class LeaveAdmin(BranchScopedAdmin, admin.ModelAdmin):
    branch_path = "staff__branches"
    list_display = ["staff", "starts_on", "ends_on", "agent"]
    list_select_related = ["staff", "agent"]


@admin.register(MembershipLevelRule)
class MembershipLevelRuleAdmin(BranchScopedAdmin, admin.ModelAdmin):
    branch_path = CHAIN_WIDE
    list_display = ["level", "referrals_needed", "reward"]
    list_editable = ["referrals_needed", "reward"]


@admin.register(MonthlyTarget)
class MonthlyTargetAdmin(HistoryAdmin):
    """Managers set their branches' monthly targets here; the reports page reads them."""

    branch_path = "branch"
    list_display = ["month", "branch", "staff", "deals", "revenue"]
    list_filter = ["branch", "month"]
    list_select_related = ["branch", "staff"]
    date_hierarchy = "month"


@admin.register(ConsentEvent)
class ConsentEventAdmin(ReadOnlyAdmin):
    """Consent given and withdrawn (PIPL), written by the services only."""

    branch_path = "customer__branch"
    list_display = ["at", "customer", "purpose", "channel", "granted", "source", "recorded_by"]
    list_filter = ["purpose", "channel", "granted", "source"]
    list_select_related = ["customer", "recorded_by"]
    search_fields = ["customer__bride_name", "customer__groom_name"]
    date_hierarchy = "at"


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyAdmin):
    """Who exported or erased a customer's data, and when (PIPL)."""

    branch_path = "customer__branch"
    list_display = ["at", "customer", "kind", "by"]
    list_filter = ["kind"]
    list_select_related = ["customer", "by"]
    date_hierarchy = "at"


@admin.register(CustomerChange)
class CustomerChangeAdmin(ReadOnlyAdmin):
    """Changes recorded before the history library kept them (see Customer's history)."""

    branch_path = "customer__branch"
    list_display = ["at", "customer", "staff", "field", "old", "new"]
    list_select_related = ["customer", "staff"]
    search_fields = ["customer__bride_name", "customer__groom_name", "field"]
