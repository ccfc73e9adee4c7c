"""Consent per purpose and channel (PIPL): immutable records, the latest in force, no
record repeated, and a constant number of queries however many records or customers."""

import pytest
from django.db.models import Q

from studio.models import (
    ConsentChannel,
    ConsentEvent,
    ConsentPurpose,
    Customer,
    ImmutableConsent,
    KeptRecord,
)
from studio.selectors import consent_given, consents_in_force, has_consent
from studio.services import consents_of, grant_consent, record_consents, withdraw_consent
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

MARKETING, CARE = ConsentPurpose.MARKETING, ConsentPurpose.CARE
SMS, WECHAT, CALL = ConsentChannel.SMS, ConsentChannel.WECHAT, ConsentChannel.CALL
DESK = ConsentEvent.Source.FRONT_DESK


def state(customer):
    return {(c.purpose, c.channel): c.granted for c in consents_of(customer) if c.event}


def test_a_grant_is_recorded_with_when_how_and_who(customer, receptionist):
    event = grant_consent(
        customer, purpose=MARKETING, channel=SMS, source=ConsentEvent.Source.PAPER_FORM,
        by=receptionist,
    )  # fmt: skip
    assert (event.granted, event.source, event.recorded_by) == (True, "paper_form", receptionist)
    assert event.at is not None
    assert state(customer) == {("marketing", "sms"): True}
    assert has_consent(customer, purpose=MARKETING, channel=SMS)
    assert not has_consent(customer, purpose=MARKETING, channel=WECHAT)
    assert not has_consent(customer, purpose=CARE, channel=SMS)


def test_the_latest_record_is_in_force_and_the_history_is_kept(customer):
    grant_consent(customer, purpose=CARE, channel=WECHAT, source=DESK)
    withdraw_consent(customer, purpose=CARE, channel=WECHAT, source=ConsentEvent.Source.WECHAT)
    assert state(customer) == {("care", "wechat"): False}
    grant_consent(customer, purpose=CARE, channel=WECHAT, source=DESK)
    assert state(customer) == {("care", "wechat"): True}
    assert [e.granted for e in customer.consent_events.order_by("pk")] == [True, False, True]


def test_the_same_decision_twice_is_recorded_once(customer):
    first = grant_consent(customer, purpose=MARKETING, channel=SMS, source=DESK)
    again = grant_consent(customer, purpose=MARKETING, channel=SMS, source=DESK)
    assert again == first
    withdrawn = withdraw_consent(customer, purpose=MARKETING, channel=SMS, source=DESK)
    assert withdraw_consent(customer, purpose=MARKETING, channel=SMS, source=DESK) == withdrawn
    assert customer.consent_events.count() == 2


def test_a_withdrawal_without_a_grant_is_recorded_as_an_explicit_no(customer):
    withdraw_consent(customer, purpose=MARKETING, channel=SMS, source=ConsentEvent.Source.SMS_REPLY)
    assert state(customer) == {("marketing", "sms"): False}


def test_unknown_purposes_channels_and_sources_are_refused(customer):
    for kwargs in (
        {"purpose": "spam", "channel": SMS, "source": DESK},
        {"purpose": MARKETING, "channel": "fax", "source": DESK},
        {"purpose": MARKETING, "channel": SMS, "source": "rumour"},
    ):
        with pytest.raises(ValueError):
            grant_consent(customer, **kwargs)
    assert not customer.consent_events.exists()


def test_records_cannot_be_changed_or_deleted(customer):
    event = grant_consent(customer, purpose=MARKETING, channel=SMS, source=DESK)
    event.granted = False
    with pytest.raises(ImmutableConsent):
        event.save()
    with pytest.raises(ImmutableConsent):
        ConsentEvent.objects.filter(pk=event.pk).update(granted=False)
    with pytest.raises(KeptRecord):
        event.delete()
    with pytest.raises(KeptRecord):
        ConsentEvent.objects.all().delete()
    assert ConsentEvent.objects.get().granted


def test_one_form_records_several_channels_or_none(customer, receptionist):
    record_consents(
        customer, purpose=CARE, channels=[SMS, WECHAT, CALL], granted=True, source=DESK,
        by=receptionist,
    )  # fmt: skip
    assert state(customer) == {
        ("care", "sms"): True,
        ("care", "wechat"): True,
        ("care", "call"): True,
    }
    with pytest.raises(ValueError):
        record_consents(customer, purpose=CARE, channels=[SMS, "fax"], granted=False, source=DESK)
    assert state(customer)[("care", "sms")] is True  # the first channel rolled back too


def test_a_customer_list_filters_by_consent_in_one_query(branch, django_assert_num_queries):
    customers = [CustomerFactory(branch=branch) for _ in range(6)]
    for c in customers[:4]:
        grant_consent(c, purpose=MARKETING, channel=SMS, source=DESK)
    withdraw_consent(customers[0], purpose=MARKETING, channel=SMS, source=DESK)
    grant_consent(customers[4], purpose=MARKETING, channel=WECHAT, source=DESK)
    with django_assert_num_queries(1):
        found = set(
            Customer.objects.alias(ok=consent_given(MARKETING, SMS))
            .filter(ok=True)
            .values_list("pk", flat=True)
        )
    assert found == {c.pk for c in customers[1:4]}
    with django_assert_num_queries(1):
        in_force = consents_in_force(c.pk for c in customers)
    assert (customers[0].pk, "marketing", "sms") not in in_force
    assert (customers[4].pk, "marketing", "wechat") in in_force


def test_the_file_reads_its_consent_in_one_query_however_long_the_history(
    customer, django_assert_num_queries
):
    for _ in range(5):
        grant_consent(customer, purpose=CARE, channel=SMS, source=DESK)
        withdraw_consent(customer, purpose=CARE, channel=SMS, source=DESK)
    with django_assert_num_queries(1):
        consents = consents_of(customer)
    assert len(consents) == len(ConsentPurpose) * len(ConsentChannel)


def test_the_latest_record_query_uses_its_index(customer, is_postgres):
    if not is_postgres:
        pytest.skip("PostgreSQL's plan")
    from django.db import connection

    for _ in range(3):
        grant_consent(customer, purpose=CARE, channel=SMS, source=DESK)
    latest = ConsentEvent.objects.filter(Q(customer=customer), purpose=CARE, channel=SMS)
    sql, params = latest.order_by("-pk").values("granted")[:1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "consent_latest" in plan
