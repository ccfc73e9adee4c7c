"""The reservation list's rows, written in Python.

The list holds hundreds of reservations, and the template engine spent ~200 function calls
on each row (a variable's lookup, an `{% if %}`, a comparison), more than building the
row's whole string here. The markup is the one the template wrote, line breaks included;
every value is escaped as the template escaped it.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from studio.templatetags.studio import escaped

register = template.Library()


@register.simple_tag
def reservation_rows(reservations: Iterable[dict[str, Any]], today: date) -> SafeString:
    """A `<tr>` per reservation: pickup and return dates, the dress (a link to the
    reservation) with its kind, the couple with the order's number, and the status; a dress
    picked up and not back by its return date is marked overdue. The rows are those
    `rentals.views.ReservationListView` completes (`pickup`, `back`, `url`, `dress_kind`)."""
    overdue = escaped(pgettext("a dress not back", "Overdue"))
    warning = ' class="table-warning"'
    rows = []
    for r in reservations:
        late = r["status"] == "picked_up" and r["return_on"] < today
        rows.append(
            f"\n    <tr{warning if late else ''}>"
            f"\n      <td>{escaped(r['pickup'])}</td>"
            f"\n      <td>{escaped(r['back'])}</td>"
            f'\n      <td><a href="{escaped(r["url"])}">{escaped(r["dress__code"])}</a>'
            f' <span class="small text-muted">{escaped(r["dress_kind"])}</span></td>'
            f"\n      <td>{escaped(r['couple'])}"
            f' <span class="small text-muted">{escaped(r["order__number"])}</span></td>'
            f"\n      <td>{escaped(r['status_label'])}"
            + (
                f' <span class="badge text-bg-warning" data-testid="overdue">{overdue}</span>'
                if late
                else ""
            )
            + "</td>\n    </tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above
