from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from orders.forms import PaymentForm
from orders.guards import blocked_reasons
from orders.models import Order, State
from orders.services import take_payment
from studio import roles
from studio.access import StaffRequired
from studio.forms import attach_errors
from studio.listing import labels, link_to
from studio.pdf import pdf_response
from studio.services import AlreadyDone
from studio.views import day_asked

from . import selectors, services
from .forms import CheckForm, ExtraForm, HandOverForm, PickupForm, SlipForm, SurveyForm
from .models import LostSlipMemo, PartialPickupMemo, PickupAppointment

PICKUP_ROLES = {
    roles.RECEPTIONIST,
    roles.PICKUP_CLERK,
    roles.SELECTION_CONSULTANT,
    roles.MANAGER,
}


class BookPickupView(StaffRequired, TemplateView):
    """Book (or move) the pickup from the order: the pickup slip number comes with it."""

    roles = PICKUP_ROLES
    template_name = "pickup/book.html"
    http_method_names = ["get", "post"]

    def get_order(self):
        return get_object_or_404(
            self.scoped(Order.objects.select_related("customer", "branch")),
            number=self.kwargs["number"],
        )

    def get(self, request, number):
        order = self.get_order()
        form = PickupForm(branch=order.branch)
        return self.render_to_response(self._context(order, form))

    def post(self, request, number):
        order = self.get_order()
        form = PickupForm(request.POST, branch=order.branch)
        if form.is_valid():
            try:
                pickup = services.book_pickup(
                    order=order,
                    starts_at=form.starts_at(),
                    clerk=form.cleaned_data["clerk"],
                    note=form.cleaned_data["note"],
                    by=request.staff,
                    request_key=form.cleaned_data["request_key"] or None,
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                when = timezone.localtime(pickup.starts_at, order.branch.tzinfo)
                messages.success(
                    request,
                    _("Pickup booked for %(when)s; slip number %(slip)s.")
                    % {
                        "when": date_format(when, "SHORT_DATETIME_FORMAT"),
                        "slip": pickup.slip_number,
                    },
                )
                day = when.date().isoformat()
                return redirect(f"{reverse('pickup:sheet')}?date={day}")
        return self.render_to_response(self._context(order, form), status=400)

    def _context(self, order, form):
        return self.get_context_data(order=order, form=form, current=selectors.current(order))


_SHEET_LINKS = ("overview:customer", "pickup:check", "pickup:desk")


class SheetView(StaffRequired, TemplateView):
    """The pickup control sheet (取件控制表) for one day."""

    # Production opens it for the day-before check.
    roles = PICKUP_ROLES | {roles.CASHIER, roles.PRODUCTION}
    template_name = "pickup/sheet.html"
    http_method_names = ["get"]

    def get_context_data(self, **kwargs):
        branch = self.request.branch
        day = day_asked(self.request, branch.today())
        appointments = list(selectors.sheet(branch=branch, day=day))
        orders = selectors.orders_for_sheet(appointments)
        rows = [(a, orders[a.order_id]) for a in appointments]
        # The row's links and words, made once for the day's sheet.
        customer, check, desk = (link_to(name) for name in _SHEET_LINKS)
        states, statuses = labels(State), labels(PickupAppointment.Status)
        for a, o in rows:
            a.status_label, o.state_label = statuses[a.status], states[o.state]
            a.customer_url = customer(o.customer_id)
            a.check_url, a.desk_url = check(a.pk), desk(a.pk)
        return super().get_context_data(
            day=day,
            previous=day - timedelta(days=1),
            next=day + timedelta(days=1),
            rows=rows,
            can_desk=self.request.staff.has_role(*DESK_ROLES),
            can_check=self.request.staff.has_role(*CHECK_ROLES),
            **kwargs,
        )


DESK_ROLES = {roles.PICKUP_CLERK, roles.RECEPTIONIST, roles.CASHIER, roles.MANAGER}
CHECK_ROLES = {roles.PRODUCTION, roles.PICKUP_CLERK, roles.MANAGER}


class DeskPage(StaffRequired):
    """The pickup desk for one appointment: the slip (or a lost-slip memo), the balance, the
    items counted one by one, the third sale, the survey, and the delivery."""

    roles = DESK_ROLES
    template_name = "pickup/desk.html"

    def get_appointment(self):
        return get_object_or_404(
            self.scoped(
                PickupAppointment.objects.select_related(
                    "order__customer", "order__package", "branch", "clerk"
                )
            ),
            pk=self.kwargs["pk"],
        )

    def desk_forms(self, appointment, bound=None, data=None):
        """The page's forms by context name; the one named `bound` gets `data`."""
        order = appointment.order

        def given(name):
            return data if name == bound else None

        survey = selectors.survey(order)
        return {
            "slip_form": SlipForm(given("slip_form"), prefix="slip"),
            "payment_form": PaymentForm(
                given("payment_form"),
                prefix="pay",
                initial={"amount": order.balance_due if order.balance_due > 0 else None},
            ),
            "hand_over_form": HandOverForm(
                given("hand_over_form"), prefix="give", remaining=selectors.remaining_items(order)
            ),
            "extra_form": ExtraForm(
                given("extra_form"),
                prefix="extra",
                extras=services.extras(branch=appointment.branch),
            ),
            "survey_form": None if survey else SurveyForm(given("survey_form"), prefix="survey"),
        }

    def desk_context(self, appointment, forms, errors=()):
        order = appointment.order
        return {
            "view": self,
            "appointment": appointment,
            "is_open": appointment.status == PickupAppointment.Status.BOOKED,
            "order": order,
            "balance": order.balance_due,
            "remaining": selectors.remaining_items(order),
            "handed": selectors.handed_items(order),
            "lost_memos": list(appointment.lost_slip_memos.all()),
            "partial_memos": list(appointment.partial_memos.select_related("next_appointment")),
            "survey": selectors.survey(order),
            "blocked": blocked_reasons(order, "deliver") if order.state == State.READY else [],
            "errors": errors,
            **forms,
        }

    def desk_url(self, appointment):
        return reverse("pickup:desk", args=[appointment.pk])


class DeskView(DeskPage, TemplateView):
    """The desk page; each of its forms posts to its own action view below."""

    http_method_names = ["get"]

    def get(self, request, pk):
        appointment = self.get_appointment()
        context = self.desk_context(appointment, self.desk_forms(appointment))
        return self.render_to_response(context)


class DeskActionView(DeskPage, View):
    """POST one of the desk's forms: validate it, call one service, back to the desk. A
    refusal shows the desk again with the reason at the form (400); a second press after
    someone else's is a warning on the desk as it is now."""

    http_method_names = ["post"]
    # The desk's context name of this action's form (None: the action has no form).
    form_name = None

    def post(self, request, pk):
        appointment = self.get_appointment()
        forms = self.desk_forms(appointment, bound=self.form_name, data=request.POST)
        form = forms[self.form_name] if self.form_name else None
        errors = []
        try:
            if self.form_name and form is None:
                raise AlreadyDone(_("Already done."))
            if form is not None and not form.is_valid():
                return self.refused(appointment, forms)
            return self.act(appointment, form.cleaned_data if form is not None else {})
        except AlreadyDone as exc:
            messages.warning(request, exc.messages[0])
            return redirect(self.desk_url(appointment))
        except ValidationError as exc:
            if form is not None:
                attach_errors(form, exc)
            else:
                errors = exc.messages
        return self.refused(appointment, forms, errors)

    def act(self, appointment, data):
        """Call the action's one service; answer with `self.done(...)`."""
        raise NotImplementedError

    def done(self, appointment, message, to=None):
        messages.success(self.request, message)
        return redirect(to or self.desk_url(appointment))

    def refused(self, appointment, forms, errors=()):
        context = self.desk_context(appointment, forms, errors=errors)
        return TemplateResponse(self.request, self.template_name, context, status=400)


class VerifySlipView(DeskActionView):
    form_name = "slip_form"

    def act(self, appointment, data):
        memo = services.verify_slip(appointment=appointment, by=self.request.staff, **data)
        if memo:
            return self.done(
                appointment, _("Lost-slip memo written: print it for the customer to sign.")
            )
        return self.done(appointment, _("The pickup slip matches."))


class PayBalanceView(DeskActionView):
    form_name = "payment_form"

    def act(self, appointment, data):
        entry = take_payment(order=appointment.order, staff=self.request.staff, **data)
        return self.done(
            appointment,
            _("Payment recorded: receipt %(receipt)s.") % {"receipt": entry.receipt_no},
        )


class HandOverView(DeskActionView):
    form_name = "hand_over_form"

    def act(self, appointment, data):
        rest_at = None
        if data["rest_date"]:
            start = timezone.localtime(appointment.starts_at, appointment.branch.tzinfo)
            rest_at = datetime.combine(data["rest_date"], start.time(), appointment.branch.tzinfo)
        memo = services.hand_over(
            appointment=appointment, item_ids=data["items"], by=self.request.staff, rest_at=rest_at
        )
        if memo is None:
            return self.done(appointment, _("Every item is handed over."))
        when = timezone.localtime(memo.rest_at, appointment.branch.tzinfo)
        return self.done(
            appointment,
            _("Partial pickup: the rest on %(when)s, slip %(slip)s. Print the memo.")
            % {
                "when": date_format(when, "SHORT_DATETIME_FORMAT"),
                "slip": memo.next_appointment.slip_number,
            },
            to=self.desk_url(memo.next_appointment),
        )


class SellExtraView(DeskActionView):
    form_name = "extra_form"

    def act(self, appointment, data):
        entry = services.sell_extra(appointment=appointment, by=self.request.staff, **data)
        return self.done(
            appointment, _("Extra sold: receipt %(receipt)s.") % {"receipt": entry.receipt_no}
        )


class SurveyView(DeskActionView):
    form_name = "survey_form"

    def act(self, appointment, data):
        services.record_survey(order=appointment.order, by=self.request.staff, **data)
        return self.done(appointment, _("Thank you: the survey is saved."))


class CompletePickupView(DeskActionView):
    def act(self, appointment, data):
        services.complete_pickup(appointment=appointment, by=self.request.staff)
        return self.done(
            appointment, _("Delivered: the customer signs the production list as received.")
        )


class CheckView(StaffRequired, TemplateView):
    """The day before: production or the pickup clerk counts and checks every item."""

    roles = CHECK_ROLES
    template_name = "pickup/check.html"
    http_method_names = ["get", "post"]

    def get_appointment(self):
        return get_object_or_404(
            self.scoped(PickupAppointment.objects.select_related("order__customer", "branch")),
            pk=self.kwargs["pk"],
        )

    def get(self, request, pk):
        appointment = self.get_appointment()
        form = CheckForm(items=selectors.remaining_items(appointment.order))
        return self.render_to_response(self.get_context_data(appointment=appointment, form=form))

    def post(self, request, pk):
        appointment = self.get_appointment()
        form = CheckForm(request.POST, items=selectors.remaining_items(appointment.order))
        if form.is_valid():
            try:
                failed = services.check_items(
                    order=appointment.order, by=request.staff, results=form.results()
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                if failed:
                    messages.warning(
                        request,
                        _("%(count)s item(s) sent back to rework.") % {"count": len(failed)},
                    )
                else:
                    messages.success(request, _("Every item checked; the owner will call."))
                day = timezone.localtime(appointment.starts_at, appointment.branch.tzinfo).date()
                return redirect(f"{reverse('pickup:sheet')}?date={day.isoformat()}")
        ctx = self.get_context_data(appointment=appointment, form=form)
        return self.render_to_response(ctx, status=400)


class LostSlipMemoView(StaffRequired, View):
    """The lost-slip memo (取件单丢失备忘录) in the customer's language, to sign."""

    roles = DESK_ROLES
    http_method_names = ["get"]

    def get(self, request, pk):
        memo = get_object_or_404(
            self.scoped(
                LostSlipMemo.objects.select_related("appointment__branch", "order__customer", "by"),
                field="appointment__branch",
            ),
            pk=pk,
        )
        return pdf_response(
            "pickup/lost_slip_pdf.html",
            {"memo": memo, "order": memo.order, "branch": memo.appointment.branch},
            filename=f"lost-slip-{memo.appointment.slip_number}.pdf",
            language=memo.order.customer.language,
            request=request,
        )


class PartialMemoView(StaffRequired, View):
    """The partial pickup memo (取件备忘录): what stays behind and when to come for it."""

    roles = DESK_ROLES
    http_method_names = ["get"]

    def get(self, request, pk):
        memo = get_object_or_404(
            self.scoped(
                PartialPickupMemo.objects.select_related(
                    "appointment__branch", "order__customer", "next_appointment", "by"
                ),
                field="appointment__branch",
            ),
            pk=pk,
        )
        return pdf_response(
            "pickup/partial_pdf.html",
            {
                "memo": memo,
                "order": memo.order,
                "branch": memo.appointment.branch,
                "items": list(memo.items.all()),
            },
            filename=f"partial-pickup-{memo.appointment.slip_number}.pdf",
            language=memo.order.customer.language,
            request=request,
        )
