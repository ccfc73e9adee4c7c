from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView, View

from studio import roles
from studio.access import StaffRequired, is_chain
from studio.forms import attach_errors
from studio.listing import labels, link_to
from studio.models import Branch, Customer
from studio.selectors import covering_for
from studio.services import AlreadyDone

from . import receipts, selectors, services
from .forms import CallOutcomeForm, CareRuleForm, ComplaintForm, MessageReportForm
from .models import CallTask, CareRule, OutboxMessage

CALLERS = roles.CALLS_CUSTOMERS | roles.FRONT_DESK


class TaskListView(StaffRequired, ListView):
    """My open calls, with those of colleagues I cover for as their agent."""

    roles = CALLERS
    template_name = "followups/task_list.html"
    context_object_name = "tasks"

    def get_queryset(self):  # the first MY_CALLS_SHOWN, soonest due first
        staff = self.request.staff
        self.covering = covering_for(staff, on=self.request.branch.today())
        return selectors.my_open_tasks(staff, branch_ids=staff.branch_ids, covering=self.covering)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # Up to a page of calls: their links and labels are made once for the page.
        kinds = labels(CallTask.Kind)
        customer, close, visit = (
            link_to(name) for name in ("overview:customer", "followups:close_task", "studio:visit")
        )
        for task in ctx["tasks"]:
            task.kind_label = kinds[task.kind]
            task.customer_url, task.close_url = customer(task.customer_id), close(task.pk)
            task.visit_url = visit(task.visit_id) if task.visit_id else ""
        ctx["covering"] = self.covering
        ctx["form"] = CallOutcomeForm()
        ctx["outcomes"] = [
            (value, str(label)) for value, label in ctx["form"].fields["status"].choices
        ]
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
        except AlreadyDone as exc:
            messages.warning(request, exc.messages[0])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Call logged."))
        return redirect("followups:tasks")


class CareRuleListView(StaffRequired, TemplateView):
    """The care rules (DOMAIN.md, stage 8): a store manager switches them off or re-times
    them for their branch (its own row of the rule wins over the chain's); head office
    changes the chain's, for every branch without its own."""

    roles = {roles.MANAGER, roles.CHAIN_MANAGER}
    template_name = "followups/care_rules.html"

    def scope(self):
        """The branch whose rules the page changes; None: head office, the chain's."""
        return None if is_chain(self.request) else self.request.branch

    def get_context_data(self, bound=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rules = selectors.care_rules(self.scope())
        for rule in rules:
            rule.form = bound if bound and bound.prefix == f"rule{rule.pk}" else None
            rule.form = rule.form or CareRuleForm.for_rule(rule)
        ctx["rules"] = rules
        ctx["scope"] = self.scope()
        return ctx


class CareRuleUpdateView(CareRuleListView):
    """Saves one rule's row; bad input shows the list again, the error at the field. A
    rule of another branch is not found."""

    http_method_names = ["post"]

    def post(self, request, pk):
        branch = self.scope()
        rules = CareRule.objects.filter(branch__isnull=True)
        if branch is not None:
            rules = CareRule.objects.filter(Q(branch=branch) | Q(branch__isnull=True))
        rule = get_object_or_404(rules, pk=pk)
        form = CareRuleForm.for_rule(rule, data=request.POST)
        if form.is_valid():
            try:
                services.retime_care_rule(
                    rule=rule,
                    is_active=form.cleaned_data["is_active"],
                    offset_minutes=form.cleaned_data["offset"],
                    at_time=form.cleaned_data["at_time"],
                    by=request.staff,
                    branch=branch,
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("Care rule “%(name)s” saved.") % {"name": rule.name})
                return redirect("followups:care_rules")
        return self.render_to_response(self.get_context_data(bound=form))


class MessageReportView(StaffRequired, TemplateView):
    """What happened to a branch's messages, per template and day: queued, waiting, sent,
    delivered, failed, not sent (and why). A store manager sees the branches they manage,
    head office all; another branch is not found."""

    roles = {roles.MANAGER, roles.CHAIN_MANAGER}
    http_method_names = ["get"]
    template_name = "followups/message_report.html"

    def get(self, request, *args, **kwargs):
        branches = Branch.objects.order_by("code")
        if not is_chain(request):
            branches = branches.filter(pk__in=request.staff.branch_ids)
        wanted = request.GET.get("branch") or request.branch.pk
        try:
            branch = branches.get(pk=int(wanted))
        except (ValueError, Branch.DoesNotExist):
            raise Http404("No such branch.") from None
        form = MessageReportForm(request.GET, today=branch.today())
        ctx = {"form": form, "branch": branch, "branches": branches}
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(**ctx), status=400)
        period = form.cleaned_data
        rows, total = selectors.message_counts(branch, first=period["first"], last=period["last"])
        ctx |= {"rows": rows, "total": total, "first": period["first"], "last": period["last"]}
        return self.render_to_response(self.get_context_data(**ctx))


class ComplaintCreateView(StaffRequired, FormView):
    """Log a complaint from the customer file, with who owns it until it is resolved."""

    roles = roles.LOGS_COMPLAINTS
    template_name = "followups/complaint_form.html"
    form_class = ComplaintForm
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        self.customer = None
        return super().dispatch(request, *args, **kwargs)

    def get_customer(self):
        if self.customer is None:
            queryset = self.scoped(Customer.objects.select_related("branch", "owner"))
            self.customer = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self.customer

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"customer": self.get_customer()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"customer": self.get_customer()}

    def form_valid(self, form):
        customer = self.get_customer()
        try:
            services.log_complaint(
                customer=customer, logged_by=self.request.staff, **form.cleaned_data
            )
        except ValidationError as exc:
            attach_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Complaint logged; the apology letter will follow."))
        return redirect("overview:customer", pk=customer.pk)


SETTLERS = {roles.CUSTOMER_SERVICE, roles.MANAGER}


class CheckMessageListView(StaffRequired, ListView):
    """The messages no gateway could say were sent ("Sent or not? Check with the
    gateway"), for customer service and the manager of the branch to look up in the
    provider's console and settle."""

    roles = SETTLERS
    template_name = "followups/messages_to_check.html"
    context_object_name = "to_check"
    paginate_by = 100

    def get_queryset(self):
        return selectors.messages_to_check(self.scoped(OutboxMessage.objects.all()))


class SettleCheckMessageView(StaffRequired, View):
    roles = SETTLERS
    http_method_names = ["post"]

    def post(self, request, pk):
        message = get_object_or_404(self.scoped(OutboxMessage.objects.all()), pk=pk)
        answer = request.POST.get("answer")
        if answer not in {"sent", "resend"}:
            messages.error(request, _("Say whether the message was sent."))
            return redirect("followups:messages_to_check")
        try:
            receipts.settle_check_message(
                message=message, by=request.staff, was_sent=answer == "sent"
            )
        except AlreadyDone as exc:
            messages.warning(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("Recorded as sent.") if answer == "sent" else _("It will be sent again now."),
            )
        return redirect("followups:messages_to_check")
