"""Birthdays and anniversaries come round on the right day at the edges the month-and-day
query must get right: 29 February in leap and other years, and a window that spans the
turn of a month or of a year (a worker that was down catches up). Without consent to
greetings the greeting is recorded as not sent."""

from datetime import date, datetime, time

import pytest

from followups.models import OutboxMessage
from followups.services import run_care_rules
from tests.factories import give_consent

from .test_care_rules import SH, assert_queued, fired, fires_at

pytestmark = pytest.mark.django_db


def morning(year, month, day):
    return datetime.combine(date(year, month, day), time(9, 30), SH)


def occasions(rule_key):
    return sorted(m.occasion for m in fired(rule_key))


@pytest.fixture
def consenting(customer):
    give_consent(customer)
    return customer


def test_a_29_february_birthday_is_greeted_on_29_february_in_a_leap_year(consenting):
    consenting.bride_birthday = date(1996, 2, 29)
    consenting.save()
    run_care_rules(now=morning(2028, 2, 28))
    assert fired("birthday_greeting") == []
    greeting = fires_at("birthday_greeting", morning(2028, 2, 29))
    assert greeting.occasion.endswith(":bride:2028-02-29")


def test_28_and_29_february_birthdays_are_each_greeted_once_on_28_february(consenting, branch):
    consenting.bride_birthday = date(1996, 2, 29)
    consenting.groom_birthday = date(1994, 2, 28)
    consenting.save()
    run_care_rules(now=morning(2027, 2, 28))
    run_care_rules(now=morning(2027, 3, 1))
    assert occasions("birthday_greeting") == [
        f"care:birthday_greeting:customer={consenting.pk}:bride:2027-02-28",
        f"care:birthday_greeting:customer={consenting.pk}:groom:2027-02-28",
    ]


def test_a_29_february_wedding_has_its_anniversary_on_28_february(consenting):
    consenting.wedding_date = date(2024, 2, 29)
    consenting.save()
    greeting = fires_at("anniversary_greeting", morning(2025, 2, 28))
    assert greeting.occasion.endswith(":anniversary:2025-02-28")


def test_birthdays_either_side_of_new_year_are_caught_up_after_it(consenting):
    consenting.bride_birthday = date(1995, 12, 31)
    consenting.groom_birthday = date(1993, 1, 1)
    consenting.save()
    run_care_rules(now=morning(2027, 1, 1))  # the worker was down on New Year's Eve
    assert occasions("birthday_greeting") == [
        f"care:birthday_greeting:customer={consenting.pk}:bride:2026-12-31",
        f"care:birthday_greeting:customer={consenting.pk}:groom:2027-01-01",
    ]
    for greeting in fired("birthday_greeting"):
        assert_queued(greeting)


def test_a_new_year_wedding_is_greeted_from_the_first_anniversary(consenting):
    consenting.wedding_date = date(2025, 12, 31)
    consenting.save()
    run_care_rules(now=morning(2026, 1, 1))  # the wedding day itself is in the window
    assert fired("anniversary_greeting") == []
    run_care_rules(now=morning(2027, 1, 1))
    assert occasions("anniversary_greeting") == [
        f"care:anniversary_greeting:customer={consenting.pk}:anniversary:2026-12-31"
    ]


def test_birthdays_either_side_of_a_month_end_are_greeted_on_their_days(consenting):
    consenting.bride_birthday = date(1995, 4, 30)
    consenting.groom_birthday = date(1993, 5, 1)
    consenting.save()
    run_care_rules(now=morning(2026, 4, 29))
    assert fired("birthday_greeting") == []
    run_care_rules(now=morning(2026, 5, 1))
    assert occasions("birthday_greeting") == [
        f"care:birthday_greeting:customer={consenting.pk}:bride:2026-04-30",
        f"care:birthday_greeting:customer={consenting.pk}:groom:2026-05-01",
    ]


def test_a_birthday_without_consent_to_greetings_is_recorded_not_sent(customer):
    give_consent(customer, purposes=["marketing"])  # offers, not greetings
    customer.bride_birthday = date(1995, 3, 10)
    customer.save()
    greeting = fires_at("birthday_greeting", morning(2026, 3, 10), skipped=True)
    assert greeting.status == OutboxMessage.Status.SKIPPED
    assert greeting.skip_reason == OutboxMessage.SkipReason.NO_CONSENT
