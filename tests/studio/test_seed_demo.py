"""The demo studio: every state, consistent money, one login per role, this week's shoots."""

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from demo_studio import chain as demo
from orders.models import Order, State
from orders.selectors import with_money
from shoots.models import Shoot
from studio import roles
from studio.models import Branch, Customer


@pytest.fixture
def built(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return demo.build()


def test_every_branch_has_orders_in_every_state(built):
    for branch in Branch.objects.all():
        states = set(Order.objects.filter(branch=branch).values_list("state", flat=True))
        assert states == set(State.values), branch
    assert Branch.objects.count() == 2
    assert Customer.objects.count() >= 60


def test_money_is_consistent_with_each_state(built):
    for order in with_money(Order.objects.all()):
        assert order.balance >= 0, order
        assert order.paid_amount > 0, order
        if order.state == State.DELIVERED:
            assert order.balance == 0, order
        if order.state in (State.SHOOTING, State.SHOT):
            # The package was paid before check-in; a dress rental may still be owed.
            assert order.paid_amount >= order.agreed_price, order


def test_there_is_one_login_per_role_with_the_shared_password(built):
    logged_roles = {role for _username, role in built}
    assert logged_roles == set(roles.ALL)
    for username, _role in built:
        request = RequestFactory().post(reverse("login"))
        assert authenticate(request, username=username, password=demo.PASSWORD) is not None


def test_this_weeks_control_sheet_has_shoots(built):
    now = timezone.now()
    week = Shoot.objects.filter(starts_at__gte=now, starts_at__lt=now + timedelta(days=7))
    assert week.count() >= 8
    assert all(s.photographer_id for s in week)


def test_it_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not Branch.objects.exists()


def test_if_empty_leaves_a_studio_with_data_alone(built, capsys, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--if-empty")
    assert "already has data" in capsys.readouterr().out
    assert Branch.objects.count() == 2


def test_each_orders_history_is_dated_as_it_happened(built):
    # The demo replays each step with the clock stopped at its moment (no service takes a
    # date from its caller): the log runs forward from the signing, never into the future.
    now = timezone.now()
    for order in Order.objects.all():
        times = list(
            StateLog.objects.for_(order).order_by("pk").values_list("timestamp", flat=True)
        )
        assert times == sorted(times), order
        assert all(order.signed_at <= t <= now for t in times), order
        assert order.ledger.order_by("pk").first().created_at == order.signed_at, order
    delivered = Order.objects.filter(state=State.DELIVERED).first()
    log = StateLog.objects.for_(delivered)
    shot = log.get(transition="finish_shoot").timestamp
    assert log.get(transition="schedule").timestamp < shot - timedelta(days=1)
    assert log.get(transition="deliver").timestamp > shot + timedelta(days=10)


def test_the_demos_messages_name_the_branch_and_staff_as_customers_know_them(built):
    """No "【徐汇店 Xuhui Store】" nor "前台 李娜 Li Na" in what a demo couple receives
    (issue 12, item 4); most couples told their genders, some did not."""
    from followups.models import OutboxMessage
    from studio.models import Staff

    labels = [b.name for b in Branch.objects.all()]
    labels += list(
        Staff.objects.values_list("display_name", flat=True).exclude(display_name="Admin")
    )
    bodies = list(OutboxMessage.objects.exclude(body="").values_list("body", flat=True))
    assert bodies
    assert [b for b in bodies if any(label in b for label in labels)] == []
    assert any("【静安旗舰店】" in b or "【徐汇店】" in b for b in bodies)
    for branch in Branch.objects.all():
        assert branch.customer_name_zh and branch.customer_name_en
    assert not Staff.objects.colleagues().filter(customer_name_zh="").exists()
    genders = set(Customer.objects.values_list("bride_gender", flat=True))
    assert genders == {"female", ""}
