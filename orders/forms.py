from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from studio.lockouts import manager_by_password
from studio.request_keys import key_field
from studio.selectors import approving_manager
from studio.validators import BookingDateField, PhoneFormField, SaneDateField

from .models import CardHolder, FapiaoRequest, LedgerEntry
from .services import PAYMENT_KINDS


class PaymentForm(forms.Form):
    same_for_everyone = True  # rendered once per language (studio's crispy_once)
    # The deposit is taken at signing; what comes later is mostly the balance.
    kind = forms.ChoiceField(
        label=pgettext_lazy("payment", "For"),
        choices=[(k.value, k.label) for k in PAYMENT_KINDS],
        initial=LedgerEntry.Kind.BALANCE,
    )
    method = forms.ChoiceField(label=_("Method"), choices=LedgerEntry.Method.choices)
    amount = forms.DecimalField(label=_("Amount (¥)"), max_digits=10, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    request_key = key_field()

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount


class TransitionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class SigningForm(forms.Form):
    """The planning document (企划书). A discount beyond the branch limit is approved on
    this screen by a store manager typing their own username and password."""

    package = forms.ModelChoiceField(label=_("Package"), queryset=None)
    discount = forms.DecimalField(
        label=_("Discount (¥)"), max_digits=10, decimal_places=2, initial=0, min_value=0
    )
    approver_username = forms.CharField(
        label=_("Approving manager's username"), max_length=150, required=False
    )
    approver_password = forms.CharField(
        label=_("Approving manager's password"),
        max_length=128,
        required=False,
        widget=forms.PasswordInput(render_value=False),
    )
    gifts = forms.CharField(
        label=_("Gifts and vouchers"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    style_wishes = forms.CharField(
        label=_("Style wishes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(
        label=_("Notes (allergies, preferences)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    wanted_shoot_month = SaneDateField(
        label=_("Wanted shoot month"),
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    deposit = forms.DecimalField(label=_("Deposit (¥)"), max_digits=10, decimal_places=2)
    deposit_method = forms.ChoiceField(label=_("Method"), choices=LedgerEntry.Method.choices)
    approval = forms.IntegerField(widget=forms.HiddenInput, required=False)
    request_key = key_field()

    def __init__(self, *args, packages, branch, customer, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch = branch
        self.customer = customer
        self.request = request
        self.fields["package"].queryset = packages

    def clean_deposit(self):
        deposit = self.cleaned_data["deposit"]
        if deposit <= 0:
            raise forms.ValidationError(_("The deposit must be more than zero."))
        return deposit

    def clean_wanted_shoot_month(self):
        month = self.cleaned_data.get("wanted_shoot_month")
        return month.replace(day=1) if month else None

    def clean(self):
        data = super().clean()
        data["approved_by"] = None
        username = data.get("approver_username", "").strip()
        if data.get("approval") and data.get("package") and data.get("discount") is not None:
            # Approved from the manager's own device.
            data["approved_by"] = approving_manager(
                approval_id=data["approval"],
                customer=self.customer,
                package=data["package"],
                discount=data["discount"],
            )
        if username:
            try:
                data["approved_by"] = manager_by_password(
                    self.request,
                    username=username,
                    password=data.get("approver_password", ""),
                    branch=self.branch,
                )
            except forms.ValidationError as exc:
                self.add_error("approver_password", exc)
        return data


class _PositiveAmount:
    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount


class CardTopUpForm(_PositiveAmount, forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=LedgerEntry.Method.choices)
    amount = forms.DecimalField(label=_("Amount (¥)"), max_digits=10, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    request_key = key_field()


class CardRefundForm(forms.Form):
    method = forms.ChoiceField(label=_("Paid back by"), choices=LedgerEntry.Method.choices)
    note = forms.CharField(label=_("Reason"), max_length=200)
    request_key = key_field()


class RefundForm(_PositiveAmount, forms.Form):
    """An order's refund: only the ways the money came (orders.services.refund_methods)."""

    method = forms.ChoiceField(label=_("Paid back by"))
    amount = forms.DecimalField(label=_("Amount (¥)"), max_digits=10, decimal_places=2)
    note = forms.CharField(label=_("Reason"), max_length=200)
    request_key = key_field()

    def __init__(self, *args, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = methods


class CardPaymentForm(_PositiveAmount, forms.Form):
    # Not `same_for_everyone`: the cards offered are the customer's.
    card = forms.ModelChoiceField(label=_("Card"), queryset=None, empty_label=None, required=False)
    kind = forms.ChoiceField(
        label=pgettext_lazy("payment", "For"),
        choices=[(k.value, k.label) for k in PAYMENT_KINDS],
        initial=LedgerEntry.Kind.BALANCE,
    )
    amount = forms.DecimalField(label=_("Amount (¥)"), max_digits=10, decimal_places=2)
    request_key = key_field()

    def __init__(self, *args, cards, **kwargs):
        """`cards`: the ones the order's customer may pay from (their own, family cards)."""
        super().__init__(*args, **kwargs)
        self.fields["card"].queryset = cards

    def clean_card(self):
        """Left out (one card, or an older page): the first card they may pay from."""
        card = self.cleaned_data.get("card") or self.fields["card"].queryset.first()
        if card is None:
            raise forms.ValidationError(_("This customer has no card to pay from."))
        return card


class CardHolderForm(forms.Form):
    phone = PhoneFormField(label=_("The family member's phone"))
    agreement = forms.ChoiceField(
        label=_("The main holder agreed"), choices=CardHolder.Agreement.choices
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CardHolderRemoveForm(forms.Form):
    agreement = forms.ChoiceField(
        label=_("The main holder agreed"), choices=CardHolder.Agreement.choices
    )


class FapiaoRequestForm(_PositiveAmount, forms.Form):
    same_for_everyone = True  # rendered once per language (studio's crispy_once)
    title_kind = forms.ChoiceField(
        label=_("Title type"),
        choices=FapiaoRequest.Title.choices,
        initial=FapiaoRequest.Title.PERSONAL,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title (name on the fapiao)"), max_length=100)
    tax_number = forms.CharField(
        label=_("Tax number (companies)"),
        max_length=40,
        required=False,
        help_text=_("The 18-character unified social credit code on the business licence."),
    )
    amount = forms.DecimalField(label=_("Amount (¥)"), max_digits=10, decimal_places=2)
    request_key = key_field()


class FapiaoIssueForm(forms.Form):
    number = forms.CharField(label=_("Fapiao number"), max_length=30)
    issued_on = SaneDateField(label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"}))


class FapiaoCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200)


# --- Instalments (issue 14, item 3) ---

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InstalmentForm(forms.Form):
    due_on = BookingDateField(label=_("Due on"), widget=DATE_INPUT)
    amount = forms.DecimalField(
        label=_("Amount (¥)"), max_digits=10, decimal_places=2, min_value=Decimal("0.01")
    )


class BaseInstalmentFormSet(forms.BaseFormSet):
    def rows(self):
        """(date, amount) of every filled row; blank rows are left out."""
        return [
            (f.cleaned_data["due_on"], f.cleaned_data["amount"])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


# Up to two years of monthly instalments; three blank rows to add to the plan.
InstalmentFormSet = forms.formset_factory(
    InstalmentForm,
    formset=BaseInstalmentFormSet,
    extra=3,
    max_num=24,
    validate_max=True,
)


class PlanForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the plan changes"),
        max_length=200,
        required=False,
        help_text=_("Needed when an existing plan is changed."),
    )


# --- Transfers between branches (issue 14, item 5) ---


class FindCoupleForm(forms.Form):
    phone = PhoneFormField(label=_("The bride's or the groom's phone"))


class AcceptCoupleForm(forms.Form):
    orders = forms.ModelMultipleChoiceField(
        label=_("Open orders that move with them"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    owner = forms.ModelChoiceField(label=_("New owner at this branch"), queryset=None)
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, orders, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orders"].queryset = orders
        self.fields["orders"].label_from_instance = lambda o: (
            f"{o.number} · {o.package.name} · {o.get_state_display()}"
        )
        self.fields["owner"].queryset = colleagues
