"""The list pages' helpers give what the per-row way gives: reverse(), get_FOO_display(),
the `date` filter."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from rentals.models import Dress
from studio import listing
from studio.listing import labels, link_to, short_date, short_dates, short_datetime, short_datetimes


def test_a_link_is_what_reverse_gives():
    detail = link_to("rentals:detail")
    for pk in (1, 42, 9876543210, 12345678901):
        assert detail(pk) == reverse("rentals:detail", args=[pk])


def test_a_link_needs_an_integer_in_the_path():
    with pytest.raises(Exception):  # noqa: B017 - reverse() refuses, or link_to does
        link_to("rentals:dresses")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_labels_are_the_display_values_in_the_active_language(language):
    with translation.override(language):
        found = labels(Dress.Category)
        for value in Dress.Category.values:
            assert found[value] == Dress(category=value).get_category_display()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_short_date_is_what_the_date_filter_writes(language):
    template = engines["django"].from_string(
        '{% load studio %}{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d|short_date }}'
    )
    with translation.override(language):
        for day in (date(2026, 12, 1), date(2027, 2, 28)):
            by_filter, by_us = template.render({"d": day}).split("|")
            assert by_us == by_filter == short_date(day) == short_dates()(day)
    assert short_date(None) == short_dates()(None) == ""


def test_the_short_date_filter_leaves_datetimes_to_the_date_filter():
    from django.utils import timezone

    moment = timezone.now()
    template = engines["django"].from_string(
        '{% load studio %}{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d|short_date }}'
    )
    by_filter, by_us = template.render({"d": moment}).split("|")
    assert by_us == by_filter


def _moments():
    """Every hour of a day with minutes 0, 1 and 30 (midnight, noon, a.m., p.m.), days of
    one and two digits, and a moment across the date line from UTC."""
    start = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)  # midnight in Shanghai
    for hour in range(24):
        for minute in (0, 1, 30):
            yield start + timedelta(hours=hour, minutes=minute)
    yield datetime(2027, 10, 9, 23, 59, tzinfo=UTC)
    yield datetime(2026, 1, 5, 4, 5, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Asia/Urumqi", "America/New_York"])
def test_a_short_datetime_is_what_the_date_filter_writes(language, zone):
    template = engines["django"].from_string(
        '{% load studio %}{{ m|date:"SHORT_DATETIME_FORMAT" }}|{{ m|short_datetime }}'
    )
    with translation.override(language), timezone.override(zone):
        many = short_datetimes()
        for moment in _moments():
            theirs, ours = template.render({"m": moment}).split("|")
            assert ours == theirs
            assert short_datetime(moment) == theirs
            assert many(moment) == theirs
        assert short_datetime(None) == many(None) == ""


def test_a_naive_moment_is_written_as_it_is():
    template = engines["django"].from_string('{{ m|date:"SHORT_DATETIME_FORMAT" }}')
    naive = datetime(2026, 12, 3, 12, 0)  # noqa: DTZ001 - naive on purpose
    with translation.override("en"):
        assert short_datetime(naive) == template.render({"m": naive}) == "12/03/2026 noon"


def test_a_format_with_other_letters_is_left_to_django(monkeypatch):
    """A language whose format uses a letter the writer does not know (the weekday, D;
    the month's name, M) gets Django's own formatting, not a wrong or missing part; an
    escaped letter stays a letter."""
    fmt = r"D, j M Y \a\t H:i"
    monkeypatch.setattr(listing, "get_format", lambda name: fmt)
    listing._short_datetime_writer.cache_clear()
    moment = datetime(2026, 12, 3, 6, 30, tzinfo=UTC)
    try:
        with translation.override("en"), timezone.override("Asia/Shanghai"):
            written = short_datetime(moment)
    finally:
        listing._short_datetime_writer.cache_clear()
    assert written == "Thu, 3 Dec 2026 at 14:30"


def test_escaped_letters_are_written_as_letters(monkeypatch):
    monkeypatch.setattr(listing, "get_format", lambda name: r"Y-m-d \H\i H:i")
    listing._short_datetime_writer.cache_clear()
    try:
        with translation.override("en"), timezone.override("Asia/Shanghai"):
            written = short_datetime(datetime(2026, 12, 3, 6, 30, tzinfo=UTC))
    finally:
        listing._short_datetime_writer.cache_clear()
    assert written == "2026-12-03 Hi 14:30"
