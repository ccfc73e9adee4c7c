"""The reservation list's rows and the dress list's, written in Python.

Each list holds hundreds of rows, and the template engine spent ~200 function calls on
each row (a variable's lookup, an `{% if %}`, a comparison), more than building the
row's whole string here. The markup is the one the template wrote, line breaks included;
every value is escaped as the template escaped it.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from studio.templatetags.studio import escaped, money

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


@register.simple_tag
def dress_rows(dresses: Iterable[dict[str, Any]], sees_money: bool, free: str) -> SafeString:
    """A `<tr>` per dress: code and name, category, size, colour, condition, the rental
    price and deposit for those who see money, and its coming reservations (a link each,
    with the dates and the cleaning after), or `free`. The rows are those
    `rentals.views.DressListView` completes (`url`, `dates`, `cleaning` per reservation)."""
    rows = []
    for d in dresses:
        name = f'<div class="small text-muted">{escaped(d["name"])}</div>' if d["name"] else ""
        prices = (
            f'<td class="text-end money">{escaped(money(d["rental_price"]))}</td>'
            f'<td class="text-end money">{escaped(money(d["deposit"]))}</td>'
            if sees_money
            else ""
        )
        upcoming = (
            "".join(
                f'<div><a href="{escaped(r["url"])}">{escaped(r["dates"])}</a>'
                f' <span class="text-muted">{escaped(r["cleaning"])}</span></div>'
                for r in d["upcoming"]
            )
            or f'<span class="text-success">{escaped(free)}</span>'
        )
        rows.append(
            f"\n    <tr>\n      <td><strong>{escaped(d['code'])}</strong>{name}</td>"
            f"\n      <td>{escaped(d['category_label'])}</td>"
            f"\n      <td>{escaped(d['size'])}</td>"
            f"\n      <td>{escaped(d['colour'])}</td>"
            f"\n      <td>{escaped(d['condition_label'])}</td>"
            f"\n      {prices}"
            f'\n      <td class="small">{upcoming}</td>\n    </tr>\n  '
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above
