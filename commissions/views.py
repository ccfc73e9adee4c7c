"""Commission pages: my statement, the branch's month (lock, CSV), a colleague's
statement, the rules, and the shares of an order's sale."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from orders.models import Order
from studio import roles
from studio.access import StaffRequired, redirect_allowed
from studio.forms import attach_errors
from studio.models import Staff
from studio.services import AlreadyDone
from studio.validators import SafeCSVWriter

from . import selectors, services
from .forms import LockForm, MonthForm, RuleForm, SharesForm
from .models import Basis, CommissionRule, SaleShare

MANAGERS = {roles.MANAGER}


def _month_label(month):
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


class BranchPage(StaffRequired):
    """A page about the branch the manager is working at."""

    def branch(self):
        branch = self.request.branch
        if branch is None:
            raise Http404("No branch.")
        return branch

    def month(self):
        """The month asked for, or None with the form's errors (a 400)."""
        form = MonthForm(self.request.GET, today=self.branch().today())
        self.month_form = form
        return form.cleaned_data["month"] if form.is_valid() else None


class MyStatementView(BranchPage, TemplateView):
    """Everyone who earns sees their own month: what they earned and on which order.
    Field staff see their commission, never the customer's money."""

    roles = roles.EARNS_COMMISSION
    http_method_names = ["get"]
    template_name = "commissions/statement.html"

    def get(self, request, *args, **kwargs):
        month = self.month()
        ctx = self.get_context_data(form=self.month_form, person=request.staff, own=True)
        if month is None:
            return self.render_to_response(ctx, status=400)
        ctx.update(month=month, month_label=_month_label(month))
        ctx.update(selectors.statement(request.staff, month, request.staff.branch_ids))
        ctx["shows_money"] = request.staff.sees_money
        return self.render_to_response(ctx)


class StaffStatementView(BranchPage, TemplateView):
    """A manager reads one colleague's month at the branch."""

    roles = MANAGERS
    http_method_names = ["get"]
    template_name = "commissions/statement.html"

    def get(self, request, *args, **kwargs):
        branch = self.branch()
        person = get_object_or_404(Staff.objects.filter(branches=branch), pk=kwargs["pk"])
        month = self.month()
        ctx = self.get_context_data(form=self.month_form, person=person, own=False)
        if month is None:
            return self.render_to_response(ctx, status=400)
        ctx.update(month=month, month_label=_month_label(month), shows_money=True)
        ctx.update(selectors.statement(person, month, [branch.pk]))
        return self.render_to_response(ctx)


class BranchMonthView(BranchPage, TemplateView):
    """The branch's month per staff member: check it, lock it, export it for payroll
    (`?format=csv`, as the reports do)."""

    roles = MANAGERS
    http_method_names = ["get"]
    template_name = "commissions/branch_month.html"

    def get(self, request, *args, **kwargs):
        branch = self.branch()
        month = self.month()
        ctx = self.get_context_data(form=self.month_form, branch=branch)
        if month is None:
            return self.render_to_response(ctx, status=400)
        if request.GET.get("format") == "csv":
            return _csv(branch, month)
        lines = selectors.branch_month(branch, month)
        ctx.update(
            month=month,
            month_label=_month_label(month),
            lines=lines,
            bases=[b.label for b in Basis],
            total=sum((line.total for line in lines), services.ZERO),
            month_row=selectors.month_row(branch, month),
            lockable=month < services.month_of(branch.today()),
        )
        return self.render_to_response(ctx)


class LockMonthView(BranchPage, View):
    roles = MANAGERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        branch = self.branch()
        form = LockForm(request.POST, today=branch.today())
        target = reverse("commissions:branch")
        if not form.is_valid():
            for error in form.errors.get("month", []):
                messages.error(request, error)
            return redirect(target)
        month = form.cleaned_data["month"]
        target += f"?month={month:%Y-%m}"
        try:
            services.lock_month(branch=branch, month=month, by=request.staff)
        except AlreadyDone as exc:
            messages.warning(request, exc.messages[0])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(month)s is locked.") % {"month": _month_label(month)})
        return redirect(target)


def _csv(branch, month):
    """Payroll's file: a row per staff member, a column per basis, and their total."""
    row = selectors.month_row(branch, month)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"commissions-{branch.code}-{month:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # Excel opens UTF-8 Chinese correctly with a BOM
    writer = SafeCSVWriter(response)
    writer.writerow([_("Branch"), _("Month"), _("Staff member"), *Basis.labels, _("Total")])
    status = _("locked") if row and row.is_locked else _("not locked yet")
    for line in selectors.branch_month(branch, month):
        writer.writerow([branch.name, f"{month:%Y-%m}", line.name, *line.amounts(), line.total])
    writer.writerow([branch.name, f"{month:%Y-%m}", status])
    return response


class RuleListView(BranchPage, TemplateView):
    roles = MANAGERS
    http_method_names = ["get"]
    template_name = "commissions/rules.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["branch"] = branch = self.branch()
        ctx["rules"] = selectors.rules(branch)
        return ctx


class RuleFormView(BranchPage, TemplateView):
    """Add a rule, or change one of the branch's (credits already written keep theirs)."""

    roles = MANAGERS
    http_method_names = ["get", "post"]
    template_name = "commissions/rule_form.html"

    def rule(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.scoped(CommissionRule.objects), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        rule = self.rule()
        branch = rule.branch if rule else self.branch()
        form = RuleForm(instance=rule, branch=branch)
        return self.render_to_response(self.get_context_data(form=form, rule=rule))

    def post(self, request, *args, **kwargs):
        rule = self.rule()
        branch = rule.branch if rule else self.branch()
        form = RuleForm(request.POST, instance=rule, branch=branch)
        if form.is_valid():
            saved = form.save()
            messages.success(request, _("The rule is saved: %(rule)s.") % {"rule": saved})
            return redirect_allowed(request, "commissions:rules")
        ctx = self.get_context_data(form=form, rule=rule)
        return self.render_to_response(ctx, status=400)


class SharesView(StaffRequired, TemplateView):
    """Two people share an order's sale: their parts, adding up to 100%."""

    roles = MANAGERS
    http_method_names = ["get", "post"]
    template_name = "commissions/shares.html"

    def order(self):
        return get_object_or_404(self.scoped(Order.objects), number=self.kwargs["number"])

    def form(self, order, data=None):
        colleagues = Staff.objects.colleagues().filter(branches=order.branch).distinct()
        return SharesForm(data, colleagues=colleagues)

    def context(self, order, form):
        shares = SaleShare.objects.filter(order=order).select_related("staff")
        return self.get_context_data(order=order, form=form, shares=shares)

    def get(self, request, *args, **kwargs):
        order = self.order()
        return self.render_to_response(self.context(order, self.form(order)))

    def post(self, request, *args, **kwargs):
        order = self.order()
        form = self.form(order, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.share_sale(
                    order=order, basis=data["basis"], shares=data["shares"], by=request.staff
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request, _("The shares of %(order)s are saved.") % {"order": order}
                )
                return redirect("commissions:shares", number=order.number)
        return self.render_to_response(self.context(order, form), status=400)
