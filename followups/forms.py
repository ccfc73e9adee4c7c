from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CallTask


class CallOutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("The call"),
        choices=[
            (CallTask.Status.DONE, _("Got through")),
            (CallTask.Status.FAILED, _("No answer")),
        ],
    )
    outcome = forms.CharField(label=_("Outcome"), max_length=200, required=False)
