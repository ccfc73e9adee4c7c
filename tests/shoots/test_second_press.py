"""The second person pressing the same button on the shooting day is told it is already
done, with the shoot's state, as a message on the shoot page (not a bare 400)."""

import pytest
from django.urls import reverse

from orders.models import LedgerEntry, State
from shoots import services
from shoots.models import HandOff, Shoot
from studio import roles
from studio.services import AlreadyDone
from tests.races import run_together


@pytest.mark.django_db(transaction=True)
def test_two_people_checking_in_the_same_couple_at_once_check_in_once(
    shoot_today, crew, make_staff
):
    other = make_staff(roles.DISPATCHER, display_name="Hu Jun")

    def check_in(staff):
        return lambda: services.check_in(
            shoot=Shoot.objects.get(pk=shoot_today.pk), by=staff, locker_key="K-12"
        )

    results = run_together(check_in(crew.dispatcher), check_in(other))
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, AlreadyDone)
    assert error.messages == ["Already done: this shoot is Checked in."]
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.LOCKER_DEPOSIT).count() == 1
    assert Shoot.objects.get(pk=shoot_today.pk).order.state == State.SHOOTING


def test_the_second_check_in_lands_on_the_shoot_page_with_already_done(shoot_today, crew, login):
    services.check_in(shoot=shoot_today, by=crew.dispatcher, locker_key="K-12")
    url = reverse("shoots:check_in", args=[shoot_today.pk])
    response = login(crew.dispatcher).post(url, {"locker_key": "K-13", "deposit_method": "cash"})
    assert response.status_code == 302
    assert response.url == reverse("shoots:detail", args=[shoot_today.pk])
    page = login(crew.dispatcher).get(response.url)
    assert "Already done: this shoot is Checked in." in page.text
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.LOCKER_DEPOSIT).count() == 1


def test_already_done_is_said_in_chinese(shoot_today, crew, login):
    services.check_in(shoot=shoot_today, by=crew.dispatcher)
    client = login(crew.dispatcher)
    client.cookies["django_language"] = "zh-hans"
    page = client.post(
        reverse("shoots:check_in", args=[shoot_today.pk]),
        {"deposit_method": "cash"},
        follow=True,
    )
    assert page.status_code == 200
    assert "已完成：这场拍摄已是“已报到”状态。" in page.text


def test_the_second_finish_lands_on_the_shoot_page_with_already_done(shoot_today, crew, login):
    services.check_in(shoot=shoot_today, by=crew.dispatcher)
    services.finish_shoot(shoot=shoot_today, by=crew.dispatcher, key_returned=True)
    page = login(crew.dispatcher).post(
        reverse("shoots:finish", args=[shoot_today.pk]),
        {"deposit_method": "cash", "keep": "0"},
        follow=True,
    )
    assert page.status_code == 200
    assert "Already done: this shoot is Finished." in page.text


@pytest.mark.django_db(transaction=True)
def test_two_people_finishing_at_once_finish_once(shoot_today, crew, make_staff):
    services.check_in(shoot=shoot_today, by=crew.dispatcher, locker_key="K-12")
    other = make_staff(roles.DISPATCHER, display_name="Hu Jun")

    def finish(staff):
        return lambda: services.finish_shoot(
            shoot=Shoot.objects.get(pk=shoot_today.pk), by=staff, key_returned=True
        )

    results = run_together(finish(crew.dispatcher), finish(other))
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    assert isinstance(next(v for k, v in results if k == "error"), AlreadyDone)
    refunds = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.LOCKER_DEPOSIT, amount__lt=0)
    assert refunds.count() == 1


def test_the_same_hand_off_tapped_twice_is_one_and_says_already_done(shoot_today, crew, login):
    services.check_in(shoot=shoot_today, by=crew.dispatcher)
    line = shoot_today.plan.get(position=0)
    data = {"plan_line": line.pk, "to_staff": crew.dress_stylist.pk, "next": reverse("home")}
    url = reverse("shoots:hand_off", args=[shoot_today.pk])
    client = login(crew.dress_stylist)
    assert client.post(url, data).status_code == 302
    client.get(reverse("home"))  # the first tap's message is read
    again = client.post(url, data, follow=True)
    assert again.status_code == 200
    assert "Already done: the couple is already at" in again.text
    assert "Liu Yan" in again.text
    assert HandOff.objects.filter(shoot=shoot_today).count() == 1


def test_a_second_departure_or_return_says_when_it_happened(book, order, crew, login):
    from datetime import timedelta

    from django.utils import timezone

    from orders import services as order_services

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
    services.check_in(shoot=shoot, by=crew.dispatcher)
    client = login(crew.dispatcher)
    client.post(reverse("shoots:depart", args=[shoot.pk]), follow=True)
    again = client.post(reverse("shoots:depart", args=[shoot.pk]), follow=True)
    assert "Already done: the couple left at" in again.text and "Ma Qiang" in again.text
    client.post(reverse("shoots:return", args=[shoot.pk]), follow=True)
    again = client.post(reverse("shoots:return", args=[shoot.pk]), follow=True)
    assert "Already done: the couple came back at" in again.text
    assert shoot.trips.count() == 1
