"""Helpers for list pages of hundreds of rows: the work that is the same for every row is
done once per page (a reverse(), a translation, a date's format), not once per row."""

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from django.db.models import Choices, Model
from django.urls import reverse
from django.utils.formats import date_format
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
