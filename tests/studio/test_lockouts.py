"""Throttled logins (django-axes): wrong passwords lock a username at an address for a
while, on the login page and for a manager's password on the signing screen; a chain
manager unlocks."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from studio import roles
from tests.factories import StaffFactory

PASSWORD = "pw-for-tests-1"
LOCKED_EN = "Too many wrong passwords: this login is locked for 30 minutes."
LOCKED_ZH = "密码错误次数过多"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)


def _login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _lock(client, username):
    for _i in range(3):
        _login(client, username, "wrong")


def test_the_right_password_logs_in_before_the_limit(client, receptionist):
    _login(client, receptionist.user.username, "wrong")
    _login(client, receptionist.user.username, "wrong")
    response = _login(client, receptionist.user.username, PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_after_the_limit_even_the_right_password_is_refused(client, receptionist):
    for _i in range(2):
        assert _login(client, receptionist.user.username, "wrong").status_code == 200
    third = _login(client, receptionist.user.username, "wrong")
    assert third.status_code == 429
    response = _login(client, receptionist.user.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert LOCKED_EN in response.text
    assert 'data-testid="locked-out"' in response.text  # the styled page, not a bare text


def test_the_lockout_is_said_in_chinese(client, receptionist):
    client.cookies["django_language"] = "zh-hans"
    _lock(client, receptionist.user.username)
    response = _login(client, receptionist.user.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 429
    assert LOCKED_ZH in response.text and "30" in response.text


def test_a_lockout_is_for_that_user_at_that_address(client, receptionist, manager):
    _lock(client, receptionist.user.username)
    assert _login(client, manager.user.username, PASSWORD).status_code == 302
    client.logout()
    elsewhere = _login(client, receptionist.user.username, PASSWORD, REMOTE_ADDR="10.0.0.9")
    assert elsewhere.status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, receptionist):
    _lock(client, receptionist.user.username)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert _login(client, receptionist.user.username, PASSWORD).status_code == 302


# --- The manager's password on the signing screen ---


def _sign(client, customer, package, manager, password):
    return client.post(
        reverse("orders:sign", args=[customer.pk]),
        {
            "package": package.pk,
            "discount": "900",
            "deposit": "2000",
            "deposit_method": "wechat",
            "request_key": f"sign-{password}-{timezone.now().timestamp()}",
            "approver_username": manager.user.username,
            "approver_password": password,
        },
    )


def test_guessing_a_managers_password_on_the_signing_screen_locks_it(
    login, receptionist, manager, customer, package
):
    client = login(receptionist)
    for _i in range(3):
        response = _sign(client, customer, package, manager, "guess")
        assert response.status_code == 400
    right = _sign(client, customer, package, manager, PASSWORD)
    assert right.status_code == 400, "the locked manager's password was accepted"
    errors = right.context["form"].errors["approver_password"]
    assert any(LOCKED_EN in e for e in errors), errors
    assert LOCKED_EN in right.text  # drawn on the form, the page is the signing page
    assert not Order.objects.exists()
    # The manager's own login at this address is locked too: it is the same password.
    client.logout()
    assert _login(client, manager.user.username, PASSWORD).status_code == 429


def test_the_signing_screen_says_it_in_chinese(login, receptionist, manager, customer, package):
    client = login(receptionist)
    client.cookies["django_language"] = "zh-hans"
    for _i in range(3):
        _sign(client, customer, package, manager, "guess")
    right = _sign(client, customer, package, manager, PASSWORD)
    assert right.status_code == 400
    assert LOCKED_ZH in right.text


def test_a_manager_approves_again_once_unlocked(login, receptionist, manager, customer, package):
    from studio.lockouts import unlock_login

    client = login(receptionist)
    for _i in range(3):
        _sign(client, customer, package, manager, "guess")
    unlock_login(username=manager.user.username, ip_address="127.0.0.1", by=None)
    assert _sign(client, customer, package, manager, PASSWORD).status_code == 302
    assert Order.objects.get().discount_approved_by == manager


# --- Unlocking ---


@pytest.fixture
def chain_manager(branch):
    return StaffFactory(roles=[roles.CHAIN_MANAGER], branches=[branch], display_name="Head")


def test_a_chain_manager_sees_the_lockouts_and_unlocks(client, receptionist, chain_manager):
    _lock(client, receptionist.user.username)
    client.force_login(chain_manager.user)
    page = client.get(reverse("studio:lockouts"))
    assert page.status_code == 200
    assert receptionist.user.username in page.text
    assert [row["username"] for row in page.context["lockouts"]] == [receptionist.user.username]
    response = client.post(
        reverse("studio:lockouts"),
        {"username": receptionist.user.username, "ip_address": "127.0.0.1"},
        follow=True,
    )
    assert response.status_code == 200
    assert f"{receptionist.user.username} can log in again." in response.text
    assert response.context["lockouts"] == []
    client.logout()
    assert _login(client, receptionist.user.username, PASSWORD).status_code == 302


def test_the_lockouts_page_is_in_the_chain_managers_menu(client, chain_manager, manager):
    client.force_login(chain_manager.user)
    assert reverse("studio:lockouts") in client.get(reverse("home")).text
    client.force_login(manager.user)
    assert reverse("studio:lockouts") not in client.get(reverse("home")).text


def test_the_lockouts_page_in_chinese(client, chain_manager):
    client.force_login(chain_manager.user)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("studio:lockouts"))
    assert "被锁定的登录" in page.text


def test_unlocking_needs_a_login_to_unlock(client, chain_manager):
    client.force_login(chain_manager.user)
    response = client.post(reverse("studio:lockouts"), {}, follow=True)
    assert "Say which login to unlock." in response.text


@pytest.mark.parametrize("role", [r for r in roles.ALL if r != roles.CHAIN_MANAGER])
def test_no_other_role_may_unlock(client, branch, receptionist, role):
    _lock(client, receptionist.user.username)
    staff = StaffFactory(roles=[role], branches=[branch])
    client.force_login(staff.user)
    assert client.get(reverse("studio:lockouts")).status_code == 403
    response = client.post(
        reverse("studio:lockouts"),
        {"username": receptionist.user.username, "ip_address": "127.0.0.1"},
    )
    assert response.status_code == 403
    assert AccessAttempt.objects.filter(username=receptionist.user.username).exists()


def test_unlocking_rejects_other_methods(client, chain_manager):
    client.force_login(chain_manager.user)
    assert client.delete(reverse("studio:lockouts")).status_code == 405
