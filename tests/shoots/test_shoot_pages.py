"""The dispatcher's shoot page, its one-tap actions, the board and tomorrow."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from orders.models import State
from shoots.models import HandOff, Shoot, ShootVisit
from studio import roles


def test_the_dispatcher_checks_a_couple_in(shoot_today, crew, login):
    client = login(crew.dispatcher)
    assert client.get(reverse("shoots:detail", args=[shoot_today.pk])).status_code == 200
    response = client.post(
        reverse("shoots:check_in", args=[shoot_today.pk]),
        {"locker_key": "A7", "deposit_method": "cash", "balance_method": ""},
    )
    assert response.status_code == 302
    shoot_today.refresh_from_db()
    assert shoot_today.status == Shoot.Status.CHECKED_IN
    assert shoot_today.order.state == State.SHOOTING


def test_a_blocked_check_in_says_why(book, order, crew, login):
    shoot = book(order)
    client = login(crew.dispatcher)
    response = client.post(
        reverse("shoots:check_in", args=[shoot.pk]),
        {"deposit_method": "cash"},
        follow=True,
    )
    assert "only possible on the day of the shoot" in response.content.decode()


def test_check_in_refuses_get(shoot_today, crew, login):
    response = login(crew.dispatcher).get(reverse("shoots:check_in", args=[shoot_today.pk]))
    assert response.status_code == 405


def test_another_branchs_shoot_is_not_found(shoot_today, login, make_staff, other_branch):
    elsewhere = make_staff(roles.DISPATCHER, branch=other_branch)
    client = login(elsewhere)
    assert client.get(reverse("shoots:detail", args=[shoot_today.pk])).status_code == 404
    response = client.post(reverse("shoots:check_in", args=[shoot_today.pk]), {})
    assert response.status_code == 404


def test_a_receptionist_may_not_check_in(shoot_today, login, receptionist):
    response = login(receptionist).post(reverse("shoots:check_in", args=[shoot_today.pk]), {})
    assert response.status_code == 403


def test_a_photographer_hands_off_from_the_tablet(shoot_today, crew, login):
    from shoots import services

    services.check_in(shoot=shoot_today, by=crew.dispatcher)
    line = shoot_today.plan.get(position=0)
    response = login(crew.dress_stylist).post(
        reverse("shoots:hand_off", args=[shoot_today.pk]),
        {"plan_line": line.pk, "to_staff": crew.dress_stylist.pk, "next": reverse("shoots:tablet")},
    )
    assert response.status_code == 302
    assert response.url == reverse("shoots:tablet")
    assert HandOff.objects.get().to_staff == crew.dress_stylist


def test_field_staff_not_on_the_shoot_cannot_hand_off(shoot_today, crew, login, make_staff):
    from shoots import services

    services.check_in(shoot=shoot_today, by=crew.dispatcher)
    other = make_staff(roles.MAKEUP_ARTIST)
    response = login(other).post(
        reverse("shoots:hand_off", args=[shoot_today.pk]), {"step": "makeup"}
    )
    assert response.status_code == 404
    assert not HandOff.objects.exists()


def test_a_hand_off_to_someone_not_on_the_shoot_is_explained(shoot_today, crew, login, make_staff):
    from shoots import services

    services.check_in(shoot=shoot_today, by=crew.dispatcher)
    other = make_staff(roles.MAKEUP_ARTIST)
    response = login(crew.dispatcher).post(
        reverse("shoots:hand_off", args=[shoot_today.pk]),
        {"step": "makeup", "to_staff": other.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert not HandOff.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_the_owner_records_a_visit(shoot_today, crew, login, receptionist):
    from shoots import services

    services.check_in(shoot=shoot_today, by=crew.dispatcher)
    response = login(receptionist).post(
        reverse("shoots:visit", args=[shoot_today.pk]), {"note": "Brought flowers"}
    )
    assert response.status_code == 302
    assert ShootVisit.objects.get().visitor == receptionist


def test_the_board_shows_who_is_where(shoot_today, crew, login):
    from shoots import services

    services.check_in(shoot=shoot_today, by=crew.dispatcher)
    services.hand_off(
        shoot=shoot_today, step="makeup", to_staff=crew.makeup_artist, by=crew.dispatcher
    )
    response = login(crew.dispatcher).get(reverse("shoots:board"))
    body = response.content.decode()
    assert response.status_code == 200
    assert crew.makeup_artist.display_name in body
    assert escape(shoot_today.order.customer) in body


def test_tomorrow_lists_the_shoots_to_prepare(book, order, crew, login):
    tomorrow = timezone.localtime() + timedelta(days=1)
    book(order, starts_at=tomorrow.replace(hour=10, minute=0), short_notice_confirmed=True)
    response = login(crew.dispatcher).get(reverse("shoots:tomorrow"))
    body = response.content.decode()
    assert escape(order.customer) in body
    assert "Garden room" in body
    assert "White gown" in body


def test_no_show_from_the_page(book, order, crew, login):
    shoot = book(
        order, starts_at=timezone.now() + timedelta(minutes=1), short_notice_confirmed=True
    )
    Shoot.objects.filter(pk=shoot.pk).update(starts_at=timezone.now() - timedelta(minutes=30))
    response = login(crew.dispatcher).post(reverse("shoots:no_show", args=[shoot.pk]))
    assert response.status_code == 302
    shoot.refresh_from_db()
    assert shoot.status == Shoot.Status.NO_SHOW


def test_the_shoot_page_shows_the_day_in_progress(book, order, crew, login):
    from orders import services as order_services
    from shoots import services

    order_services.take_payment(
        order=order, kind="balance", method="cash", amount=order.balance_due, staff=crew.dispatcher
    )
    shoot = book(
        order,
        starts_at=timezone.now() + timedelta(minutes=5),
        short_notice_confirmed=True,
        room=crew.outdoor,
        vehicle=crew.vehicle,
        driver=crew.driver,
    )
    services.check_in(shoot=shoot, by=crew.dispatcher, locker_key="C9")
    services.depart_outdoor(shoot=shoot, by=crew.dispatcher)
    client = login(crew.dispatcher)
    response = client.get(reverse("shoots:detail", args=[shoot.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Back from outdoors" in body
    assert "Locker key C9" in body
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("shoots:detail", args=[shoot.pk])).content.decode()
    assert "外景返回" in body


def test_field_staff_see_my_queue_in_the_menu(login, crew):
    body = login(crew.makeup_artist).get(reverse("shoots:tablet")).content.decode()
    assert "My queue" in body
    assert "Control sheet" not in body


def test_a_late_start_moves_the_planned_finish_on_the_page(book, order, crew, login):
    from shoots import services

    shoot = book(order)
    services.record_late_start(shoot=shoot, minutes=45, by=crew.dispatcher)
    client = login(crew.dispatcher)
    response = client.get(reverse("shoots:detail", args=[shoot.pk]))
    expected = timezone.localtime(shoot.ends_at + timedelta(minutes=45))
    assert f'data-testid="expected-end">{expected:%H:%M}<' in response.content.decode()


def test_the_plan_says_minutes_in_chinese(book, order, crew, login):
    shoot = book(order)
    client = login(crew.dispatcher)
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("shoots:detail", args=[shoot.pk])).content.decode()
    assert "20 分钟" in body
    assert " min<" not in body
