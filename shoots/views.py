from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from orders.models import LedgerEntry, Order, State
from selection import selectors as selection_selectors
from selection.forms import BookSelectionForm
from selection.photos import PHOTO_ROLES
from studio import roles
from studio.access import EVERYONE, StaffRequired, reached_by_private_link, redirect_allowed
from studio.forms import WhenForm, attach_errors
from studio.listing import labels, link_by, link_to, short_dates
from studio.models import Staff, couple_name
from studio.polling import PolledPage
from studio.services import AlreadyDone
from studio.views import day_asked

from . import selectors, services
from .calendar import render_feed
from .forms import (
    BookingForm,
    CheckInForm,
    ConfirmationForm,
    FinishForm,
    HandOffForm,
    LateForm,
    LookForm,
    VisitForm,
)
from .models import BUDGET_CHOICES, CalendarFeed, Shoot

# Who works with the control sheet; field staff use the tablet page.
SHEET_ROLES = {
    roles.DISPATCHER,
    roles.MANAGER,
    roles.RECEPTIONIST,
    roles.CUSTOMER_SERVICE,
    roles.SELECTION_CONSULTANT,
}
BOOKING_ROLES = roles.BOOKS_SHOOTS
DAY_ROLES = {roles.DISPATCHER, roles.MANAGER}
TABLET_ROLES = roles.FIELD | DAY_ROLES
LOOK_ROLES = DAY_ROLES | {roles.DRESS_STYLIST}
VISIT_ROLES = {roles.RECEPTIONIST, roles.SELECTION_CONSULTANT, roles.MANAGER, roles.DISPATCHER}


class SheetMixin(StaffRequired):
    roles = SHEET_ROLES

    def filters(self):
        branch = self.request.branch
        day = day_asked(self.request, branch.today())
        staff = None
        if self.request.GET.get("staff", "").isdigit():
            staff = Staff.objects.filter(pk=self.request.GET["staff"], branches=branch).first()
        return branch, day, staff

    def staff_choices(self, branch):
        return selectors.sheet_staff(branch)


class DayView(SheetMixin, TemplateView):
    """The control sheet (摄控表) for one day."""

    template_name = "shoots/sheet_day.html"

    def get_context_data(self, **kwargs):
        branch, day, staff = self.filters()
        shoots = list(selectors.sheet(branch=branch, start=day, end=day, staff=staff))
        waiting = (
            selectors.waiting_for_a_shoot(branch=branch) if self.request.staff.books_shoots else []
        )
        _for_the_day(shoots, waiting)
        return super().get_context_data(
            day=day,
            previous=day - timedelta(days=1),
            next=day + timedelta(days=1),
            shoots=shoots,
            capacity=branch.daily_shoot_capacity,
            free_places=max(branch.daily_shoot_capacity - len(shoots), 0),
            staff_filter=staff,
            staff_choices=self.staff_choices(branch),
            waiting=waiting,
            **kwargs,
        )


def _for_the_day(shoots, waiting):
    """What the day's sheet prints of each shoot and each order waiting for one, made here
    once for the page (links, labels, dates), not by template tags and includes per row."""
    detail, book = link_to("shoots:detail"), link_by("shoots:book", "number")
    statuses, steps = labels(Shoot.Status), dict(BUDGET_CHOICES)
    for shoot in shoots:
        shoot.detail_url = detail(shoot.pk)
        shoot.status_label = statuses.get(shoot.status, shoot.status)
        shoot.people_rows = [(str(label), p.display_name) for label, p in shoot.people()]
        shoot.outfits_text = ", ".join(str(steps[line.step]) for line in shoot.outfits)
    day = short_dates()
    for order in waiting:
        order["couple"] = couple_name(order["customer__bride_name"], order["customer__groom_name"])
        order["book_url"] = book(order["number"])
        signed = order["signed_at"]
        order["signed_text"] = day(timezone.localdate(signed)) if signed else ""
        month = order["wanted_shoot_month"]
        order["wanted_text"] = formats.date_format(month, "YEAR_MONTH_FORMAT") if month else "—"


class WeekView(SheetMixin, TemplateView):
    """The control sheet for the week of the day asked: a column a day, a line a shoot."""

    template_name = "shoots/sheet_week.html"

    def get_context_data(self, **kwargs):
        branch, day, staff = self.filters()
        monday = day - timedelta(days=day.weekday())
        days = [monday + timedelta(days=i) for i in range(7)]
        shoots = selectors.week_sheet(branch=branch, start=monday, end=days[-1], staff=staff)
        on_day: dict[date, list[dict]] = {d: [] for d in days}
        for shoot in _for_the_week(shoots):
            # A day is the branch's day; a line's times are written in the reader's zone.
            on_day[timezone.localtime(shoot["starts_at"], branch.tzinfo).date()].append(shoot)
        capacity = branch.daily_shoot_capacity
        columns = [
            {"day": d, "shoots": on_day[d], "full": len(on_day[d]) >= capacity} for d in days
        ]
        return super().get_context_data(
            monday=monday,
            previous=monday - timedelta(days=7),
            next=monday + timedelta(days=7),
            columns=columns,
            capacity=capacity,
            day_url=reverse("shoots:day"),
            staff_filter=staff,
            staff_choices=self.staff_choices(branch),
            **kwargs,
        )


def _for_the_week(shoots):
    """What the week's sheet prints of each shoot, made once for the page: its link, its
    times as `|time:"H:i"` writes them (the current time zone), the couple's names."""
    detail, zone = link_to("shoots:detail"), timezone.get_current_timezone()
    for shoot in shoots:
        starts, ends = shoot["starts_at"].astimezone(zone), shoot["ends_at"].astimezone(zone)
        shoot["starts"] = f"{starts.hour:02d}:{starts.minute:02d}"
        shoot["ends"] = f"{ends.hour:02d}:{ends.minute:02d}"
        shoot["detail_url"] = detail(shoot["pk"])
        shoot["couple"] = couple_name(shoot["bride"], shoot["groom"])
    return shoots


class BookView(StaffRequired, TemplateView):
    """Schedule or reschedule an order's shoot: pick a time, then only free people show."""

    roles = BOOKING_ROLES
    template_name = "shoots/book.html"

    def get_order(self):
        return get_object_or_404(
            self.scoped(Order.objects.select_related("customer", "package", "branch")),
            number=self.kwargs["number"],
            state__in=[State.BOOKED, State.SCHEDULED],
        )

    def get(self, request, *args, **kwargs):
        order = self.get_order()
        when = WhenForm(request.GET or None)
        form = None
        if when.is_valid():
            form = self._booking_form(order, when, initial=request.GET)
        return self.render_to_response(self._context(order, when, form))

    def post(self, request, *args, **kwargs):
        order = self.get_order()
        when = WhenForm(request.POST)
        if not when.is_valid():
            return self.render_to_response(self._context(order, when, None), status=400)
        key = request.POST.get("request_key", "")[:64]
        if key and (shoot := services.booked_with(order=order, request_key=key)):
            # The form sent again (a second press): what the first booked, not a move.
            return self._booked(request, order, shoot)
        form = self._booking_form(order, when, data=request.POST)
        if form.is_valid():
            try:
                shoot = services.book_shoot(
                    order=order,
                    starts_at=form.starts_at(order.branch),
                    by=request.staff,
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                return self._booked(request, order, shoot)
        return self.render_to_response(self._context(order, when, form), status=400)

    def _booked(self, request, order, shoot):
        messages.success(
            request,
            _("The shoot is on the control sheet for %(when)s.")
            % {"when": timezone.localtime(shoot.starts_at).strftime("%Y-%m-%d %H:%M")},
        )
        return redirect_allowed(
            request, reverse("shoots:detail", kwargs={"pk": shoot.pk}), _sheet_url(shoot), order
        )

    def _booking_form(self, order, when, data=None, initial=None):
        starts_at = when.starts_at(order.branch)
        plan = services.plan_timeline(
            branch=order.branch, sets=services.default_sets(order.package)
        )
        ends_at = starts_at + timedelta(minutes=sum(m for _s, m in plan))
        free = selectors.free_resources(branch=order.branch, starts_at=starts_at, ends_at=ends_at)
        sets = services.default_sets(order.package)
        defaults = {
            "date": when.cleaned_data["date"],
            "time": when.cleaned_data["time"],
            "white_gowns": sets.count("white_gown"),
            "evening_dresses": sets.count("evening_dress"),
            "specialty": sets.count("specialty"),
        }
        return BookingForm(data, free=free, initial=defaults)

    def _context(self, order, when, form):
        current = selectors.planned_shoot(order)
        return self.get_context_data(
            order=order, when_form=when, form=form, current=current, lead_days=7
        )


def _sheet_url(shoot):
    day = timezone.localtime(shoot.starts_at, shoot.branch.tzinfo).date()
    return f"{reverse('shoots:day')}?date={day.isoformat()}"


def _holds_locker_deposit(shoot):
    return shoot.order.hold_outstanding(LedgerEntry.Kind.LOCKER_DEPOSIT) > 0


def _shoot_or_404(view, queryset=None):
    queryset = queryset if queryset is not None else Shoot.objects.all()
    return get_object_or_404(
        view.scoped(queryset.select_related("order__customer", "branch")), pk=view.kwargs["pk"]
    )


class ShootDetailView(StaffRequired, TemplateView):
    """The dispatcher's page for one shoot: plan, check-in, hand-offs, trips, finish."""

    roles = DAY_ROLES
    template_name = "shoots/shoot_detail.html"

    def get_context_data(self, **kwargs):
        shoot = _shoot_or_404(
            self,
            selectors.with_handoffs(
                selectors.with_crew(Shoot.objects.all()).prefetch_related(
                    "plan", "trips__vehicle", "trips__driver", "visits__visitor"
                )
            ),
        )
        current = selectors.current_handoff(shoot)
        return super().get_context_data(
            **self.selection_context(shoot),
            shoot=shoot,
            order=shoot.order,
            timeline=selectors.timeline(shoot),
            current=current,
            next_move=selectors.next_move(shoot, current),
            affected=selectors.affected_by_late_start(shoot),
            calls=selectors.confirmation_calls(shoot),
            arrival=services.arrival_time(shoot),
            check_in_form=kwargs.pop("check_in_form", None) or CheckInForm(),
            finish_form=kwargs.pop("finish_form", None)
            or FinishForm(holds_deposit=_holds_locker_deposit(shoot)),
            confirmation_form=ConfirmationForm(initial={"outcome": shoot.confirmation}),
            late_form=LateForm(initial={"minutes": shoot.late_minutes}),
            visit_form=VisitForm(),
            open_trip=next((t for t in shoot.trips.all() if t.returned_at is None), None),
            briefing=BRIEFING,
            **kwargs,
        )

    def selection_context(self, shoot):
        """After the finish, the selection appointment is booked from here (DOMAIN.md)."""
        if shoot.status != Shoot.Status.FINISHED:
            return {}
        order = shoot.order
        booked = selection_selectors.appointment(order)
        form = None
        if booked is None and order.state == State.SHOT:
            form = BookSelectionForm(branch=order.branch)
        context = {"selection": booked, "selection_form": form}
        if self.request.staff.has_role(*PHOTO_ROLES):
            # Who may upload the session's photos goes there from here, with the counts.
            context["photos"] = selection_selectors.previews_ready(order)
        return context


BRIEFING = [
    gettext_lazy("Receipt copy taken"),
    gettext_lazy("Valuables in the locker, key handed over"),
    gettext_lazy("Today's plan and order of outfits explained"),
    gettext_lazy("Allergies and wishes checked with the makeup artist"),
]


class ShootActionView(StaffRequired, View):
    """POST one action on a shoot, then back to the page it came from."""

    roles = DAY_ROLES
    http_method_names = ["post"]
    form_class = None
    done_message = ""
    # The shoot page's context name for this action's form: a refusal then shows the page
    # again with the form as typed and the reason at it (status 400), not a banner.
    page_form_name = None

    def post(self, request, pk):
        shoot = _shoot_or_404(self)
        form = self.make_form(shoot)
        if form is not None and not form.is_valid():
            if self.page_form_name:
                return self.refused(form)
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self.back(shoot)
        try:
            self.act(shoot, form.cleaned_data if form is not None else {})
        except AlreadyDone as exc:
            # A second press after someone else's: the page as it is now, and why.
            messages.warning(request, exc.messages[0])
        except ValidationError as exc:
            if self.page_form_name:
                attach_errors(form, exc)
                return self.refused(form)
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, str(self.done_message))
        return self.back(shoot)

    def refused(self, form):
        page = ShootDetailView()
        page.setup(self.request, **self.kwargs)
        context = page.get_context_data(**{self.page_form_name: form})
        return page.render_to_response(context, status=400)

    def make_form(self, shoot):
        return self.form_class(self.request.POST) if self.form_class else None

    def act(self, shoot, data):
        """Call the action's one service with the form's cleaned data."""
        raise NotImplementedError

    def back(self, shoot):
        """To the page it came from, else the shoot's page, else the day's sheet or the
        tablet: whichever of them the actor may open."""
        return redirect_allowed(
            self.request,
            self.request.POST.get("next", ""),
            reverse("shoots:detail", kwargs={"pk": shoot.pk}),
            _sheet_url(shoot),
            "shoots:tablet",
        )


class CheckInView(ShootActionView):
    """Check the couple in: locker key, deposit, balance, and the briefing."""

    form_class = CheckInForm
    done_message = gettext_lazy("Checked in.")
    page_form_name = "check_in_form"

    def act(self, shoot, data):
        services.check_in(
            shoot=shoot,
            by=self.request.staff,
            locker_key=data["locker_key"],
            deposit_method=data["deposit_method"],
            balance_method=data["balance_method"] or None,
            briefed=data["briefed"],
        )


class BriefView(ShootActionView):
    done_message = gettext_lazy("Briefing recorded.")

    def act(self, shoot, data):
        services.mark_briefed(shoot=shoot, by=self.request.staff)


class DepartView(ShootActionView):
    done_message = gettext_lazy("Departure recorded.")

    def act(self, shoot, data):
        services.depart_outdoor(shoot=shoot, by=self.request.staff)


class ReturnView(ShootActionView):
    done_message = gettext_lazy("Return recorded.")

    def act(self, shoot, data):
        services.return_outdoor(shoot=shoot, by=self.request.staff)


class FinishView(ShootActionView):
    """Finish the shoot: asks whether the locker key came back while a deposit is held."""

    done_message = gettext_lazy("The shoot is finished. Book the selection appointment next.")
    page_form_name = "finish_form"

    def make_form(self, shoot):
        return FinishForm(self.request.POST, holds_deposit=_holds_locker_deposit(shoot))

    def act(self, shoot, data):
        services.finish_shoot(
            shoot=shoot,
            by=self.request.staff,
            key_returned=data.get("key_returned"),
            deposit_method=data.get("deposit_method", "cash"),
            keep=data.get("keep", 0),
            keep_reason=data.get("keep_reason", ""),
        )


class NoShowView(ShootActionView):
    done_message = gettext_lazy("Marked as a no-show; the owner has a call to make.")

    def act(self, shoot, data):
        services.mark_no_show(shoot=shoot, by=self.request.staff)


class LateView(ShootActionView):
    form_class = LateForm
    done_message = gettext_lazy("The late start is recorded.")

    def act(self, shoot, data):
        services.record_late_start(shoot=shoot, minutes=data["minutes"], by=self.request.staff)


class ConfirmationView(ShootActionView):
    roles = BOOKING_ROLES
    form_class = ConfirmationForm
    done_message = gettext_lazy("The outcome of the call is recorded.")

    def act(self, shoot, data):
        services.record_confirmation(shoot=shoot, outcome=data["outcome"], by=self.request.staff)


class VisitView(ShootActionView):
    roles = VISIT_ROLES
    form_class = VisitForm
    done_message = gettext_lazy("Visit recorded.")

    def act(self, shoot, data):
        services.record_visit(shoot=shoot, visitor=self.request.staff, note=data["note"])


class HandOffView(ShootActionView):
    """The one-tap hand-off, from the dispatcher's page or a tablet."""

    roles = TABLET_ROLES
    done_message = gettext_lazy("Handed over.")

    def make_form(self, shoot):
        return HandOffForm(self.request.POST, shoot=shoot)

    def act(self, shoot, data):
        staff = self.request.staff
        if not staff.has_role(*DAY_ROLES) and staff.pk not in shoot.staff_ids():
            raise Http404
        services.hand_off(
            shoot=shoot,
            to_staff=data["to_staff"],
            plan_line=data["plan_line"],
            step=data["step"] or None,
            by=staff,
        )


class LookView(ShootActionView):
    """The look of an outfit set, from the shoot page or the dress stylist's tablet."""

    roles = LOOK_ROLES
    done_message = gettext_lazy("The look is saved.")

    def make_form(self, shoot):
        staff = self.request.staff
        if not staff.has_role(*DAY_ROLES) and staff.pk != shoot.dress_stylist_id:
            raise Http404
        return LookForm(self.request.POST, shoot=shoot)

    def act(self, shoot, data):
        services.set_look(line=data["line"], look=data["look"], by=self.request.staff)


class BoardView(StaffRequired, PolledPage, TemplateView):
    """Every couple in the building: where, with whom, since when; who needs attention."""

    roles = DAY_ROLES
    template_name = "shoots/board.html"
    fragment_template_name = "shoots/includes/board_rows.html"

    def fragment_version(self):
        return selectors.board_version(branch=self.request.branch)

    def get_context_data(self, **kwargs):
        rows = selectors.board(branch=self.request.branch)
        return super().get_context_data(
            rows=rows,
            flagged=sum(1 for r in rows if r["over_budget"] or r["alone"]),
            today=self.request.branch.today(),
            **kwargs,
        )


class TomorrowView(StaffRequired, TemplateView):
    """The dispatcher's "tomorrow": shoots with staff, rooms and equipment to prepare."""

    roles = DAY_ROLES
    template_name = "shoots/tomorrow.html"

    def get_context_data(self, **kwargs):
        branch = self.request.branch
        day = day_asked(self.request, branch.today() + timedelta(days=1))
        shoots = list(selectors.shoots_on(branch=branch, day=day, statuses=[Shoot.Status.PLANNED]))
        selectors.with_arrival(shoots)
        return super().get_context_data(
            day=day,
            shoots=shoots,
            outfits=selectors.outfit_totals(shoots),
            precautions=services.PRECAUTIONS,
            early_minutes=services.EARLY_FOR_BALANCE_MINUTES,
            **kwargs,
        )


class TabletView(StaffRequired, PolledPage, TemplateView):
    """My queue now, for makeup artists, dress stylists, photographers and assistants."""

    roles = TABLET_ROLES
    template_name = "shoots/tablet.html"
    fragment_template_name = "shoots/includes/tablet_queue.html"

    def fragment_version(self):
        return selectors.queue_version(staff=self.request.staff, branch=self.request.branch)

    def get_context_data(self, **kwargs):
        staff, branch = self.request.staff, self.request.branch
        queue = selectors.my_queue(staff=staff, branch=branch)
        # The photographer's shoots finished today, to upload their photos from here.
        shot = (
            selectors.shot_today(staff=staff, branch=branch) if staff.has_role(*PHOTO_ROLES) else []
        )
        return super().get_context_data(queue=queue, shot=shot, **kwargs)


class MyCalendarView(StaffRequired, TemplateView):
    roles = EVERYONE
    template_name = "shoots/calendar.html"

    def get_context_data(self, **kwargs):
        feed = services.calendar_feed_for(self.request.staff)
        url = self.request.build_absolute_uri(reverse("shoots:feed", kwargs={"token": feed.token}))
        return super().get_context_data(feed_url=url, **kwargs)

    def post(self, request):
        services.reset_calendar_feed(staff=request.staff)
        messages.success(request, _("A new calendar address was made; the old one stops working."))
        return redirect("shoots:calendar")


@reached_by_private_link
def calendar_feed(request, token):
    """The one page reachable without logging in: the private token is the key."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("staff"), token=token, staff__is_active=True
    )
    body = render_feed(feed.staff, selectors.shoots_for_feed(feed.staff))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
