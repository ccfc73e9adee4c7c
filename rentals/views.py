from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from orders.models import Order
from studio import roles
from studio.access import StaffRequired
from studio.forms import attach_errors
from studio.listing import link_to, short_dates
from studio.services import AlreadyDone

from . import selectors, services
from .forms import CancelForm, DressFilterForm, PickUpForm, ReservationForm, ReturnForm
from .models import DressReservation

# Dress stylists see dresses and reservations, never money or phones; the desk handles both.
DESK_ROLES = {roles.RECEPTIONIST, roles.CASHIER, roles.MANAGER}
VIEW_ROLES = DESK_ROLES | {roles.DRESS_STYLIST}
# Anyone who sees money may open a reservation from the customer file.
DETAIL_ROLES = VIEW_ROLES | roles.SEES_MONEY


class DressListView(StaffRequired, TemplateView):
    """The dress inventory, filtered by category and size, with each dress's next dates."""

    roles = VIEW_ROLES
    template_name = "rentals/dress_list.html"
    http_method_names = ["get"]

    def get_context_data(self, **kwargs):
        branch = self.request.branch
        form = DressFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        dresses = selectors.dresses(
            branch=branch,
            today=branch.today(),
            category=filters.get("category", ""),
            size=filters.get("size", ""),
        )
        # Hundreds of reservations: their words are put together here, once per page.
        detail, day = link_to("rentals:detail"), short_dates()
        cleaning = _("cleaning until %(day)s")
        for dress in dresses:
            for r in dress["upcoming"]:
                r["url"] = detail(r["pk"])
                r["dates"] = f"{day(r['pickup_on'])}–{day(r['return_on'])}"
                r["cleaning"] = cleaning % {"day": day(r["cleaning_until"])}
        return super().get_context_data(filter_form=form, dresses=dresses, **kwargs)


class ReservationListView(StaffRequired, TemplateView):
    """Reservations still to pick up or to come back, soonest first."""

    roles = VIEW_ROLES
    template_name = "rentals/reservation_list.html"
    http_method_names = ["get"]

    def get_context_data(self, **kwargs):
        branch = self.request.branch
        found = selectors.reservations(branch=branch, since=branch.today())
        detail, day = link_to("rentals:detail"), short_dates()
        # Hundreds of rows: their links, dates and words are made here, once per page.
        for r in found:
            r["url"] = detail(r["pk"])
            r["pickup"], r["back"] = day(r["pickup_on"]), day(r["return_on"])
            r["dress_kind"] = f"{r['category_label']} · {r['dress__size']}"
        return super().get_context_data(reservations=found, today=branch.today(), **kwargs)


class ReserveView(StaffRequired, TemplateView):
    """礼服出租预约登记, from the order page: a reservation always belongs to an order."""

    roles = DESK_ROLES
    template_name = "rentals/reserve.html"
    http_method_names = ["get", "post"]

    def get_order(self):
        return get_object_or_404(
            self.scoped(Order.objects.select_related("customer", "package", "branch")),
            number=self.kwargs["number"],
        )

    def get(self, request, number):
        order = self.get_order()
        form = ReservationForm(
            branch=order.branch, initial={"wedding_date": order.customer.wedding_date}
        )
        return self.render_to_response(self.get_context_data(order=order, form=form))

    def post(self, request, number):
        order = self.get_order()
        form = ReservationForm(request.POST, branch=order.branch)
        if form.is_valid():
            try:
                reservation = services.reserve_dress(
                    order=order, by=request.staff, **form.service_kwargs()
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The dress is reserved."))
                return redirect(reservation)
        return self.render_to_response(self.get_context_data(order=order, form=form), status=400)


def _reservation(view):
    return get_object_or_404(
        view.scoped(
            DressReservation.objects.select_related("dress", "customer", "order", "created_by")
        ),
        pk=view.kwargs["pk"],
    )


class ReservationDetailView(StaffRequired, TemplateView):
    """One reservation: measurements, dates, and the pick-up or return form for the desk."""

    roles = DETAIL_ROLES
    template_name = "rentals/reservation_detail.html"
    http_method_names = ["get"]

    def get_context_data(self, **kwargs):
        reservation = kwargs.pop("reservation", None) or _reservation(self)
        staff = self.request.staff
        at_desk = staff.has_role(*DESK_ROLES)
        is_reserved = reservation.status == DressReservation.Status.RESERVED
        is_out = reservation.status == DressReservation.Status.PICKED_UP
        if at_desk and is_reserved:
            kwargs.setdefault("pick_up_form", PickUpForm())
            kwargs.setdefault("cancel_form", CancelForm())
        if at_desk and is_out:
            kwargs.setdefault("return_form", ReturnForm(initial={"deductions": 0}))
        # The number of the ID document held is read in full only by the desk that holds
        # it and gives it back; everyone else sees 3101**********1234.
        return super().get_context_data(reservation=reservation, hands_over=at_desk, **kwargs)


class ReservationActionView(ReservationDetailView):
    """POST a form on the reservation page; on bad input the page comes back with errors."""

    roles = DESK_ROLES
    http_method_names = ["post"]
    form_class = None
    form_name = ""
    done_message = ""

    def post(self, request, pk):
        reservation = _reservation(self)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.act(reservation, form.cleaned_data)
            except AlreadyDone as exc:
                messages.warning(request, exc.messages[0])
                return redirect(reservation)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, self.done_message())
                return redirect(reservation)
        context = self.get_context_data(reservation=reservation, **{self.form_name: form})
        return self.render_to_response(context, status=400)


class PickUpView(ReservationActionView):
    form_class = PickUpForm
    form_name = "pick_up_form"

    def act(self, reservation, data):
        services.pick_up_dress(
            reservation=reservation,
            id_type=data["id_type"],
            id_number=data["id_number"],
            deposit_method=data["deposit_method"],
            by=self.request.staff,
        )

    def done_message(self):
        return _("Picked up: the ID document is held and the deposit taken.")


class ReturnPreviewView(ReservationActionView):
    """The return's first step: the desk enters what was found and sees the refund (the
    deposit less the deductions) on the reservation page; nothing is taken back yet."""

    form_class = ReturnForm
    form_name = "return_form"

    def post(self, request, pk):
        reservation = _reservation(self)
        form = self.form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                refund = services.refund_on_return(
                    reservation=reservation,
                    deductions=data["deductions"] or 0,
                    reason=data["reason"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                preview = {
                    "deposit": reservation.deposit_amount,
                    "deductions": data["deductions"] or 0,
                    "refund": refund,
                    "reason": data["reason"],
                    "method": dict(form.fields["refund_method"].choices)[data["refund_method"]],
                }
                context = self.get_context_data(
                    reservation=reservation, return_form=form, return_preview=preview
                )
                return self.render_to_response(context)
        context = self.get_context_data(reservation=reservation, return_form=form)
        return self.render_to_response(context, status=400)


class ReturnView(ReservationActionView):
    """The return's confirmation, from the preview: take the dress back and refund."""

    form_class = ReturnForm
    form_name = "return_form"

    def act(self, reservation, data):
        services.return_dress(
            reservation=reservation,
            deductions=data["deductions"] or 0,
            reason=data["reason"],
            refund_method=data["refund_method"],
            by=self.request.staff,
        )

    def done_message(self):
        return _("Returned: refund the deposit and give the ID document back.")


class CancelView(ReservationActionView):
    form_class = CancelForm
    form_name = "cancel_form"

    def act(self, reservation, data):
        services.cancel_reservation(
            reservation=reservation, reason=data["reason"], by=self.request.staff
        )

    def done_message(self):
        return _("The reservation is cancelled; the dress's dates are free again.")
