from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, When
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView, View

from followups.models import CallTask, Complaint
from orders.guards import blocked_reasons
from orders.models import Order, State
from orders.views import order_page_again
from studio import roles
from studio.access import StaffRequired, redirect_allowed
from studio.forms import attach_errors
from studio.listing import link_to, short_dates
from studio.pdf import pdf_response
from studio.services import AlreadyDone
from studio.templatetags.studio import money
from studio.views import day_asked

from . import photos, selectors, services
from .forms import (
    BookSelectionForm,
    CompensationForm,
    ConfirmForm,
    FilesForm,
    LoweredUpsellForm,
    PickForm,
    ProductForm,
    ProofForm,
    RejectCompensationForm,
    ReverseVoucherUseForm,
    ReworkForm,
    UploadPhotoForm,
    VoucherForm,
)
from .models import (
    Compensation,
    DesignProof,
    LoweredUpsell,
    Photo,
    Pick,
    Product,
    ProductionItem,
    ProductLine,
    SelectionSession,
    VoucherUse,
)

SELECTION_ROLES = {
    roles.DISPATCHER,
    roles.SELECTION_CONSULTANT,
    roles.RECEPTIONIST,
    roles.MANAGER,
}
# The session and its money: the consultant and the manager.
SESSION_ROLES = {roles.SELECTION_CONSULTANT, roles.MANAGER}
# The signed production list is read again at the front desk and at pickup.
LIST_ROLES = SESSION_ROLES | {roles.RECEPTIONIST, roles.CASHIER, roles.PICKUP_CLERK}
# The production board: who makes the products, and the consultant to answer the couple.
BOARD_ROLES = {roles.RETOUCHER, roles.PRODUCTION, roles.MANAGER, roles.SELECTION_CONSULTANT}
MOVES_ITEMS = {roles.RETOUCHER, roles.PRODUCTION, roles.MANAGER}
# Design proofs (看设计): the designer (retoucher / designer role) and the manager upload
# them and tell the couple; the board's people look at them.
DESIGNS = {roles.RETOUCHER, roles.MANAGER}
# The photos (selection.photos.PHOTO_ROLES).
PHOTO_ROLES = photos.PHOTO_ROLES
# A list signed again for less: the cashier (and the manager) refund or keep the difference.
DIFFERENCE_ROLES = {roles.CASHIER, roles.MANAGER}
# The service names the booking time `starts_at`; the form asks for a date and a time.
FIELD_FOR = {"starts_at": "time"}


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
                    request_key=form.cleaned_data["request_key"] or None,
                )
            except ValidationError as exc:
                attach_errors(form, exc, field_for=FIELD_FOR)
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
                return redirect_allowed(
                    request,
                    request.POST.get("next", ""),
                    _sheet_url(order.branch, session.appointment_at),
                )
        return self.render_to_response(self.get_context_data(order=order, form=form), status=400)

    def get_context_data(self, **kwargs):
        return super().get_context_data(current=selectors.appointment(kwargs["order"]), **kwargs)


class SheetView(StaffRequired, TemplateView):
    """The viewing control sheet (看样控制表) of one day, with the files check per couple."""

    roles = SELECTION_ROLES
    template_name = "selection/sheet.html"
    http_method_names = ["get"]

    def get_context_data(self, day=None, bound=None, **kwargs):
        branch = self.request.branch
        day = day or day_asked(self.request, branch.today())
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
            opens_sessions=self.request.staff.has_role(*SESSION_ROLES),
            opens_photos=self.request.staff.has_role(*PHOTO_ROLES),
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
                attach_errors(form, exc, field_for=FIELD_FOR)
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


# --- The session (选片) ---


class SessionMixin(StaffRequired):
    def get_session(self):
        """The session of the order in the address, at one of the reader's branches."""
        session = selectors.session_page(
            self.kwargs["number"], sorted(self.request.staff.branch_ids)
        )
        if session is None:
            raise Http404
        return session

    def session_url(self, session, pass_kind=None):
        url = reverse("selection:session", args=[session.order.number])
        return f"{url}?pass={pass_kind}" if pass_kind else url


def _pass(value):
    return value if value in Pick.Pass.values else Pick.Pass.FIRST_LOOK


def session_context(session, *, current_pass, pick_form=None, product_form=None):
    order = session.order
    summary = selectors.summary(session)
    picked = next((picks for key, picks in summary.passes.items() if key == current_pass), [])
    return {
        "picked": picked,
        "picked_numbers": ",".join(str(p.number) for p in picked),
        "session": session,
        "order": order,
        "summary": summary,
        "current_pass": current_pass,
        "passes": Pick.Pass.choices,
        "editable": order.state == State.SELECTING,
        "pick_form": pick_form
        or PickForm(initial={"pass_kind": current_pass, "retouch": True, "action": "pick"}),
        "product_form": product_form or ProductForm(branch=order.branch),
        "start_blocked": blocked_reasons(order, "start_selection")
        if order.state == State.SHOT
        else [],
        "reopen_blocked": blocked_reasons(order, "reopen") if order.state == State.SELECTED else [],
        "send_blocked": blocked_reasons(order, "send_to_production")
        if order.state == State.SELECTED
        else [],
        "lowered": selectors.pending_lowered(order),
    }


class SessionView(SessionMixin, TemplateView):
    """The consultant's screen: photo numbers in passes, counts against the package and
    the live upsell."""

    roles = SESSION_ROLES
    template_name = "selection/session.html"
    http_method_names = ["get"]

    def get_context_data(self, **kwargs):
        session = self.get_session()
        grid = selectors.photo_grid(session)
        return super().get_context_data(
            **session_context(session, current_pass=_pass(self.request.GET.get("pass"))),
            photos=grid,
            favourites=[tile for tile in grid if tile.favourite],
            notes=[tile for tile in grid if tile.note],
            **kwargs,
        )


class WorkspaceView(SessionMixin, View):
    """POSTs from the session page: htmx gets the workspace back, a plain form a redirect."""

    roles = SESSION_ROLES
    http_method_names = ["post"]

    def respond(self, session, *, current_pass, status=200, **forms):
        context = session_context(session, current_pass=current_pass, **forms)
        template = (
            "selection/includes/workspace.html"
            if self.request.headers.get("HX-Request")
            else "selection/session.html"
        )
        if status == 200 and not self.request.headers.get("HX-Request"):
            return redirect(self.session_url(session, current_pass))
        return TemplateResponse(self.request, template, context, status=status)


class PicksView(WorkspaceView):
    def post(self, request, number):
        session = self.get_session()
        form = PickForm(request.POST)
        current = _pass(request.POST.get("pass_kind"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == "unpick":
                    services.unpick(
                        session=session,
                        numbers=data["numbers"],
                        pass_=data["pass_kind"],
                        by=request.staff,
                    )
                else:
                    services.pick(
                        session=session,
                        numbers=data["numbers"],
                        pass_=data["pass_kind"],
                        by=request.staff,
                        outfit=data["outfit"],
                        retouch=data["retouch"],
                        album_page=data["album_page"],
                    )
            except ValidationError as exc:
                attach_errors(form, exc, field_for=FIELD_FOR)
            else:
                return self.respond(session, current_pass=current)
        return self.respond(session, current_pass=current, status=400, pick_form=form)


class TakeFavouritesView(SessionMixin, View):
    """One action: the couple's favourites from home go into the first look."""

    roles = SESSION_ROLES
    http_method_names = ["post"]

    def post(self, request, number):
        session = self.get_session()
        try:
            taken = services.take_favourites(session=session, by=request.staff)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(count)d favourites from home went into the first look.") % {"count": taken},
            )
        return redirect(self.session_url(session, Pick.Pass.FIRST_LOOK))


class ProductsView(WorkspaceView):
    def post(self, request, number):
        session = self.get_session()
        current = _pass(request.POST.get("pass_kind"))
        form = ProductForm(request.POST, branch=session.order.branch)
        if form.is_valid():
            try:
                services.add_product(session=session, by=request.staff, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc, field_for=FIELD_FOR)
            else:
                return self.respond(session, current_pass=current)
        return self.respond(session, current_pass=current, status=400, product_form=form)


class RemoveProductView(WorkspaceView):
    def post(self, request, number, pk):
        session = self.get_session()
        line = get_object_or_404(ProductLine, session=session, pk=pk)
        current = _pass(request.POST.get("pass_kind"))
        try:
            services.remove_product(line=line, by=request.staff)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.session_url(session, current))
        return self.respond(session, current_pass=current)


class SessionActionView(SessionMixin, View):
    """One of the session's buttons: call its service, back to the session page."""

    roles = SESSION_ROLES
    http_method_names = ["post"]
    done_message = ""

    def post(self, request, number):
        session = self.get_session()
        try:
            self.act(session.order)
        except AlreadyDone as exc:
            messages.warning(request, exc.messages[0])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.done_message)
        return redirect(self.session_url(session))

    def act(self, order):
        """Call the button's one service."""
        raise NotImplementedError


class StartView(SessionActionView):
    done_message = gettext_lazy("The selection has started.")

    def act(self, order):
        services.start_selection(order=order, by=self.request.staff)


class ReopenView(SessionActionView):
    """Reopen a signed production list for changes (within 3 hours)."""

    done_message = gettext_lazy("The selection is open for changes again.")

    def act(self, order):
        services.reopen_selection(order=order, by=self.request.staff)


class SendView(SessionActionView):
    done_message = gettext_lazy("The production list went to production.")

    def act(self, order):
        services.send_to_production(order=order, by=self.request.staff)


class ConfirmView(SessionMixin, TemplateView):
    """The customer signs the production list; the upsell is invoiced and paid or owed."""

    roles = SESSION_ROLES
    template_name = "selection/confirm.html"
    http_method_names = ["get", "post"]

    def get_context_data(self, form=None, **kwargs):
        session = self.session
        return super().get_context_data(
            session=session,
            order=session.order,
            summary=selectors.summary(session),
            form=form or self.form(),
            **kwargs,
        )

    def form(self, data=None):
        return ConfirmForm(
            data, branch=self.session.order.branch, staff=self.request.staff, request=self.request
        )

    def dispatch(self, request, *args, **kwargs):
        self.session = None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, number):
        self.session = self.get_session()
        if self.session.order.state != State.SELECTING:
            return redirect(self.session_url(self.session))
        return self.render_to_response(self.get_context_data())

    def post(self, request, number):
        self.session = self.get_session()
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.confirm_selection(
                    order=self.session.order,
                    by=request.staff,
                    customer_signed=data["customer_signed"],
                    pay_now=data["pay_now"],
                    discount=data["discount"],
                    discount_approved_by=data["approved_by"],
                    waive_change_window=data["waive_change_window"],
                )
            except AlreadyDone as exc:
                messages.warning(request, exc.messages[0])
                return redirect(self.session_url(self.session))
            except ValidationError as exc:
                attach_errors(form, exc, field_for=FIELD_FOR)
            else:
                messages.success(
                    request,
                    _("The production list of %(order)s is signed.")
                    % {"order": self.session.order.number},
                )
                return redirect(self.session_url(self.session))
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- A list signed again for less (issue 14, item 7) ---


class LoweredUpsellsView(StaffRequired, TemplateView):
    """The differences waiting at the branch's desk: a reopened list signed for less than
    the couple had paid. The cashier refunds each or keeps it as credit on the order."""

    roles = DIFFERENCE_ROLES
    template_name = "selection/lowered.html"
    http_method_names = ["get"]

    def get_context_data(self, bound=None, **kwargs):
        rows = self.scoped(
            LoweredUpsell.objects.select_related("order__customer", "decided_by"),
            "order__branch",
        ).filter(order__branch=self.request.branch)
        waiting = []
        for lowered in rows.filter(decision=LoweredUpsell.Decision.PENDING):
            form = bound[1] if bound and bound[0] == lowered.pk else None
            waiting.append(
                {
                    "lowered": lowered,
                    "form": form
                    or LoweredUpsellForm(
                        prefix=f"l{lowered.pk}", initial={"amount": lowered.amount}
                    ),
                }
            )
        decided = rows.exclude(decision=LoweredUpsell.Decision.PENDING).order_by("-decided_at")
        return super().get_context_data(waiting=waiting, decided=decided[:20], **kwargs)


class SettleLoweredUpsellView(LoweredUpsellsView):
    http_method_names = ["post"]

    def post(self, request, pk):
        lowered = get_object_or_404(
            self.scoped(LoweredUpsell.objects.select_related("order__branch"), "order__branch"),
            pk=pk,
        )
        form = LoweredUpsellForm(request.POST, prefix=f"l{lowered.pk}")
        if form.is_valid():
            data = form.cleaned_data
            refund = data["decision"] == LoweredUpsellForm.REFUND
            try:
                services.settle_lowered_total(
                    lowered=lowered,
                    refund=refund,
                    method=data["method"],
                    amount=data["amount"],
                    by=request.staff,
                )
            except AlreadyDone as exc:
                messages.warning(request, exc.messages[0])
                return redirect("selection:lowered")
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                done = (
                    _("Refunded to the couple of %(order)s.")
                    if refund
                    else _("Kept as credit on %(order)s.")
                )
                messages.success(request, done % {"order": lowered.order.number})
                return redirect("selection:lowered")
        return self.render_to_response(self.get_context_data(bound=(lowered.pk, form)), status=400)


class ProductionListView(SessionMixin, View):
    """The production list (看样制作清单) as a PDF in the customer's language, with the
    signature line."""

    roles = LIST_ROLES
    http_method_names = ["get"]

    def get(self, request, number):
        session = self.get_session()
        order = session.order
        return pdf_response(
            "selection/production_list_pdf.html",
            {
                "order": order,
                "branch": order.branch,
                "session": session,
                "summary": selectors.summary(session),
                "items": order.production_items.all(),
            },
            filename=f"{order.number}-production-list.pdf",
            language=order.customer.language,
            request=request,
        )


# --- Production ---


class BoardView(StaffRequired, TemplateView):
    """The production board: items of the branch's orders in production, by stage, with
    due dates and the late ones first. No prices on it."""

    roles = BOARD_ROLES
    template_name = "selection/board.html"
    http_method_names = ["get"]

    def get_context_data(self, errors=None, **kwargs):
        board = selectors.board(
            branch=self.request.branch, branch_ids=self.request.staff.branch_ids
        )
        can_move = self.request.staff.has_role(*MOVES_ITEMS)
        _for_the_page(board, can_move=can_move)
        return super().get_context_data(
            board=board,
            can_move=can_move,
            back_into_flow=[
                (s, ProductionItem.Stage(s).label) for s in ProductionItem.BACK_INTO_FLOW
            ],
            errors=errors or {},
            **kwargs,
        )


def _for_the_page(board, *, can_move):
    """Each card's title and due date in words and, for those who move items, the
    addresses of its taps: made here once for the board, not by template tags per card."""
    S = ProductionItem.Stage
    next_, pass_, fail, resume = (
        link_to(f"selection:{name}")
        for name in ("move_next", "move_pass", "move_fail", "move_resume")
    )
    day, due = short_dates(), _("due")
    for column in board["columns"]:
        for item in column["items"]:
            several = item.product != Product.ALBUM and item.quantity > 1
            item.title = f"{item.label} × {item.quantity}" if several else item.label
            item.due_text = f"{due} {day(item.due) or '—'}"
            if not can_move:
                continue
            if item.stage in (S.RETOUCH, S.DESIGN, S.PRINT):
                item.next_url = next_(item.pk)
            elif item.stage == S.QC:
                item.pass_url, item.fail_url = pass_(item.pk), fail(item.pk)
            elif item.stage == S.REWORK:
                item.resume_url = resume(item.pk)


class MoveView(BoardView):
    """One tap on the board for one item; a refusal shows the board with the reason at the
    item (400)."""

    roles = MOVES_ITEMS
    http_method_names = ["post"]

    def post(self, request, pk):
        item = get_object_or_404(self.scoped(ProductionItem.objects.all(), "order__branch"), pk=pk)
        try:
            self.act(item)
        except ValidationError as exc:
            context = self.get_context_data(errors={item.pk: exc.messages})
            return self.render_to_response(context, status=400)
        return redirect("selection:board")

    def act(self, item):
        """Call the tap's one service."""
        raise NotImplementedError


class NextStageView(MoveView):
    def act(self, item):
        from_stage = self.request.POST.get("from") or None
        services.advance_item(item=item, by=self.request.staff, from_stage=from_stage)


class PassQcView(MoveView):
    def act(self, item):
        services.pass_qc(item=item, by=self.request.staff)


class FailQcView(MoveView):
    """QC failed: back to rework, with the reason."""

    def act(self, item):
        form = ReworkForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        services.fail_qc(item=item, by=self.request.staff, reason=form.cleaned_data["reason"])


class ResumeView(MoveView):
    """Back from rework into the stage picked."""

    def act(self, item):
        services.resume_item(item=item, to=self.request.POST.get("to", ""), by=self.request.staff)


# --- Design proofs (看设计) ---


class ProofsView(StaffRequired, TemplateView):
    """An order's albums and enlargements with their proofs: the designer uploads layouts
    and tells the couple; everyone on the board sees what the couple answered."""

    roles = BOARD_ROLES
    template_name = "selection/proofs.html"
    http_method_names = ["get"]

    def get_order(self):
        return get_object_or_404(
            self.scoped(Order.objects.select_related("customer")), number=self.kwargs["number"]
        )

    def get_context_data(self, form=None, form_item=None, **kwargs):
        order = self.get_order()
        items = selectors.proofs_of(order)
        can_design = self.request.staff.has_role(*DESIGNS)
        return super().get_context_data(
            order=order,
            items=items,
            can_design=can_design,
            unshown=any(p.shown_at is None for i in items for p in i.open_proofs),
            form=form or ProofForm(),
            blank_form=ProofForm(),
            form_item=form_item,
            **kwargs,
        )


class UploadProofView(ProofsView):
    roles = DESIGNS
    http_method_names = ["post"]

    def post(self, request, number, pk):
        order = self.get_order()
        item = get_object_or_404(order.production_items.all(), pk=pk)
        replaces = None
        if request.POST.get("replaces"):
            replaces = get_object_or_404(item.proofs.all(), pk=request.POST["replaces"])
        form = ProofForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.upload_proof(
                    item=item,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    replaces=replaces,
                    by=request.staff,
                )
            except AlreadyDone as exc:
                messages.warning(request, exc.messages[0])
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("Proof uploaded."))
                return redirect("selection:proofs", order.number)
        context = self.get_context_data(form=form, form_item=item.pk)
        return self.render_to_response(context, status=400)


class ShowProofsView(StaffRequired, View):
    """Tell the couple the proofs are ready: their page shows them and they get their link."""

    roles = DESIGNS
    http_method_names = ["post"]

    def post(self, request, number):
        order = get_object_or_404(self.scoped(Order.objects.all()), number=number)
        try:
            shown = services.show_proofs(order=order, by=request.staff)
        except AlreadyDone as exc:
            messages.warning(request, exc.messages[0])
        else:
            messages.success(request, _("%(count)d proofs shown to the couple.") % {"count": shown})
        return redirect("selection:proofs", order.number)


class ProofFileView(StaffRequired, View):
    """A proof's file, for the branch's staff only (never a public address)."""

    roles = BOARD_ROLES
    http_method_names = ["get"]

    def get(self, request, pk):
        proof = get_object_or_404(
            self.scoped(DesignProof.objects.all(), "item__order__branch"), pk=pk
        )
        return proof_response(proof)


def proof_response(proof):
    """The file through the storage API, never cached by a shared cache."""
    response = FileResponse(proof.file.open("rb"), content_type=proof.content_type)
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


# --- The photos of a session ---


class PhotosMixin(StaffRequired):
    roles = PHOTO_ROLES

    def get_order(self):
        return get_object_or_404(
            self.scoped(Order.objects.select_related("customer", "branch")),
            number=self.kwargs["number"],
        )


class PhotoOrdersView(StaffRequired, TemplateView):
    """The couples shot and not yet signed at the branch: where their photos go."""

    roles = PHOTO_ROLES
    template_name = "selection/photo_orders.html"
    http_method_names = ["get"]

    def get_context_data(self, **kwargs):
        orders = selectors.awaiting_photos(
            self.scoped(Order.objects.all()), branch=self.request.branch
        )
        return super().get_context_data(orders=orders[:200], **kwargs)


class PhotosView(PhotosMixin, TemplateView):
    """Upload the session's photos from the browser: one file a request, with a progress
    bar; files already there are skipped, so an interrupted upload is started again."""

    template_name = "selection/photos.html"
    http_method_names = ["get"]

    def get_context_data(self, **kwargs):
        order = self.get_order()
        total, ready = selectors.previews_ready(order)
        return super().get_context_data(
            order=order,
            total=total,
            ready=ready,
            open=order.state in photos.OPEN_STATES,
            max_mb=settings.STUDIO_PHOTO_MAX_BYTES // (1024 * 1024),
            opens_session=self.request.staff.has_role(*SESSION_ROLES),
            **kwargs,
        )


class PhotoListView(PhotosMixin, View):
    """What is already uploaded, for the browser to skip: {number: {name, size}}."""

    http_method_names = ["get"]

    def get(self, request, number):
        order = self.get_order()
        return JsonResponse({"photos": selectors.uploaded(order)})


class UploadPhotoView(PhotosMixin, View):
    """One photo of the upload: JSON back, {"number", "status"} or {"error"} at 400."""

    http_method_names = ["post"]

    def post(self, request, number):
        order = self.get_order()
        form = UploadPhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                photo, created = photos.add_photo(
                    order=order,
                    number=form.cleaned_data["number"],
                    upload=form.cleaned_data["file"],
                    by=request.staff,
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                status = "uploaded" if created else "skipped"
                return JsonResponse({"number": photo.number, "status": status})
        errors = [str(e) for field in form.errors.values() for e in field]
        return JsonResponse({"error": " ".join(errors)}, status=400)


class PhotoFileView(StaffRequired, View):
    """A photo's thumbnail, preview or watermarked preview, to staff of its branch only:
    the files live in a private storage, never under a public URL."""

    roles = PHOTO_ROLES
    http_method_names = ["get"]

    def get(self, request, pk, kind):
        photo = get_object_or_404(self.scoped(Photo.objects.all(), "session__order__branch"), pk=pk)
        if kind not in photos.KINDS:
            raise Http404
        return photo_response(photo, kind)


def photo_response(photo, kind):
    """One of the photo's files, once the caller has checked who asks: on S3-compatible
    storage a redirect to a signed address that works five minutes (the bytes do not pass
    through Django); on the local folder the file itself. Never cached by a shared cache."""
    field = {
        "thumbnail": photo.thumbnail,
        "preview": photo.preview,
        "watermarked": photo.watermarked,
    }.get(kind)
    if not field:
        raise Http404
    url = photos.signed_url(field)
    if url is not None:
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = f"private, max-age={photos.SIGNED_URL_SECONDS // 2}"
        return response
    try:
        opened = photos.open_photo(photo, kind)
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(opened, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Compensation for a complaint or a delay (issue 14, item 6) ---

# Customer service and the manager propose; the manager approves or rejects.
COMPENSATION_ROLES = services.PROPOSES_COMPENSATION | services.APPROVES_COMPENSATION


class CompensationListView(StaffRequired, ListView):
    """The branch's compensations, those waiting for a manager first."""

    roles = COMPENSATION_ROLES
    template_name = "selection/compensations.html"
    context_object_name = "compensations"
    paginate_by = 50

    def get_queryset(self):
        waiting = Case(When(status=Compensation.Status.PROPOSED, then=0), default=1)
        return selectors.compensations(self.scoped(Compensation.objects.all())).order_by(
            waiting, "-proposed_at", "-pk"
        )


class SettleView(StaffRequired, TemplateView):
    """A complaint or a delay apology with what was given for it: customer service or a
    manager proposes a compensation here, a store manager approves or rejects it."""

    roles = COMPENSATION_ROLES
    template_name = "selection/compensation.html"
    http_method_names = ["get", "post"]
    field = ""

    def get_source(self):
        raise NotImplementedError

    def get_context_data(self, form=None, **kwargs):
        source = self.get_source()
        staff = self.request.staff
        return super().get_context_data(
            source=source,
            is_complaint=self.field == "complaint",
            compensations=selectors.compensations(
                Compensation.objects.filter(**{self.field: source})
            ),
            form=form or self.form(source),
            reject_form=RejectCompensationForm(),
            can_decide=staff.has_role(*services.APPROVES_COMPENSATION),
            **kwargs,
        )

    def form(self, source, data=None):
        return CompensationForm(
            data, branch=source.branch, methods=services.refund_methods(source.order)
        )

    def post(self, request, pk):
        source = self.get_source()
        form = self.form(source, request.POST)
        if form.is_valid():
            try:
                services.propose_compensation(
                    by=request.staff, **{self.field: source}, **form.cleaned_data
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("Compensation proposed; a store manager decides."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ComplaintSettleView(SettleView):
    field = "complaint"

    def get_source(self):
        queryset = Complaint.objects.select_related("branch", "customer", "order", "owner")
        return get_object_or_404(self.scoped(queryset), pk=self.kwargs["pk"])


class DelaySettleView(SettleView):
    field = "call_task"

    def get_source(self):
        queryset = CallTask.objects.filter(kind=CallTask.Kind.DELAY_APOLOGY).select_related(
            "branch", "customer", "order", "assignee"
        )
        return get_object_or_404(self.scoped(queryset), pk=self.kwargs["pk"])


class DecideCompensationView(StaffRequired, View):
    """A store manager approves (it takes effect) or rejects (with the reason)."""

    roles = services.APPROVES_COMPENSATION
    http_method_names = ["post"]
    approve = True

    def post(self, request, pk):
        compensation = get_object_or_404(self.scoped(Compensation.objects.all()), pk=pk)
        try:
            if self.approve:
                services.approve_compensation(compensation=compensation, by=request.staff)
            else:
                form = RejectCompensationForm(request.POST)
                form.is_valid()
                services.reject_compensation(
                    compensation=compensation,
                    by=request.staff,
                    reason=form.cleaned_data.get("rejection_reason", ""),
                )
        except AlreadyDone as exc:
            messages.warning(request, exc.messages[0])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Approved: it takes effect now.") if self.approve else _("Rejected."),
            )
        return redirect(compensation.get_absolute_url())


# --- Vouchers used at the desk (docs/decisions.md, "Vouchers") ---


class RedeemVoucherView(StaffRequired, View):
    """POST only: a voucher's code typed on the order page takes its value off what the
    order owes. Refused: the order page again with the reason at the field."""

    roles = services.REDEEMS_VOUCHERS
    http_method_names = ["post"]

    def post(self, request, number):
        order = get_object_or_404(self.scoped(Order.objects.all()), number=number)
        form = VoucherForm(request.POST)
        if form.is_valid():
            try:
                use = services.redeem_voucher(order=order, staff=request.staff, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Voucher %(code)s: %(amount)s taken off the balance.")
                    % {"code": use.voucher.voucher_code, "amount": money(use.amount)},
                )
                return redirect(order)
        return order_page_again(request, number, voucher_form=form)


class GiveBackVoucherView(StaffRequired, View):
    """POST only: a store manager gives a voucher's use back (made by mistake), saying why."""

    roles = services.REVERSES_VOUCHER_USES
    http_method_names = ["post"]

    def post(self, request, pk):
        use = get_object_or_404(
            self.scoped(VoucherUse.objects.select_related("order"), "order__branch"), pk=pk
        )
        form = ReverseVoucherUseForm(request.POST)
        form.is_valid()
        try:
            services.reverse_voucher_use(
                use=use, staff=request.staff, reason=form.cleaned_data.get("reason", "")
            )
        except AlreadyDone as exc:
            messages.warning(request, exc.messages[0])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Given back: the order owes it again and the voucher has it again.")
            )
        return redirect(use.order)
