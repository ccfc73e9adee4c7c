from django import forms
from django.utils.translation import gettext_lazy as _

from shoots.forms import WhenForm
from studio.models import Staff

from . import selectors


class BookSelectionForm(WhenForm):
    """The selection appointment: date, time and a consultant of the order's branch."""

    consultant = forms.ModelChoiceField(Staff.objects.none(), label=_("Selection consultant"))

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = selectors.consultants(branch)


class FilesForm(forms.Form):
    """The day before: are the image files (影像档) transferred and complete?"""

    transferred = forms.BooleanField(label=_("Transferred"), required=False)
    complete = forms.BooleanField(label=_("Complete"), required=False)
    photo_count = forms.IntegerField(label=_("Photos"), min_value=0, max_value=100000, initial=0)
