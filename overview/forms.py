"""The reports page's form, and the confirmation of a customer's erasure."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from studio.forms import SaneDateField
from studio.validators import validate_sane_date


class ReportForm(forms.Form):
    """The reports page's choice of branch and period (a day, or a month by default)."""

    PERIODS = [("month", _("Month")), ("day", _("Day"))]

    branch = forms.TypedChoiceField(label=_("Branch"), coerce=int, required=False)
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    month = forms.CharField(
        label=_("Month"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    day = SaneDateField(
        label=_("Day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a day as YYYY-MM-DD, for example 2026-11-23.")},
    )

    def __init__(self, *args, branches, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["branch"].choices = [(b.pk, b.name) for b in branches]
        # Drawn as plain fields in a row: the studio's styles, so a select isn't cut short.
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault("class", "form-select" if is_select else "form-control")

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
        try:
            month = datetime.date(int(match[1]), int(match[2]), 1)
            validate_sane_date(month)
        except (TypeError, ValueError, forms.ValidationError):
            raise forms.ValidationError(
                _("Enter a month as YYYY-MM, for example 2026-11.")
            ) from None
        return month

    def clean(self):
        data = super().clean()
        if data.get("period") == "day":
            if data.get("day") is None and "day" not in self.errors:
                data["day"] = self.today
        else:
            data["period"] = "month"
            if data.get("month") is None and "month" not in self.errors:
                data["month"] = self.today.replace(day=1)
        return data


class EraseCustomerForm(forms.Form):
    """A store manager confirms an erasure by typing the couple's name as on the file."""

    typed_name = forms.CharField(
        label=_("Type the couple's name to confirm"),
        max_length=200,
        error_messages={"required": _("Type the couple's name exactly as on the file to confirm.")},
    )
