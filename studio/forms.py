import datetime
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import lunar, roles
from .models import ConsentChannel, ConsentEvent, ConsentPurpose, Customer, Package, Staff, Visit
from .validators import BookingDateField, PhoneFormField, SaneDateField, check_birthday


def _branch_staff(branch, *role_names):
    staff = Staff.objects.colleagues().filter(branches=branch)
    if role_names:
        staff = staff.filter(user__groups__name__in=role_names)
    return staff.distinct().order_by("display_name")


class RotaForm(forms.Form):
    """Today's order takers in turn: a number per person (1 takes the first walk-in); people
    left blank are not on the rota."""

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(_branch_staff(branch, roles.RECEPTIONIST, roles.MANAGER))
        for staff in self.people:
            self.fields[self.field_name(staff)] = forms.IntegerField(
                label=staff.display_name,
                required=False,
                min_value=1,
                max_value=99,
                widget=forms.NumberInput(attrs={"class": "form-control", "style": "width: 5rem"}),
            )

    @staticmethod
    def field_name(staff):
        return f"turn_{staff.pk}"

    def turns(self):
        """(field, staff) pairs for the template, in the order of the people."""
        return [(self[self.field_name(s)], s) for s in self.people]

    def clean(self):
        data = super().clean()
        numbered = [
            (data[self.field_name(s)], s)
            for s in self.people
            if data.get(self.field_name(s)) is not None
        ]
        if not numbered and not self.errors:
            raise forms.ValidationError(_("Put at least one order taker on the rota."))
        turns = [n for n, _s in numbered]
        if len(set(turns)) != len(turns):
            raise forms.ValidationError(_("Give each order taker a different turn number."))
        data["takers"] = [s for _n, s in sorted(numbered, key=lambda pair: pair[0])]
        return data


class VisitForm(forms.Form):
    """Register a walk-in: an existing couple (picked from the search) or a new one."""

    customer = forms.IntegerField(widget=forms.HiddenInput, required=False)
    bride_name = forms.CharField(label=_("Bride's name"), max_length=60, required=False)
    bride_phone = PhoneFormField(label=_("Bride's phone"), required=False)
    groom_name = forms.CharField(label=_("Groom's name"), max_length=60, required=False)
    groom_phone = PhoneFormField(label=_("Groom's phone"), required=False)
    kind = forms.ChoiceField(label=_("Visit"), choices=Visit.Kind.choices, initial="walk_in")
    source = forms.ChoiceField(
        label=_("How they heard of us"),
        choices=Customer.Source.choices,
        initial=Customer.Source.WALK_BY,
    )
    referrer_phone = PhoneFormField(
        label=_("Referred by (their phone)"),
        required=False,
        help_text=_("For a referral: the phone of the customer who sent them."),
    )
    reason = forms.CharField(label=_("Why they came in"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Planning document and receipts in"),
        choices=settings.LANGUAGES,
        initial="zh-hans",
        required=False,
    )

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.customers = customers  # the couples this user may see

    def clean_customer(self):
        pk = self.cleaned_data.get("customer")
        if pk is None:
            return None
        found = self.customers.filter(pk=pk).first()
        if found is None:
            raise forms.ValidationError(_("That customer file was not found."))
        return found

    def clean(self):
        data = super().clean()
        if data.get("customer") is None and not self.errors:
            if not (data.get("bride_name") or data.get("groom_name")):
                self.add_error("bride_name", _("Enter the bride's or the groom's name."))
            if not (data.get("bride_phone") or data.get("groom_phone")):
                self.add_error("bride_phone", _("Enter the bride's or the groom's phone."))
        data["referrer"] = None
        if data.get("source") == Customer.Source.REFERRAL:
            phone = data.get("referrer_phone")
            if not phone:
                self.add_error(
                    "referrer_phone", _("Enter the phone of the customer who referred them.")
                )
            else:
                data["referrer"] = self.customers.filter(
                    Q(bride_phone=phone) | Q(groom_phone=phone)
                ).first()
                if data["referrer"] is None:
                    self.add_error("referrer_phone", _("No customer on file has this phone."))
        return data

    def new_customer(self):
        d = self.cleaned_data
        names = ("bride_name", "bride_phone", "groom_name", "groom_phone")
        return {**{k: d[k] for k in names}, "language": d["language"] or "zh-hans"}


class ConsultationForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Visit.Outcome.choices, widget=forms.RadioSelect
    )
    not_booked_because = forms.ChoiceField(
        label=_("Main reason they did not book"),
        choices=[("", "---------"), *Visit.NotBookedBecause.choices],
        required=False,
    )
    not_booked_reason = forms.CharField(
        label=_("Why they did not book"), max_length=200, required=False
    )
    compared_studios = forms.CharField(
        label=_("Other studios they compared"), max_length=200, required=False
    )
    budget = forms.DecimalField(
        label=_("Budget (¥)"), max_digits=10, decimal_places=2, required=False, min_value=0
    )
    packages_shown = forms.ModelMultipleChoiceField(
        label=_("Packages shown"),
        queryset=Package.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["packages_shown"].queryset = Package.objects.filter(
            branches=branch, is_active=True
        )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Visit.Outcome.NOT_BOOKED:
            if not data.get("not_booked_because") and "not_booked_because" not in self.errors:
                self.add_error("not_booked_because", _("Choose the main reason they did not book."))
            if not data.get("not_booked_reason", "").strip():
                self.add_error(
                    "not_booked_reason", _("Say why they did not book, for the follow-up call.")
                )
        return data


class LeaveForm(forms.Form):
    starts_on = SaneDateField(
        label=_("First day away"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = SaneDateField(
        label=_("Last day away"), widget=forms.DateInput(attrs={"type": "date"})
    )
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=Staff.objects.none())
    message = forms.CharField(
        label=_("What the agent tells your customers"), max_length=200, required=False
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = (
            Staff.objects.colleagues()
            .filter(branches__in=staff.branch_ids)
            .exclude(pk=staff.pk)
            .distinct()
            .order_by("display_name")
        )


class WhenForm(forms.Form):
    """The date and start time of a booking (a shoot, a selection session), asked first so
    that only the people free at that time are offered."""

    date = BookingDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}))

    def starts_at(self, branch):
        data = self.cleaned_data
        return datetime.datetime.combine(data["date"], data["time"], tzinfo=branch.tzinfo)


def attach_errors(form, exc, field_for=None):
    """Put a service's ValidationError on the form, at the field it names when it can.
    `field_for` maps a name the service uses to the form's field for it (e.g. the
    service's `starts_at` is the form's `time`)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            name = (field_for or {}).get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


PEOPLE = ("bride", "groom")
_YMD = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*")


def _birthday_field(label):
    # Text, not a date picker: a lunar birthday may be the 30th of the 2nd month.
    return forms.CharField(
        label=label,
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "1995-08-15", "inputmode": "numeric"}),
        help_text=_("Year-month-day; with “lunar” ticked, the lunar date."),
    )


def _leap_field():
    return forms.BooleanField(label=_("leap month (闰月)"), required=False)


class CustomerForm(forms.ModelForm):
    """The couple's contact details and preferences, edited on their file.

    A birthday is typed as a solar date, or, with "lunar" ticked, as the lunar date (and
    "leap month" for a 闰月); it is stored as the solar date of birth either way
    (docs/decisions.md, "Lunar calendar")."""

    bride_birthday = _birthday_field(_("bride's birthday"))
    bride_birthday_leap = _leap_field()
    groom_birthday = _birthday_field(_("groom's birthday"))
    groom_birthday_leap = _leap_field()

    class Meta:
        model = Customer
        fields = [
            "bride_name",
            "bride_phone",
            "bride_birthday",
            "bride_birthday_is_lunar",
            "bride_gender",
            "groom_name",
            "groom_phone",
            "groom_birthday",
            "groom_birthday_is_lunar",
            "groom_gender",
            "wechat",
            "wechat_openid",
            "address",
            "wedding_date",
            "notes",
            "language",
        ]
        labels = {
            "language": _("Planning document and receipts in"),
            "bride_birthday_is_lunar": _("lunar (农历)"),
            "groom_birthday_is_lunar": _("lunar (农历)"),
        }
        widgets = {
            "wedding_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for person in PEOPLE:
            born = getattr(self.instance, f"{person}_birthday", None)
            if born is None:
                continue
            shown = born
            if getattr(self.instance, f"{person}_birthday_is_lunar") and (
                lunar.FIRST_DAY <= born < lunar.LAST_DAY
            ):
                shown = lunar.to_lunar(born)
                self.initial[f"{person}_birthday_leap"] = shown.leap
            self.initial[f"{person}_birthday"] = (
                f"{shown.year:04d}-{shown.month:02d}-{shown.day:02d}"
            )

    def clean(self):
        data = super().clean()
        for person in PEOPLE:
            field = f"{person}_birthday"
            leap = data.pop(f"{field}_leap", False)
            typed = data.get(field)
            if field not in data:
                continue  # already refused
            try:
                data[field] = _birthday(typed, is_lunar=data.get(f"{field}_is_lunar"), leap=leap)
            except ValidationError as exc:
                self.add_error(field, exc)
        return data

    def _post_clean(self):
        """Nothing is written to the instance here: update_customer checks the file's rules
        (a name, a phone, no duplicate), compares and records."""


def _birthday(typed, *, is_lunar, leap):
    """The solar date of birth from what was typed: a solar date, or a lunar one."""
    if not (typed or "").strip():
        return None
    match = _YMD.fullmatch(typed)
    if match is None:
        raise ValidationError(
            _("Type the date as year-month-day, e.g. 1995-08-15."), code="invalid"
        )
    year, month, day = (int(x) for x in match.groups())
    if is_lunar:
        try:
            born = lunar.to_solar(year, month, day, leap=leap)
        except lunar.NoSuchLunarDate as exc:
            raise ValidationError(_no_such_lunar_date(exc), code="lunar") from exc
    else:
        try:
            born = datetime.date(year, month, day)
        except ValueError as exc:
            raise ValidationError(_("There is no such date."), code="invalid") from exc
    check_birthday(born)
    return born


def _no_such_lunar_date(exc):
    params = {"year": exc.year, "month": exc.month}
    if exc.reason == "short":
        return _("In %(year)s, lunar month %(month)s has only 29 days: there is no 30th.") % params
    if exc.reason == "leap":
        leap = lunar.leap_month(exc.year)
        if leap == 0:
            return _("%(year)s has no leap month: untick “leap month”.") % params
        return _("The leap month of %(year)s is month %(leap)s, not month %(month)s.") % {
            **params,
            "leap": leap,
        }
    return _(
        "A lunar birthday has a month from 1 to 12 and a day from 1 to 30, and lies "
        "between 1900 and today."
    )


class ConsentForm(forms.Form):
    """The front desk records what the customer agreed to or withdrew, for one purpose on
    one or more channels, and how they said it."""

    SOURCES = [
        (s.value, s.label)
        for s in (
            ConsentEvent.Source.FRONT_DESK,
            ConsentEvent.Source.PAPER_FORM,
            ConsentEvent.Source.SMS_REPLY,
            ConsentEvent.Source.WECHAT,
        )
    ]

    purpose = forms.ChoiceField(label=_("For"), choices=ConsentPurpose.choices)
    channels = forms.MultipleChoiceField(
        label=_("By"),
        choices=ConsentChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one channel.")},
    )
    granted = forms.TypedChoiceField(
        label=_("The customer"),
        choices=[("yes", _("agrees")), ("no", _("withdraws consent"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(label=_("How they said it"), choices=SOURCES)
