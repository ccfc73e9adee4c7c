"""The day sheets (?date=...): a date that cannot be read or lies out of range shows the
default day with a message saying so, never an error page and never silently."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from studio import roles

SHEETS = [
    ("shoots:day", roles.DISPATCHER, 0),
    ("shoots:week", roles.DISPATCHER, 0),
    ("shoots:tomorrow", roles.DISPATCHER, 1),
    ("selection:sheet", roles.SELECTION_CONSULTANT, 0),
    ("pickup:sheet", roles.PICKUP_CLERK, 0),
]
IDS = [name for name, _role, _days in SHEETS]


@pytest.mark.parametrize(("name", "role", "days"), SHEETS, ids=IDS)
@pytest.mark.parametrize("value", ["9999-12-31", "1800-01-01", "2026-13-45", "<b>x</b>"])
def test_a_date_it_cannot_show_gives_the_default_day_and_says_so(
    name, role, days, value, make_staff, login, branch
):
    response = login(make_staff(role)).get(reverse(name), {"date": value})
    assert response.status_code == 200
    body = response.content.decode()
    assert "is not a date this page can show" in body
    assert "<b>x</b>" not in body  # the value is shown escaped
    day = branch.today() + timedelta(days=days)
    assert date_format(day, "DATE_FORMAT") in body


@pytest.mark.parametrize(("name", "role", "days"), SHEETS, ids=IDS)
def test_a_good_date_is_shown_without_a_word(name, role, days, make_staff, login, branch):
    response = login(make_staff(role)).get(reverse(name), {"date": "2026-06-01"})
    assert response.status_code == 200
    assert "is not a date this page can show" not in response.content.decode()
