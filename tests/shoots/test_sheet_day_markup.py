"""The day's sheet writes its rows in Python (shoots.templatetags.sheet): what a person
typed is escaped, times are the branch's, and the words are the reader's language."""

from django.urls import reverse
from django.utils import timezone

from shoots.models import Shoot

HOSTILE = '<img src=x onerror="alert(1)">'


def test_the_days_rows_escape_what_was_typed_and_show_the_branchs_times(
    book, make_order, login, crew, customer, package, in_ten_days
):
    customer.bride_name = f"{HOSTILE}Wu"
    customer.save()
    package.name = f"{HOSTILE}Gold"
    package.save()
    crew.room.name = f"{HOSTILE}Garden"
    crew.room.save()
    crew.vehicle.name = f"{HOSTILE}Van"
    crew.vehicle.save()
    crew.photographer.display_name = f"{HOSTILE}Zhou"
    crew.photographer.save()
    shoot = book(make_order(), vehicle=crew.vehicle)
    body = (
        login(crew.dispatcher)
        .get(reverse("shoots:day"), {"date": in_ten_days.date().isoformat()})
        .content.decode()
    )
    assert HOSTILE not in body
    escaped = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    for typed in ("Wu", "Gold", "Garden", "Zhou"):
        assert escaped + typed in body
    assert f'<div class="small">{escaped}Van</div>' in body
    start = timezone.localtime(shoot.starts_at).strftime("%H:%M")
    end = timezone.localtime(shoot.ends_at).strftime("%H:%M")
    assert f'<td class="text-nowrap">{start}</td>' in body
    assert f'<td class="text-nowrap">{end}</td>' in body


def test_a_confirmed_shoot_shows_the_telephone_in_the_readers_language(
    book, order, login, crew, in_ten_days
):
    shoot = book(order)
    Shoot.objects.filter(pk=shoot.pk).update(confirmation=Shoot.Confirmation.CONFIRMED)
    client = login(crew.dispatcher)
    day = {"date": in_ten_days.date().isoformat()}
    english = client.get(reverse("shoots:day"), day, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<i class="bi bi-telephone-check" title="Confirmed"></i>' in english
    chinese = client.get(
        reverse("shoots:day"), day, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert '<i class="bi bi-telephone-check" title="已确认"></i>' in chinese


def test_a_day_without_shoots_says_so(login, crew, in_ten_days):
    body = (
        login(crew.dispatcher)
        .get(reverse("shoots:day"), {"date": in_ten_days.date().isoformat()})
        .content.decode()
    )
    assert "No shoots on this day." in body


def test_the_waiting_rows_escape_the_couple_and_book_on_the_sheets_day(
    login, crew, customer, make_order, in_ten_days
):
    customer.groom_name = f"{HOSTILE}Li"
    customer.save()
    order = make_order()
    day = in_ten_days.date().isoformat()
    client = login(crew.dispatcher)
    body = client.get(reverse("shoots:day"), {"date": day}).content.decode()
    assert HOSTILE not in body
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Li" in body
    book = reverse("shoots:book", kwargs={"number": order.number})
    assert f'href="{book}?date={day}&amp;time=09:30" data-testid="book-{order.number}"' in body
    assert ">Book the shoot</a>" in body
    chinese = client.get(
        reverse("shoots:day"), {"date": day}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert ">Book the shoot</a>" not in chinese
