from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orders.models import LedgerEntry
from studio.validators import BookingDateField, SaneDateField

from .models import Dress, DressReservation
from .services import MEASUREMENTS

DATE = forms.DateInput(attrs={"type": "date"})


def _size(label):
    return forms.DecimalField(
        label=label, max_digits=5, decimal_places=1, min_value=0, required=False
    )


class DressFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All"))] + Dress.Category.choices, required=False
    )
    size = forms.CharField(label=_("Size"), max_length=10, required=False)


class ReservationForm(forms.Form):
    """礼服出租预约登记: the dress, the dates and the customer's measurements."""

    dress = forms.ModelChoiceField(label=_("Dress"), queryset=Dress.objects.none())
    pickup_on = BookingDateField(label=_("Pickup date"), widget=DATE)
    return_on = BookingDateField(label=_("Return date"), widget=DATE)
    wedding_date = SaneDateField(label=_("Wedding date"), widget=DATE, required=False)
    bust = _size(_("Bust (cm)"))
    waist = _size(_("Waist (cm)"))
    hips = _size(_("Hips (cm)"))
    height = _size(_("Height (cm)"))
    shoulder = _size(_("Shoulder (cm)"))
    accessories = forms.CharField(
        label=_("Accessories"),
        max_length=200,
        required=False,
        help_text=_("Veil, gloves, petticoat, flowers…"),
    )
    rental_price = forms.DecimalField(
        label=_("Rental price (¥)"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Leave empty for the dress's price (nothing when the package lends it)."),
    )
    deposit_amount = forms.DecimalField(
        label=pgettext_lazy("rental", "Deposit (¥)"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Leave empty for the dress's deposit."),
    )

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dress"].queryset = Dress.objects.filter(branch=branch, is_active=True)

    def clean(self):
        data = super().clean()
        pickup_on, return_on = data.get("pickup_on"), data.get("return_on")
        if pickup_on and return_on and return_on < pickup_on:
            self.add_error("return_on", _("The dress must come back on or after the pickup date."))
        return data

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "dress": data["dress"],
            "pickup_on": data["pickup_on"],
            "return_on": data["return_on"],
            "wedding_date": data["wedding_date"],
            "accessories": data["accessories"],
            "rental_price": data["rental_price"],
            "deposit_amount": data["deposit_amount"],
            "measurements": {k: data[k] for k in MEASUREMENTS},
        }


class PickUpForm(forms.Form):
    id_type = forms.ChoiceField(
        label=_("ID document held"), choices=DressReservation.IdType.choices
    )
    id_number = forms.CharField(label=_("ID document number"), max_length=40)
    deposit_method = forms.ChoiceField(
        label=_("Deposit paid by"), choices=LedgerEntry.Method.choices
    )


class ReturnForm(forms.Form):
    deductions = forms.DecimalField(
        label=_("Deduct for damage or lateness (¥)"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        initial=0,
        required=False,
    )
    reason = forms.CharField(
        label=_("What was found"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    refund_method = forms.ChoiceField(
        label=_("Deposit refunded by"), choices=LedgerEntry.Method.choices
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
