"""Only pages reached by a private token skip the login (studio.E002): the couple's page
and the calendar feed are marked so; any other login-exempt project page fails the check."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from studio.access import reached_by_private_link
from studio.checks import every_view_declares_roles


def test_the_project_passes_the_check():
    assert every_view_declares_roles(None) == []


def _open(request):
    return HttpResponse("")


_open.__module__ = "couple.views"  # a project page
urlpatterns = [path("forgotten/", login_not_required(_open), name="forgotten")]


def test_a_forgotten_login_exemption_fails_the_check(settings):
    settings.ROOT_URLCONF = __name__
    errors = every_view_declares_roles(None)
    assert [e.id for e in errors] == ["studio.E002"]


def test_a_page_reached_by_a_private_link_passes(settings, monkeypatch):
    monkeypatch.setitem(globals(), "urlpatterns", [path("x/", reached_by_private_link(_open))])
    settings.ROOT_URLCONF = __name__
    assert every_view_declares_roles(None) == []


def test_the_couples_page_needs_no_login_but_the_staff_page_does(client, order):
    from django.urls import reverse

    assert client.get(reverse("couple:page", args=["nothing:here"])).status_code == 404
    response = client.get(reverse("couple:links", args=[order.number]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
