"""The control sheet's day and week pages."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape


def test_the_day_page_lists_the_shoots_of_the_day(book, order, login, receptionist, in_ten_days):
    shoot = book(order)
    response = login(receptionist).get(
        reverse("shoots:day"), {"date": in_ten_days.date().isoformat()}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert escape(order.customer) in body
    assert shoot.photographer.display_name in body
    assert "Garden room" in body
    assert "1 of 8 shoots booked" in body


def test_the_day_page_filters_by_staff_member(
    book, make_order, login, receptionist, crew, make_staff, in_ten_days
):
    from studio import roles

    other = make_staff(roles.PHOTOGRAPHER, display_name="Other Photographer")
    first = book(make_order())
    second = book(
        make_order(),
        photographer=other,
        assistant=None,
        makeup_artist=None,
        dress_stylist=None,
        room=None,
    )
    response = login(receptionist).get(
        reverse("shoots:day"), {"date": in_ten_days.date().isoformat(), "staff": other.pk}
    )
    body = response.content.decode()
    assert second.order.number in body
    assert first.order.number not in body


def test_the_week_page_shows_each_day_with_capacity(book, order, login, receptionist, in_ten_days):
    book(order)
    response = login(receptionist).get(
        reverse("shoots:week"), {"date": in_ten_days.date().isoformat()}
    )
    assert response.status_code == 200
    assert escape(order.customer) in response.content.decode()
    assert "1/8" in response.content.decode()


def _week_columns(body):
    """The week page's seven day cards, as {"YYYY-MM-DD": the card's HTML}."""
    cards = body.split('<div class="col"><div class="card')[1:]
    return {re.search(r"\?date=(\d{4}-\d{2}-\d{2})", card).group(1): card for card in cards}


def test_the_week_page_writes_each_shoot_on_its_day(
    book, make_order, login, receptionist, crew, make_staff, branch, in_ten_days
):
    from shoots import services
    from studio import roles
    from tests.factories import CustomerFactory

    # Two days of one week, ten days ahead or nine (no shoot is booked at short notice).
    first = in_ten_days if in_ten_days.weekday() < 6 else in_ten_days - timedelta(days=1)
    second = first + timedelta(days=1)
    early_couple = CustomerFactory(branch=branch, bride_name="Amy <b>", groom_name="Tom & Co")
    # 07:00 in Shanghai is 23:00 of the day before in UTC: the shoot is on the branch's day.
    early = book(make_order(customer=early_couple), starts_at=first.replace(hour=7))
    other = make_staff(roles.PHOTOGRAPHER, display_name="Other Photographer")
    alone = book(
        make_order(),
        starts_at=second,
        photographer=other,
        assistant=None,
        makeup_artist=None,
        dress_stylist=None,
        room=None,
    )
    gone = book(make_order(), starts_at=second + timedelta(hours=5))
    services.cancel_shoot(shoot=gone, by=crew.dispatcher)
    day, next_day = first.date(), second.date()

    body = login(receptionist).get(reverse("shoots:week"), {"date": day.isoformat()}).text
    columns = _week_columns(body)
    monday = day - timedelta(days=day.weekday())
    assert list(columns) == [(monday + timedelta(days=i)).isoformat() for i in range(7)]
    detail = reverse("shoots:detail", args=[early.pk])
    end = timezone.localtime(early.ends_at).strftime("%H:%M")
    assert (
        f'<li class="list-group-item small"><strong>07:00–{end}</strong> '
        f'<a href="{detail}">Amy &lt;b&gt; &amp; Tom &amp; Co</a>\n'
        f'        <div class="text-muted">Garden room · {crew.photographer.display_name}</div></li>'
    ) in columns[day.isoformat()]
    # No room: nothing before the photographer; the cancelled shoot is not on the sheet.
    card = columns[next_day.isoformat()]
    assert f'<a href="{reverse("shoots:detail", args=[alone.pk])}">' in card
    assert '<div class="text-muted"> · Other Photographer</div>' in card
    assert card.count("<strong>") == 1 and "Free" not in card
    assert reverse("shoots:detail", args=[gone.pk]) not in body
    for d, card in columns.items():
        if d not in (day.isoformat(), next_day.isoformat()):
            assert 'text-muted">Free</li>' in card and "<strong>" not in card, d

    # One person's week: the shoots they are booked on, and they are chosen in the filter.
    params = {"date": next_day.isoformat(), "staff": other.pk}
    body = login(receptionist).get(reverse("shoots:week"), params).text
    assert reverse("shoots:detail", args=[alone.pk]) in body
    assert reverse("shoots:detail", args=[early.pk]) not in body
    assert f'<option value="{other.pk}" selected>Other Photographer</option>' in body
    assert f'<option value="{crew.photographer.pk}">' in body


def test_another_branchs_shoots_are_not_on_my_sheet(
    book, order, login, make_staff, other_branch, in_ten_days
):
    from studio import roles

    book(order)
    elsewhere = make_staff(roles.RECEPTIONIST, branch=other_branch)
    response = login(elsewhere).get(reverse("shoots:day"), {"date": in_ten_days.date().isoformat()})
    assert escape(order.customer) not in response.content.decode()


def test_field_staff_may_not_open_the_sheet(login, photographer):
    assert login(photographer).get(reverse("shoots:day")).status_code == 403


def test_a_bad_date_shows_today(login, receptionist):
    assert login(receptionist).get(reverse("shoots:day"), {"date": "nope"}).status_code == 200


def test_the_sheet_query_count_does_not_grow(
    book, make_order, login, receptionist, crew, in_ten_days, django_assert_max_num_queries
):
    client = login(receptionist)
    params = {"date": in_ten_days.date().isoformat()}
    book(make_order())
    counts = {}
    pages = [
        (page, staff)
        for page in ("shoots:day", "shoots:week")
        for staff in (None, crew.photographer.pk)  # everyone's, one person's
    ]
    for page, staff in pages:
        asked = {**params, "staff": staff} if staff else params
        client.get(reverse(page), asked)
        with django_assert_max_num_queries(14) as one:
            client.get(reverse(page), asked)
        counts[page, staff] = len(one.captured_queries)
    # The week's: the sign-in's two, its shoots and the filter's staff (and the one chosen).
    assert counts["shoots:week", None] <= 4 and counts["shoots:week", crew.photographer.pk] <= 5
    for hours in (4, 8, 12, 28, 52, 76):
        book(make_order(), starts_at=in_ten_days + timedelta(hours=hours))
    for (page, staff), count in counts.items():
        asked = {**params, "staff": staff} if staff else params
        with django_assert_max_num_queries(count):
            client.get(reverse(page), asked)
