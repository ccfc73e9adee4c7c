"""Input checked where it enters, once (issue 7): phone numbers, ID documents, dates of
appointments and birthdays, money amounts, and cells of a CSV export.

Each rule is a plain function raising `ValidationError` with a sentence a receptionist
understands; model fields, forms and services call the same function. The decisions are in
docs/decisions.md ("Phone numbers and ID documents").
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from studio.models import Branch

# --- Phone numbers ---

PHONE_REGION = "CN"
# What a desk types on a Chinese keyboard in full-width mode is the same number.
_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９＋－（）\u3000", "0123456789+-() "
)  # fmt: skip
_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()\-]+$")
_MAINLAND_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
PHONE_CHARACTERS_MESSAGE = _(
    "A phone number has digits only: spaces, dashes and a leading +86 are fine, "
    "letters and other signs are not."
)
PHONE_INVALID_MESSAGE = _(
    "This is not a phone number we can call: a mobile has 11 digits starting with 13–19, "
    "a landline starts with its area code (for example 021 6123 4567)."
)


def normalise_phone(value: object) -> str:
    """The one spelling of a phone number, so one couple never gets two files.

    China is the default region: `+86 138-0013-8000`, `0086 13800138000` and
    `13800138000` are all stored as `13800138000`; a landline keeps its area code with
    the leading 0 (`02161234567`); a number of another country is stored as +E.164.
    Full-width digits are read as digits. Anything else (letters, emoji, markup) and a
    number that cannot exist raise ValidationError. An empty value stays empty.
    """
    text = str(value or "").translate(_FULL_WIDTH).strip()
    if not text:
        return ""
    if len(text) > 30 or not _PHONE_CHARACTERS.match(text):
        raise ValidationError(PHONE_CHARACTERS_MESSAGE, code="phone_characters")
    text = re.sub(r"^00", "+", re.sub(r"[ ()\-]", "", text))
    try:
        number = phonenumbers.parse(text, PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(PHONE_INVALID_MESSAGE, code="phone_invalid") from None
    national_number = str(number.national_number)
    if number.country_code == 86 and _MAINLAND_MOBILE.match(national_number):
        # Any 1[3-9] mobile: new prefixes are allocated faster than the library learns them.
        return national_number
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(PHONE_INVALID_MESSAGE, code="phone_invalid")
    if number.country_code != 86:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    national = re.sub(
        r"\D", "", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    )
    if national.startswith("1") and not _MAINLAND_MOBILE.match(national):
        raise ValidationError(PHONE_INVALID_MESSAGE, code="phone_invalid")
    return national


def normalise_phone_or_keep(value: str) -> str:
    """For queries and stored rows: the normal spelling when there is one, else as is."""
    try:
        return normalise_phone(value)
    except ValidationError:
        return value


def phone_search_prefix(query: str) -> str | None:
    """What the as-you-type search looks for when the query is (part of) a phone number:
    the digits as they are stored, without +86 or separators. None when it is not one."""
    text = str(query or "").translate(_FULL_WIDTH).strip()
    if not text or not _PHONE_CHARACTERS.match(text):
        return None
    digits = re.sub(r"[ ()\-]", "", text)
    for country in ("+86", "0086"):
        if digits.startswith(country):
            digits = digits[len(country) :]
            break
    if digits.startswith("+"):
        return digits
    return digits if digits.isdigit() else None


class PhoneFormField(forms.CharField):
    """A phone number as typed; cleaned to its one spelling (`normalise_phone`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        return normalise_phone(super().to_python(value))


class PhoneField(models.CharField):  # type: ignore[type-arg]  # not subscriptable at run time
    """A phone number column: every ModelForm and the admin clean it with
    `normalise_phone`, and every save and exact lookup uses its one spelling."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        return normalise_phone(super().to_python(value))

    def get_prep_value(self, value: Any) -> Any:
        # Not CharField's, which calls to_python: a query must not fail on a wrong number.
        value = models.Field.get_prep_value(self, value)
        return None if value is None else normalise_phone_or_keep(str(value))

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})


# --- ID documents ---

ID_CARD = "id_card"
PASSPORT = "passport"
HK_MACAO_PERMIT = "hk_macao"
TAIWAN_PERMIT = "taiwan"
DRIVING_LICENCE = "driving"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_CARD = re.compile(r"^[1-9][0-9]{16}[0-9X]$")
_FORMATS = {
    # 护照: a Chinese passport (E + 8, or E + a letter + 7) or another country's.
    PASSPORT: re.compile(r"^[A-Z0-9]{5,17}$"),
    # 港澳居民来往内地通行证 (home-return permit): H or M, then 8 or 10 digits.
    HK_MACAO_PERMIT: re.compile(r"^[HM]([0-9]{8}|[0-9]{10})$"),
    # 台湾居民来往大陆通行证: 8 digits (since 2015), or 10 with a letter suffix before.
    TAIWAN_PERMIT: re.compile(r"^([0-9]{8}|[0-9]{10}[A-Z]?)$"),
}
ID_MESSAGES = {
    ID_CARD: _(
        "A resident ID card number has 18 characters (the last may be X) and its last "
        "character must match the others: check it against the card."
    ),
    PASSPORT: _("A passport number has 5 to 17 letters and digits."),
    HK_MACAO_PERMIT: _("A home-return permit number is H or M followed by 8 or 10 digits."),
    TAIWAN_PERMIT: _("A Taiwan compatriot permit number has 8 digits (or 10 on older ones)."),
    DRIVING_LICENCE: _(
        "A Chinese driving licence number is the holder's 18-character ID card number."
    ),
}


def id_card_check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of a resident ID card (GB 11643-1999)."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def is_valid_id_card(number: str) -> bool:
    if not _ID_CARD.match(number):
        return False
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return id_card_check_character(number[:17]) == number[17]


def normalise_id_document(id_type: str, number: object) -> str:
    """An ID document's number in one spelling (upper case, no spaces), checked against
    the format of its type: an 18-character ID card (or driving licence) with its check
    character, a passport or a travel permit with their own. Raises ValidationError."""
    number = re.sub(r"[\s\-]", "", str(number or "").translate(_FULL_WIDTH)).upper()
    if id_type in (ID_CARD, DRIVING_LICENCE):
        valid = is_valid_id_card(number)
    elif id_type in _FORMATS:
        valid = bool(_FORMATS[id_type].match(number))
    else:
        return number
    if not valid:
        raise ValidationError(ID_MESSAGES[id_type], code="id_number")
    return number


def mask_id_number(number: object) -> str:
    """3101**********1234: the first four and the last four characters only."""
    number = str(number or "")
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


# --- Dates ---

# The window of a booking (shoot, selection and pickup appointments, dress reservations):
# from today to this many days ahead. Nobody books a shoot more than three years out.
BOOKING_DAYS_AHEAD = 3 * 366
EARLIEST_BIRTHDAY = datetime.date(1900, 1, 1)


def booking_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today, today + datetime.timedelta(days=BOOKING_DAYS_AHEAD)


def check_booking_date(
    day: datetime.date, *, today: datetime.date, past_allowed: bool = False
) -> None:
    """A booking's date lies between today and BOOKING_DAYS_AHEAD ahead; `past_allowed`
    for dates that record history (a return already happened). Raises ValidationError."""
    first, last = booking_window(today)
    if day > last:
        raise ValidationError(
            _("That date is too far ahead: book no later than %(last)s.")
            % {"last": last.isoformat()},
            code="too_far",
        )
    if not past_allowed and day < first:
        raise ValidationError(_("That date is in the past: choose today or later."), code="past")


def booking_too_far(starts_at: datetime.datetime, *, branch: Branch) -> list[str]:
    """The messages when a booking's time lies beyond the window, else an empty list."""
    day = timezone.localtime(starts_at, branch.tzinfo).date()
    try:
        check_booking_date(day, today=branch.today(), past_allowed=True)
    except ValidationError as exc:
        return exc.messages
    return []


def check_birthday(day: datetime.date, *, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if day < EARLIEST_BIRTHDAY or day > today:
        raise ValidationError(_("A birthday lies between 1900 and today."), code="birthday")


def validate_birthday(day: datetime.date | None) -> None:
    if day is not None:
        check_birthday(day)


def validate_sane_date(day: datetime.date | None) -> None:
    """Any date a person types in: not before 1900, not beyond the booking window."""
    if day is not None and (
        day < EARLIEST_BIRTHDAY or day > booking_window(timezone.localdate())[1]
    ):
        raise ValidationError(_("That date is out of range: check the year."), code="date_range")


class BookingDateField(forms.DateField):
    """The date of a booking, within the window (`check_booking_date`) seen from today."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            check_booking_date(value, today=timezone.localdate())


class SaneDateField(forms.DateField):
    default_validators = [validate_sane_date]


# --- Money ---

# A sum of money as the services accept it: a Decimal, or what Decimal() reads exactly.
Amount = Decimal | int | str

DEFAULT_AMOUNT_CEILING = Decimal("200000.00")
CENT = Decimal("0.01")


def check_amount(
    amount: Amount,
    *,
    ceiling: Decimal = DEFAULT_AMOUNT_CEILING,
    zero_allowed: bool = False,
) -> Decimal:
    """One money entry: more than zero (or zero where nothing is a price, e.g. a dress
    lent with the package), in whole cents, and at most the branch's ceiling."""
    amount = Decimal(amount)
    if amount < 0 or (amount == 0 and not zero_allowed):
        raise ValidationError(_("The amount must be more than zero."), code="not_positive")
    if amount != amount.quantize(CENT):
        raise ValidationError(_("Give the amount in yuan and fen (two decimals)."), code="cents")
    if amount > ceiling:
        raise ValidationError(
            _("That is more than ¥%(ceiling)s, the most one entry may be at this branch.")
            % {"ceiling": f"{ceiling:,.2f}"},
            code="ceiling",
        )
    return amount


def amount_ceiling(branch: Branch | None) -> Decimal:
    return getattr(branch, "amount_ceiling", None) or DEFAULT_AMOUNT_CEILING


def check_branch_amounts(instance: Any, *names: str) -> None:
    """A model's clean(): its money fields within its branch's ceiling (zero allowed), so
    the admin refuses a rental price of ¥99,999,999.99 at the field."""
    branch = getattr(instance, "branch", None) if instance.branch_id else None
    errors: dict[str, list[str]] = {}
    for name in names:
        value = getattr(instance, name)
        if value is None:
            continue
        try:
            check_amount(value, ceiling=amount_ceiling(branch), zero_allowed=True)
        except (ValidationError, ArithmeticError) as exc:
            errors[name] = getattr(exc, "messages", [str(exc)])
    if errors:
        raise ValidationError(errors)


def validate_amount_under_default_ceiling(amount: Decimal | None) -> None:
    """For chain-wide prices (packages): at most the default ceiling, zero allowed."""
    if amount is not None:
        check_amount(amount, zero_allowed=True)


# --- CSV ---

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula: text beginning with =, +, -, @, a
    tab or a carriage return gets a leading single quote (OWASP, CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


class SafeCSVWriter:
    """csv.writer for every export: each text cell goes through `csv_cell`."""

    def __init__(self, out: SupportsWrite[str]) -> None:
        self._writer = csv.writer(out)

    def writerow(self, values: Iterable[Any]) -> Any:
        return self._writer.writerow(csv_row(values))


# --- Tax numbers (fapiao) ---

# GB 32100-2015: the unified social credit code (统一社会信用代码) is 18 characters of
# digits and capitals without I, O, Z, S, V; the last is a check character over the first 17.
_CREDIT_CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_MESSAGE = _(
    "A tax number (unified social credit code) has 18 characters, digits and capital "
    "letters, and its last character must match the others: check it on the business licence."
)


def credit_code_check_character(first17: str) -> str:
    total = sum(
        _CREDIT_CODE_CHARACTERS.index(character) * weight
        for character, weight in zip(first17, _CREDIT_CODE_WEIGHTS, strict=True)
    )
    return _CREDIT_CODE_CHARACTERS[(31 - total % 31) % 31]


def normalise_credit_code(value: object) -> str:
    """A company's tax number as printed on its business licence, or ValidationError.

    Spaces and lower case are forgiven (the desk types it from a photo); the check
    character is not."""
    code = str(value or "").translate(_FULL_WIDTH).replace(" ", "").upper()
    if (
        len(code) != 18
        or any(character not in _CREDIT_CODE_CHARACTERS for character in code)
        or credit_code_check_character(code[:17]) != code[17]
    ):
        raise ValidationError(CREDIT_CODE_MESSAGE, code="credit_code")
    return code
