from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from studio import roles
from studio.access import StaffRequired, redirect_allowed
from studio.forms import attach_errors
from studio.listing import link_by
from studio.models import Customer, DiscountApproval, Package, Staff, couple_name
from studio.pdf import pdf_response
from studio.services import ask_discount_approval
from studio.templatetags.studio import badge_of, money

from . import fsm, selectors, services
from .forms import (
    AcceptCoupleForm,
    CardHolderForm,
    CardHolderRemoveForm,
    CardPaymentForm,
    CardRefundForm,
    CardTopUpForm,
    FapiaoCancelForm,
    FapiaoIssueForm,
    FapiaoRequestForm,
    FindCoupleForm,
    InstalmentFormSet,
    PaymentForm,
    PlanForm,
    RefundForm,
    SigningForm,
    TransitionForm,
)
from .guards import blocked_reasons
from .models import (
    ZERO,
    CardBonusRule,
    CardHolder,
    Charge,
    FapiaoRequest,
    LedgerEntry,
    Order,
    State,
    StoredValueCard,
)
from .templatetags.order_tags import balance

MONEY_ROLES = roles.SEES_MONEY


class CountedPaginator(Paginator):
    """Pages of a query whose rows join other tables, counted on a plainer query of the
    same rows (`counted`)."""

    def __init__(self, object_list, per_page, *, counted, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.counted = counted

    @cached_property
    def count(self):
        return self.counted.count()


class OrderListView(StaffRequired, ListView):
    roles = MONEY_ROLES
    template_name = "orders/order_list.html"
    context_object_name = "orders"
    paginate_by = 50

    def get_queryset(self):
        return selectors.order_list(
            self.request, state=self.request.GET.get("state"), q=self.request.GET.get("q")
        )

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True):
        counted = selectors.listed_orders(
            self.request, state=self.request.GET.get("state"), q=self.request.GET.get("q")
        )
        return CountedPaginator(queryset, per_page, counted=counted, orphans=orphans)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # The rows' text is made here, once per page (links, badges, amounts), not by a
        # tag per cell: a page of 50 orders is mostly this.
        link = link_by("orders:detail", "number")
        badges = {state: badge_of(Order, state) for state in State.values}
        ctx["orders"] = [
            {
                "number": o["number"],
                "url": link(o["number"]),
                "couple": couple_name(o["customer__bride_name"], o["customer__groom_name"]),
                "package": o["package__name"],
                "badge": badges.get(o["state"], o["state"]),
                "owner": o["owner__display_name"] or "",
                "owed": money(o["owed"]),
                "paid": money(o["paid_amount"]),
                "balance": balance(o["balance"], state=o["state"]),
            }
            for o in ctx["orders"]
        ]
        ctx["states"] = State.choices
        ctx["current_state"] = self.request.GET.get("state", "")
        ctx["q"] = self.request.GET.get("q", "")
        return ctx


class OrderDetailView(StaffRequired, DetailView):
    roles = MONEY_ROLES
    template_name = "orders/order_detail.html"
    slug_field = "number"
    slug_url_kwarg = "number"

    def get_object(self, queryset=None):
        found = selectors.order_page.first(
            self.kwargs["number"], sorted(self.request.staff.branch_ids)
        )
        if found is None:
            raise Http404
        return found

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        order = self.object
        actions = []
        for name in fsm.leading_out(order):
            actions.append(
                {
                    "name": name,
                    "label": services.transition_button(name),
                    "blocked": blocked_reasons(order, name),
                }
            )
        charges = selectors.charges_of(order)
        # A voucher taken off what is owed is not an extra: the money section shows it
        # apart (the uses themselves, with their codes, are the selection's include).
        vouchers = [c for c in charges if c.kind == Charge.Kind.VOUCHER]
        ctx.update(
            actions=actions,
            ledger=selectors.ledger_of(order),
            charges=[c for c in charges if c.kind != Charge.Kind.VOUCHER],
            vouchers_used=sum((c.amount for c in vouchers), ZERO) if vouchers else None,
            log=selectors.history(order),
            payment_form=kwargs.get("payment_form") or PaymentForm(),
            transition_form=TransitionForm(),
            plan=selectors.plan_of(order, order.balance),
            may_set_plan=self.request.staff.has_role(*SETS_PLANS),
            moves=selectors.moves_of(order),
        )
        ctx.update(self.card_and_fapiao(order, kwargs, ctx["ledger"]))
        return ctx

    def card_and_fapiao(self, order, kwargs, ledger):
        """The customer's stored-value card (to pay from it) and the fapiao requests."""
        staff = self.request.staff
        fapiao_requests = selectors.fapiao_requests_of(order)
        cards = selectors.usable_cards(order)
        usable = _card_choices(cards)
        return {
            "card": next((c for c in cards if c.customer_id == order.customer_id), None),
            "cards": cards,
            "card_can_pay": any(c.balance > 0 for c in cards),
            "takes_card_money": staff.has_role(*CARD_ROLES),
            "card_payment_form": kwargs.get("card_payment_form")
            or CardPaymentForm(cards=usable, initial={"card": cards[0] if cards else None}),
            "fapiao_requests": fapiao_requests,
            "invoiceable": services.invoiceable(order, entries=ledger, requests=fapiao_requests),
            "requests_fapiao": staff.has_role(*REQUESTS_FAPIAO),
            "issues_fapiao": staff.has_role(*services.ISSUES_FAPIAO),
            "fapiao_form": kwargs.get("fapiao_form") or FapiaoRequestForm(),
            "fapiao_issue_form": FapiaoIssueForm(),
            "fapiao_cancel_form": FapiaoCancelForm(),
            **self.refund(order, kwargs),
        }

    def refund(self, order, kwargs):
        """The refund form, offering only the ways the order's money came."""
        if not self.request.staff.has_role(*REFUNDS):
            return {}
        methods = services.refund_methods(order)
        form = kwargs.get("refund_form") or RefundForm(methods=methods)
        return {"refund_form": form if methods else None}


class TransitionView(StaffRequired, View):
    """POST only: fire one transition; the order page shows why one is blocked."""

    roles = MONEY_ROLES | {roles.DISPATCHER}
    http_method_names = ["post"]

    def post(self, request, number, name):
        order = get_object_or_404(self.scoped(Order.objects.all()), number=number)
        if name not in services.TRANSITIONS:
            raise PermissionDenied
        form = TransitionForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            services.transition_order(order=order, name=name, by=request.user, note=note)
        except services.AlreadyDone as exc:
            messages.warning(request, exc.messages[0])
        except services.TransitionBlocked as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Order %(number)s is now %(state)s.")
                % {"number": order.number, "state": order.get_state_display()},
            )
        # The dispatcher moves orders too but doesn't open the order page (money).
        return redirect_allowed(request, request.POST.get("next", ""), order)


class PaymentView(StaffRequired, View):
    roles = {
        roles.RECEPTIONIST,
        roles.CASHIER,
        roles.MANAGER,
        roles.SELECTION_CONSULTANT,
        roles.PICKUP_CLERK,
    }
    http_method_names = ["post"]

    def post(self, request, number):
        order = get_object_or_404(self.scoped(Order.objects.all()), number=number)
        form = PaymentForm(request.POST)
        if form.is_valid():
            try:
                entry = services.take_payment(order=order, staff=request.staff, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Payment recorded: receipt %(receipt)s.") % {"receipt": entry.receipt_no},
                )
                return redirect_allowed(request, request.POST.get("next", ""), order)
        view = OrderDetailView(request=request, kwargs={"number": number})
        view.object = view.get_object()  # with its money read from the ledger
        ctx = view.get_context_data(payment_form=form)
        return view.render_to_response(ctx, status=400)


class ReceiptView(StaffRequired, View):
    roles = MONEY_ROLES
    http_method_names = ["get"]

    def get(self, request, number, receipt_no):
        """The receipt is the document of the branch that took the money, and the order's
        too: after a transfer (docs/decisions.md, "Transfers") the old branch keeps its
        receipts and the order's new branch reprints them, marked as taken elsewhere."""
        branches = self.request.staff.branch_ids
        entry = get_object_or_404(
            LedgerEntry.objects.select_related(
                "order__customer", "order__branch", "branch", "staff"
            ).filter(Q(branch__in=branches) | Q(order__branch__in=branches)),
            order__number=number,
            receipt_no=receipt_no,
        )
        return pdf_response(
            "orders/receipt_pdf.html",
            {
                "entry": entry,
                "order": entry.order,
                "branch": entry.branch,
                "taken_elsewhere": entry.branch_id != entry.order.branch_id,
            },
            filename=f"{entry.receipt_no}.pdf",
            language=entry.order.customer.language,
            request=request,
        )


SIGNS_ORDERS = {roles.RECEPTIONIST, roles.CASHIER, roles.MANAGER}


class SigningPage(StaffRequired):
    """The planning document (企划书) of one customer: what signing and asking share."""

    roles = SIGNS_ORDERS
    template_name = "orders/sign.html"
    form_class = SigningForm

    def dispatch(self, request, *args, **kwargs):
        self.customer = None
        return super().dispatch(request, *args, **kwargs)

    def get_customer(self):
        if self.customer is None:
            self.customer = get_object_or_404(
                self.scoped(Customer.objects.select_related("owner", "branch")),
                pk=self.kwargs["customer"],
            )
        return self.customer

    def get_form_kwargs(self):
        customer = self.get_customer()
        kwargs = super().get_form_kwargs()
        kwargs["branch"] = customer.branch
        kwargs["customer"] = customer
        kwargs["request"] = self.request
        kwargs["packages"] = Package.objects.filter(
            branches=customer.branch, is_active=True
        ).order_by("-is_signature", "price")
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["customer"] = self.get_customer()
        ctx["discount_limit"] = self.get_customer().branch.discount_limit
        ctx["packages"] = ctx["form"].fields["package"].queryset
        approval_id = str(ctx["form"]["approval"].value() or "")
        if "approval" not in ctx and approval_id.isdigit():
            ctx["approval"] = (
                self.scoped(DiscountApproval.objects.select_related("decided_by"))
                .filter(pk=approval_id, customer=self.get_customer())
                .first()
            )
        return ctx

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SignView(SigningPage, FormView):
    """Sign the planning document: the order is created with its deposit."""

    http_method_names = ["get", "post"]

    def form_valid(self, form):
        data = form.cleaned_data
        customer = self.get_customer()
        try:
            order = services.create_order(
                customer=customer,
                package=data["package"],
                owner=customer.owner or self.request.staff,
                created_by=self.request.staff,
                discount=data["discount"],
                discount_approved_by=data["approved_by"],
                deposit=data["deposit"],
                deposit_method=data["deposit_method"],
                gifts=data["gifts"],
                style_wishes=data["style_wishes"],
                notes=data["notes"],
                wanted_shoot_month=data["wanted_shoot_month"],
                request_key=data["request_key"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Order %(number)s signed; the deposit is recorded.") % {"number": order.number},
        )
        return redirect(order)


class AskApprovalView(SigningPage, FormView):
    """Send the discount to the managers' Today page; the planning document stays as
    filled in, and signing later picks up the approval."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        form.is_valid()
        package = form.cleaned_data.get("package")
        discount = form.cleaned_data.get("discount")
        if package is None or discount is None:
            return self.form_invalid(form)
        try:
            approval = ask_discount_approval(
                customer=self.get_customer(),
                package=package,
                discount=discount,
                requested_by=request.staff,
            )
        except ValidationError as exc:
            form = self.get_form()
            form.is_valid()
            attach_errors(form, exc)
            return self.form_invalid(form)
        kwargs = self.get_form_kwargs()
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        kwargs["initial"] = {
            **request.POST.dict(),
            "approval": approval.pk,
            "approver_password": "",
        }
        messages.info(request, _("A manager has been asked to approve the discount."))
        return self.render_to_response(
            self.get_context_data(form=self.get_form_class()(**kwargs), approval=approval)
        )


class ApprovalStatusView(StaffRequired, DetailView):
    """The discount approval's state, polled by the signing page (htmx) while the manager
    decides on their own device: pending, approved by whom, or refused."""

    roles = SIGNS_ORDERS
    http_method_names = ["get"]
    template_name = "orders/includes/approval_status.html"
    context_object_name = "approval"

    def get_queryset(self):
        return self.scoped(DiscountApproval.objects.select_related("decided_by")).filter(
            customer_id=self.kwargs["customer"]
        )


class PlanningDocumentView(StaffRequired, View):
    """The signed planning document as a PDF, in the customer's language."""

    roles = MONEY_ROLES
    http_method_names = ["get"]

    def get(self, request, number):
        order = get_object_or_404(
            self.scoped(
                Order.objects.select_related(
                    "customer", "package", "owner", "branch", "discount_approved_by"
                ).prefetch_related("package__lines")
            ),
            number=number,
        )
        deposit = order.ledger.filter(kind=LedgerEntry.Kind.DEPOSIT).order_by("pk").first()
        return pdf_response(
            "orders/planning_pdf.html",
            {"order": order, "branch": order.branch, "deposit": deposit},
            filename=f"{order.number}.pdf",
            language=order.customer.language,
            request=request,
        )


# --- Stored-value cards (docs/decisions.md, "Stored-value cards") ---

# The front desk and the cashier take card money, managers too; never field staff.
CARD_ROLES = {roles.RECEPTIONIST, roles.CASHIER, roles.MANAGER}


class CardPage(StaffRequired):
    roles = CARD_ROLES

    def get_card(self):
        return get_object_or_404(
            self.scoped(StoredValueCard.objects.select_related("customer", "branch")),
            number=self.kwargs["number"],
        )


class CardView(CardPage, DetailView):
    """The card: what is on it (money and bonus apart) and every entry, with the desk's
    forms to top it up and to refund what is left."""

    template_name = "orders/card_detail.html"
    context_object_name = "card"
    http_method_names = ["get"]

    def get_object(self, queryset=None):
        return self.get_card()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        card = self.object
        ctx.update(
            statement=selectors.card_statement(card),
            top_up_form=kwargs.get("top_up_form") or CardTopUpForm(),
            refund_form=kwargs.get("refund_form") or CardRefundForm(),
            bonus_rules=CardBonusRule.objects.filter(branch=card.branch, is_active=True),
            holders=card.holders.select_related("customer", "added_by", "removed_by"),
            holder_form=kwargs.get("holder_form") or CardHolderForm(),
            holder_remove_form=CardHolderRemoveForm(),
        )
        return ctx


class OpenCardView(StaffRequired, View):
    """POST only: open the customer's card (once; a second press finds the first)."""

    roles = CARD_ROLES
    http_method_names = ["post"]

    def post(self, request, customer):
        found = get_object_or_404(self.scoped(Customer.objects.all()), pk=customer)
        card = services.open_card(customer=found, staff=request.staff)
        return redirect(card)


class _CardFormView(CardPage, View):
    http_method_names = ["post"]
    form_class: type[forms.Form]
    context_name: str

    def post(self, request, number):
        card = self.get_card()
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                entry = self.act(card, form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, self.done(entry))
                return redirect(card)
        view = CardView(request=request, kwargs={"number": number})
        view.object = card
        ctx = view.get_context_data(**{self.context_name: form})
        return view.render_to_response(ctx, status=400)


class CardTopUpView(_CardFormView):
    form_class = CardTopUpForm
    context_name = "top_up_form"

    def act(self, card, data):
        return services.top_up_card(card=card, staff=self.request.staff, **data)

    def done(self, entry):
        return _("Top-up recorded: receipt %(receipt)s.") % {"receipt": entry.receipt_no}


class CardRefundView(_CardFormView):
    form_class = CardRefundForm
    context_name = "refund_form"

    def act(self, card, data):
        return services.refund_card(card=card, staff=self.request.staff, **data)

    def done(self, entry):
        return _("Refund recorded: receipt %(receipt)s.") % {"receipt": entry.receipt_no}


class CardStatementView(CardPage, View):
    """The card's statement as a PDF, in the customer's language."""

    http_method_names = ["get"]

    def get(self, request, number):
        card = self.get_card()
        return pdf_response(
            "orders/card_statement_pdf.html",
            {"card": card, "branch": card.branch, "statement": selectors.card_statement(card)},
            filename=f"{card.number}.pdf",
            language=card.customer.language,
            request=request,
        )


class CardReceiptView(CardPage, View):
    """The receipt of a top-up, refund or correction (a payment's is the order's)."""

    http_method_names = ["get"]

    def get(self, request, number, receipt_no):
        card = self.get_card()
        entry = get_object_or_404(
            card.entries.select_related("staff"), receipt_no=receipt_no, ledger_entry=None
        )
        return pdf_response(
            "orders/card_receipt_pdf.html",
            {"card": card, "branch": card.branch, "entry": entry},
            filename=f"{entry.receipt_no}.pdf",
            language=card.customer.language,
            request=request,
        )


class CardPaymentView(StaffRequired, View):
    """POST only: pay towards the order from its customer's card."""

    roles = CARD_ROLES
    http_method_names = ["post"]

    def post(self, request, number):
        order = get_object_or_404(
            self.scoped(Order.objects.select_related("customer")), number=number
        )
        form = CardPaymentForm(request.POST, cards=_cards_for(order))
        if form.is_valid():
            try:
                entries = services.pay_from_card(
                    order=order, staff=request.staff, **form.cleaned_data
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Paid from the card: receipt %(receipt)s.")
                    % {"receipt": ", ".join(e.receipt_no for e in entries)},
                )
                return redirect(order)
        return order_page_again(request, number, card_payment_form=form)


REFUNDS = {roles.CASHIER, roles.MANAGER}


class RefundView(StaffRequired, View):
    """POST only: money back the way it came (onto the card, or at the desk)."""

    roles = REFUNDS
    http_method_names = ["post"]

    def post(self, request, number):
        order = get_object_or_404(self.scoped(Order.objects.all()), number=number)
        form = RefundForm(request.POST, methods=services.refund_methods(order))
        if form.is_valid():
            try:
                entries = services.give_back(order=order, staff=request.staff, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Refund recorded: receipt %(receipt)s.")
                    % {"receipt": ", ".join(e.receipt_no for e in entries)},
                )
                return redirect(order)
        return order_page_again(request, number, refund_form=form)


def _cards_for(order):
    """The cards the order's customer may pay from, at the order's branch; the form checks
    the choice against these, the service the holders again under the card's lock."""
    return _card_choices(selectors.usable_cards(order))


def _card_choices(cards):
    """The card form's choices: these cards, read again only when the form is shown or
    checked."""
    return (
        StoredValueCard.objects.filter(pk__in=[c.pk for c in cards])
        .select_related("customer")
        .order_by("opened_at", "pk")
    )


class CardHolderAddView(CardPage, View):
    """POST only: a family member of the card's branch may pay from the card from now on."""

    http_method_names = ["post"]

    def post(self, request, number):
        card = self.get_card()
        form = CardHolderForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            customer = (
                selectors.customers_by_phone(data["phone"]).filter(branch=card.branch).first()
            )
            try:
                if customer is None:
                    raise ValidationError(
                        {"phone": _("No customer of %(branch)s has this phone number.")
                         % {"branch": card.branch.name}}
                    )  # fmt: skip
                services.add_card_holder(
                    card=card,
                    customer=customer,
                    agreement=data["agreement"],
                    note=data["note"],
                    staff=request.staff,
                )
            except services.AlreadyDone as exc:
                messages.warning(request, exc.messages[0])
                return redirect(card)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request, _("%(name)s may now pay from this card.") % {"name": customer}
                )
                return redirect(card)
        view = CardView(request=request, kwargs={"number": number})
        view.object = card
        return view.render_to_response(view.get_context_data(holder_form=form), status=400)


class CardHolderRemoveView(StaffRequired, View):
    """POST only: the family member no longer pays from the card."""

    roles = CARD_ROLES
    http_method_names = ["post"]

    def post(self, request, pk):
        holder = get_object_or_404(
            self.scoped(CardHolder.objects.select_related("card", "customer"), "card__branch"),
            pk=pk,
        )
        form = CardHolderRemoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Record how the main holder agreed."))
            return redirect(holder.card)
        try:
            services.remove_card_holder(
                holder=holder, agreement=form.cleaned_data["agreement"], staff=request.staff
            )
        except services.AlreadyDone as exc:
            messages.warning(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("%(name)s no longer pays from this card.") % {"name": holder.customer},
            )
        return redirect(holder.card)


def order_page_again(request, number, **forms_with_errors):
    """The order page once more, with a form that was refused (its errors shown), status
    400. The stages' forms on the page (a voucher's code) come back through here too."""
    view = OrderDetailView(request=request, kwargs={"number": number})
    view.object = view.get_object()
    ctx = view.get_context_data(**forms_with_errors)
    return view.render_to_response(ctx, status=400)


# --- Fapiao requests (docs/decisions.md, "Fapiao") ---

REQUESTS_FAPIAO = roles.FRONT_DESK


class FapiaoRequestView(StaffRequired, View):
    roles = REQUESTS_FAPIAO
    http_method_names = ["post"]

    def post(self, request, number):
        order = get_object_or_404(self.scoped(Order.objects.all()), number=number)
        form = FapiaoRequestForm(request.POST)
        if form.is_valid():
            try:
                services.request_fapiao(order=order, staff=request.staff, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("Fapiao request recorded."))
                return redirect(order)
        return order_page_again(request, number, fapiao_form=form)


class _FapiaoDecisionView(StaffRequired, View):
    roles = set(services.ISSUES_FAPIAO)
    http_method_names = ["post"]
    form_class: type[forms.Form]

    def post(self, request, pk):
        fapiao = get_object_or_404(
            self.scoped(FapiaoRequest.objects.select_related("order"), "order__branch"), pk=pk
        )
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.act(fapiao, form.cleaned_data)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, self.done)
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        return redirect(fapiao.order)


class FapiaoIssueView(_FapiaoDecisionView):
    form_class = FapiaoIssueForm
    done = _("Fapiao recorded as issued.")

    def act(self, fapiao, data):
        services.issue_fapiao(
            fapiao=fapiao,
            number=data["number"],
            issued_on=data["issued_on"],
            staff=self.request.staff,
        )


class FapiaoCancelView(_FapiaoDecisionView):
    form_class = FapiaoCancelForm
    done = _("Fapiao request cancelled.")

    def act(self, fapiao, data):
        services.cancel_fapiao(fapiao=fapiao, staff=self.request.staff, reason=data["reason"])


# --- Instalments (issue 14, item 3) ---

SETS_PLANS = SIGNS_ORDERS


class PlanView(StaffRequired, View):
    """The order's payment plan: as the ledger pays it, its revisions, and the form to set
    or change it (the front desk and the cashier)."""

    roles = SETS_PLANS
    http_method_names = ["get", "post"]
    template_name = "orders/plan.html"

    def get_order(self):
        return get_object_or_404(
            self.scoped(Order.objects.select_related("customer", "branch")),
            number=self.kwargs["number"],
        )

    def render(self, order, formset, form, status=200):
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "order": order,
                "balance": order.balance_due,
                "plan": selectors.plan_of(order),
                "revisions": selectors.plan_revisions(order),
                "formset": formset,
                "form": form,
            },
            status=status,
        )

    def get(self, request, number):
        order = self.get_order()
        current = order.instalments.filter(is_current=True).order_by("due_on")
        initial = [{"due_on": i.due_on, "amount": i.amount} for i in current]
        return self.render(order, InstalmentFormSet(initial=initial), PlanForm())

    def post(self, request, number):
        order = self.get_order()
        formset = InstalmentFormSet(request.POST)
        form = PlanForm(request.POST)
        if formset.is_valid() and form.is_valid():
            try:
                services.set_payment_plan(
                    order=order,
                    instalments=formset.rows(),
                    by=request.staff,
                    reason=form.cleaned_data["reason"],
                )
            except services.AlreadyDone as exc:
                messages.warning(request, exc.messages[0])
                return redirect("orders:plan", number=order.number)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The payment plan is saved."))
                return redirect(order)
        return self.render(order, formset, form, status=400)


class OverdueView(StaffRequired, TemplateView):
    """Orders whose instalments are past their date and not paid, for the front desk and
    the managers: most days overdue first."""

    roles = roles.FRONT_DESK
    template_name = "orders/overdue.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        sort = self.request.GET.get("sort", "days")
        ctx["rows"] = selectors.overdue_orders(self.request, sort=sort)
        ctx["sort"] = sort if sort in selectors.OVERDUE_SORTS else "days"
        return ctx


# --- Transfers between branches (issue 14, item 5) ---


class TransferListView(StaffRequired, ListView):
    """Couples who came to or left the manager's branches: who, from where, to where, why."""

    roles = {roles.MANAGER}
    template_name = "orders/transfers.html"
    context_object_name = "transfers"
    paginate_by = 50

    def get_queryset(self):
        return selectors.transfers_seen_by(self.request.staff.branch_ids)


class FindCoupleView(StaffRequired, TemplateView):
    """A manager of the receiving branch looks a couple up by phone, across the chain."""

    roles = {roles.MANAGER}
    template_name = "orders/transfer_find.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = FindCoupleForm(self.request.GET or None)
        found = []
        if form.is_valid():
            for customer in selectors.customers_by_phone(form.cleaned_data["phone"]):
                found.append(
                    {
                        "customer": customer,
                        "ours": customer.branch_id == self.request.branch.pk,
                        "form": accept_form(self.request, customer),
                    }
                )
        ctx.update(form=form, found=found, searched=form.is_bound)
        return ctx


def accept_form(request, customer, data=None):
    branch = request.branch
    return AcceptCoupleForm(
        data,
        orders=selectors.open_orders_of(customer).select_related("package"),
        colleagues=Staff.objects.colleagues()
        .filter(branches=branch)
        .distinct()
        .order_by("display_name"),
        initial={"owner": request.staff.pk},
        prefix=f"c{customer.pk}",
    )


class AcceptCoupleView(StaffRequired, View):
    """POST only: the manager accepts the couple (and the chosen open orders) at the branch
    they are working at now."""

    roles = {roles.MANAGER}
    http_method_names = ["post"]

    def post(self, request, customer):
        found = get_object_or_404(Customer.objects.select_related("branch"), pk=customer)
        form = accept_form(request, found, request.POST)
        if form.is_valid():
            try:
                transfer = services.transfer_customer(
                    customer=found,
                    to_branch=request.branch,
                    orders=form.cleaned_data["orders"],
                    reason=form.cleaned_data["reason"],
                    owner=form.cleaned_data["owner"],
                    by=request.staff,
                )
            except services.AlreadyDone as exc:
                messages.warning(request, exc.messages[0])
                return redirect("orders:transfers")
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(couple)s now belong to %(branch)s.")
                    % {"couple": transfer.customer, "branch": transfer.to_branch.name},
                )
                return redirect_allowed(
                    request, reverse("overview:customer", args=[transfer.customer.pk])
                )
        return TemplateResponse(
            request,
            "orders/transfer_find.html",
            {
                "form": FindCoupleForm(),
                "found": [{"customer": found, "form": form, "ours": False}],
                "searched": True,
            },
            status=400,
        )
