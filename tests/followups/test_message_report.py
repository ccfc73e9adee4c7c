"""Managers see what happened to their branch's messages (issue 12, item 7): per template
and day, how many were queued, wait, were sent, delivered, failed, not sent and why."""

import zoneinfo
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followups.models import OutboxMessage
from followups.selectors import message_counts
from studio import roles
from tests.factories import CustomerFactory

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
URL = reverse("followups:message_report")
S = OutboxMessage.Status
R = OutboxMessage.SkipReason


def at(day, hour=10):
    return datetime.combine(date(2026, 3, day), time(hour), SH)


@pytest.fixture
def make_messages(branch):
    made = {"n": 0}

    def make(count, *, key, status, when, reason="", where=branch):
        customer = CustomerFactory(branch=where)
        rows = []
        for _ in range(count):
            made["n"] += 1
            rows.append(
                OutboxMessage(
                    branch=where, customer=customer, channel="sms", template_key=key,
                    occasion=f"o:{made['n']}", status=status, skip_reason=reason,
                    send_after=when, created_at=when,
                )
            )  # fmt: skip
        OutboxMessage.objects.bulk_create(rows)

    return make


@pytest.fixture
def march(make_messages, other_branch):
    make_messages(1, key="deposit_thanks", status=S.QUEUED, when=at(2))
    make_messages(2, key="deposit_thanks", status=S.SENT, when=at(2))
    make_messages(1, key="deposit_thanks", status=S.FAILED, when=at(2))
    make_messages(2, key="shoot_greeting", status=S.SKIPPED, reason=R.NO_CONSENT, when=at(2))
    make_messages(1, key="shoot_greeting", status=S.SKIPPED, reason=R.NO_ADDRESS, when=at(2))
    make_messages(1, key="shoot_greeting", status=S.CHECK, when=at(2))
    # 23:30 in Shanghai is still the 3rd there (15:30 UTC).
    make_messages(1, key="deposit_thanks", status=S.SENT, when=at(3, 23) + timedelta(minutes=30))
    make_messages(5, key="deposit_thanks", status=S.SENT, when=at(2), where=other_branch)
    make_messages(4, key="deposit_thanks", status=S.SENT, when=at(10))


def _row(rows, day, key):
    (row,) = [r for r in rows if r.day == date(2026, 3, day) and r.template_key == key]
    return row


def test_it_counts_per_template_and_day_where_each_message_stands(branch, march):
    rows, total = message_counts(branch, first=date(2026, 3, 1), last=date(2026, 3, 7))
    assert len(rows) == 3
    thanks = _row(rows, 2, "deposit_thanks")
    assert thanks.queued == 4
    assert thanks.counts == {
        "waiting": 1, "sent": 2, "delivered": 0, "failed": 1, "skipped": 0, "check": 0,
    }  # fmt: skip
    greeting = _row(rows, 2, "shoot_greeting")
    assert greeting.queued == 4 and greeting.counts["skipped"] == 3
    assert greeting.counts["check"] == 1
    assert greeting.reasons == {
        "No consent for this purpose on this channel": 2,
        "No address on file for this channel": 1,
    }
    assert _row(rows, 3, "deposit_thanks").counts["sent"] == 1  # branch time, not UTC
    assert total.queued == 9 and total.counts["sent"] == 3 and total.counts["skipped"] == 3
    assert rows[0].day == date(2026, 3, 3)  # newest day first


def test_the_page_makes_the_same_queries_for_a_busy_quarter(
    login, manager, branch, make_messages, django_assert_max_num_queries
):
    client = login(manager)
    period = {"first": "2026-01-01", "last": "2026-03-31"}
    make_messages(1, key="deposit_thanks", status=S.SENT, when=at(2))
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, period).status_code == 200
    for day in range(1, 29):
        for key in ("deposit_thanks", "shoot_greeting", "birthday_greeting"):
            make_messages(3, key=key, status=S.SENT, when=at(day))
            make_messages(1, key=key, status=S.SKIPPED, reason=R.NO_CONSENT, when=at(day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, period)
    assert len(response.context["rows"]) == 28 * 3


def test_the_report_reads_the_branchs_period_by_its_index(branch, other_branch, make_messages):
    for day in range(1, 29):
        for where in (branch, other_branch):
            make_messages(40, key="deposit_thanks", status=S.SENT, when=at(day), where=where)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE followups_outboxmessage")
    with CaptureQueriesContext(connection) as report:
        message_counts(branch, first=date(2026, 3, 2), last=date(2026, 3, 4))
    (sql,) = [q["sql"] for q in report.captured_queries if "GROUP BY" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "outbox_branch_period" in plan, plan


def test_the_page_shows_the_counts(login, manager, march):
    response = login(manager).get(URL, {"first": "2026-03-01", "last": "2026-03-07"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="report-row"' in body
    assert "No consent for this purpose on this channel: 2" in body


def test_it_renders_in_chinese(login, manager, march):
    client = login(manager)
    client.cookies["django_language"] = "zh-hans"
    body = client.get(URL, {"first": "2026-03-01", "last": "2026-03-07"}).content.decode()
    assert "客户未同意通过该渠道接收此类信息" in body
    assert "No consent" not in body


@pytest.mark.parametrize(
    "first, last",
    [("2026-03-07", "2026-03-01"), ("2026-01-01", "2026-06-30"), ("yesterday", "")],
)
def test_bad_input_is_refused_with_a_reason(login, manager, first, last):
    response = login(manager).get(URL, {"first": first, "last": last})
    assert response.status_code == 400
    assert 'data-testid="form-errors"' in response.content.decode()
    assert "rows" not in response.context


def test_another_branch_is_not_found_for_a_store_manager(login, manager, other_branch):
    response = login(manager).get(URL, {"branch": other_branch.pk})
    assert response.status_code == 404


def test_head_office_sees_any_branch(login, make_staff, other_branch, march):
    client = login(make_staff(roles.CHAIN_MANAGER))
    response = client.get(
        URL, {"branch": other_branch.pk, "first": "2026-03-02", "last": "2026-03-02"}
    )
    assert response.status_code == 200
    assert response.context["total"].counts["sent"] == 5


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - {roles.MANAGER, roles.CHAIN_MANAGER}))
def test_other_roles_are_refused(login, make_staff, role):
    assert login(make_staff(role)).get(URL).status_code == 403


def test_it_refuses_post(login, manager):
    assert login(manager).post(URL, {}).status_code == 405


def test_delivery_receipts_count_as_sent_and_delivered_or_failed(branch, make_messages):
    make_messages(2, key="deposit_thanks", status=S.DELIVERED, when=at(2))
    make_messages(1, key="deposit_thanks", status=S.UNDELIVERED, when=at(2))
    _rows, total = message_counts(branch, first=date(2026, 3, 2), last=date(2026, 3, 2))
    assert total.queued == 3
    assert (total.counts["sent"], total.counts["delivered"], total.counts["failed"]) == (3, 2, 1)
