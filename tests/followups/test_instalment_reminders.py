"""The instalment reminders: a call three days before each instalment falls due and an SMS the
day before, once per instalment, only while something of it is unpaid."""

import zoneinfo
from datetime import date, datetime, time, timedelta

import pytest
import time_machine

from followups.models import CallTask, OutboxMessage
from followups.services import run_care_rules
from orders import services

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 11, 0, tzinfo=SH)
FIRST, SECOND = date(2026, 3, 12), date(2026, 3, 22)


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), SH)


def calls():
    return list(CallTask.objects.filter(occasion__startswith="care:instalment_reminder_call:"))


def texts():
    return list(OutboxMessage.objects.filter(occasion__startswith="care:instalment_reminder_sms:"))


@pytest.fixture
def planned(make_order, receptionist):
    with time_machine.travel(T0, tick=False):
        order = make_order()
        services.set_payment_plan(
            order=order, instalments=[(FIRST, "3000"), (SECOND, "3800")], by=receptionist
        )
    return order


def test_the_call_comes_three_days_before_and_the_sms_the_day_before(planned):
    run_care_rules(now=at(FIRST - timedelta(days=3), 9, 59))
    assert calls() == []
    run_care_rules(now=at(FIRST - timedelta(days=3), 10, 0))
    [call] = calls()
    assert call.order == planned and call.kind == CallTask.Kind.INSTALMENT
    assert "falls due in three days" in call.script_text
    run_care_rules(now=at(FIRST - timedelta(days=1), 10, 0))
    [sms] = texts()
    assert sms.status == OutboxMessage.Status.QUEUED
    assert "¥3,000.00" in sms.body and "{" not in sms.body
    assert sms.params["amount"] == "¥3,000.00"


def test_it_reminds_once_however_often_it_runs(planned):
    moment = at(FIRST - timedelta(days=1), 10, 0)
    for _ in range(3):
        run_care_rules(now=moment)
        run_care_rules(now=moment + timedelta(minutes=10))
    assert len(texts()) == 1


def test_a_paid_instalment_is_not_reminded(planned, receptionist):
    with time_machine.travel(at(FIRST, 12), tick=False):
        services.take_payment(
            order=planned, kind="balance", method="cash", amount="6800", staff=receptionist
        )
    run_care_rules(now=at(SECOND - timedelta(days=3), 10, 0))
    run_care_rules(now=at(SECOND - timedelta(days=1), 10, 0))
    assert calls() == [] and texts() == []


def test_the_reminder_says_what_is_left_of_a_part_paid_instalment(planned, receptionist):
    with time_machine.travel(at(FIRST - timedelta(days=5), 12), tick=False):
        services.take_payment(
            order=planned, kind="balance", method="cash", amount="1000", staff=receptionist
        )
    run_care_rules(now=at(FIRST - timedelta(days=1), 10, 0))
    [sms] = texts()
    assert "¥2,000.00" in sms.body


def test_a_plan_changed_elsewhere_does_not_remind_the_same_date_twice(planned, receptionist):
    run_care_rules(now=at(FIRST - timedelta(days=1), 10, 0))
    with time_machine.travel(at(FIRST - timedelta(days=1), 11), tick=False):
        services.set_payment_plan(
            order=planned,
            instalments=[(FIRST, "3000"), (SECOND, "2000"), (date(2026, 4, 1), "1800")],
            by=receptionist,
            reason="smaller second part",
        )
    run_care_rules(now=at(FIRST - timedelta(days=1), 10, 30))
    assert len(texts()) == 1


def test_the_chinese_couple_gets_the_chinese_reminder(planned):
    planned.customer.language = "zh-hans"
    planned.customer.save()
    run_care_rules(now=at(FIRST - timedelta(days=1), 10, 0))
    [sms] = texts()
    assert "分期付款" in sms.body and "2026年3月12日" in sms.body
