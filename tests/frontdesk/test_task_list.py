"""My calls: open tasks for me and for colleagues I cover for; logging how a call went."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import CallTask
from followups.services import create_call_task
from studio import roles, services
from tests.factories import CustomerFactory

URL = reverse("followups:tasks")


@pytest.fixture
def task(customer, customer_service):
    return create_call_task(
        customer=customer,
        kind=CallTask.Kind.VISIT_FOLLOWUP,
        due_at=timezone.now() + timedelta(hours=1),
        occasion="test:1",
        assignee=customer_service,
        script="Ask about the budget",
    )


def test_it_lists_my_open_calls(login, customer_service, task):
    response = login(customer_service).get(URL)
    assert response.status_code == 200
    assert list(response.context["tasks"]) == [task]
    assert b"Ask about the budget" in response.content


def test_it_shows_colleagues_calls_to_their_agent_with_a_banner(
    login, customer_service, receptionist, task, branch
):
    today = branch.today()
    services.record_leave(
        staff=customer_service,
        starts_on=today,
        ends_on=today,
        agent=receptionist,
        message="Back tomorrow",
    )
    response = login(receptionist).get(URL)
    assert list(response.context["tasks"]) == [task]
    assert b'data-testid="covering"' in response.content
    assert b"Chen Jing" in response.content


def test_it_logs_a_call(login, customer_service, task):
    url = reverse("followups:close_task", args=[task.pk])
    response = login(customer_service).post(url, {"status": "failed", "outcome": "no answer"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "failed" and task.done_by == customer_service


def test_a_second_log_of_the_same_call_says_who_logged_it(
    login, customer_service, receptionist, task
):
    url = reverse("followups:close_task", args=[task.pk])
    login(customer_service).post(url, {"status": "failed", "outcome": "no answer"}, follow=True)
    again = login(receptionist).post(url, {"status": "done", "outcome": "booked"}, follow=True)
    assert again.status_code == 200
    assert "Already done: Chen Jing logged this call as No answer at" in again.text
    assert "Call logged." not in again.text
    task.refresh_from_db()
    assert task.status == "failed" and task.done_by == customer_service


def test_it_refuses_a_call_without_a_result(login, customer_service, task):
    url = reverse("followups:close_task", args=[task.pk])
    response = login(customer_service).post(url, {"status": "open"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "open"


def test_closing_rejects_get(login, customer_service, task):
    assert (
        login(customer_service).get(reverse("followups:close_task", args=[task.pk])).status_code
        == 405
    )


def test_field_roles_have_no_call_list(login, photographer):
    assert login(photographer).get(URL).status_code == 403


def test_another_branch_cannot_close_my_calls(login, other_branch, make_staff, task):
    from studio import roles

    stranger = make_staff(roles.CUSTOMER_SERVICE, branch=other_branch)
    url = reverse("followups:close_task", args=[task.pk])
    assert login(stranger).post(url, {"status": "done"}).status_code == 404
    assert len(login(stranger).get(URL).context["tasks"]) == 0


def test_my_calls_at_a_branch_i_left_are_not_listed(
    login, customer_service, task, branch, other_branch
):
    """Moved to another branch, I see only that branch's calls, even those still mine."""
    customer_service.branches.set([other_branch])
    assert len(login(customer_service).get(URL).context["tasks"]) == 0


def _not_booked(branch, receptionist, package, n):
    """A consultation that did not book: its follow-up call goes to customer service."""
    visit = services.register_visit(
        branch=branch,
        registered_by=receptionist,
        customer=CustomerFactory(branch=branch),
        reason=f"Saw the window {n}",
    )
    return services.close_visit(
        visit=visit,
        staff=receptionist,
        outcome="not_booked",
        budget=Decimal("9000"),
        compared_studios="Golden Studio",
        packages_shown=[package],
        not_booked_reason="Too expensive",
        not_booked_because="other",
    )


def test_a_call_after_a_consultation_shows_it(
    login, customer_service, receptionist, branch, package
):
    visit = _not_booked(branch, receptionist, package, 1)
    task = CallTask.objects.get(visit=visit)
    client = login(customer_service)
    client.cookies["django_language"] = "zh-hans"
    body = client.get(URL).content.decode()
    assert f'<a href="{reverse("studio:visit", args=[visit.pk])}">' in body
    assert '<dd class="col-7">Saw the window 1</dd>' in body
    assert '<dd class="col-7">Golden Studio</dd>' in body
    assert f'<dd class="col-7">{package.name}</dd>' in body
    assert '<dd class="col-7">Too expensive</dd>' in body and "未成交原因" in body
    assert f'<a href="{reverse("overview:customer", args=[task.customer_id])}">' in body
    assert f'action="{reverse("followups:close_task", args=[task.pk])}"' in body
    assert '<dd class="col-7 money">¥9,000.00</dd>' in body
    client.cookies["django_language"] = "en"
    body = client.get(URL).content.decode()
    assert "Why they did not book" in body and "Got through" in body


def test_a_dispatcher_calls_without_seeing_the_budget(
    login, make_staff, receptionist, branch, package
):
    dispatcher = make_staff(roles.DISPATCHER)
    visit = _not_booked(branch, receptionist, package, 1)
    CallTask.objects.filter(visit=visit).update(assignee=dispatcher)
    body = login(dispatcher).get(URL).content.decode()
    assert "Too expensive" in body and "¥9,000.00" not in body


def test_its_query_count_is_fixed(
    login, customer_service, receptionist, branch, package, django_assert_max_num_queries
):
    _not_booked(branch, receptionist, package, 0)
    client = login(customer_service)
    with django_assert_max_num_queries(12) as one:
        client.get(URL)
    for n in range(20):
        create_call_task(
            customer=CustomerFactory(branch=branch),
            kind=CallTask.Kind.OTHER,
            due_at=timezone.now(),
            occasion=f"n:{n}",
            assignee=customer_service,
        )
        _not_booked(branch, receptionist, package, n + 1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(URL)
    assert len(response.context["tasks"]) == 41


def test_in_chinese_the_call_and_phone_columns_have_different_names(login, customer_service, task):
    client = login(customer_service)
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("followups:tasks")).content.decode()
    assert "<th>电话事项</th>" in body and "<th>电话</th>" in body


def test_the_rows_escape_what_people_typed_and_mark_the_late_and_covered_calls(
    login, customer_service, receptionist, branch, package
):
    """The rows are written in Python (followups.templatetags.calls): typed HTML stays
    text, a late call is red, a colleague's call says whose it is, the phones are shown."""
    visit = _not_booked(branch, receptionist, package, 1)
    task = CallTask.objects.get(visit=visit)
    customer = task.customer
    customer.bride_name, customer.language = "<b>Li</b>", "en"
    customer.bride_phone = "13812345678"
    customer.save()
    visit.compared_studios = '<script>alert("x")</script>'
    visit.save()
    CallTask.objects.filter(pk=task.pk).update(
        due_at=timezone.now() - timedelta(hours=2), script_kind="", script="Line one\n<i>two</i>"
    )
    today = branch.today()
    services.record_leave(
        staff=customer_service, starts_on=today, ends_on=today, agent=receptionist
    )
    client = login(receptionist)
    client.cookies["django_language"] = "zh-hans"
    body = client.get(URL).content.decode()
    assert "<b>Li</b>" not in body and "&lt;b&gt;Li&lt;/b&gt;" in body
    assert "<script>alert" not in body
    assert '<dd class="col-7">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</dd>' in body
    assert "Line one<br>&lt;i&gt;two&lt;/i&gt;" in body
    assert '<tr class="table-danger">' in body
    assert f"代 {customer_service.display_name}" in body
    assert receptionist.sees_contacts and "13812345678" in body
