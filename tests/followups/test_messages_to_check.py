"""A person settles the messages no gateway could say were sent: "it was sent" (never sent
again) or "it was not sent: send again"; once only, recorded with who and when; for
customer service and the manager of that branch only."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from followups.models import OutboxMessage
from followups.receipts import settle_check_message
from studio import roles
from studio.services import AlreadyDone
from tests.factories import BranchFactory, CustomerFactory

URL = reverse("followups:messages_to_check")


def _check(customer, n=1):
    return OutboxMessage.objects.create(
        branch=customer.branch,
        customer=customer,
        channel="sms",
        to=customer.bride_phone,
        body=f"Thank you for coming in ({n})",
        template_key="visit_not_booked",
        occasion=f"o:{n}",
        status=OutboxMessage.Status.CHECK,
        send_after=timezone.now() - timedelta(hours=1),
        claimed_by="dead",
        claimed_at=timezone.now() - timedelta(minutes=30),
        called_at=timezone.now() - timedelta(minutes=30),
        error="no answer",
    )


@pytest.fixture
def customer_service(make_staff):
    return make_staff(roles.CUSTOMER_SERVICE, display_name="Chen Jing")


def test_it_lists_the_branchs_messages_to_check(login, customer_service, customer):
    message = _check(customer)
    response = login(customer_service).get(URL)
    assert response.status_code == 200
    assert message.body in response.text
    assert reverse("followups:settle_message", args=[message.pk]) in response.text


def test_customer_service_find_it_in_their_menu_and_managers_on_the_care_rules_page(
    login, customer_service, manager
):
    assert URL in login(customer_service).get(reverse("followups:tasks")).text
    assert URL in login(manager).get(reverse("followups:care_rules")).text


def test_it_was_sent_records_it_sent_and_who_said_so(login, customer_service, customer):
    message = _check(customer)
    url = reverse("followups:settle_message", args=[message.pk])
    response = login(customer_service).post(url, {"answer": "sent"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.settled_as == "sent"
    assert message.settled_by == customer_service and message.settled_at is not None


def test_not_sent_queues_it_to_go_out_now(login, manager, customer):
    message = _check(customer)
    url = reverse("followups:settle_message", args=[message.pk])
    login(manager).post(url, {"answer": "resend"})
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED and message.settled_as == "resend"
    assert message.send_after <= timezone.now() and message.called_at is None
    assert message.settled_by == manager


def test_a_second_press_changes_nothing_and_says_who_settled_it(
    login, customer_service, manager, customer
):
    message = _check(customer)
    settle_check_message(message=message, by=customer_service, was_sent=False)
    with pytest.raises(AlreadyDone, match="Chen Jing"):
        settle_check_message(message=message, by=manager, was_sent=True)
    url = reverse("followups:settle_message", args=[message.pk])
    response = login(manager).post(url, {"answer": "sent"}, follow=True)
    assert "Already settled by Chen Jing" in response.text
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED and message.settled_by == customer_service


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_settles_once(make_staff, customer):
    """Two presses at once, each in its own connection: the row lock lets one through."""
    import threading

    from django.db import connection

    first, second = make_staff(roles.CUSTOMER_SERVICE), make_staff(roles.MANAGER)
    message = _check(customer)
    results, start = [], threading.Barrier(2)

    def press(staff, was_sent):
        try:
            start.wait()
            settle_check_message(message=message, by=staff, was_sent=was_sent)
            results.append("done")
        except AlreadyDone:
            results.append("already")
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=a) for a in ((first, True), (second, False))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["already", "done"]


def test_bad_input_is_refused(login, customer_service, customer):
    message = _check(customer)
    url = reverse("followups:settle_message", args=[message.pk])
    response = login(customer_service).post(url, {"answer": "maybe"}, follow=True)
    assert "Say whether the message was sent." in response.text
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.CHECK


def test_the_action_refuses_get(login, customer_service, customer):
    message = _check(customer)
    url = reverse("followups:settle_message", args=[message.pk])
    assert login(customer_service).get(url).status_code == 405


@pytest.mark.parametrize(
    "role", [r for r in roles.ALL if r not in {roles.CUSTOMER_SERVICE, roles.MANAGER}]
)
def test_every_other_role_is_refused(login, make_staff, customer, role):
    message = _check(customer)
    client = login(make_staff(role))
    if role == roles.CHAIN_MANAGER:
        pytest.skip("head office sees every page by rule (studio.access)")
    assert client.get(URL).status_code == 403
    url = reverse("followups:settle_message", args=[message.pk])
    assert client.post(url, {"answer": "sent"}).status_code == 403
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.CHECK


def test_another_branchs_messages_are_not_shown_nor_settled(login, make_staff, customer):
    other = CustomerFactory(branch=BranchFactory(code="b2", name="Other"))
    message = _check(other)
    client = login(make_staff(roles.CUSTOMER_SERVICE))
    assert message.body not in client.get(URL).text
    url = reverse("followups:settle_message", args=[message.pk])
    assert client.post(url, {"answer": "sent"}).status_code == 404
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.CHECK


def test_the_list_keeps_its_queries(
    login, customer_service, customer, django_assert_max_num_queries
):
    for n in range(15):
        _check(CustomerFactory(branch=customer.branch), n)
    with django_assert_max_num_queries(15):
        response = login(customer_service).get(URL)
    assert response.text.count('data-testid="was-sent"') == 15


def test_it_renders_in_chinese(login, customer_service, customer):
    _check(customer)
    response = login(customer_service).get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and "待核实的消息" in response.text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_a_person_settles_a_message(chromium, live_server, make_staff, customer):
    staff = make_staff(roles.CUSTOMER_SERVICE)
    message = _check(customer)
    client = Client()
    client.force_login(staff.user)
    context = chromium.new_context(locale="en-US")
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME,
          "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}]
    )  # fmt: skip
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{URL}")
        page.get_by_test_id(f"message-{message.pk}").get_by_test_id("resend").click()
        page.wait_for_load_state()
        assert "It will be sent again now." in page.content()
        assert "Nothing to check." in page.content()
    finally:
        context.close()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED and message.settled_by == staff
