"""Behind the nginx proxy every login arrives from the proxy's address: with
DJANGO_TRUSTED_PROXY_COUNT (STUDIO_TRUSTED_PROXY_COUNT) proxies trusted, logins are counted
at the client's address from X-Forwarded-For; with 0 the header is ignored."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from studio.lockouts import client_address

PASSWORD = "pw-for-tests-1"
PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)


def _login(client, username, password, forwarded_for):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_one_proxy_two_clients_are_locked_separately(settings, client, receptionist):
    settings.STUDIO_TRUSTED_PROXY_COUNT = 1
    username = receptionist.user.username
    for _i in range(3):
        _login(client, username, "wrong", "203.0.113.7")
    assert _login(client, username, PASSWORD, "203.0.113.7").status_code == 429
    # The same proxy, another client: not locked.
    assert _login(client, username, PASSWORD, "198.51.100.9").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_without_trusted_proxies_the_header_is_ignored(settings, client, receptionist):
    settings.STUDIO_TRUSTED_PROXY_COUNT = 0
    username = receptionist.user.username
    for _i in range(3):
        _login(client, username, "wrong", "203.0.113.7")
    # A forged header does not get around the lockout: the login is counted at the proxy.
    assert _login(client, username, PASSWORD, "198.51.100.9").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


@pytest.mark.parametrize(
    ("count", "header", "expected"),
    [
        (0, "203.0.113.7", PROXY),
        (1, "203.0.113.7", "203.0.113.7"),
        # What the client wrote itself stays on the left and is not believed.
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", PROXY),  # fewer hops than proxies: not through all of them
        (1, "", PROXY),
        (1, "not-an-address", PROXY),
        (1, "<script>", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_right_hop_is_taken(settings, count, header, expected):
    settings.STUDIO_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)
    assert client_address(request) == expected


def test_a_forged_header_is_never_a_500(settings, client, receptionist):
    settings.STUDIO_TRUSTED_PROXY_COUNT = 1
    response = _login(client, receptionist.user.username, "wrong", "x" * 300 + ",, ,")
    assert response.status_code == 200
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}
