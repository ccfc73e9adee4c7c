"""Field staff see their queue and the couple's notes for the shoot, nothing of the
customer file or the call lists (issue 8): checked on every page a field role may open."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from studio import roles
from tests.studio.test_access import VIEWS

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)|1[3-9]\d\*{4}\d{4}|\d{3}\*{4}\d{4}")
FIELD = sorted(roles.FIELD)


@pytest.fixture
def field_day(mid_morning, book, make_order, customer, crew):
    """Today a couple with notes, tomorrow another couple on the call list (at 10 in the
    morning: half an hour later is still today, whenever the tests run)."""
    customer.bride_phone, customer.groom_phone = "13912345678", "13887654321"
    customer.save()
    now = timezone.localtime()
    today = book(
        make_order(notes="Allergic to latex", style_wishes="Soft natural light"),
        starts_at=now + timedelta(minutes=30),
        short_notice_confirmed=True,
        driver=crew.driver,
    )
    tomorrow = (now + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    book(make_order(), starts_at=tomorrow, short_notice_confirmed=True, room=None)
    return today


@pytest.mark.parametrize("role", FIELD)
def test_field_staff_may_not_open_the_customer_file(role, make_staff, customer, login):
    response = login(make_staff(role)).get(reverse("overview:customer", args=[customer.pk]))
    assert response.status_code == 403


def _seat(crew, role):
    return {
        roles.PHOTOGRAPHER: crew.photographer,
        roles.ASSISTANT: crew.assistant,
        roles.MAKEUP_ARTIST: crew.makeup_artist,
        roles.DRESS_STYLIST: crew.dress_stylist,
        roles.DRIVER: crew.driver,
    }[role]


@pytest.mark.parametrize("role", FIELD)
def test_field_staffs_today_is_their_shoots_and_the_couples_notes(
    role, field_day, crew, login, customer
):
    html = login(_seat(crew, role)).get(reverse("home")).content.decode()
    assert 'data-testid="my-shoots"' in html
    assert escape(customer) in html
    assert "Allergic to latex" in html
    assert "Soft natural light" in html
    assert 'data-testid="tomorrow"' not in html
    assert 'data-testid="arrivals"' not in html
    assert 'data-testid="my-tasks"' not in html
    assert "Tomorrow: confirm by phone" not in html


@pytest.mark.parametrize("role", FIELD)
def test_no_page_a_field_role_opens_shows_the_customer_file_or_phones(
    role, field_day, crew, login, customer
):
    client = login(_seat(crew, role))
    opened = 0
    for name, view in VIEWS:
        if role not in set(view.view_class.roles if hasattr(view, "view_class") else ()):
            continue
        response = client.get(reverse(name))
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        opened += 1
        html = response.content.decode()
        assert "/studio/customers/" not in html, name
        assert not PHONE.search(html), (name, PHONE.search(html))
        for phone in customer.phones:
            assert phone[-4:] + "<" not in html, name
    assert opened >= 3


def test_the_office_still_opens_the_customer_file(make_staff, customer, login):
    for role in sorted(roles.OFFICE):
        response = login(make_staff(role)).get(reverse("overview:customer", args=[customer.pk]))
        assert response.status_code == 200, role
