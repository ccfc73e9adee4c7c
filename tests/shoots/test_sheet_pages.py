"""The control sheet's day and week pages."""

from datetime import timedelta

from django.urls import reverse
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
    book, make_order, login, receptionist, in_ten_days, django_assert_max_num_queries
):
    client = login(receptionist)
    params = {"date": in_ten_days.date().isoformat()}
    book(make_order())
    counts = {}
    for page in ("shoots:day", "shoots:week"):
        client.get(reverse(page), params)
        with django_assert_max_num_queries(14) as one:
            client.get(reverse(page), params)
        counts[page] = len(one.captured_queries)
    for hours in (4, 8, 12):
        book(make_order(), starts_at=in_ten_days + timedelta(hours=hours))
    for page, count in counts.items():
        with django_assert_max_num_queries(count):
            client.get(reverse(page), params)
