"""Pages that gather every stage: Today, the customer file, the managers' reports (and
their CSV)."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from orders.forms import PaymentForm
from orders.selectors import state_counts
from orders.views import CARD_ROLES
from selection.views import COMPENSATION_ROLES
from studio import roles, services
from studio import selectors as studio_selectors
from studio.access import StaffRequired, is_chain
from studio.dbrouters import replica
from studio.forms import attach_errors
from studio.models import Branch, Customer, DataRequest, WorkerHeartbeat
from studio.pdf import pdf_response
from studio.validators import SafeCSVWriter
from studio.views import (
    CUSTOMER_FILE_ROLES,
    SIGNS_ORDERS,
    CustomerEditView,
    VisitDetailView,
)

from . import reports, selectors
from .forms import EraseCustomerForm, ReportForm


class HomeView(StaffRequired, TemplateView):
    """The landing page for every role; front-desk stages add their panels to it."""

    roles = roles.ALL
    template_name = "overview/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["state_counts"] = state_counts(self.request) if self.request.staff.sees_money else []
        staff = self.request.staff
        if staff.user.is_superuser or staff.is_manager:  # the only readers of the beat
            ctx["heartbeat"] = WorkerHeartbeat.objects.filter(name="beat").first()
        if self.request.branch is not None:
            ctx.update(selectors.today(self.request))
        return ctx


class CustomerDetailView(StaffRequired, DetailView):
    """The customer file: everything about the couple, newest first."""

    roles = CUSTOMER_FILE_ROLES
    template_name = "overview/customer_detail.html"
    context_object_name = "customer"

    def get_object(self, queryset=None):
        customer = selectors.file_customer(
            self.kwargs["pk"], self.request.staff.branch_ids, on=self.request.branch.today()
        )
        if customer is None:
            raise Http404
        return customer

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        staff = self.request.staff
        customer = self.object
        day = self.request.branch.today()
        ctx["orders"] = orders = selectors.file_orders(customer) if staff.sees_money else []
        for o in orders:
            # One key per form: each order's payment is its own idempotent submit.
            o.payment_form = PaymentForm(auto_id=f"id_pay{o.pk}_%s")
        ctx["timeline"] = selectors.customer_timeline(
            customer,
            sees_money=staff.sees_money,
            opens_visits=staff.has_role(*VisitDetailView.roles),
            # Staff who don't see money get no order cards: the timeline reads its own.
            orders=orders if staff.sees_money else None,
            sees_messages=staff.has_role(*roles.SEES_MESSAGES),
            settles_compensation=staff.has_role(*COMPENSATION_ROLES),
            newest=self.request.GET.get("timeline") != "all",
        )
        ctx["can_sign"] = staff.has_role(*SIGNS_ORDERS)
        if staff.sees_money:
            ctx["card"] = selectors.file_card(customer)
            ctx["fapiao_requests"] = selectors.file_fapiao_requests(customer)
        ctx["takes_card_money"] = staff.has_role(*CARD_ROLES)
        ctx["can_log_complaint"] = staff.has_role(*roles.LOGS_COMPLAINTS)
        ctx["can_edit"] = staff.has_role(*CustomerEditView.roles)
        # The trail shows phones and addresses: only for the roles that edit the file.
        ctx["changes"] = (
            studio_selectors.customer_changes(customer, recorded=customer.has_recorded_changes)
            if ctx["can_edit"]
            else []
        )
        ctx["open_visit_id"] = customer.open_visit_id
        if ctx["can_edit"]:  # consent sits with the contact details: the same roles
            ctx.update(
                studio_selectors.consent_context(customer, any_records=customer.has_consent_records)
            )
        ctx["can_export"] = staff.has_role(*EXPORTS_DATA)
        ctx["can_erase"] = staff.has_role(*CustomerEraseView.roles) and not customer.erased_at
        ctx["on_behalf"] = None
        if customer.owner and customer.owner != staff and customer.owner_away:
            leave = services.leave_on(customer.owner, on=day)
            if leave and services.responsible_for(customer.owner, on=day) == staff:
                ctx["on_behalf"] = leave
        return ctx


# Who takes a couple's data out for them (PIPL): the store manager and customer service.
EXPORTS_DATA = {roles.MANAGER, roles.CUSTOMER_SERVICE}


class CustomerExportView(StaffRequired, View):
    """A couple's data, gathered from every stage, as JSON or as a PDF in their language.
    POST only: every export is recorded (who, when)."""

    roles = EXPORTS_DATA
    http_method_names = ["post"]
    kind = ""

    def post(self, request, pk):
        customer = get_object_or_404(self.scoped(Customer.objects.select_related("branch")), pk=pk)
        services.record_data_request(customer=customer, kind=self.kind, by=request.staff)
        return self.export(customer, selectors.customer_export(customer))

    def export(self, customer, sections):
        raise NotImplementedError


class CustomerExportJSONView(CustomerExportView):
    kind = DataRequest.Kind.EXPORT_JSON

    def export(self, customer, sections):
        response = HttpResponse(
            selectors.export_json(customer, sections), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="customer-{customer.pk}.json"'
        return response


class CustomerExportPDFView(CustomerExportView):
    kind = DataRequest.Kind.EXPORT_PDF

    def export(self, customer, sections):
        return pdf_response(
            "overview/customer_export.html",
            {"customer": customer, "sections": sections, "exported_at": timezone.now()},
            filename=f"customer-{customer.pk}.pdf",
            language=customer.language,
            request=self.request,
        )


class CustomerEraseView(StaffRequired, FormView):
    """A store manager erases a couple's personal data on their request, after typing
    their name; refused with the reason while an order is open or money owed or held."""

    roles = {roles.MANAGER}
    template_name = "overview/customer_erase.html"
    form_class = EraseCustomerForm
    http_method_names = ["get", "post"]

    def get_customer(self):
        if not hasattr(self, "customer"):
            self.customer = get_object_or_404(
                self.scoped(Customer.objects.select_related("branch")), pk=self.kwargs["pk"]
            )
        return self.customer

    def get_context_data(self, **kwargs):
        return super().get_context_data(customer=self.get_customer(), **kwargs)

    def form_valid(self, form):
        customer = self.get_customer()
        try:
            services.erase_customer(
                customer=customer, by=self.request.staff, typed_name=form.cleaned_data["typed_name"]
            )
        except services.AlreadyDone as exc:
            messages.warning(self.request, exc.messages[0])
            return redirect("overview:customer", pk=customer.pk)
        except ValidationError as exc:
            attach_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The customer's personal data is erased."))
        return redirect("overview:customer", pk=customer.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ReportsView(StaffRequired, TemplateView):
    """A branch's day or month: funnel, money, staff, operations and targets. A store
    manager sees the branches they manage (an area manager several), head office all."""

    roles = {roles.MANAGER, roles.CHAIN_MANAGER}
    http_method_names = ["get"]
    template_name = "overview/reports/report.html"

    def get(self, request, *args, **kwargs):
        branches = Branch.objects.order_by("code")
        if not is_chain(request):
            branches = branches.filter(pk__in=request.staff.branch_ids)
        branch = self._branch(branches)
        data = {"branch": branch.pk, **request.GET.dict()}
        form = ReportForm(data, branches=branches, today=branch.today())
        if not form.is_valid():
            ctx = self.get_context_data(form=form, branch=branch)
            return self.render_to_response(ctx, status=400)
        if form.cleaned_data["period"] == reports.DAY:
            period = reports.Period(reports.DAY, form.cleaned_data["day"])
        else:
            period = reports.Period(reports.MONTH, form.cleaned_data["month"])
        with replica():  # a moment behind the primary is fine for a report
            figures = reports.report(branch, period)
        if request.GET.get("format") == "csv":
            return _csv(branch, period, figures)
        ctx = self.get_context_data(form=form, branch=branch, period=period, **figures)
        ctx["chart"] = {
            "labels": [str(line["label"]) for line in figures["money"]["revenue"]],
            "amounts": [float(line["amount"]) for line in figures["money"]["revenue"]],
        }
        ctx["trend_chart"] = _trend_chart(figures["trend"])
        ctx["csv_query"] = _with_csv(request.GET)
        ctx["period_label"] = _period_label(period)
        ctx.update(_neighbours(request.GET, branch, period))
        return self.render_to_response(ctx)

    def _branch(self, branches):
        """The branch asked for, if the manager manages it (else 404), or the current one."""
        wanted = self.request.GET.get("branch")
        if not wanted:
            return self.request.branch or branches.first() or _no_branch()
        try:
            return branches.get(pk=int(wanted))
        except (ValueError, Branch.DoesNotExist):
            raise Http404("No such branch.") from None


def _trend_chart(rows):
    """The 12-month trend as the chart draws it; the page's table beside it has the same."""
    labels = [_month_label(row["month"]) for row in rows]
    return {
        "first": labels[0],
        "last": labels[-1],
        "labels": labels,
        "visits": [row["visits"] for row in rows],
        "deals": [row["deals"] for row in rows],
        "revenue": [float(row["revenue"]) for row in rows],
        "series": {"visits": _("Visits"), "deals": _("Deals signed"), "revenue": _("Revenue")},
    }


def _month_label(first):
    return formats.date_format(first, "YEAR_MONTH_FORMAT")


def _neighbours(query, branch, period):
    """Links to the period before and after; for a month still running, how far it is and
    a link to last month, so a nearly empty page at the start of a month says why."""
    before = period.first - datetime.timedelta(days=1)
    after = period.end
    if period.kind == reports.DAY:
        previous = reports.Period(reports.DAY, before)
        following = reports.Period(reports.DAY, after)
    else:
        previous = reports.Period.month_of(before)
        following = reports.Period.month_of(after)
    today = branch.today()
    links = {
        "previous_query": _query_for(query, branch, previous),
        "previous_label": _period_label(previous),
        "next_query": _query_for(query, branch, following) if following.first <= today else "",
        "next_label": _period_label(following),
        "running": None,
    }
    if period.kind == reports.MONTH and period.first <= today < period.end:
        links["running"] = {
            "days": (today - period.first).days + 1,
            "of": (period.end - period.first).days,
        }
    return links


def _query_for(query, branch, period):
    query = query.copy()
    query.pop("format", None)
    query["branch"] = branch.pk
    query["period"] = period.kind
    if period.kind == reports.DAY:
        query["day"] = period.first.isoformat()
        query.pop("month", None)
    else:
        query["month"] = f"{period.first:%Y-%m}"
        query.pop("day", None)
    return query.urlencode()


def _no_branch():
    raise Http404("No branch.")


def _with_csv(query):
    query = query.copy()
    query["format"] = "csv"
    return query.urlencode()


def _csv(branch, period, figures):
    """The page's figures as rows of (section, figure, value), for a spreadsheet."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"report-{branch.code}-{period.first:%Y-%m-%d}-{period.kind}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # Excel opens UTF-8 Chinese correctly with a BOM
    writer = SafeCSVWriter(response)
    funnel, money, ops = figures["funnel"], figures["money"], figures["operations"]
    writer.writerow([_("Section"), _("Figure"), _("Value")])
    writer.writerow([_("Report"), _("Branch"), branch.name])
    writer.writerow([_("Report"), _("Period"), _period_label(period)])
    for key, label in [
        ("visits", _("Visits")),
        ("booked", _("Booked")),
        ("not_booked", _("Not booked")),
        ("conversion", _("Conversion %")),
        ("deals", _("Deals signed")),
    ]:
        writer.writerow([_("Visits and deals"), label, _blank(funnel[key])])
    writer.writerow([_("Money"), _("Deposits taken"), money["deposits"]])
    writer.writerow([_("Money"), _("Deposits amount"), money["deposits_amount"]])
    for line in money["revenue"]:
        writer.writerow([_("Revenue"), line["label"], line["amount"]])
    writer.writerow([_("Revenue"), _("Total revenue"), money["revenue_total"]])
    writer.writerow([_("Stored-value cards"), _("Topped up"), money["card_top_ups"]])
    writer.writerow(
        [_("Stored-value cards"), _("Still on cards (owed)"), money["cards_outstanding"]]
    )
    for row in figures["channels"]:
        section = _("Channel: %(channel)s") % {"channel": row["label"]}
        writer.writerow([section, _("Visits"), row["visits"]])
        writer.writerow([section, _("Booked"), row["booked"]])
        writer.writerow([section, _("Conversion %"), _blank(row["conversion"])])
        writer.writerow([section, _("Deals signed"), row["deals"]])
        writer.writerow([section, _("Deals value"), row["value"]])
    for row in figures["not_booked"]["rows"]:
        writer.writerow([_("Reason not booked"), row["label"], row["visits"]])
    invoicing = figures["invoicing"]
    for label, value in [
        (_("Money received"), invoicing["received"]),
        (_("Fapiao issued"), invoicing["issued"]),
        (_("Invoiced"), invoicing["issued_amount"]),
        (_("Not invoiced"), invoicing["not_invoiced"]),
        (_("Fapiao requested"), invoicing["asked"]),
        (_("Requested amount"), invoicing["asked_amount"]),
        (_("Waiting to be issued"), invoicing["waiting_amount"]),
    ]:
        writer.writerow([_("Fapiao"), label, value])
    for row in figures["staff_rows"]:
        section = _("Staff: %(name)s") % {"name": row.display_name}
        writer.writerow([section, _("Visits taken"), row.visits_taken])
        writer.writerow([section, _("Booked"), row.booked])
        writer.writerow([section, _("Conversion %"), _blank(row.conversion)])
        writer.writerow([section, _("Deals"), row.deals])
        writer.writerow([section, _("Revenue taken"), row.revenue])
        writer.writerow([section, _("Commission"), row.commission])
    production, complaints = ops["production"], ops["complaints"]
    for label, value in [
        (_("Shoots done"), ops["shoots"]),
        (_("Selections done"), ops["selections"]),
        (_("Production items done"), production["done"]),
        (_("Production on time %"), _blank(production["on_time_percent"])),
        (_("Pickups"), ops["pickups"]),
        (_("Complaints"), complaints["logged"]),
        (_("Complaints resolved"), complaints["resolved"]),
        (_("Satisfaction (1–5)"), _blank(ops["satisfaction"]["average"])),
    ]:
        writer.writerow([_("Operations"), label, value])
    for row in figures["targets"]["rows"]:
        section = _("Target: %(who)s") % {"who": row["who"] or branch.name}
        writer.writerow([section, _("Deals target"), row["target"].deals])
        writer.writerow([section, _("Deals"), row["deals"]])
        writer.writerow([section, _("Revenue target"), row["target"].revenue])
        writer.writerow([section, _("Revenue"), row["revenue"]])
    for row in figures["trend"]:
        section = _("Trend: %(month)s") % {"month": f"{row['month']:%Y-%m}"}
        writer.writerow([section, _("Visits"), row["visits"]])
        writer.writerow([section, _("Deals signed"), row["deals"]])
        writer.writerow([section, _("Revenue"), row["revenue"]])
    return response


def _blank(value):
    return "" if value is None else value


def _period_label(period):
    if period.kind == reports.DAY:
        return formats.date_format(period.first, "DATE_FORMAT")
    return _month_label(period.first)
