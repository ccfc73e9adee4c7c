"""Texts the system writes (ledger notes, charges, call scripts, history) are stored as a
kind and parameters, never as a sentence, and rendered when they are read: in the reader's
language, or in the customer's for words said or given to the customer (docs/decisions.md,
"Texts the system writes").

Each app declares its kinds in its own `texts.py` (imported by its AppConfig.ready()):

    LOCKER_KEY = texts.define("shoots.locker_key", _("Locker key %(key)s"))
    entry.note_kind, entry.note_params = LOCKER_KEY(key="K-12")

`render(kind, params)` gives the sentence in the active language. Parameters are stored as
JSON: strings and numbers as they are; dates, times, amounts, choice labels and other texts
through the helpers below, so that they too are written in the language of the page.
"""

from datetime import date as _date
from datetime import datetime as _datetime
from datetime import time as _time
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import TextChoices
from django.utils import formats, translation
from django.utils.functional import Promise

# What a text's parameters are stored as (JSON) and what the helpers below return.
Params = dict[str, Any]

# What staff typed, or (kind, params) the system wrote: a note, a charge's description.
Words = str | tuple[str, Params]

_C = TypeVar("_C", bound=type[TextChoices])

_KINDS: dict[str, "TextKind"] = {}
_CHOICES: dict[str, type[TextChoices]] = {}


class TextKind:
    """One kind of system text: its words (a lazy msgid with %(name)s placeholders) and
    whether it is said or given to the customer (then rendered in the customer's language
    wherever it is shown)."""

    def __init__(self, kind: str, words: str | Promise, *, to_customer: bool = False) -> None:
        self.kind = kind
        self.words = words
        self.to_customer = to_customer

    def __call__(self, **params: Any) -> tuple[str, Params]:
        """(kind, params) to store."""
        return self.kind, {name: _encode(value) for name, value in params.items()}

    def text(self, **params: Any) -> Params:
        """A nested text, for a parameter of another text."""
        kind, encoded = self(**params)
        return {"text": kind, "params": encoded}

    def render(self, params: Params | None) -> str:
        values = {name: _decode(value) for name, value in (params or {}).items()}
        return str(self.words) % values if values else str(self.words)


def define(kind: str, words: str | Promise, *, to_customer: bool = False) -> TextKind:
    if kind in _KINDS and _KINDS[kind].words != words:
        raise ValueError(f"Text kind {kind!r} is defined twice.")
    _KINDS[kind] = TextKind(kind, words, to_customer=to_customer)
    return _KINDS[kind]


def define_choices(name: str, choices: _C) -> _C:
    """Lets a parameter be a label of these TextChoices: `choice(member)`."""
    _CHOICES[name] = choices
    return choices


def kind_of(kind: str) -> TextKind | None:
    return _KINDS.get(kind)


def is_to_customer(kind: str) -> bool:
    found = _KINDS.get(kind)
    return bool(found and found.to_customer)


def render(
    kind: str | None,
    params: Params | None = None,
    *,
    fallback: str = "",
    customer_language: str | None = None,
) -> str:
    """The text in the active language, or in `customer_language` for a text said to the
    customer. A row written before kinds existed (or of a kind no longer defined) shows the
    sentence it stored, `fallback`."""
    found = _KINDS.get(kind) if kind else None
    if found is None:
        return fallback
    try:
        if found.to_customer and customer_language:
            with translation.override(customer_language):
                return found.render(params)
        return found.render(params)
    except (KeyError, TypeError, ValueError):
        # Parameters that no longer fit the words (a kind changed since): never break
        # the page over one line of history.
        return fallback or str(found.words)


# --- Parameters ---


def date(value: _date, format: str = "DATE_FORMAT") -> Params:
    return {"date": value.isoformat(), "format": format}


def datetime(value: _datetime, format: str = "SHORT_DATETIME_FORMAT") -> Params:
    """A wall-clock time, e.g. timezone.localtime(at, branch.tzinfo): stored as written
    there, shown as it was at the branch whatever the reader's time zone."""
    return {"datetime": value.replace(tzinfo=None).isoformat(), "format": format}


def choice(member: TextChoices) -> Params:
    """The label of a TextChoices member, in the reader's language."""
    for name, choices in _CHOICES.items():
        if isinstance(member, choices):
            return {"choice": name, "value": member.value}
    raise ValueError(f"{type(member).__name__} is not registered with define_choices().")


def money(amount: Decimal | int | str) -> Params:
    return {"money": str(amount)}


def join(*parts: Any, sep: str = " ") -> Params:
    """Parts written side by side, e.g. a product's label and its size: 放大 24\"."""
    return {"join": [_encode(p) for p in parts if p not in ("", None)], "sep": sep}


def _encode(value: Any) -> Any:
    if isinstance(value, Promise):
        raise TypeError("Store a kind or a choice(), not a translated string.")
    if isinstance(value, dict | str | int | float | bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, _datetime):
        return datetime(value)
    if isinstance(value, _date):
        return date(value)
    if isinstance(value, _time):
        return {"time": value.strftime("%H:%M")}
    return str(value)


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return "" if value is None else value
    if "join" in value:
        return value.get("sep", " ").join(str(_decode(p)) for p in value["join"])
    if "text" in value:
        return render(value["text"], value.get("params"))
    if "date" in value:
        return formats.date_format(_date.fromisoformat(value["date"]), value.get("format"))
    if "datetime" in value:
        at = _datetime.fromisoformat(value["datetime"])
        return formats.date_format(at, value.get("format"))
    if "time" in value:
        return value["time"]
    if "choice" in value:
        choices = _CHOICES.get(value["choice"])
        try:
            return str(choices(value["value"]).label) if choices else value["value"]
        except ValueError:
            return value["value"]
    if "money" in value:
        from studio.templatetags.studio import money as money_filter

        return money_filter(value["money"])
    return ""


# --- The core's own texts ---


def stored(value: Words, field: str) -> dict[str, Any]:
    """The model fields that keep `value` under `field`: what staff typed (a string) as typed,
    or the system's (kind, params) pair to be rendered when read (`field_kind`,
    `field_params`)."""
    if isinstance(value, tuple):
        kind, params = value
        return {field: "", f"{field}_kind": kind, f"{field}_params": params}
    return {field: value, f"{field}_kind": "", f"{field}_params": {}}
