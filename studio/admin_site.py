"""The admin site: every ModelAdmin registered without declaring its branch scope (those
of the libraries: users and groups, beat schedules, the state log) is head office's only,
so a store manager can never reach another branch's data or grant roles through them."""

from django.contrib import admin

from .access import is_chain
from .admin_lists import EstimatedCountPaginator


class ChainOnlyAdmin:
    """Mixed into an admin that does not declare `branch_path`: head office only. Its list
    counts as the studio's do (the login log grows with every login)."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def has_module_permission(self, request):
        return is_chain(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_chain(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_chain(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_chain(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_chain(request) and super().has_delete_permission(request, obj)


class StudioAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not hasattr(admin_class, "branch_path"):
            admin_class = type(admin_class.__name__, (ChainOnlyAdmin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)
