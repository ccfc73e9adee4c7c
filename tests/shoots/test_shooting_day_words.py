"""The shooting day says what it means (issue 8): the finish asks whether the locker key
came back, the hand-off button says who the couple goes to next and for what, and the
dispatcher's Tomorrow sheet has what the confirmation call tells the couple."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from orders.models import LedgerEntry
from shoots import services
from shoots.models import Shoot

KEY = LedgerEntry.Kind.LOCKER_DEPOSIT


@pytest.fixture
def checked_in(shoot_today, crew):
    services.check_in(shoot=shoot_today, by=crew.dispatcher, locker_key="K-12")
    assert shoot_today.order.hold_outstanding(KEY) > 0
    return shoot_today


def _finish(client, shoot, **data):
    return client.post(reverse("shoots:finish", args=[shoot.pk]), data)


def test_the_finish_form_asks_about_the_key_with_nothing_ticked(checked_in, crew, login):
    body = login(crew.dispatcher).get(reverse("shoots:detail", args=[checked_in.pk]))
    html = body.content.decode()
    assert "Did the locker key come back?" in html
    assert 'name="key_returned"' in html
    assert 'name="key_returned" value="yes" checked' not in html.replace("\n", " ")
    assert "checked" not in html.split('name="key_returned"')[1].split(">")[0]


def test_finishing_without_saying_refunds_nothing(checked_in, crew, login):
    response = _finish(login(crew.dispatcher), checked_in, deposit_method="cash")
    assert response.status_code == 400
    assert "Say whether the locker key came back." in response.content.decode()
    checked_in.refresh_from_db()
    assert checked_in.status == Shoot.Status.CHECKED_IN
    assert checked_in.order.hold_outstanding(KEY) > 0


def test_the_service_refuses_a_silent_default(checked_in, crew):
    with pytest.raises(ValidationError) as exc:
        services.finish_shoot(shoot=checked_in, by=crew.dispatcher)
    assert "key_returned" in exc.value.error_dict


def test_key_back_refunds_the_deposit(checked_in, crew, login):
    response = _finish(
        login(crew.dispatcher), checked_in, key_returned="yes", deposit_method="cash"
    )
    assert response.status_code == 302
    order = checked_in.order
    assert order.hold_outstanding(KEY) == 0
    assert not order.ledger.filter(kind=LedgerEntry.Kind.FORFEITED_HOLD).exists()


def test_key_not_back_keeps_the_deposit_with_a_reason(checked_in, crew, login):
    client = login(crew.dispatcher)
    held = checked_in.order.hold_outstanding(KEY)
    response = _finish(client, checked_in, key_returned="no", deposit_method="cash")
    assert response.status_code == 400
    assert "Say why the key did not come back." in response.content.decode()
    response = _finish(
        client, checked_in, key_returned="no", deposit_method="cash", keep_reason="Key lost"
    )
    assert response.status_code == 302
    kept = checked_in.order.ledger.get(kind=LedgerEntry.Kind.FORFEITED_HOLD)
    assert kept.amount == held
    assert checked_in.order.hold_outstanding(KEY) == 0


def test_without_a_locker_deposit_the_finish_asks_nothing(shoot_today, crew, login):
    services.check_in(shoot=shoot_today, by=crew.dispatcher)
    assert shoot_today.order.hold_outstanding(KEY) == Decimal("0")
    response = _finish(login(crew.dispatcher), shoot_today)
    assert response.status_code == 302
    shoot_today.refresh_from_db()
    assert shoot_today.status == Shoot.Status.FINISHED


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "Send to Zhao Lei for the White gown shots"), ("zh-hans", "交给Zhao Lei拍摄白纱")],
)
def test_the_hand_off_button_says_who_is_next_and_for_what(
    checked_in, crew, login, language, label
):
    line = checked_in.plan.get(step="makeup")
    services.hand_off(
        shoot=checked_in, plan_line=line, to_staff=crew.makeup_artist, by=crew.dispatcher
    )
    assert checked_in.plan.filter(position__gt=line.position).first().step == "white_gown"
    client = login(crew.makeup_artist)
    client.cookies["django_language"] = language
    html = client.get(reverse("shoots:tablet")).content.decode()
    assert label in html
    assert "Done:" not in html and "完成：" not in html


def test_a_station_that_is_not_an_outfit_says_for_what(shoot_today, crew, login):
    services.check_in(shoot=shoot_today, by=crew.dispatcher)
    first = shoot_today.plan.first()
    services.hand_off(
        shoot=shoot_today, plan_line=first, to_staff=crew.dress_stylist, by=crew.dispatcher
    )
    html = login(crew.dress_stylist).get(reverse("shoots:tablet")).content.decode()
    assert "Send to Chen Jing for Makeup" in html


@pytest.mark.parametrize(
    ("language", "early", "precaution"),
    [
        ("en", "20 minutes early: balance due", "get a haircut"),
        ("zh-hans", "提前20分钟：需付尾款", "男士：理发"),
    ],
)
def test_tomorrow_has_the_precautions_and_the_early_arrival(
    book, order, crew, login, language, early, precaution
):
    tomorrow = timezone.localtime() + timedelta(days=1)
    starts = tomorrow.replace(hour=10, minute=0, second=0, microsecond=0)
    book(order, starts_at=starts, short_notice_confirmed=True)
    assert order.balance_due > 0
    client = login(crew.dispatcher)
    client.cookies["django_language"] = language
    html = client.get(reverse("shoots:tomorrow")).content.decode()
    assert precaution in html
    assert early in html
    assert "09:40" in html


def test_tomorrow_keeps_its_queries_constant(
    book, make_order, crew, login, django_assert_max_num_queries
):
    tomorrow = timezone.localtime() + timedelta(days=1)
    for hour in (8, 16):
        book(
            make_order(),
            starts_at=tomorrow.replace(hour=hour, minute=0, second=0, microsecond=0),
            short_notice_confirmed=True,
            room=None,
        )
    client = login(crew.dispatcher)
    client.get(reverse("shoots:tomorrow"))
    with django_assert_max_num_queries(20):
        client.get(reverse("shoots:tomorrow"))
