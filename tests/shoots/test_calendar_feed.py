"""Each staff member's private calendar feed."""

from django.urls import reverse
from icalendar import Calendar

from shoots.models import CalendarFeed


def test_the_feed_parses_as_icalendar_with_my_shoots(book, order, crew, client, login):
    shoot = book(order)
    login(crew.photographer).get(reverse("shoots:calendar"))
    feed = CalendarFeed.objects.get(staff=crew.photographer)
    client.logout()
    response = client.get(reverse("shoots:feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    assert events[0]["uid"] == f"shoot-{shoot.pk}@studio"
    assert events[0].decoded("dtstart") == shoot.starts_at
    assert str(order.customer) in str(events[0]["summary"])
    assert order.customer.bride_phone not in response.content.decode()


def test_the_feed_holds_only_my_shoots(book, order, crew, client):
    book(order)
    feed = CalendarFeed.objects.create(staff=crew.driver)
    cal = Calendar.from_ical(client.get(reverse("shoots:feed", args=[feed.token])).content)
    assert list(cal.walk("VEVENT")) == []


def test_a_wrong_token_is_not_found(client, db):
    assert client.get(reverse("shoots:feed", args=["nope"])).status_code == 404


def test_a_new_address_retires_the_old(crew, login):
    client = login(crew.photographer)
    client.get(reverse("shoots:calendar"))
    old = CalendarFeed.objects.get(staff=crew.photographer).token
    assert client.post(reverse("shoots:calendar")).status_code == 302
    client.logout()
    assert client.get(reverse("shoots:feed", args=[old])).status_code == 404
