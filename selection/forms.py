import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orders.models import LedgerEntry
from studio.forms import WhenForm
from studio.lockouts import manager_by_password
from studio.models import Staff
from studio.request_keys import key_field

from . import selectors
from .models import ADDED, Compensation, Pick, PriceItem


class BookSelectionForm(WhenForm):
    """The selection appointment: date, time and a consultant of the order's branch."""

    consultant = forms.ModelChoiceField(Staff.objects.none(), label=_("Selection consultant"))
    # A second press of "Book" books nothing more (no second confirmation call moved).
    request_key = key_field(required=False)

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = selectors.consultants(branch)


class FilesForm(forms.Form):
    """The day before: are the image files (影像档) transferred and complete?"""

    transferred = forms.BooleanField(label=_("Transferred"), required=False)
    complete = forms.BooleanField(label=_("Complete"), required=False)
    photo_count = forms.IntegerField(
        label=pgettext_lazy("number of photos", "Photos"), min_value=0, max_value=100000, initial=0
    )


# The most photo numbers one line may name: a typo like "1-99999" is refused, not picked.
MAX_NUMBERS = 5000


def parse_numbers(text):
    """ "1-20, 33, 41" → {1, …, 20, 33, 41}. Commas, spaces and Chinese commas separate;
    a range is low-high. Raises ValidationError with a sentence naming the bad part."""
    numbers = set()
    for part in re.split(r"[,，、\s]+", text.strip()):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)(?:\s*[-–~]\s*(\d+))?", part)
        if not match:
            raise forms.ValidationError(
                _("“%(part)s” is not a photo number or a range like 1-20.") % {"part": part}
            )
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if low < 1:
            raise forms.ValidationError(_("Photo numbers start at 1."))
        if high < low:
            raise forms.ValidationError(
                _("Write the range “%(part)s” from low to high, e.g. %(low)s-%(high)s.")
                % {"part": part, "low": high, "high": low}
            )
        if high - low + len(numbers) >= MAX_NUMBERS:
            raise forms.ValidationError(
                _("That is more than %(max)s photos at once.") % {"max": MAX_NUMBERS}
            )
        numbers.update(range(low, high + 1))
    if not numbers:
        raise forms.ValidationError(_("Type at least one photo number."))
    return numbers


class PhotoNumbersField(forms.CharField):
    def clean(self, value):
        return parse_numbers(super().clean(value) or "")


class PickForm(forms.Form):
    """Pick (or take out) photo numbers in one pass: "1-20, 33, 41"."""

    numbers = PhotoNumbersField(
        label=_("Photo numbers"),
        max_length=2000,
        required=False,
        help_text=_("e.g. 1-20, 33, 41"),
    )
    pass_kind = forms.ChoiceField(label=_("Pass"), choices=Pick.Pass.choices)
    outfit = forms.CharField(label=_("Outfit"), max_length=40, required=False)
    retouch = forms.BooleanField(label=_("Retouch"), required=False, initial=True)
    album_page = forms.IntegerField(
        label=_("Album page"), required=False, min_value=1, max_value=999
    )
    action = forms.ChoiceField(
        choices=[("pick", _("Pick")), ("unpick", _("Take out"))], initial="pick"
    )


class ProductForm(forms.Form):
    """An enlargement, frame, crystal or USB from the branch's price list."""

    price_item = forms.ModelChoiceField(
        PriceItem.objects.none(),
        label=_("Product"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=99, initial=1)
    photo_number = forms.IntegerField(
        label=_("Photo number"), required=False, min_value=1, max_value=100000
    )

    def __init__(self, *args, branch, methods=None, **kwargs):
        """`methods`: how a refund may go back (selection.services.refund_methods): the
        desk's, and the stored-value card when the order was paid from one."""
        super().__init__(*args, **kwargs)
        self.fields["price_item"].queryset = PriceItem.objects.filter(
            branch=branch, is_active=True, product__in=ADDED
        ).order_by("product", "price")
        if methods and LedgerEntry.STORED_VALUE in methods:
            self.fields["method"].choices = [
                *self.fields["method"].choices,
                (LedgerEntry.STORED_VALUE, _("Back onto the stored-value card")),
            ]
        self.fields["price_item"].label_from_instance = lambda item: (
            f"{item.label} · ¥{item.price:,.2f}"
        )


def manager_approval(form, *, branch, user_staff, request):
    """The approving manager, by their username and password typed on this screen (as on
    the signing form, counted towards a lockout), or the user themself when they are a
    manager of the branch."""
    username = (form.cleaned_data.get("approver_username") or "").strip()
    if username:
        try:
            return manager_by_password(
                request,
                username=username,
                password=form.cleaned_data.get("approver_password", ""),
                branch=branch,
            )
        except forms.ValidationError as exc:
            form.add_error("approver_password", exc)
            return None
    if user_staff.is_manager and branch.pk in user_staff.branch_ids:
        return user_staff
    return None


class ConfirmForm(forms.Form):
    """The customer signs the production list; the upsell is paid now or recorded as owed."""

    customer_signed = forms.BooleanField(
        label=_("The customer signed the production list"),
        error_messages={
            "required": _(
                "The customer must sign the production list before the selection is confirmed."
            )
        },
    )
    waive_change_window = forms.BooleanField(
        label=_("The customer waives the 3-hour window for changes"), required=False
    )
    discount = forms.DecimalField(
        label=_("Discount on the upsell (¥)"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        initial=0,
        required=False,
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
    pay_amount = forms.DecimalField(
        label=_("Paid now (¥)"), max_digits=10, decimal_places=2, min_value=0, required=False
    )
    pay_method = forms.ChoiceField(
        label=_("Method"),
        choices=[("", _("Record as owed"))] + list(LedgerEntry.Method.choices),
        required=False,
    )

    def __init__(self, *args, branch, staff, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch = branch
        self.staff = staff
        self.request = request

    def clean(self):
        data = super().clean()
        data["discount"] = data.get("discount") or 0
        data["approved_by"] = manager_approval(
            self, branch=self.branch, user_staff=self.staff, request=self.request
        )
        if (
            data["discount"]
            and data["approved_by"] is None
            and not self.has_error("approver_password")
        ):
            self.add_error(
                "approver_username", _("A discount on the upsell needs a store manager's approval.")
            )
        amount = data.get("pay_amount")
        if amount and not data.get("pay_method"):
            self.add_error("pay_method", _("Say how the customer paid."))
        data["pay_now"] = (
            (data["pay_method"], amount) if amount and data.get("pay_method") else None
        )
        return data


class ReworkForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong"), max_length=200)


class ProofForm(forms.Form):
    """A layout for the couple: a JPEG or a PDF (the service checks its first bytes)."""

    file = forms.FileField(label=_("Layout (JPEG or PDF)"))
    title = forms.CharField(
        label=_("What it shows"), max_length=100, required=False,
        help_text=_("e.g. spread 3–4, or 24\" enlargement"),
    )  # fmt: skip


class UploadPhotoForm(forms.Form):
    """One file of an upload from the browser: its number in shooting order and the JPEG."""

    number = forms.IntegerField(label=_("Photo number"), min_value=1, max_value=100000)
    file = forms.FileField(label=_("Photo"), allow_empty_file=True)


class CompensationForm(forms.Form):
    """What the couple is given for a complaint or a delay: the fields of the chosen kind
    are used, the others ignored (the service says what is missing)."""

    kind = forms.ChoiceField(
        label=_("What is given"), choices=Compensation.Kind.choices, widget=forms.RadioSelect
    )
    amount = forms.DecimalField(
        label=_("Value or amount (¥)"), max_digits=10, decimal_places=2, required=False,
        help_text=_("The voucher's value, or the money refunded."),
    )  # fmt: skip
    expires_on = forms.DateField(
        label=_("Voucher valid until"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    price_item = forms.ModelChoiceField(
        PriceItem.objects.none(), label=_("Free product"), required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=99, initial=1)
    photo_number = forms.IntegerField(
        label=_("Photo number"), required=False, min_value=1, max_value=100000
    )
    method = forms.ChoiceField(
        label=_("Refund method"),
        choices=[("", "—"), *LedgerEntry.Method.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Why"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, branch, methods=None, **kwargs):
        """`methods`: how a refund may go back (selection.services.refund_methods): the
        desk's, and the stored-value card when the order was paid from one."""
        super().__init__(*args, **kwargs)
        self.fields["price_item"].queryset = PriceItem.objects.filter(
            branch=branch, is_active=True, product__in=ADDED
        ).order_by("product", "price")
        if methods and LedgerEntry.STORED_VALUE in methods:
            self.fields["method"].choices = [
                *self.fields["method"].choices,
                (LedgerEntry.STORED_VALUE, _("Back onto the stored-value card")),
            ]


class VoucherForm(forms.Form):
    """A voucher's code typed at the desk, and how much of it goes on the order (left
    empty: as much as the voucher and the balance allow)."""

    code = forms.CharField(
        label=_("Voucher code"), max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )  # fmt: skip
    amount = forms.DecimalField(
        label=_("Amount (¥)"), max_digits=10, decimal_places=2, required=False,
        help_text=_("Leave empty to use as much as the voucher and the balance allow."),
    )  # fmt: skip
    request_key = key_field()


class ReverseVoucherUseForm(forms.Form):
    reason = forms.CharField(label=_("Why it is given back"), max_length=200)


class RejectCompensationForm(forms.Form):
    rejection_reason = forms.CharField(
        label=_("Why it is rejected"), max_length=1000, widget=forms.TextInput()
    )


class LoweredUpsellForm(forms.Form):
    """The cashier's decision on a list signed for less: refund (all or part) or keep."""

    REFUND, KEEP = "refund", "keep"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(REFUND, _("Refund")), (KEEP, _("Keep as credit on the order"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose: refund the money or keep it as credit.")},
    )
    method = forms.ChoiceField(
        label=_("Refund by"),
        choices=[("", "—"), *LedgerEntry.Method.choices],
        required=False,
    )
    amount = forms.DecimalField(
        label=_("Amount refunded (¥)"), max_digits=10, decimal_places=2, required=False
    )
