from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView

from . import roles
from .access import StaffRequired, staff_required
from .middleware import BranchMiddleware
from .models import Package, WorkerHeartbeat


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class HomeView(StaffRequired, TemplateView):
    """The landing page for every role; front-desk stages add their panels to it."""

    roles = roles.ALL
    template_name = "studio/home.html"

    def get_context_data(self, **kwargs):
        from orders.selectors import state_counts

        ctx = super().get_context_data(**kwargs)
        ctx["state_counts"] = state_counts(self.request) if self.request.staff.sees_money else []
        ctx["heartbeat"] = WorkerHeartbeat.objects.filter(name="beat").first()
        return ctx


class PackageListView(StaffRequired, ListView):
    roles = roles.FRONT_DESK | {roles.SELECTION_CONSULTANT}
    template_name = "studio/package_list.html"
    context_object_name = "packages"

    def get_queryset(self):
        return Package.objects.filter(is_active=True, branches=self.request.branch).order_by(
            "-is_signature", "price"
        )


@require_POST
@staff_required(roles=roles.ALL)
def switch_branch(request):
    try:
        branch_id = int(request.POST.get("branch", ""))
    except ValueError:
        branch_id = None
    if branch_id not in request.staff.branch_ids:
        raise PermissionDenied(_("You do not work at that branch."))
    request.session[BranchMiddleware.SESSION_KEY] = branch_id
    messages.success(request, _("Branch switched."))
    return redirect("home")
