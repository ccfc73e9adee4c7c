"""Helpers for list pages of hundreds of rows: the work that is the same for every row is
done once per page (a reverse(), a translation, a date's format), not once per row."""

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from django.db.models import Choices, Model
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import date_format, get_format
from django.utils.translation import get_language

_MARK = 9876543210


def link_to(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` for many rows: the URL is reversed once with a marker in
    the place of the pk, and each row's pk goes in its place. For URLs whose one argument
    is an integer (`<int:pk>`)."""
    head, mark, tail = reverse(name, args=[_MARK]).rpartition(str(_MARK))
    if not mark:
        raise ValueError(f"{name} does not take its integer argument in the path")
    return lambda pk: f"{head}{int(pk)}{tail}"


def link_by(name: str, kwarg: str) -> Callable[[str], str]:
    """`reverse(name, kwargs={kwarg: value})` for many rows whose URL takes one string
    (`<str:number>`): reversed once with a marker, each value quoted as reverse() quotes."""
    head, mark, tail = reverse(name, kwargs={kwarg: str(_MARK)}).rpartition(str(_MARK))
    if not mark:
        raise ValueError(f"{name} does not take {kwarg} in the path")
    # reverse() quotes the whole path with these characters left as they are.
    safe = "!$&'()*+,;=/~:@"
    return lambda value: f"{head}{quote(str(value), safe=safe)}{tail}"


def labels(choices: type[Choices]) -> dict[str, str]:
    """{value: label} in the active language: what `get_FOO_display()` gives, translated
    once per page (Django rebuilds and translates the whole choice list at every call)."""
    return {value: str(label) for value, label in choices.choices}


def choice_labels(model: type[Model], field_name: str) -> dict[Any, str]:
    """{value: label} of a model field's choices in the active language, remembered per
    language: what `instance.get_FOO_display()` gives without rebuilding and translating
    the field's whole choice list at every call. Look up with `.get(value, value)`, as
    Django falls back to the value itself."""
    return _choice_labels(model, field_name, get_language())


@lru_cache(maxsize=512)
def _choice_labels(model: type[Model], field_name: str, language: str) -> dict[Any, str]:
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def short_date(day: date | None) -> str:
    """A date as `{{ day|date:"SHORT_DATE_FORMAT" }}` writes it in the active language,
    remembered per day and language."""
    return _short_date(day, get_language()) if day else ""


def short_dates() -> Callable[[date | None], str]:
    """`short_date` for the many dates of one page: the language is looked up once."""
    language = get_language()
    return lambda day: _short_date(day, language) if day else ""


@lru_cache(maxsize=4096)
def _short_date(day: date, language: str) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def short_datetime(moment: datetime | None) -> str:
    """A moment as `{{ moment|date:"SHORT_DATETIME_FORMAT" }}` writes it in the active
    language and time zone ("12/03/2026 2:30 p.m.", "2026年12月3日 14:30")."""
    return short_datetimes()(moment)


def short_datetimes() -> Callable[[datetime | None], str]:
    """`short_datetime` for the many moments of one page: the language and the time zone
    are looked up once."""
    write = _short_datetime_writer(get_language())
    zone = timezone.get_current_timezone()

    def short(moment: datetime | None) -> str:
        if moment is None:
            return ""
        # As templates show a moment: in the current time zone, a naive one as it is.
        return write(moment.astimezone(zone) if timezone.is_aware(moment) else moment)

    return short


# Django's formatter reads the format letter by letter at every call and translates
# "a.m." each time (~70 function calls a moment, a timeline writes dozens). The letters
# the languages' SHORT_DATETIME_FORMAT use are written here from the moment's fields, the
# format split once per language; a format with any other letter is left to Django.
_FORMAT_LETTERS = re.compile(r"(?<!\\)([aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ])")
_ESCAPED = re.compile(r"\\(.)")


@lru_cache(maxsize=16)
def _short_datetime_writer(language: str) -> Callable[[datetime], str]:
    fmt = str(get_format("SHORT_DATETIME_FORMAT"))
    # Django's own words for them in this language ("midnight", "a.m."...), as it writes them.
    sample = datetime(2000, 1, 1)  # noqa: DTZ001 - only its hour is read
    midnight, noon = (dateformat.format(sample.replace(hour=h), "P") for h in (0, 12))
    am, pm = (dateformat.format(sample.replace(hour=h), "a") for h in (1, 13))

    def twelve(m: datetime) -> str:  # Django's P: "2:30 p.m.", "2 p.m.", "noon", "midnight"
        if m.minute == 0 and m.hour in (0, 12):
            return midnight if m.hour == 0 else noon
        hour = m.hour % 12 or 12
        clock = f"{hour}:{m.minute:02d}" if m.minute else str(hour)
        return f"{clock} {pm if m.hour > 11 else am}"

    letters: dict[str, Callable[[datetime], str]] = {
        "Y": lambda m: f"{m.year:04d}",
        "m": lambda m: f"{m.month:02d}",
        "n": lambda m: str(m.month),
        "d": lambda m: f"{m.day:02d}",
        "j": lambda m: str(m.day),
        "H": lambda m: f"{m.hour:02d}",
        "G": lambda m: str(m.hour),
        "i": lambda m: f"{m.minute:02d}",
        "P": twelve,
    }
    parts: list[str | Callable[[datetime], str]] = []
    for i, piece in enumerate(_FORMAT_LETTERS.split(fmt)):
        if i % 2:
            if piece not in letters:
                return lambda m: dateformat.format(m, fmt)
            parts.append(letters[piece])
        elif piece:
            parts.append(_ESCAPED.sub(r"\1", piece))
    return lambda m: "".join(p if isinstance(p, str) else p(m) for p in parts)
