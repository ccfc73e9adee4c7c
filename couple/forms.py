from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from selection.models import FAVOURITE_NOTE_MAX


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
    code = forms.CharField(label=pgettext_lazy("PIN", "Code"), max_length=12)


class AnswerForm(forms.Form):
    """The couple's answer to a proof: approve it, or ask for a change saying what."""

    approve = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=lambda v: v == "yes"
    )
    note = forms.CharField(max_length=500, required=False)


class FavouriteForm(forms.Form):
    """A photo marked (yes) or unmarked (no) as a favourite: the state wanted, so a double
    tap sends the same thing twice."""

    favourite = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=lambda v: v == "yes"
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Your note on this photo"),
        max_length=FAVOURITE_NOTE_MAX,
        required=False,
        strip=True,
        error_messages={
            "max_length": _(
                "A note is at most %(limit_value)d characters (this one has %(show_value)d)."
            )
        },
    )
