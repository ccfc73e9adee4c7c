"""The care rules of DOMAIN.md's aftercare table, as seeded by the data migration: each fires
at its time and not before, once per occasion, only while it is on, and at its new time
when a manager moves it."""

import zoneinfo
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog

from followups.models import CallTask, CareRule, MessageTemplate, OutboxMessage
from followups.services import log_complaint, retime_care_rule, run_care_rules
from followups.triggers import FINDERS
from orders.models import Order, State
from pickup.models import PickupAppointment
from selection.models import SelectionSession
from shoots.models import Shoot
from studio import roles
from tests.factories import CustomerFactory, give_consent

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Monday morning at the Shanghai branch: the deposit is taken then.
T0 = datetime(2026, 3, 2, 11, 0, tzinfo=SH)


def at(day, hour, minute=0):
    """Shanghai time on 2026-03-`day` (days past March roll over)."""
    return datetime.combine(date(2026, 3, 1) + timedelta(days=day - 1), time(hour, minute), SH)


def fired(rule_key):
    prefix = f"care:{rule_key}:"
    return list(CallTask.objects.filter(occasion__startswith=prefix)) + list(
        OutboxMessage.objects.filter(occasion__startswith=prefix)
    )


def assert_queued(message):
    """A message that will really go: queued with its text, not skipped for a missing or
    broken template (which would still count as "fired")."""
    assert message.status == OutboxMessage.Status.QUEUED, (message.occasion, message.skip_reason)
    assert message.skip_reason == ""
    assert message.body.strip() and "{" not in message.body


def fires_at(rule_key, moment, *, skipped=False):
    """Nothing a minute before `moment`; exactly one call or message at `moment`. A message
    must be queued with its text unless the test expects it `skipped`."""
    run_care_rules(now=moment - timedelta(minutes=1))
    assert fired(rule_key) == [], f"{rule_key} fired before {moment}"
    run_care_rules(now=moment)
    found = fired(rule_key)
    assert len(found) == 1, f"{rule_key} did not fire at {moment}"
    if isinstance(found[0], OutboxMessage) and not skipped:
        assert_queued(found[0])
    return found[0]


@pytest.fixture
def consenting(customer):
    customer.address = "No. 1 Nanjing Road, Shanghai"
    customer.save()
    give_consent(customer)
    return customer


@pytest.fixture
def deposit_order(make_order):
    with time_machine.travel(T0, tick=False):
        return make_order()


def test_every_trigger_has_a_finder():
    assert set(FINDERS.names) == set(CareRule.Trigger.values) and FINDERS.unanswered() == []


def test_the_thank_you_sms_is_queued_within_30_minutes_of_the_deposit(deposit_order):
    message = fires_at("deposit_thanks_sms", T0 + timedelta(minutes=20))
    assert message.occasion == f"care:deposit_thanks_sms:order={deposit_order.pk}:2026-03-02"
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.channel == "sms" and message.send_after == T0 + timedelta(minutes=20)
    assert deposit_order.owner.display_name in message.body


def test_the_thank_you_letter_goes_the_next_day(consenting, deposit_order):
    letter = fires_at("deposit_thanks_letter", at(3, 10))
    assert letter.channel == "letter" and letter.to == consenting.address


def test_day_10_without_a_shoot_puts_an_urge_call_on_the_owners_list(deposit_order):
    task = fires_at("urge_no_shoot_day10", at(12, 10))
    assert task.kind == CallTask.Kind.URGE
    assert task.assignee == deposit_order.owner and task.order == deposit_order
    assert task.due_at == at(12, 10) and "balance" in task.script_text


def test_no_urge_call_once_a_shoot_is_booked(deposit_order, receptionist):
    _shoot(deposit_order, receptionist, at(20, 9), status=Shoot.Status.PLANNED)
    run_care_rules(now=at(12, 10))
    assert fired("urge_no_shoot_day10") == []


def test_the_day_15_and_day_60_offers_need_marketing_consent(customer, deposit_order):
    offer = fires_at("offer_no_shoot_day15", at(17, 10), skipped=True)
    assert offer.status == OutboxMessage.Status.SKIPPED
    assert offer.skip_reason == OutboxMessage.SkipReason.NO_CONSENT
    give_consent(customer, purposes=["marketing"], channels=["sms"])
    later = fires_at("offer_no_shoot_day60", at(2, 10) + timedelta(days=60))
    assert later.status == OutboxMessage.Status.QUEUED and later.purpose == "marketing"


def test_the_morning_after_the_shoot_a_greeting_sms(consenting, deposit_order, receptionist):
    _shoot(deposit_order, receptionist, at(20, 9), status=Shoot.Status.FINISHED)
    greeting = fires_at("shoot_greeting", at(21, 9, 30))
    assert greeting.status == OutboxMessage.Status.QUEUED


def test_the_morning_after_the_selection_a_greeting_sms(consenting, deposit_order):
    SelectionSession.objects.create(
        order=deposit_order,
        appointment_at=at(25, 14),
        appointment_ends_at=at(25, 16),
        signed_at=at(25, 16),
    )
    fires_at("selection_greeting", at(26, 9, 30))


def test_no_selection_greeting_when_the_selection_was_not_signed(consenting, deposit_order):
    SelectionSession.objects.create(
        order=deposit_order, appointment_at=at(25, 14), appointment_ends_at=at(25, 16)
    )
    run_care_rules(now=at(26, 12))
    assert fired("selection_greeting") == []


def test_the_day_before_the_pickup_the_owner_calls(deposit_order, receptionist):
    _pickup(deposit_order, receptionist, at(40, 15))
    task = fires_at("pickup_notice_call", at(39, 10))
    assert task.kind == CallTask.Kind.PICKUP_NOTICE and task.assignee == receptionist


def test_no_pickup_notice_after_the_pickup_time(deposit_order, receptionist):
    _pickup(deposit_order, receptionist, at(40, 15))
    run_care_rules(now=at(40, 16))
    assert fired("pickup_notice_call") == []


def test_delivered_a_thank_you_letter_within_7_days(consenting, deposit_order):
    _deliver(deposit_order, at(45, 16))
    fires_at("delivered_thanks_letter", at(48, 10))


def test_30_days_after_delivery_a_vip_greeting_unless_they_referred_someone(
    consenting, deposit_order, branch
):
    _deliver(deposit_order, at(45, 16))
    fires_at("vip_greeting_day30", at(75, 10))


def test_no_vip_greeting_for_a_couple_who_referred_friends(consenting, deposit_order, branch):
    CustomerFactory(branch=branch, referrer=consenting)
    _deliver(deposit_order, at(45, 16))
    run_care_rules(now=at(75, 12))
    assert fired("vip_greeting_day30") == []


def test_birthdays_of_bride_and_groom_are_greeted_on_the_day(consenting):
    consenting.bride_birthday = date(1995, 3, 10)
    consenting.groom_birthday = date(1993, 3, 10)
    consenting.save()
    run_care_rules(now=at(10, 9, 29))
    assert fired("birthday_greeting") == []
    run_care_rules(now=at(10, 9, 30))
    greetings = fired("birthday_greeting")
    assert sorted(m.occasion for m in greetings) == [
        f"care:birthday_greeting:customer={consenting.pk}:bride:2026-03-10",
        f"care:birthday_greeting:customer={consenting.pk}:groom:2026-03-10",
    ]
    for greeting in greetings:
        assert_queued(greeting)


def test_a_29_february_birthday_is_greeted_on_28_february(consenting):
    consenting.bride_birthday = date(1996, 2, 29)
    consenting.save()
    fires_at("birthday_greeting", datetime(2026, 2, 28, 9, 30, tzinfo=SH))


def test_the_wedding_anniversary_is_greeted_from_the_first_year(consenting):
    consenting.wedding_date = date(2026, 3, 10)
    consenting.save()
    run_care_rules(now=at(10, 12))
    assert fired("anniversary_greeting") == []
    consenting.wedding_date = date(2025, 3, 10)
    consenting.save()
    fires_at("anniversary_greeting", at(10, 9, 30))


def test_each_couples_greeting_names_their_own_store_and_owner(branch, other_branch, make_staff):
    """The dated finders read each couple's branch and owner once for all the couples
    (triggers._couples): each greeting still names its own couple's."""
    MessageTemplate.objects.filter(key="birthday_greeting").update(
        body="{store}: {owner}, {couple}"
    )
    owners = [make_staff(roles.RECEPTIONIST, branch=b, display_name=n) for b, n in
              [(branch, "Li Na"), (other_branch, "Zhao Lei"), (branch, "Sun Yu")]]  # fmt: skip
    couples = [
        CustomerFactory(branch=o.branches.get(), owner=o, bride_birthday=date(1995, 3, 10))
        for o in owners
    ]
    for couple in couples:
        give_consent(couple)
    run_care_rules(now=at(10, 12))
    for couple, owner in zip(couples, owners, strict=True):
        (greeting,) = OutboxMessage.objects.filter(
            customer=couple, template_key="birthday_greeting"
        )
        assert greeting.body == f"{couple.branch.name}: {owner.display_name}, {couple}"


def test_the_referrer_is_thanked_the_day_after_the_referred_couple_signs(
    branch, receptionist, package, make_order
):
    referrer = CustomerFactory(branch=branch, owner=receptionist)
    friends = CustomerFactory(branch=branch, owner=receptionist, referrer=referrer)
    with time_machine.travel(T0, tick=False):
        order = make_order(customer=friends)
    thanks = fires_at("referral_thanks", at(3, 10))
    assert thanks.customer == referrer
    assert thanks.occasion == f"care:referral_thanks:order={order.pk}:2026-03-02"


def test_a_complaint_gets_an_apology_letter(consenting, receptionist):
    with time_machine.travel(T0, tick=False):
        log_complaint(
            customer=consenting, text="The album cover is scratched.", logged_by=receptionist
        )
    letter = fires_at("complaint_apology_letter", at(3, 10))
    assert letter.channel == "letter" and receptionist.display_name in letter.body


def test_an_unanswered_follow_up_call_brings_a_special_offer_letter(consenting, receptionist):
    CallTask.objects.create(
        branch=consenting.branch,
        customer=consenting,
        assignee=receptionist,
        kind=CallTask.Kind.VISIT_FOLLOWUP,
        occasion="visit-not-booked:visit=999",
        due_at=T0,
        status=CallTask.Status.FAILED,
        done_at=T0,
    )
    letter = fires_at("call_failed_offer_letter", at(3, 10))
    assert letter.purpose == "marketing" and letter.status == OutboxMessage.Status.QUEUED


def test_running_twice_fires_each_rule_once_per_occasion(consenting, deposit_order):
    moment = at(3, 10)
    run_care_rules(now=moment)
    counts = (CallTask.objects.count(), OutboxMessage.objects.count())
    assert counts[1] >= 2  # the SMS and the letter
    assert run_care_rules(now=moment) == 0
    assert run_care_rules(now=moment + timedelta(hours=5)) == 0
    assert (CallTask.objects.count(), OutboxMessage.objects.count()) == counts


def test_a_worker_that_was_down_catches_up_but_old_history_is_not_replayed(deposit_order):
    # Down for a day: the SMS still goes.
    run_care_rules(now=T0 + timedelta(days=1))
    assert len(fired("deposit_thanks_sms")) == 1
    OutboxMessage._base_manager.all().delete()  # kept records: past the guard on purpose
    # Down for a week: the deposit is history now.
    run_care_rules(now=T0 + timedelta(days=7))
    assert fired("deposit_thanks_sms") == []


def test_a_switched_off_rule_does_nothing(deposit_order):
    CareRule.objects.filter(key="deposit_thanks_sms").update(is_active=False)
    run_care_rules(now=T0 + timedelta(hours=1))
    assert fired("deposit_thanks_sms") == []


def test_a_re_timed_rule_fires_at_its_new_time(deposit_order, manager):
    rule = CareRule.objects.get(key="deposit_thanks_sms")
    retime_care_rule(rule=rule, is_active=True, offset_minutes=90, at_time=None, by=manager)
    run_care_rules(now=T0 + timedelta(minutes=30))
    assert fired("deposit_thanks_sms") == []
    fires_at("deposit_thanks_sms", T0 + timedelta(minutes=90))


def test_moving_a_rule_after_it_fired_does_not_fire_it_again(deposit_order, manager):
    run_care_rules(now=T0 + timedelta(minutes=20))
    rule = CareRule.objects.get(key="deposit_thanks_sms")
    retime_care_rule(rule=rule, is_active=True, offset_minutes=60, at_time=None, by=manager)
    run_care_rules(now=T0 + timedelta(minutes=60))
    assert len(fired("deposit_thanks_sms")) == 1


def test_an_sms_due_at_night_waits_for_the_morning(make_order):
    with time_machine.travel(at(2, 20, 50), tick=False):
        order = make_order()
    message = fires_at("deposit_thanks_sms", at(2, 21, 10))
    assert message.send_after == at(3, 9)
    assert order.customer.pk == message.customer_id


def test_a_cancelled_order_gets_no_thanks(deposit_order):
    Order.objects.filter(pk=deposit_order.pk).update(state=State.CANCELLED)
    run_care_rules(now=T0 + timedelta(hours=1))
    assert fired("deposit_thanks_sms") == []


def _shoot(order, staff, starts_at, *, status):
    return Shoot.objects.create(
        order=order,
        branch=order.branch,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=6),
        status=status,
        finished_at=starts_at + timedelta(hours=6) if status == Shoot.Status.FINISHED else None,
        created_by=staff,
    )


def _pickup(order, staff, starts_at):
    Order.objects.filter(pk=order.pk).update(state=State.READY)
    return PickupAppointment.objects.create(
        order=order, branch=order.branch, starts_at=starts_at, slip_number="P1", created_by=staff
    )


def _deliver(order, when):
    Order.objects.filter(pk=order.pk).update(state=State.DELIVERED)
    StateLog.objects.create(
        content_type=ContentType.objects.get_for_model(Order),
        object_id=order.pk,
        source_state=State.READY,
        state=State.DELIVERED,
        transition="deliver",
        timestamp=when,
    )
