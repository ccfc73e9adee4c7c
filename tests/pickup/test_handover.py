"""The hand-over: the day-before check, the slip at the desk, the items, the third sale,
the survey and the delivery (DOMAIN.md, stage 6)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from followups.models import CallTask, CareRule
from orders.models import Charge, LedgerEntry, Order, State
from pickup import services
from pickup.models import (
    ItemCheck,
    LostSlipMemo,
    PartialPickupMemo,
    PickupAppointment,
    Survey,
)
from selection import selectors as production
from selection.models import ProductionItem


def _all_ok(items):
    return {i.pk: ("ok", "") for i in items}


def _no_care_rule_call():
    CareRule.objects.filter(trigger=CareRule.Trigger.READY_FOR_PICKUP).update(is_active=False)


# --- The day before ---


def test_a_clean_check_calls_the_owner_once(pickup, items, pickup_clerk):
    _no_care_rule_call()
    for _ in range(2):
        assert (
            services.check_items(order=pickup.order, by=pickup_clerk, results=_all_ok(items)) == []
        )
    task = CallTask.objects.get(occasion=f"pickup-notice:{pickup.pk}")
    assert "取件单" in task.script_text and "帮手" in task.script_text  # the customer's language
    assert task.kind == CallTask.Kind.PICKUP_NOTICE
    pickup.refresh_from_db()
    assert pickup.checked_at is not None
    assert ItemCheck.objects.filter(result="ok").count() == 4


def test_the_care_rule_call_is_not_duplicated(pickup, items, pickup_clerk):
    CareRule.objects.update_or_create(
        key="pickup_notice_call",
        defaults={
            "trigger": CareRule.Trigger.READY_FOR_PICKUP,
            "action": CareRule.Action.CALL,
            "call_kind": CallTask.Kind.PICKUP_NOTICE,
            "offset_minutes": -1440,
            "is_active": True,
        },
    )
    services.check_items(order=pickup.order, by=pickup_clerk, results=_all_ok(items))
    assert not CallTask.objects.filter(occasion=f"pickup-notice:{pickup.pk}").exists()


def test_a_failed_check_sends_the_item_to_rework_and_blocks_delivery(
    pickup, items, pickup_clerk, paid
):
    results = _all_ok(items)
    results[items[1].pk] = ("damage", "Corner of the frame cracked")
    failed = services.check_items(order=pickup.order, by=pickup_clerk, results=results)
    assert failed == [items[1]]
    items[1].refresh_from_db()
    assert items[1].stage == ProductionItem.Stage.REWORK and items[1].qc_passed_at is None
    assert "cracked" in items[1].rework_text
    assert not CallTask.objects.filter(occasion=f"pickup-notice:{pickup.pk}").exists()
    services.verify_slip(appointment=pickup, slip_number=pickup.slip_number, by=pickup_clerk)
    with pytest.raises(ValidationError, match="Not finished"):
        services.hand_over(appointment=pickup, item_ids=[i.pk for i in items], by=pickup_clerk)
    assert not production.all_items_handed_over(pickup.order)


def test_a_fault_needs_a_note_and_nothing_is_kept(pickup, items, pickup_clerk):
    results = _all_ok(items)
    results[items[0].pk] = ("spot", "  ")
    with pytest.raises(ValidationError) as exc:
        services.check_items(order=pickup.order, by=pickup_clerk, results=results)
    assert f"item_{items[0].pk}" in exc.value.message_dict
    assert not ItemCheck.objects.exists()


def test_an_item_left_unchecked_is_refused(pickup, items, pickup_clerk):
    with pytest.raises(ValidationError) as exc:
        services.check_items(order=pickup.order, by=pickup_clerk, results={})
    assert len(exc.value.message_dict) == 2


# --- At the desk ---


def test_a_wrong_slip_number_is_refused(pickup, pickup_clerk):
    with pytest.raises(ValidationError) as exc:
        services.verify_slip(appointment=pickup, slip_number="X-P999999", by=pickup_clerk)
    assert "not the slip number" in exc.value.message_dict["slip_number"][0]
    pickup.refresh_from_db()
    assert pickup.slip_verified_at is None


def test_the_right_slip_number_is_accepted_in_any_case(pickup, pickup_clerk):
    assert (
        services.verify_slip(
            appointment=pickup, slip_number=pickup.slip_number.lower(), by=pickup_clerk
        )
        is None
    )
    pickup.refresh_from_db()
    assert pickup.slip_verified_by == pickup_clerk


def test_a_lost_slip_without_an_id_document_is_refused(pickup, pickup_clerk):
    with pytest.raises(ValidationError) as exc:
        services.verify_slip(appointment=pickup, by=pickup_clerk)
    assert set(exc.value.message_dict) == {"lost_slip_id_type", "lost_slip_id_number"}
    assert not LostSlipMemo.objects.exists()


def test_a_lost_slip_with_an_id_gives_a_memo(pickup, pickup_clerk):
    memo = services.verify_slip(
        appointment=pickup,
        lost_slip_id_type="id_card",
        lost_slip_id_number="110101199001011237",
        by=pickup_clerk,
    )
    assert memo.order == pickup.order and memo.id_type == "id_card"
    pickup.refresh_from_db()
    assert pickup.slip_verified_at is not None


def test_nothing_is_handed_over_before_the_slip(pickup, items, pickup_clerk, paid):
    with pytest.raises(ValidationError, match="pickup slip"):
        services.hand_over(appointment=pickup, item_ids=[items[0].pk], by=pickup_clerk)


def test_the_balance_must_be_paid_first(pickup, items, pickup_clerk):
    services.verify_slip(appointment=pickup, slip_number=pickup.slip_number, by=pickup_clerk)
    with pytest.raises(ValidationError, match="balance must be paid"):
        services.hand_over(appointment=pickup, item_ids=[i.pk for i in items], by=pickup_clerk)
    assert not ProductionItem.objects.filter(handed_over_at__isnull=False).exists()


def test_missing_items_give_a_partial_memo_and_a_new_appointment(pickup, items, pickup_clerk, paid):
    services.verify_slip(appointment=pickup, slip_number=pickup.slip_number, by=pickup_clerk)
    memo = services.hand_over(appointment=pickup, item_ids=[items[0].pk], by=pickup_clerk)
    assert isinstance(memo, PartialPickupMemo)
    assert list(memo.items.all()) == [items[1]]
    assert memo.rest_at == pickup.starts_at + timedelta(days=7)
    following = memo.next_appointment
    assert following.status == PickupAppointment.Status.BOOKED
    assert following.slip_number != pickup.slip_number
    pickup.refresh_from_db()
    assert pickup.status == PickupAppointment.Status.DONE
    with pytest.raises(ValidationError):
        services.complete_pickup(appointment=following, by=pickup_clerk)


def test_the_full_hand_over_delivers(pickup, items, pickup_clerk, paid):
    services.verify_slip(appointment=pickup, slip_number=pickup.slip_number, by=pickup_clerk)
    assert (
        services.hand_over(appointment=pickup, item_ids=[i.pk for i in items], by=pickup_clerk)
        is None
    )
    services.complete_pickup(appointment=pickup, by=pickup_clerk)
    pickup.refresh_from_db()
    assert pickup.status == PickupAppointment.Status.DONE
    assert Order.objects.get(pk=pickup.order_id).state == State.DELIVERED


def test_delivery_is_refused_with_items_not_handed_over(pickup, items, pickup_clerk, paid):
    with pytest.raises(ValidationError, match="handed over"):
        services.complete_pickup(appointment=pickup, by=pickup_clerk)
    assert Order.objects.get(pk=pickup.order_id).state == State.READY


# --- The third sale and the survey ---


def test_an_extra_is_charged_and_paid_at_once(pickup, pickup_clerk, paid):
    frame = services.extras(branch=pickup.branch).get(product="frame")
    entry = services.sell_extra(
        appointment=pickup,
        price_item=frame,
        quantity=2,
        method="cash",
        by=pickup_clerk,
        request_key="k1",
    )
    again = services.sell_extra(
        appointment=pickup,
        price_item=frame,
        quantity=2,
        method="cash",
        by=pickup_clerk,
        request_key="k1",
    )
    assert entry == again and entry.kind == LedgerEntry.Kind.PICKUP_UPSELL
    assert entry.amount == frame.price * 2
    assert Charge.objects.get(kind=Charge.Kind.PICKUP_UPSELL).amount == frame.price * 2
    assert Order.objects.get(pk=pickup.order_id).balance_due == 0


def test_an_item_off_the_extras_list_is_refused(pickup, pickup_clerk):
    crystal = services.extras(branch=pickup.branch).model.objects.get(
        branch=pickup.branch, product="crystal"
    )
    with pytest.raises(ValidationError):
        services.sell_extra(
            appointment=pickup, price_item=crystal, quantity=1, method="cash", by=pickup_clerk
        )
    assert not Charge.objects.filter(kind=Charge.Kind.PICKUP_UPSELL).exists()


def test_a_survey_is_kept_once_and_checks_the_score(ready_order, pickup_clerk):
    with pytest.raises(ValidationError):
        services.record_survey(order=ready_order, score=6, by=pickup_clerk)
    first = services.record_survey(order=ready_order, score=5, would_refer=True, by=pickup_clerk)
    assert services.record_survey(order=ready_order, score=1, by=pickup_clerk) == first
    assert Survey.objects.get().score == 5
