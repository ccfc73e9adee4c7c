from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orders.models import LedgerEntry
from studio.forms import WhenForm
from studio.models import Staff
from studio.request_keys import key_field

from .models import OutfitKind, PlannedSet, Room, Shoot, Step, Vehicle
from .selectors import SEAT_ROLES

SEATS = tuple(SEAT_ROLES)
TAKEN_MEANWHILE = _(
    "Booked for another shoot at this time since this page was opened: choose again from "
    "those still free."
)


class BookingForm(WhenForm):
    """Date, time, and the people, room and vehicle free at that time (`free` from
    selectors.free_resources)."""

    photographer = forms.ModelChoiceField(Staff.objects.none(), label=_("Photographer"))
    assistant = forms.ModelChoiceField(Staff.objects.none(), label=_("Assistant"), required=False)
    makeup_artist = forms.ModelChoiceField(
        Staff.objects.none(), label=_("Makeup artist"), required=False
    )
    dress_stylist = forms.ModelChoiceField(
        Staff.objects.none(), label=_("Dress stylist"), required=False
    )
    driver = forms.ModelChoiceField(Staff.objects.none(), label=_("Driver"), required=False)
    room = forms.ModelChoiceField(Room.objects.none(), label=_("Room or outdoor plan"))
    vehicle = forms.ModelChoiceField(Vehicle.objects.none(), label=_("Vehicle"), required=False)
    white_gowns = forms.IntegerField(label=_("White gowns"), min_value=0, max_value=6, initial=1)
    evening_dresses = forms.IntegerField(
        label=_("Evening dresses"), min_value=0, max_value=6, initial=1
    )
    specialty = forms.IntegerField(label=_("Specialty costumes"), min_value=0, max_value=6)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    # One key per rendering of the form: a second press of "Book" books nothing more.
    request_key = key_field(required=False)
    short_notice_confirmed = forms.BooleanField(
        label=_("Yes, book it although it is less than 7 days ahead"), required=False
    )

    def __init__(self, *args, free, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what is free is offered; a choice that is no longer among them was booked
        # for another shoot since the page was opened.
        for name in (*SEATS, "room", "vehicle"):
            self.fields[name].error_messages["invalid_choice"] = TAKEN_MEANWHILE
        for seat in SEATS:
            pks = [s.pk for s in free["people"][seat]]
            self.fields[seat].queryset = Staff.objects.filter(pk__in=pks)
        self.fields["room"].queryset = Room.objects.filter(pk__in=[r.pk for r in free["rooms"]])
        self.fields["vehicle"].queryset = Vehicle.objects.filter(
            pk__in=[v.pk for v in free["vehicles"]]
        )

    def clean(self):
        data = super().clean()
        counts = [data.get(k) or 0 for k in ("white_gowns", "evening_dresses", "specialty")]
        if not any(counts):
            raise forms.ValidationError(_("Plan at least one outfit."))
        return data

    def sets(self):
        data = self.cleaned_data
        return (
            [OutfitKind.WHITE_GOWN] * data["white_gowns"]
            + [OutfitKind.EVENING_DRESS] * data["evening_dresses"]
            + [OutfitKind.SPECIALTY] * (data["specialty"] or 0)
        )

    def service_kwargs(self):
        data = self.cleaned_data
        kwargs = {seat: data.get(seat) for seat in SEATS}
        kwargs.update(
            request_key=data.get("request_key") or None,
            room=data["room"],
            vehicle=data.get("vehicle"),
            note=data.get("note", ""),
            short_notice_confirmed=data.get("short_notice_confirmed", False),
            sets=self.sets(),
        )
        return kwargs


class CheckInForm(forms.Form):
    locker_key = forms.CharField(label=_("Locker key number"), max_length=10, required=False)
    deposit_method = forms.ChoiceField(
        label=_("Key deposit paid by"), choices=LedgerEntry.Method.choices, initial="cash"
    )
    balance_method = forms.ChoiceField(
        label=_("Take the balance now by"),
        choices=[("", _("— not now —")), *LedgerEntry.Method.choices],
        required=False,
    )
    briefed = forms.BooleanField(label=_("The couple has been briefed"), required=False)


class HandOffForm(forms.Form):
    """One tap on a button: which line of the plan (or station), and to whom."""

    to_staff = forms.ModelChoiceField(
        Staff.objects.none(), label=pgettext_lazy("hand-off", "To"), required=False
    )
    plan_line = forms.ModelChoiceField(PlannedSet.objects.none(), label=_("Step"), required=False)
    step = forms.ChoiceField(label=_("Station"), choices=Step.choices, required=False)

    def __init__(self, *args, shoot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_staff"].queryset = Staff.objects.filter(pk__in=shoot.staff_ids())
        self.fields["plan_line"].queryset = shoot.plan.all()

    def clean(self):
        data = super().clean()
        if not data.get("plan_line") and not data.get("step"):
            raise forms.ValidationError(_("Say which station the couple goes to."))
        return data


class LookForm(forms.Form):
    """The look of one outfit set of the plan."""

    line = forms.ModelChoiceField(PlannedSet.objects.none(), label=_("Outfit set"))
    look = forms.CharField(label=_("Look"), max_length=100, required=False)

    def __init__(self, *args, shoot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = shoot.plan.filter(step__in=OutfitKind.values)


class FinishForm(forms.Form):
    """Finishing asks whether the locker key came back: nothing is ticked in advance."""

    key_returned = forms.TypedChoiceField(
        label=_("Did the locker key come back?"),
        choices=[
            ("yes", _("Yes: refund the locker deposit")),
            ("no", _("No: keep the locker deposit")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        required=False,
    )
    deposit_method = forms.ChoiceField(
        label=_("Deposit refunded by"), choices=LedgerEntry.Method.choices, initial="cash"
    )
    keep = forms.DecimalField(
        label=_("Amount kept from the deposit"),
        min_value=0,
        decimal_places=2,
        initial=0,
        required=False,
        help_text=_("Only when the key is back but something is kept, e.g. for damage."),
    )
    keep_reason = forms.CharField(label=_("Why it is kept"), max_length=200, required=False)

    def __init__(self, *args, holds_deposit=True, **kwargs):
        super().__init__(*args, **kwargs)
        if holds_deposit:
            self.fields["key_returned"].required = True
            self.fields["key_returned"].error_messages["required"] = _(
                "Say whether the locker key came back."
            )
        else:
            for name in ("key_returned", "deposit_method", "keep", "keep_reason"):
                del self.fields[name]

    def clean_keep(self):
        return self.cleaned_data.get("keep") or 0


class VisitForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ConfirmationForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome of the call"), choices=Shoot.Confirmation.choices)


class LateForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes late"), min_value=0, max_value=600)
