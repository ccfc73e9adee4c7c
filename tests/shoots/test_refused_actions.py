"""A refused check-in or finish shows its reason at the form and keeps what was typed."""

from django.urls import reverse

from orders.models import LedgerEntry, State
from shoots import services
from shoots.models import Shoot


def test_a_refused_check_in_keeps_the_locker_key_and_says_why_at_the_form(book, order, crew, login):
    shoot = book(order)  # not today: check-in is refused
    response = login(crew.dispatcher).post(
        reverse("shoots:check_in", args=[shoot.pk]),
        {"locker_key": "B12", "deposit_method": "cash"},
    )
    assert response.status_code == 400
    form = response.context["check_in_form"]
    assert form.is_bound
    assert any("only possible on the day of the shoot" in e for e in form.non_field_errors())
    html = response.content.decode()
    assert 'value="B12"' in html
    assert "only possible on the day of the shoot" in html
    shoot.refresh_from_db()
    assert shoot.status == Shoot.Status.PLANNED
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.LOCKER_DEPOSIT).exists()


def test_a_check_in_with_bad_input_shows_the_field_error_and_keeps_the_key(
    shoot_today, crew, login
):
    response = login(crew.dispatcher).post(
        reverse("shoots:check_in", args=[shoot_today.pk]),
        {"locker_key": "C3", "deposit_method": "not-a-method"},
    )
    assert response.status_code == 400
    assert response.context["check_in_form"].errors["deposit_method"]
    assert 'value="C3"' in response.content.decode()
    shoot_today.refresh_from_db()
    assert shoot_today.status == Shoot.Status.PLANNED


def test_a_refused_finish_says_why_at_the_field_and_keeps_what_was_typed(shoot_today, crew, login):
    services.check_in(shoot=shoot_today, by=crew.dispatcher, locker_key="D4")
    response = login(crew.dispatcher).post(
        reverse("shoots:finish", args=[shoot_today.pk]),
        {"key_returned": "yes", "deposit_method": "cash", "keep": "30", "keep_reason": ""},
    )
    assert response.status_code == 400
    form = response.context["finish_form"]
    assert form.errors["keep_reason"] == ["Say why part of the deposit is kept."]
    assert 'value="30"' in response.content.decode()
    shoot_today.refresh_from_db()
    assert shoot_today.status == Shoot.Status.CHECKED_IN
    assert shoot_today.order.state == State.SHOOTING


def test_a_refused_check_in_renders_in_chinese(book, order, crew, login):
    shoot = book(order)
    client = login(crew.dispatcher)
    client.cookies["django_language"] = "zh-hans"
    response = client.post(
        reverse("shoots:check_in", args=[shoot.pk]),
        {"locker_key": "B12", "deposit_method": "cash"},
    )
    assert response.status_code == 400
    assert 'value="B12"' in response.content.decode()
    assert "only possible on the day of the shoot" not in response.content.decode()


def test_finish_refuses_get(shoot_today, crew, login):
    response = login(crew.dispatcher).get(reverse("shoots:finish", args=[shoot_today.pk]))
    assert response.status_code == 405


def test_a_receptionist_may_not_finish(shoot_today, login, receptionist):
    response = login(receptionist).post(reverse("shoots:finish", args=[shoot_today.pk]), {})
    assert response.status_code == 403


def test_another_branch_may_not_finish(shoot_today, login, make_staff, other_branch):
    from studio import roles

    elsewhere = make_staff(roles.DISPATCHER, branch=other_branch)
    response = login(elsewhere).post(reverse("shoots:finish", args=[shoot_today.pk]), {})
    assert response.status_code == 404
