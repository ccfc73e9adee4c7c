import datetime

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView, TemplateView, View

from . import lockouts, roles, selectors, services
from .access import StaffRequired, redirect_allowed, staff_required
from .forms import (
    ConsentForm,
    ConsultationForm,
    CustomerForm,
    LeaveForm,
    RotaForm,
    VisitForm,
    attach_errors,
)
from .middleware import BranchMiddleware
from .models import Customer, DiscountApproval, Leave, Package, Visit
from .validators import validate_sane_date


def day_asked(request, default):
    """The day a sheet is asked for (`?date=YYYY-MM-DD`), else `default`. A date that cannot
    be read, or lies out of range, shows `default` with a message that says so: never an
    error page, and never another day than the one asked without a word."""
    value = request.GET.get("date", "")
    if not value:
        return default
    try:
        day = datetime.date.fromisoformat(value)
        validate_sane_date(day)
    except (ValueError, ValidationError):
        messages.warning(
            request,
            _("“%(value)s” is not a date this page can show: here is %(day)s.")
            % {"value": value[:20], "day": date_format(default, "DATE_FORMAT")},
        )
        return default
    return day


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PackageListView(StaffRequired, ListView):
    roles = roles.FRONT_DESK | {roles.SELECTION_CONSULTANT}
    template_name = "studio/package_list.html"
    context_object_name = "packages"

    def get_queryset(self):
        return (
            Package.objects.filter(is_active=True, branches=self.request.branch)
            .prefetch_related("lines")
            .order_by("-is_signature", "price")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        wanted = [p for p in self.request.GET.getlist("compare") if p.isdigit()][:2]
        ctx["compared"] = [p for p in ctx["packages"] if str(p.pk) in wanted]
        ctx["compare_ids"] = wanted
        return ctx


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


class LockoutListView(StaffRequired, TemplateView):
    """Head office lifts a login lockout early (django-axes), e.g. for a manager who
    mistyped their password on the signing screen and is needed now."""

    roles = {roles.CHAIN_MANAGER}
    http_method_names = ["get", "post"]
    template_name = "studio/lockouts.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["lockouts"] = lockouts.current_lockouts()
        return ctx

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        try:
            lockouts.unlock_login(
                username=username,
                ip_address=request.POST.get("ip_address", ""),
                by=request.staff,
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("%(username)s can log in again.") % {"username": username})
        return redirect("studio:lockouts")


# --- The front desk (DOMAIN.md, stage 1) ---

CUSTOMER_FILE_ROLES = roles.OFFICE
SIGNS_ORDERS = {roles.RECEPTIONIST, roles.CASHIER, roles.MANAGER}
LOOKS_UP_CUSTOMERS = roles.FRONT_DESK | {
    roles.SELECTION_CONSULTANT,
    roles.PICKUP_CLERK,
    roles.DISPATCHER,
}


class RotaView(StaffRequired, FormView):
    """The manager sets today's order-taking rota (轮流接单表)."""

    roles = {roles.MANAGER}
    http_method_names = ["get", "post"]
    template_name = "studio/rota.html"
    form_class = RotaForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["branch"] = self.request.branch
        rota = selectors.rota_for(self.request.branch, self.request.branch.today())
        if rota is not None and self.request.method == "GET":
            kwargs["initial"] = {
                RotaForm.field_name(slot.staff): turn
                for turn, slot in enumerate(rota.slots.all(), start=1)
            }
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rota"] = selectors.rota_for(self.request.branch, self.request.branch.today())
        return ctx

    def form_valid(self, form):
        try:
            services.set_rota(
                branch=self.request.branch,
                day=self.request.branch.today(),
                takers=form.cleaned_data["takers"],
                set_by=self.request.staff,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(self.request, _("Today's rota is set."))
        return redirect("studio:rota")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CustomerSearchView(StaffRequired, TemplateView):
    """As-you-type search (htmx): by either phone or by name."""

    roles = LOOKS_UP_CUSTOMERS
    template_name = "studio/includes/customer_results.html"
    http_method_names = ["get"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "")
        ctx["q"] = q
        ctx["results"] = selectors.search_customers(self.scoped(Customer.objects.all()), q)
        ctx["pick"] = self.request.GET.get("pick") == "1"
        return ctx


class VisitCreateView(StaffRequired, FormView):
    """Register a walk-in in under a minute: find the couple, or file them on the spot."""

    roles = roles.FRONT_DESK
    http_method_names = ["get", "post"]
    template_name = "studio/visit_form.html"
    form_class = VisitForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["customers"] = self.scoped(Customer.objects.all())
        if self.request.method == "GET" and self.request.GET.get("customer"):
            kwargs["initial"] = {"customer": self.request.GET["customer"]}
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        pk = form["customer"].value()
        ctx["picked"] = (
            self.scoped(Customer.objects.all()).filter(pk=pk).first()
            if str(pk or "").isdigit()
            else None
        )
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        customer = data["customer"]
        try:
            visit = services.register_visit(
                branch=self.request.branch,
                registered_by=self.request.staff,
                customer=customer,
                new_customer=None if customer else form.new_customer(),
                kind=data["kind"],
                source=data["source"],
                referrer=data["referrer"],
                reason=data["reason"],
            )
        except services.DuplicateCustomer as exc:
            form.add_error(None, exc.messages)
            ctx = self.get_context_data(form=form, duplicate=exc.existing)
            return self.render_to_response(ctx, status=400)
        except ValidationError as exc:
            attach_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(couple)s registered; order taker: %(taker)s.")
            % {"couple": visit.customer, "taker": visit.taker},
        )
        return redirect("studio:visit", pk=visit.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class VisitDetailView(StaffRequired, FormView):
    """The consultation (门市咨商表): what they compared, their budget, how it ended."""

    roles = roles.FRONT_DESK
    http_method_names = ["get", "post"]
    template_name = "studio/visit_detail.html"
    form_class = ConsultationForm

    def get_visit(self):
        return get_object_or_404(
            self.scoped(Visit.objects.select_related("customer", "taker", "referrer")),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["branch"] = self.visit.branch
        return kwargs

    def get(self, request, *args, **kwargs):
        self.visit = self.get_visit()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.visit = self.get_visit()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["visit"] = self.visit
        ctx["customer"] = self.visit.customer
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            visit = services.close_visit(
                visit=self.visit,
                staff=self.request.staff,
                outcome=data["outcome"],
                compared_studios=data["compared_studios"],
                budget=data["budget"],
                packages_shown=list(data["packages_shown"]),
                not_booked_reason=data["not_booked_reason"],
                not_booked_because=data["not_booked_because"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
            return self.form_invalid(form)
        if visit.outcome == Visit.Outcome.NOT_BOOKED:
            messages.success(
                self.request, _("Consultation closed; customer service will call them back.")
            )
            return redirect("overview:customer", pk=visit.customer_id)
        messages.success(self.request, _("Booked: fill in the planning document."))
        # Customer service takes consultations but does not sign orders.
        return redirect_allowed(
            self.request,
            reverse("orders:sign", kwargs={"customer": visit.customer_id}),
            reverse("overview:customer", kwargs={"pk": visit.customer_id}),
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CustomerEditView(StaffRequired, FormView):
    """The couple's contact details and preferences (the language of their documents), for
    the roles that call customers; each change is recorded with who made it."""

    roles = roles.CALLS_CUSTOMERS
    template_name = "studio/customer_edit.html"
    form_class = CustomerForm
    http_method_names = ["get", "post"]

    def get_customer(self):
        if not hasattr(self, "customer"):
            self.customer = get_object_or_404(
                self.scoped(Customer.objects.select_related("branch")), pk=self.kwargs["pk"]
            )
        return self.customer

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_customer()}

    def get_context_data(self, **kwargs):
        customer = self.get_customer()
        kwargs.setdefault("consent_form", ConsentForm())
        return super().get_context_data(
            customer=customer, **selectors.consent_context(customer), **kwargs
        )

    def form_valid(self, form):
        try:
            services.update_customer(
                customer=self.get_customer(), by=self.request.staff, **form.cleaned_data
            )
        except ValidationError as exc:
            attach_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The customer's file is updated."))
        return redirect("overview:customer", pk=self.customer.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CustomerConsentView(CustomerEditView):
    """The front desk records a consent given or withdrawn (PIPL), from the file's edit
    page: the roles that see the customer's contact details, never field staff."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ConsentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_consents(
                    self.get_customer(),
                    purpose=data["purpose"],
                    channels=data["channels"],
                    granted=data["granted"],
                    source=data["source"],
                    by=request.staff,
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("Consent recorded."))
                return redirect("studio:customer_edit", pk=self.customer.pk)
        contact = CustomerForm(instance=self.get_customer())
        context = self.get_context_data(form=contact, consent_form=form)
        return self.render_to_response(context, status=400)


class LeaveView(StaffRequired, FormView):
    """A staff member going on leave names their agent (职务代理人) for those days."""

    roles = roles.ALL
    http_method_names = ["get", "post"]
    template_name = "studio/leave.html"
    form_class = LeaveForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["staff"] = self.request.staff
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["leaves"] = Leave.objects.filter(staff=self.request.staff).select_related("agent")
        ctx["covering"] = selectors.covering_for(self.request.staff, on=self.request.branch.today())
        return ctx

    def form_valid(self, form):
        try:
            services.record_leave(staff=self.request.staff, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Leave recorded; your agent will see your customers."))
        return redirect("studio:leave")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DiscountDecisionView(StaffRequired, View):
    """A store manager approves or refuses a discount from their own device."""

    roles = {roles.MANAGER}
    http_method_names = ["post"]

    def post(self, request, pk):
        approval = get_object_or_404(self.scoped(DiscountApproval.objects.all()), pk=pk)
        approve = request.POST.get("decision") == "approve"
        try:
            services.decide_discount_approval(
                approval=approval, manager=request.staff, approve=approve
            )
        except services.AlreadyDecided as exc:
            messages.warning(request, exc.messages[0])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Discount approved.") if approve else _("Discount refused.")
            )
        return redirect("home")
