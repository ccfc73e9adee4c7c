from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from orders.models import Order, State
from studio import roles
from studio.access import StaffRequired

from . import selectors, services
from .forms import BookSelectionForm, FilesForm
from .models import SelectionSession

SELECTION_ROLES = {
    roles.DISPATCHER,
    roles.SELECTION_CONSULTANT,
    roles.RECEPTIONIST,
    roles.MANAGER,
}
# The service names the booking time `starts_at`; the form asks for a date and a time.
FIELD_FOR = {"starts_at": "time"}


def _attach(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = FIELD_FOR.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _sheet_url(branch, moment):
    day = timezone.localtime(moment, branch.tzinfo).date()
    return f"{reverse('selection:sheet')}?date={day.isoformat()}"


class BookView(StaffRequired, TemplateView):
    """Book or move the selection appointment of an order that is shot."""

    roles = SELECTION_ROLES
    template_name = "selection/book.html"

    def get_order(self):
        return get_object_or_404(
            self.scoped(Order.objects.select_related("customer", "package", "branch")),
            number=self.kwargs["number"],
            state=State.SHOT,
        )

    def get(self, request, *args, **kwargs):
        order = self.get_order()
        current = selectors.appointment(order)
        initial = {}
        if current is not None:
            at = timezone.localtime(current.appointment_at, order.branch.tzinfo)
            initial = {"date": at.date(), "time": at.time(), "consultant": current.consultant}
        form = BookSelectionForm(branch=order.branch, initial=initial)
        return self.render_to_response(self.get_context_data(order=order, form=form))

    def post(self, request, *args, **kwargs):
        order = self.get_order()
        form = BookSelectionForm(request.POST, branch=order.branch)
        if form.is_valid():
            try:
                session = services.book_selection(
                    order=order,
                    starts_at=form.starts_at(order.branch),
                    consultant=form.cleaned_data["consultant"],
                    by=request.staff,
                )
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(
                    request,
                    _("The selection is booked for %(when)s with %(who)s.")
                    % {
                        "when": timezone.localtime(
                            session.appointment_at, order.branch.tzinfo
                        ).strftime("%Y-%m-%d %H:%M"),
                        "who": session.consultant.display_name,
                    },
                )
                target = request.POST.get("next", "")
                if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
                    return redirect(target)
                return redirect(_sheet_url(order.branch, session.appointment_at))
        return self.render_to_response(self.get_context_data(order=order, form=form), status=400)

    def get_context_data(self, **kwargs):
        return super().get_context_data(current=selectors.appointment(kwargs["order"]), **kwargs)


def _day(value, default):
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


class SheetView(StaffRequired, TemplateView):
    """The viewing control sheet (看样控制表) of one day, with the files check per couple."""

    roles = SELECTION_ROLES
    template_name = "selection/sheet.html"
    http_method_names = ["get"]

    def get_context_data(self, day=None, bound=None, **kwargs):
        branch = self.request.branch
        day = day or _day(self.request.GET.get("date"), branch.today())
        sessions = selectors.sheet(
            self.scoped(SelectionSession.objects.all(), "order__branch"), branch=branch, day=day
        )
        rows = []
        for session in sessions:
            if bound is not None and bound[0] == session.pk:
                form = bound[1]
            else:
                form = FilesForm(
                    initial={
                        "transferred": session.files_transferred_at is not None,
                        "complete": session.files_complete,
                        "photo_count": session.photo_count,
                    },
                    prefix=f"s{session.pk}",
                )
            rows.append({"session": session, "form": form})
        return super().get_context_data(
            day=day,
            previous=day - timedelta(days=1),
            next=day + timedelta(days=1),
            rows=rows,
            **kwargs,
        )


class FilesView(SheetView):
    """The button on the sheet: the image files are transferred and complete (or not)."""

    http_method_names = ["post"]

    def post(self, request, number):
        order = get_object_or_404(
            self.scoped(Order.objects.select_related("branch")), number=number
        )
        session = get_object_or_404(SelectionSession, order=order)
        form = FilesForm(request.POST, prefix=f"s{session.pk}")
        if form.is_valid():
            try:
                services.mark_files(order=order, by=request.staff, **form.cleaned_data)
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(
                    request,
                    _("Image files of %(couple)s recorded.") % {"couple": order.customer},
                )
                return redirect(_sheet_url(order.branch, session.appointment_at or timezone.now()))
        day = (
            timezone.localtime(session.appointment_at, order.branch.tzinfo).date()
            if session.appointment_at
            else None
        )
        context = self.get_context_data(day=day, bound=(session.pk, form))
        return self.render_to_response(context, status=400)
