from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LinkForm(forms.Form):
    """Staff make (or send again) the couple's link."""

    days = forms.IntegerField(
        label=_("Works for (days)"), min_value=1, max_value=366,
        initial=lambda: settings.STUDIO_COUPLE_LINK_DAYS,
    )  # fmt: skip
    needs_pin = forms.BooleanField(
        label=_("Ask for a code sent by SMS before showing the page"), required=False
    )


class PinForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=12)


class AnswerForm(forms.Form):
    """The couple's answer to a proof: approve it, or ask for a change saying what."""

    approve = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=lambda v: v == "yes"
    )
    note = forms.CharField(max_length=500, required=False)
