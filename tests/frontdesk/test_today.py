"""Today: arrivals with what they need, my open tasks, tomorrow's list to confirm."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import CallTask
from followups.services import create_call_task
from shoots.models import Shoot
from studio import roles, services

URL = reverse("home")


def _at(branch, day, hour):
    return datetime.combine(day, time(hour), branch.tzinfo)


@pytest.fixture
def shoots(branch, order, receptionist):
    today = branch.today()
    for day in (today, today + timedelta(days=1)):
        Shoot.objects.create(
            order=order,
            branch=branch,
            starts_at=_at(branch, day, 10),
            ends_at=_at(branch, day, 16),
            created_by=receptionist,
        )


def test_it_lists_arrivals_tasks_and_tomorrow(login, receptionist, customer, shoots):
    create_call_task(
        customer=customer,
        kind=CallTask.Kind.SHOOT_CONFIRM,
        due_at=timezone.now(),
        occasion="today:1",
        assignee=receptionist,
    )
    response = login(receptionist).get(URL)
    assert response.status_code == 200
    assert b'data-testid="home-title"' in response.content
    assert len(response.context["arrivals"]) == 1
    assert len(response.context["tomorrow"]) == 1
    assert response.context["arrivals"][0].needs  # the balance is due
    assert len(response.context["my_tasks"]) == 1
    assert customer.bride_phone.encode() in response.content


def test_roles_without_money_see_no_balance_and_no_phones(login, make_staff, customer, shoots):
    # Field staff don't get the front desk's lists at all (issue 8); the back office does.
    response = login(make_staff(roles.RETOUCHER)).get(URL)
    assert response.status_code == 200
    assert response.context["arrivals"][0].needs == []
    assert customer.bride_phone.encode() not in response.content


def test_it_only_shows_my_branch(login, other_receptionist, shoots):
    response = login(other_receptionist).get(URL)
    assert response.context["arrivals"] == [] and response.context["tomorrow"] == []


def test_its_query_count_is_fixed(
    login, receptionist, branch, shoots, django_assert_max_num_queries
):
    client = login(receptionist)
    with django_assert_max_num_queries(25):
        client.get(URL)


def test_it_rejects_post(login, receptionist):
    assert login(receptionist).post(URL).status_code == 405


def test_the_lists_escape_names_mask_phones_by_role_and_mark_late_tasks(
    login, receptionist, make_staff, customer, shoots, branch
):
    """The lists are written in Python (overview.templatetags.today): typed HTML stays
    text, a late task is red, a covered colleague's task says whose, and whoever does not
    see contacts gets tomorrow's phones masked."""
    customer.bride_name = "<b>Wu</b>"
    customer.bride_phone = "13812345678"
    customer.save()
    colleague = make_staff(roles.CUSTOMER_SERVICE)
    create_call_task(
        customer=customer,
        kind=CallTask.Kind.SHOOT_CONFIRM,
        due_at=timezone.now() - timedelta(hours=1),
        occasion="today:late",
        assignee=colleague,
    )
    today = branch.today()
    services.record_leave(staff=colleague, starts_on=today, ends_on=today, agent=receptionist)
    client = login(receptionist)
    client.cookies["django_language"] = "en"
    body = client.get(URL).content.decode()
    assert "<b>Wu</b>" not in body and "&lt;b&gt;Wu&lt;/b&gt;" in body
    assert body.count('<li class="list-group-item list-group-item-danger">') == 1
    assert f"for {colleague.display_name}" in body
    assert "13812345678" in body
    retoucher = make_staff(roles.RETOUCHER)
    body = login(retoucher).get(URL).content.decode()
    assert "13812345678" not in body and "138****5678" in body
    assert "&lt;b&gt;Wu&lt;/b&gt;" in body


def test_it_lists_the_consultations_in_progress_not_the_closed_ones(
    login, receptionist, customer, branch, other_branch
):
    """The desk sees who is still with an order taker at its branch, the longest waiting
    first; a consultation that ended, or one at another branch, is not on the list."""
    from tests.factories import CustomerFactory

    waiting = services.register_visit(branch=branch, registered_by=receptionist, customer=customer)
    ended = services.register_visit(
        branch=branch,
        registered_by=receptionist,
        customer=CustomerFactory(branch=branch, bride_name="Closed Zhao"),
    )
    services.close_visit(
        visit=ended,
        staff=receptionist,
        outcome="not_booked",
        not_booked_reason="Too dear",
        not_booked_because="price",
    )
    elsewhere = CustomerFactory(branch=other_branch, bride_name="Other Qian")
    other_desk = services.register_visit(
        branch=other_branch,
        registered_by=receptionist,
        customer=elsewhere,
    )
    page = login(receptionist).get(URL)
    assert [v.pk for v in page.context["open_visits"]] == [waiting.pk]
    assert reverse("studio:visit", args=[waiting.pk]) in page.text
    assert reverse("studio:visit", args=[ended.pk]) not in page.text
    assert reverse("studio:visit", args=[other_desk.pk]) not in page.text
