from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.models import LedgerEntry
from rentals.models import DressReservation
from selection.models import PriceItem
from studio import roles
from studio.models import Staff
from studio.request_keys import key_field
from studio.templatetags.studio import money
from studio.validators import BookingDateField, SaneDateField

from .models import ItemCheck


class PickupForm(forms.Form):
    date = BookingDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    clerk = forms.ModelChoiceField(
        label=_("Pickup clerk"), queryset=Staff.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("Large items? Remind them to bring a helper."),
    )
    # A second press of "Book" books nothing more (no second slip number).
    request_key = key_field(required=False)

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch = branch
        self.fields["clerk"].queryset = (
            Staff.objects.colleagues()
            .filter(branches=branch, user__groups__name=roles.PICKUP_CLERK)
            .distinct()
            .order_by("display_name")
        )

    def starts_at(self):
        data = self.cleaned_data
        return datetime.combine(data["date"], data["time"], tzinfo=self.branch.tzinfo)


class DayForm(forms.Form):
    date = SaneDateField(label=_("Date"), required=False)


class SlipForm(forms.Form):
    """The pickup slip's number, or, when it is lost, the ID document the customer shows."""

    slip_number = forms.CharField(label=_("Pickup slip number"), max_length=30, required=False)
    lost_slip_id_type = forms.ChoiceField(
        label=_("Slip lost: ID document"),
        choices=[("", "—"), *DressReservation.IdType.choices],
        required=False,
    )
    lost_slip_id_number = forms.CharField(
        label=_("ID document number"), max_length=40, required=False
    )


class HandOverForm(forms.Form):
    """The items counted one by one; those left unticked get a partial pickup memo."""

    items = forms.MultipleChoiceField(
        label=_("Items the customer takes today"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    rest_date = BookingDateField(
        label=_("Date for the rest"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only when something stays behind; a week later if left blank."),
    )

    def __init__(self, *args, remaining, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(str(i.pk), i.label) for i in remaining]


class ExtraForm(forms.Form):
    """The third sale: an extra from the branch's price list, paid at once."""

    price_item = forms.ModelChoiceField(label=_("Extra"), queryset=PriceItem.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=99, initial=1)
    method = forms.ChoiceField(label=_("Method"), choices=LedgerEntry.Method.choices)
    request_key = key_field()

    def __init__(self, *args, extras, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price_item"].queryset = extras
        self.fields["price_item"].label_from_instance = lambda p: f"{p.label} · {money(p.price)}"


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you? (1–5)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("Comments"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    would_refer = forms.BooleanField(label=_("Would recommend us to friends"), required=False)


class CheckForm(forms.Form):
    """The day-before check: a result and, for a fault, a note per item."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=item.label,
                choices=ItemCheck.Result.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("What is wrong"), max_length=200, required=False
            )

    def rows(self):
        return [(item, self[f"item_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def results(self):
        data = self.cleaned_data
        return {i.pk: (data[f"item_{i.pk}"], data[f"note_{i.pk}"]) for i in self.items}
