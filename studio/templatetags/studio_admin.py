"""The admin's date drill-down at chain scale (`admin/change_list.html` uses it for every
admin with a `date_hierarchy`)."""

import datetime

from django import template
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def date_drilldown(cl):
    """Django's date hierarchy, offering the years (months, days) from the list's first date
    to its last: one MIN/MAX, which an index on the field answers from its two ends, where
    Django reads every row of the list for the distinct years (at 1.9 million messages,
    most of a second). A month or day in between without records may be offered."""
    field_name = cl.date_hierarchy
    field = get_fields_from_path(cl.model, field_name)[-1]
    year, month, day = (cl.params.get(f"{field_name}__{part}") for part in ("year", "month", "day"))

    def link(filters):
        return cl.get_query_string(filters, [f"{field_name}__"])

    if year and month and day:
        chosen = datetime.date(int(year), int(month), int(day))
        return {
            "show": True,
            "back": {
                "link": link({f"{field_name}__year": year, f"{field_name}__month": month}),
                "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT")),
            },
            "choices": [{"title": capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))}],
        }
    first, last = _first_and_last(cl.queryset, field_name, field)
    if first is None:
        return {"show": True, "back": None, "choices": []}
    if not year and first.year == last.year:
        year = first.year
        if first.month == last.month:
            month = first.month
    if year and month:
        days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
        return {
            "show": True,
            "back": {"link": link({f"{field_name}__year": year}), "title": str(year)},
            "choices": [
                {
                    "link": link(
                        {
                            f"{field_name}__year": year,
                            f"{field_name}__month": month,
                            f"{field_name}__day": d.day,
                        }
                    ),
                    "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT")),
                }
                for d in days
            ],
        }
    if year:
        months = [datetime.date(first.year, m, 1) for m in range(first.month, last.month + 1)]
        return {
            "show": True,
            "back": {"link": link({}), "title": _("All dates")},
            "choices": [
                {
                    "link": link({f"{field_name}__year": year, f"{field_name}__month": m.month}),
                    "title": capfirst(formats.date_format(m, "YEAR_MONTH_FORMAT")),
                }
                for m in months
            ],
        }
    return {
        "show": True,
        "back": None,
        "choices": [
            {"link": link({f"{field_name}__year": str(y)}), "title": str(y)}
            for y in range(first.year, last.year + 1)
        ],
    }


def _first_and_last(queryset, field_name, field):
    """The list's first and last dates (local dates for a date and time)."""
    found = queryset.order_by().aggregate(first=models.Min(field_name), last=models.Max(field_name))
    first, last = found["first"], found["last"]
    if first is None or last is None:
        return None, None
    if isinstance(field, models.DateTimeField):
        first, last = (
            (timezone.localtime(v) if timezone.is_aware(v) else v).date() for v in (first, last)
        )
    return first, last
