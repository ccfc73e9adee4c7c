from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from orders.models import Order
from studio import roles
from studio.access import StaffRequired
from studio.forms import attach_errors

from . import selectors, services
from .forms import PickupForm

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


class SheetView(StaffRequired, TemplateView):
    """The pickup control sheet (取件控制表) for one day."""

    roles = PICKUP_ROLES | {roles.CASHIER}
    template_name = "pickup/sheet.html"
    http_method_names = ["get"]

    def get_context_data(self, **kwargs):
        branch = self.request.branch
        try:
            day = date.fromisoformat(self.request.GET.get("date", ""))
        except ValueError:
            day = branch.today()
        appointments = list(selectors.sheet(branch=branch, day=day))
        orders = selectors.orders_for_sheet(appointments)
        rows = [(a, orders[a.order_id]) for a in appointments]
        return super().get_context_data(
            day=day,
            previous=day - timedelta(days=1),
            next=day + timedelta(days=1),
            rows=rows,
            **kwargs,
        )
