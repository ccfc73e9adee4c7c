"""The list pages' helpers give what the per-row way gives: reverse(), get_FOO_display(),
the `date` filter."""

from datetime import date

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from rentals.models import Dress
from studio.listing import labels, link_to, short_date, short_dates


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
