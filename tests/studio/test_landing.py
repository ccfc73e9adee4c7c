"""After an action the actor lands on a page they may open; refusals are the studio's pages.

Every POST the suite makes is also checked by `_actions_land_where_the_actor_may_go` in
tests/conftest.py: an action redirecting to a page its actor's roles may not open fails
whichever test performs it.
"""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from shoots.models import Shoot
from studio import roles
from studio.access import may_open
from tests.shoots.conftest import book, crew, in_ten_days  # noqa: F401

pytestmark = pytest.mark.django_db


def _booking(when, crew):  # noqa: F811
    return {
        "date": when.date().isoformat(),
        "time": when.strftime("%H:%M"),
        "photographer": crew.photographer.pk,
        "assistant": crew.assistant.pk,
        "makeup_artist": crew.makeup_artist.pk,
        "dress_stylist": crew.dress_stylist.pk,
        "room": crew.room.pk,
        "white_gowns": 1,
        "evening_dresses": 1,
        "specialty": 0,
    }


@pytest.mark.parametrize("role", sorted(roles.BOOKS_SHOOTS))
def test_whoever_books_a_shoot_lands_on_a_page_they_may_open(
    role,
    order,
    login,
    make_staff,
    crew,  # noqa: F811
    in_ten_days,  # noqa: F811
):
    staff = make_staff(role)
    response = login(staff).post(
        reverse("shoots:book", args=[order.number]), _booking(in_ten_days, crew), follow=True
    )
    assert response.status_code == 200
    assert Shoot.objects.count() == 1
    assert "The shoot is on the control sheet" in response.content.decode()


def test_the_dispatcher_still_lands_on_the_shoot(order, login, crew, in_ten_days):  # noqa: F811
    response = login(crew.dispatcher).post(
        reverse("shoots:book", args=[order.number]), _booking(in_ten_days, crew)
    )
    assert response.url == reverse("shoots:detail", args=[Shoot.objects.get().pk])


@pytest.mark.parametrize("role", [roles.RECEPTIONIST, roles.CUSTOMER_SERVICE])
def test_the_front_desk_recording_a_confirmation_call_is_not_sent_to_the_shoot_page(
    role,
    book,  # noqa: F811
    order,
    login,
    make_staff,
):
    shoot = book(order)
    response = login(make_staff(role)).post(
        reverse("shoots:confirmation", args=[shoot.pk]), {"outcome": "confirmed"}, follow=True
    )
    assert response.status_code == 200


def test_a_dispatcher_moving_an_order_does_not_land_on_the_money_page(
    book,  # noqa: F811
    order,
    login,
    crew,  # noqa: F811
):
    book(order)
    response = login(crew.dispatcher).post(
        reverse("orders:transition", args=[order.number, "deliver"]), follow=True
    )
    assert response.status_code == 200


def test_may_open_reads_the_declared_roles(make_staff, order):
    receptionist = make_staff(roles.RECEPTIONIST)
    dispatcher = make_staff(roles.DISPATCHER)
    assert may_open(receptionist, order.get_absolute_url())
    assert not may_open(dispatcher, order.get_absolute_url())
    assert may_open(dispatcher, reverse("shoots:detail", args=[1]))
    assert not may_open(receptionist, reverse("shoots:detail", args=[1]))
    assert not may_open(receptionist, "/no/such/page/")


# --- Refusal pages ---


def _styled(response, heading):
    html = response.content.decode()
    assert 'class="navbar' in html, "the refusal page is not in the studio's layout"
    assert 'data-testid="error-page"' in html
    assert heading in html
    return html


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "This page is not for your role"), ("zh-hans", "此页面不对您的岗位开放")],
)
def test_a_role_refused_sees_the_styled_page_in_its_language(
    client, photographer, language, heading
):
    client.force_login(photographer.user)
    client.cookies["django_language"] = language
    response = client.get(reverse("orders:list"))
    assert response.status_code == 403
    html = _styled(response, heading)
    assert "Forbidden" not in html


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "There is nothing here"), ("zh-hans", "这里什么都没有")]
)
def test_not_found_is_the_styled_page(client, receptionist, language, heading):
    client.force_login(receptionist.user)
    client.cookies["django_language"] = language
    response = client.get(reverse("orders:detail", args=["NO-SUCH"]))
    assert response.status_code == 404
    _styled(response, heading)


def test_a_bad_request_is_the_styled_page(client, receptionist):
    client.force_login(receptionist.user)
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse("home"), HTTP_HOST="not-our-host.example")
    assert response.status_code == 400
    _styled(response, "无法识别这个请求")


def test_an_expired_form_is_the_styled_page(receptionist, branch):
    client = Client(enforce_csrf_checks=True)
    client.force_login(receptionist.user)
    client.cookies["django_language"] = "zh-hans"
    response = client.post(reverse("studio:switch_branch"), {"branch": branch.pk})
    assert response.status_code == 403
    _styled(response, "表单已过期")


def test_a_server_error_is_the_styled_page():
    from django.utils import translation

    request = RequestFactory().get("/")
    with translation.override("zh-hans"):
        response = defaults.server_error(request)
    assert response.status_code == 500
    _styled(response, "系统出了点问题")


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "This address only receives a form"), ("zh-hans", "此地址只用于提交表单")],
)
def test_an_action_opened_as_a_page_is_the_styled_page(
    client,
    book,  # noqa: F811
    order,
    crew,  # noqa: F811
    language,
    heading,
):
    """Reloading after a refusal, or switching the language there, opens the action's
    address with GET: the studio's page, not an empty 405."""
    shoot = book(order)
    client.force_login(crew.dispatcher.user)
    client.cookies["django_language"] = language
    response = client.get(reverse("shoots:finish", args=[shoot.pk]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    _styled(response, heading)
