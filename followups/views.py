from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import ListView, View

from studio import roles
from studio.access import StaffRequired
from studio.selectors import covering_for

from . import selectors, services
from .forms import CallOutcomeForm
from .models import CallTask

CALLERS = roles.CALLS_CUSTOMERS | roles.FRONT_DESK


class TaskListView(StaffRequired, ListView):
    """My open calls, with those of colleagues I cover for as their agent."""

    roles = CALLERS
    template_name = "followups/task_list.html"
    context_object_name = "tasks"
    paginate_by = 100

    def get_queryset(self):
        return selectors.open_tasks_for(
            self.request.staff, branch_ids=self.request.staff.branch_ids
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["covering"] = covering_for(self.request.staff, on=self.request.branch.today())
        ctx["form"] = CallOutcomeForm()
        return ctx


class TaskCloseView(StaffRequired, View):
    roles = CALLERS
    http_method_names = ["post"]

    def post(self, request, pk):
        task = get_object_or_404(self.scoped(CallTask.objects.all()), pk=pk)
        form = CallOutcomeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say whether the call got through."))
            return redirect("followups:tasks")
        try:
            services.close_call_task(task=task, staff=request.staff, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Call logged."))
        return redirect("followups:tasks")
