"""The tablet and the board reload their fragment by htmx polling, not the whole page."""

import re

from django.urls import reverse
from django.utils.html import escape

from shoots import services
from studio import roles

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def test_the_tablet_page_polls_its_queue_every_20_seconds(shoot_today, crew, login):
    body = login(crew.makeup_artist).get(reverse("shoots:tablet")).content.decode()
    assert 'hx-trigger="every 20s' in body
    assert 'http-equiv="refresh"' not in body


def test_the_tablet_poll_returns_only_the_queue(shoot_today, crew, login, customer):
    services.check_in(shoot=shoot_today, by=crew.dispatcher, locker_key="A1")
    services.hand_off(
        shoot=shoot_today, step="makeup", to_staff=crew.makeup_artist, by=crew.dispatcher
    )
    response = login(crew.makeup_artist).get(reverse("shoots:tablet"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "With me now" in body
    assert escape(shoot_today.order.customer) in body
    assert "¥" not in body
    assert not PHONE.search(body)
    assert customer.bride_phone not in body


def test_the_board_polls_its_rows(shoot_today, crew, login):
    services.check_in(shoot=shoot_today, by=crew.dispatcher)
    client = login(crew.dispatcher)
    page = client.get(reverse("shoots:board")).content.decode()
    assert 'hx-trigger="every 20s"' in page
    assert 'http-equiv="refresh"' not in page
    fragment = client.get(reverse("shoots:board"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert escape(shoot_today.order.customer) in fragment
    assert "Without a staff member" in fragment


def test_a_receptionist_may_not_poll_the_board(login, receptionist):
    response = login(receptionist).get(reverse("shoots:board"), HTTP_HX_REQUEST="true")
    assert response.status_code == 403


def test_the_tablet_refuses_post(login, crew):
    assert login(crew.makeup_artist).post(reverse("shoots:tablet")).status_code == 405


def test_a_field_role_may_not_poll_the_board(login, make_staff):
    response = login(make_staff(roles.PHOTOGRAPHER)).get(
        reverse("shoots:board"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
