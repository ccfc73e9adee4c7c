import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LedgerEntry
from .services import PAYMENT_KINDS


class PaymentForm(forms.Form):
    kind = forms.ChoiceField(label=_("For"), choices=[(k.value, k.label) for k in PAYMENT_KINDS])
    method = forms.ChoiceField(label=_("Method"), choices=LedgerEntry.Method.choices)
    amount = forms.DecimalField(label=_("Amount (¥)"), max_digits=10, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    request_key = forms.CharField(widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex)

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount


class TransitionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
