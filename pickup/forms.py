from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from studio import roles
from studio.models import Staff


class PickupForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
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

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch = branch
        self.fields["clerk"].queryset = Staff.objects.filter(
            branches=branch, is_active=True, user__groups__name=roles.PICKUP_CLERK
        ).order_by("display_name")

    def starts_at(self):
        data = self.cleaned_data
        return datetime.combine(data["date"], data["time"], tzinfo=self.branch.tzinfo)


class DayForm(forms.Form):
    date = forms.DateField(label=_("Date"), required=False)
