"""Occasions from the Chinese calendar (issue 12, item 3): the festivals fall on the days the
published calendars give, lunar birthdays (leap months, the 30th) are greeted on the right
solar day each year, and a holiday greeting reaches each consenting customer once a year."""

import zoneinfo
from datetime import date, datetime, time, timedelta

import pytest

from followups.models import CareRule, Holiday, OutboxMessage
from followups.services import run_care_rules
from studio import lunar
from tests.factories import CustomerFactory, give_consent

SH = zoneinfo.ZoneInfo("Asia/Shanghai")

# The solar dates of the lunar festivals, 2024–2030, as published (the Hong Kong Observatory's
# and the State Council's holiday calendars; lunar-python 1.4.8 gives the same days).
FESTIVALS = {
    # year: (春节 1-1, 元宵 1-15, 七夕 7-7, 中秋 8-15, 重阳 9-9)
    2024: ("2024-02-10", "2024-02-24", "2024-08-10", "2024-09-17", "2024-10-11"),
    2025: ("2025-01-29", "2025-02-12", "2025-08-29", "2025-10-06", "2025-10-29"),
    2026: ("2026-02-17", "2026-03-03", "2026-08-19", "2026-09-25", "2026-10-18"),
    2027: ("2027-02-06", "2027-02-20", "2027-08-08", "2027-09-15", "2027-10-08"),
    2028: ("2028-01-26", "2028-02-09", "2028-08-26", "2028-10-03", "2028-10-26"),
    2029: ("2029-02-13", "2029-02-27", "2029-08-16", "2029-09-22", "2029-10-16"),
    2030: ("2030-02-03", "2030-02-17", "2030-08-05", "2030-09-12", "2030-10-05"),
}
LUNAR_KEYS = ("spring_festival", "lantern_festival", "qixi", "mid_autumn", "double_ninth")


def morning(day):
    return datetime.combine(day, time(9, 30), SH)


def messages(prefix):
    return list(OutboxMessage.objects.filter(occasion__startswith=f"care:{prefix}"))


@pytest.fixture
def consenting(customer):
    give_consent(customer)
    return customer


@pytest.mark.django_db
@pytest.mark.parametrize("year", sorted(FESTIVALS))
def test_the_lunar_festivals_fall_on_the_published_days(year):
    found = tuple(Holiday.objects.get(key=k).in_year(year).isoformat() for k in LUNAR_KEYS)
    assert found == FESTIVALS[year]


@pytest.mark.django_db
def test_mothers_and_fathers_day_are_the_second_and_third_sunday():
    mothers, fathers = (
        Holiday.objects.get(key="mothers_day"),
        Holiday.objects.get(key="fathers_day"),
    )
    assert [mothers.in_year(y) for y in (2024, 2025, 2026, 2027)] == [
        date(2024, 5, 12),
        date(2025, 5, 11),
        date(2026, 5, 10),
        date(2027, 5, 9),
    ]
    assert [fathers.in_year(y) for y in (2024, 2025, 2026, 2027)] == [
        date(2024, 6, 16),
        date(2025, 6, 15),
        date(2026, 6, 21),
        date(2027, 6, 20),
    ]


@pytest.mark.django_db
def test_the_solar_holidays_keep_their_dates():
    assert Holiday.objects.get(key="new_year").in_year(2027) == date(2027, 1, 1)
    assert Holiday.objects.get(key="valentines_day").in_year(2027) == date(2027, 2, 14)
    assert Holiday.objects.get(key="520").in_year(2027) == date(2027, 5, 20)


def test_a_lunar_30th_is_kept_on_the_29th_in_a_short_month():
    # 腊月 of lunar 2025 has 29 days: 除夕 (12-30) is its 29th, 2026-02-16.
    assert lunar.month_days(2025, 12) == 29
    assert lunar.observed(2025, 12, 30) == date(2026, 2, 16)


# --- Lunar birthdays ---


@pytest.mark.django_db
def test_a_leap_month_birthday_is_greeted_in_the_leap_month_or_the_ordinary_one(consenting):
    # Born on 1987 闰六月十五 (1987-08-09). 2025 has a 闰六月: greeted then, not in 六月;
    # 2026 and 2028 have none: greeted on 六月十五.
    consenting.bride_birthday = lunar.to_solar(1987, 6, 15, leap=True)
    consenting.bride_birthday_is_lunar = True
    consenting.save()
    assert consenting.bride_birthday == date(1987, 8, 9)
    run_care_rules(now=morning(date(2025, 7, 9)))  # 2025 六月十五, the ordinary month
    assert messages("birthday_greeting") == []
    for day in (date(2025, 8, 8), date(2026, 7, 28), date(2028, 8, 5)):
        run_care_rules(now=morning(day) - timedelta(minutes=1))
        run_care_rules(now=morning(day))
    greeted = sorted(m.occasion.rsplit(":", 1)[1] for m in messages("birthday_greeting"))
    assert greeted == ["2025-08-08", "2026-07-28", "2028-08-05"]


@pytest.mark.django_db
def test_an_ordinary_month_birthday_is_not_greeted_again_in_the_leap_month(consenting):
    consenting.groom_birthday = lunar.to_solar(1990, 6, 15)
    consenting.groom_birthday_is_lunar = True
    consenting.save()
    run_care_rules(now=morning(date(2025, 8, 8)))  # 2025 闰六月十五
    assert messages("birthday_greeting") == []
    run_care_rules(now=morning(date(2025, 7, 9)))
    [greeting] = messages("birthday_greeting")
    assert greeting.occasion.endswith(":groom:2025-07-09")


@pytest.mark.django_db
def test_a_lunar_30th_birthday_is_greeted_on_the_29th_of_a_short_month(consenting):
    # Born on lunar 1990-02-30; lunar 2026's second month has 29 days.
    consenting.bride_birthday = lunar.to_solar(1990, 2, 30)
    consenting.bride_birthday_is_lunar = True
    consenting.save()
    run_care_rules(now=morning(date(2026, 4, 16)))
    [greeting] = messages("birthday_greeting")
    assert greeting.occasion.endswith(":bride:2026-04-16")


@pytest.mark.django_db
def test_a_lunar_birthday_is_not_greeted_on_its_solar_date(consenting):
    consenting.bride_birthday = date(1990, 3, 10)
    consenting.bride_birthday_is_lunar = True
    consenting.save()
    run_care_rules(now=morning(date(2026, 3, 10)))
    assert messages("birthday_greeting") == []
    born = lunar.to_lunar(date(1990, 3, 10))  # lunar 1990-02-14
    run_care_rules(now=morning(lunar.observed(2026, born.month, born.day)))
    assert len(messages("birthday_greeting")) == 1


# --- Holiday greetings ---


@pytest.mark.django_db
def test_the_mid_autumn_greeting_goes_once_a_year_to_each_consenting_customer(consenting, branch):
    without = CustomerFactory(branch=branch)
    day = date(2026, 9, 25)
    run_care_rules(now=morning(day) - timedelta(minutes=1))
    assert messages("holiday_mid_autumn") == []
    run_care_rules(now=morning(day))
    run_care_rules(now=morning(day) + timedelta(hours=3))
    run_care_rules(now=morning(day) + timedelta(days=1))
    [greeting] = messages("holiday_mid_autumn")
    assert greeting.customer == consenting and greeting.status == OutboxMessage.Status.QUEUED
    assert greeting.occasion == (
        f"care:holiday_mid_autumn:customer={consenting.pk}:holiday=mid_autumn:2026-09-25"
    )
    assert "中秋快乐" in greeting.body and greeting.purpose == "care"
    assert not OutboxMessage.objects.filter(customer=without).exists()
    # Only the Mid-Autumn rule fired that day: no other holiday's text.
    assert OutboxMessage.objects.filter(occasion__contains="holiday=").count() == 1
    # Next year, again once.
    run_care_rules(now=morning(date(2027, 9, 15)))
    assert len(messages("holiday_mid_autumn")) == 2


@pytest.mark.django_db
def test_consent_withdrawn_means_no_holiday_greeting(consenting):
    give_consent(consenting, granted=False)
    run_care_rules(now=morning(date(2026, 2, 17)))
    assert messages("holiday_") == []


@pytest.mark.django_db
def test_a_switched_off_holiday_rule_sends_nothing_until_switched_on(consenting):
    day = date(2026, 5, 20)
    run_care_rules(now=morning(day))
    assert messages("holiday_520") == []
    CareRule.objects.filter(key="holiday_520").update(is_active=True)
    run_care_rules(now=morning(day))
    [greeting] = messages("holiday_520")
    assert "520" in greeting.body


@pytest.mark.django_db
def test_a_switched_off_holiday_silences_its_rule(consenting):
    Holiday.objects.filter(key="qixi").update(is_active=False)
    run_care_rules(now=morning(date(2026, 8, 19)))
    assert messages("holiday_qixi") == []


@pytest.mark.django_db
def test_the_seeded_holiday_rules_on_and_off():
    on = set(
        CareRule.objects.filter(trigger=CareRule.Trigger.HOLIDAY, is_active=True).values_list(
            "holiday__key", flat=True
        )
    )
    assert on == {"spring_festival", "qixi", "mid_autumn"}
    assert CareRule.objects.filter(trigger=CareRule.Trigger.HOLIDAY).count() == 10
