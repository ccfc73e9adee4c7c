import datetime
import re
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from studio.validators import validate_sane_date

from .models import LEDGER_BASES, Basis, CommissionRule


def parse_month(value: str) -> datetime.date | None:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if not match:
        return None
    try:
        month = datetime.date(int(match[1]), int(match[2]), 1)
        validate_sane_date(month)
    except (ValueError, forms.ValidationError):
        return None
    return month


class MonthForm(forms.Form):
    """Which month a statement shows (this month when none is given)."""

    month = forms.CharField(
        label=_("Month"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "class": "form-control"}),
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_month(self):
        value = self.cleaned_data["month"]
        if not value.strip():
            return self.today.replace(day=1)
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, for example 2026-11."))
        return month


class LockForm(MonthForm):
    def clean_month(self):
        if not self.cleaned_data["month"].strip():
            raise forms.ValidationError(_("Say which month to lock."))
        return super().clean_month()


class RuleForm(forms.ModelForm):
    """A branch's rule; the model's `clean` refuses a percentage for a shoot, both or
    neither rate, and a rule overlapping another for the same work."""

    class Meta:
        model = CommissionRule
        fields = ["basis", "percent", "fixed_amount", "valid_from", "valid_until", "note"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.branch = branch
        for name in ("valid_from", "valid_until"):
            self.fields[name].error_messages["invalid"] = _(
                "Enter a day as YYYY-MM-DD, for example 2026-11-23."
            )


SHARE_ROWS = 3


class SharesForm(forms.Form):
    """Up to three people sharing one sale of an order, with their parts in %."""

    basis = forms.ChoiceField(label=_("Sale"), choices=[(b, Basis(b).label) for b in LEDGER_BASES])

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(SHARE_ROWS):
            self.fields[f"staff_{i}"] = forms.ModelChoiceField(
                label=_("Staff member"), queryset=colleagues, required=False
            )
            self.fields[f"percent_{i}"] = forms.DecimalField(
                label=_("Share %"),
                required=False,
                max_digits=5,
                decimal_places=2,
                validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
            )

    def clean(self):
        data = super().clean()
        shares = []
        for i in range(SHARE_ROWS):
            staff, percent = data.get(f"staff_{i}"), data.get(f"percent_{i}")
            if staff is None and percent is None:
                continue
            if staff is None or percent is None:
                raise forms.ValidationError(_("Give each share a person and a percentage."))
            shares.append((staff, percent))
        if not shares and not self.errors:
            raise forms.ValidationError(_("Give at least one person."))
        data["shares"] = shares
        return data
