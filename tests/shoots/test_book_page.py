"""Booking from the form: only free people are offered; clashes and short notice explain."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog

from orders.models import Order, State
from shoots import services
from shoots.models import Shoot
from tests.races import run_together


def _params(when, crew, **extra):
    data = {
        "date": when.date().isoformat(),
        "time": when.strftime("%H:%M"),
        "photographer": crew.photographer.pk,
        "assistant": crew.assistant.pk,
        "makeup_artist": crew.makeup_artist.pk,
        "dress_stylist": crew.dress_stylist.pk,
        "room": crew.room.pk,
        "white_gowns": 1,
        "evening_dresses": 1,
        "specialty": 0,
    }
    data.update(extra)
    return data


def test_it_offers_only_free_people(book, make_order, login, receptionist, crew, in_ten_days):
    book(make_order())
    order = make_order()
    response = login(receptionist).get(
        reverse("shoots:book", args=[order.number]),
        {"date": in_ten_days.date().isoformat(), "time": "10:00"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert crew.photographer not in form.fields["photographer"].queryset
    assert crew.room not in form.fields["room"].queryset
    assert crew.driver in form.fields["driver"].queryset


def test_it_books_and_schedules(order, login, receptionist, crew, in_ten_days):
    response = login(receptionist).post(
        reverse("shoots:book", args=[order.number]), _params(in_ten_days, crew)
    )
    shoot = Shoot.objects.get()
    assert response.status_code == 302
    # The receptionist may not open the dispatcher's shoot page: the day's sheet shows it.
    assert response.url == f"{reverse('shoots:day')}?date={in_ten_days.date().isoformat()}"
    assert shoot.starts_at == in_ten_days
    order.refresh_from_db()
    assert order.state == State.SCHEDULED


def test_short_notice_asks_for_confirmation(order, login, receptionist, crew):
    from django.utils import timezone

    soon = timezone.localtime() + timedelta(days=3)
    client = login(receptionist)
    response = client.post(reverse("shoots:book", args=[order.number]), _params(soon, crew))
    assert response.status_code == 400
    assert "less than 7 days ahead" in response.content.decode()
    response = client.post(
        reverse("shoots:book", args=[order.number]),
        _params(soon, crew, short_notice_confirmed="on"),
    )
    assert response.status_code == 302


def test_a_clash_is_explained(book, make_order, login, receptionist, crew, in_ten_days):
    first = book(make_order())
    order = make_order()
    # The photographer was free when the form loaded; someone booked them since.
    response = login(receptionist).post(
        reverse("shoots:book", args=[order.number]),
        _params(in_ten_days + timedelta(hours=1), crew, room=""),
    )
    assert response.status_code == 400
    assert first.order.number not in [] and Shoot.objects.count() == 1


def test_another_branchs_order_is_not_found(order, login, make_staff, other_branch):
    from studio import roles

    elsewhere = make_staff(roles.RECEPTIONIST, branch=other_branch)
    response = login(elsewhere).get(reverse("shoots:book", args=[order.number]))
    assert response.status_code == 404


def test_field_staff_may_not_book(order, login, photographer):
    response = login(photographer).get(reverse("shoots:book", args=[order.number]))
    assert response.status_code == 403


def test_someone_booked_since_the_page_opened_is_named_at_the_field(
    book, make_order, login, receptionist, crew, in_ten_days
):
    book(make_order())
    order = make_order()
    response = login(receptionist).post(
        reverse("shoots:book", args=[order.number]),
        _params(in_ten_days + timedelta(hours=1), crew),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "Booked for another shoot at this time" in form.errors["photographer"][0]
    assert "Booked for another shoot at this time" in form.errors["room"][0]
    assert Shoot.objects.count() == 1


def test_the_form_carries_a_key_of_its_own(order, login, receptionist, in_ten_days):
    url = reverse("shoots:book", args=[order.number])
    params = {"date": in_ten_days.date().isoformat(), "time": "10:00"}
    first = login(receptionist).get(url, params).content.decode()
    second = login(receptionist).get(url, params).content.decode()
    key = re.search(r'name="request_key" value="([0-9a-f]{32})"', first)
    assert key and key.group(1) not in second


def test_the_same_form_sent_twice_books_once(order, login, receptionist, crew, in_ten_days):
    """A second press of "Book" (or the browser sending the form again) is not a move."""
    client = login(receptionist)
    url = reverse("shoots:book", args=[order.number])
    data = _params(in_ten_days, crew, request_key="a" * 32)
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url == f"{reverse('shoots:day')}?date={in_ten_days.date().isoformat()}"
    assert Shoot.objects.count() == 1
    assert Shoot.objects.get().status == Shoot.Status.PLANNED
    order.refresh_from_db()
    assert order.state == State.SCHEDULED
    assert StateLog.objects.for_(order).filter(transition="reschedule").count() == 0
    # Another form (a new key) for the same order is a move, as before.
    later = in_ten_days + timedelta(days=1)
    assert client.post(url, _params(later, crew, request_key="b" * 32)).status_code == 302
    assert Shoot.objects.filter(status=Shoot.Status.MOVED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_books_once(order, crew, in_ten_days):
    def book():
        return services.book_shoot(
            order=Order.objects.get(pk=order.pk),
            starts_at=in_ten_days,
            by=crew.dispatcher,
            photographer=crew.photographer,
            room=crew.room,
            request_key="c" * 32,
        )

    results = run_together(book, book)
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert results[0][1].pk == results[1][1].pk
    assert Shoot.objects.count() == 1
    assert Order.objects.get(pk=order.pk).state == State.SCHEDULED
