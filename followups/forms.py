import re
from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from studio.models import Staff
from studio.validators import SaneDateField

from .models import CallTask

OFFSET_UNITS = {"d": 24 * 60, "h": 60, "m": 1}
OFFSET_PART = re.compile(r"(\d+)\s*([dhm])")


def format_offset(minutes):
    """1440 -> "1d", -90 -> "-1h 30m", 0 -> "0m": what the care rules page shows."""
    sign, rest, parts = "-" if minutes < 0 else "", abs(minutes), []
    for unit, size in OFFSET_UNITS.items():
        if rest >= size:
            parts.append(f"{rest // size}{unit}")
            rest %= size
    return sign + (" ".join(parts) or "0m")


def parse_offset(text):
    """ "1d", "-1d", "2h 30m", "20m" or plain minutes ("-1440") -> minutes, else None."""
    text = text.strip().lower().replace(",", " ")
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-").strip()
    if re.fullmatch(r"\d+", body):
        return sign * int(body)
    if not body or OFFSET_PART.sub("", body).strip():
        return None
    return sign * sum(int(n) * OFFSET_UNITS[u] for n, u in OFFSET_PART.findall(body))


class CallOutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("The call"),
        choices=[
            (CallTask.Status.DONE, _("Got through")),
            (CallTask.Status.FAILED, _("No answer")),
        ],
    )
    outcome = forms.CharField(label=_("Outcome"), max_length=200, required=False)


class CareRuleForm(forms.Form):
    """A manager switches a care rule on or off and moves it."""

    is_active = forms.BooleanField(label=_("Active"), required=False)
    offset = forms.CharField(
        label=_("Offset"),
        max_length=30,
        help_text=_("After the event: 30m, 2h, 1d, 10d; before it: -1d."),
    )
    at_time = forms.TimeField(
        label=_("At"),
        required=False,
        help_text=_("Time of day, e.g. 09:30; empty: exactly the offset later."),
    )

    @classmethod
    def for_rule(cls, rule, data=None):
        initial = {
            "is_active": rule.is_active,
            "offset": format_offset(rule.offset_minutes),
            "at_time": rule.at_time,
        }
        return cls(data=data, initial=initial, prefix=f"rule{rule.pk}")

    def clean_offset(self):
        minutes = parse_offset(self.cleaned_data["offset"])
        if minutes is None:
            raise forms.ValidationError(
                _("Write the offset as days, hours or minutes, e.g. 30m, 1d or -1d.")
            )
        return minutes


class ComplaintForm(forms.Form):
    text = forms.CharField(
        label=_("What they complain about"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    order = forms.ModelChoiceField(label=_("Order"), queryset=None, required=False)
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=None,
        help_text=_("Who follows it up until it is resolved."),
    )

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = customer.orders.order_by("-signed_at")
        self.fields["owner"].queryset = (
            Staff.objects.colleagues().filter(branches=customer.branch).distinct()
        )
        self.fields["owner"].initial = customer.owner_id

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write down what the customer complains about."))
        return text


class MessageReportForm(forms.Form):
    """The messages report's period: from one day to another, at most a quarter."""

    LONGEST = 92

    first = SaneDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    last = SaneDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-control")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        last = data.get("last") or self.today
        first = data.get("first") or last - timedelta(days=6)
        if first > last:
            raise forms.ValidationError(_("The first day comes after the last one."))
        if (last - first).days >= self.LONGEST:
            raise forms.ValidationError(
                _("Choose at most %(days)s days at a time.") % {"days": self.LONGEST}
            )
        data["first"], data["last"] = first, last
        return data
