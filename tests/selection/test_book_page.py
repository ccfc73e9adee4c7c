"""The selection booking page, and the form on the shoot page after the finish."""

from datetime import timedelta

from django.urls import reverse
from django.utils.html import escape

from selection.models import SelectionSession
from shoots import services as shoot_services
from studio import roles


def _post(day, consultant, **extra):
    return {
        "date": day.date().isoformat(),
        "time": day.strftime("%H:%M"),
        "consultant": consultant.pk,
        **extra,
    }


def test_the_receptionist_books_the_selection(
    shot_order, consultant, receptionist, login, the_day_after_tomorrow
):
    client = login(receptionist)
    url = reverse("selection:book", args=[shot_order.number])
    page = client.get(url)
    assert page.status_code == 200
    assert "Feng Xue" in page.content.decode()
    response = client.post(url, _post(the_day_after_tomorrow, consultant))
    assert response.status_code == 302
    assert response.url.startswith(reverse("selection:sheet"))
    session = SelectionSession.objects.get()
    assert session.appointment_at == the_day_after_tomorrow
    assert session.consultant == consultant


def test_a_missing_consultant_is_explained_at_the_field(
    shot_order, receptionist, login, the_day_after_tomorrow
):
    response = login(receptionist).post(
        reverse("selection:book", args=[shot_order.number]),
        {"date": the_day_after_tomorrow.date().isoformat(), "time": "14:00"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["consultant"]
    assert not SelectionSession.objects.exists()


def test_a_past_time_is_explained_at_the_field(
    shot_order, consultant, receptionist, login, the_day_after_tomorrow
):
    response = login(receptionist).post(
        reverse("selection:book", args=[shot_order.number]),
        _post(the_day_after_tomorrow - timedelta(days=5), consultant),
    )
    assert response.status_code == 400
    # A past day is refused by the form's booking window; a past hour today by the service.
    assert response.context["form"].errors["date"] == [
        "That date is in the past: choose today or later."
    ]
    assert not SelectionSession.objects.exists()


def test_a_busy_consultant_is_named_at_the_field(
    book_selection, make_shot_order, consultant, receptionist, login, the_day_after_tomorrow
):
    first = make_shot_order()
    book_selection(first)
    second = make_shot_order()
    response = login(receptionist).post(
        reverse("selection:book", args=[second.number]),
        _post(the_day_after_tomorrow + timedelta(minutes=30), consultant),
    )
    assert response.status_code == 400
    error = response.context["form"].errors["consultant"][0]
    assert "Feng Xue already has a selection" in error
    assert first.number in error
    assert escape(error) in response.content.decode()
    assert not SelectionSession.objects.filter(order=second).exists()


def test_the_booking_page_refuses_put(shot_order, receptionist, login):
    response = login(receptionist).put(reverse("selection:book", args=[shot_order.number]))
    assert response.status_code == 405


def test_a_photographer_may_not_book_a_selection(shot_order, photographer, login):
    response = login(photographer).get(reverse("selection:book", args=[shot_order.number]))
    assert response.status_code == 403


def test_another_branchs_order_is_not_found(shot_order, make_staff, other_branch, login):
    elsewhere = make_staff(roles.RECEPTIONIST, branch=other_branch)
    response = login(elsewhere).get(reverse("selection:book", args=[shot_order.number]))
    assert response.status_code == 404


def test_an_order_not_shot_has_no_booking_page(order, receptionist, login):
    response = login(receptionist).get(reverse("selection:book", args=[order.number]))
    assert response.status_code == 404


def test_after_the_finish_the_shoot_page_books_the_selection(
    shoot_today, crew, consultant, login, the_day_after_tomorrow
):
    shoot_services.check_in(shoot=shoot_today, by=crew.dispatcher)
    shoot_services.finish_shoot(shoot=shoot_today, by=crew.dispatcher, key_returned=True)
    client = login(crew.dispatcher)
    detail = reverse("shoots:detail", args=[shoot_today.pk])
    body = client.get(detail).content.decode()
    assert 'data-testid="selection-form"' in body
    response = client.post(
        reverse("selection:book", args=[shoot_today.order.number]),
        _post(the_day_after_tomorrow, consultant, next=detail),
    )
    assert response.status_code == 302
    assert response.url == detail
    body = client.get(detail).content.decode()
    assert "Booked for" in body and "Feng Xue" in body
    assert 'data-testid="selection-form"' not in body


def test_the_shoot_page_offers_no_selection_before_the_finish(shoot_today, crew, login):
    body = login(crew.dispatcher).get(reverse("shoots:detail", args=[shoot_today.pk]))
    assert 'data-testid="selection-card"' not in body.content.decode()


def test_a_double_submit_books_once(
    shot_order, consultant, receptionist, login, the_day_after_tomorrow
):
    client = login(receptionist)
    url = reverse("selection:book", args=[shot_order.number])
    key = client.get(url).context["form"]["request_key"].value()
    assert key
    first = client.post(url, _post(the_day_after_tomorrow, consultant, request_key=key))
    later = the_day_after_tomorrow + timedelta(hours=3)
    again = client.post(url, _post(later, consultant, request_key=key))
    assert first.status_code == again.status_code == 302
    session = SelectionSession.objects.get()
    assert session.appointment_at == the_day_after_tomorrow
    assert session.request_key == key
    moved = client.post(url, _post(later, consultant, request_key="another-form"))
    assert moved.status_code == 302
    assert SelectionSession.objects.get().appointment_at == later
