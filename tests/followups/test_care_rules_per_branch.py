"""Care rules per branch (issue 12, item 6): a branch's own row of a rule (on or off,
timing) wins over the chain's for that branch's couples; every other branch keeps the
chain's; an event fired under one row is never fired again under the other."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from followups.models import CareRule, OutboxMessage
from followups.services import retime_care_rule, run_care_rules
from orders import services as order_services
from studio import roles
from tests.factories import CustomerFactory

from .test_care_rules import T0

KEY = "deposit_thanks_sms"  # 20 minutes after the deposit


@pytest.fixture
def chain_rule(db):
    return CareRule.objects.get(key=KEY, branch__isnull=True)


@pytest.fixture
def orders(make_order, make_staff, other_branch, package):
    """A deposit at each branch, at the same moment."""
    package.branches.add(other_branch)
    theirs = make_staff(roles.RECEPTIONIST, branch=other_branch)
    with time_machine.travel(T0, tick=False):
        ours = make_order()
        elsewhere = order_services.create_order(
            owner=theirs,
            created_by=theirs,
            customer=CustomerFactory(branch=other_branch, owner=theirs),
            package=package,
            deposit=Decimal("2000"),
            deposit_method="wechat",
        )
    return ours, elsewhere


def _messages(order):
    return list(
        OutboxMessage.objects.filter(customer=order.customer, occasion__startswith=f"care:{KEY}:")
    )


def test_a_branch_switches_a_rule_off_for_its_own_couples(orders, chain_rule, branch, manager):
    ours, elsewhere = orders
    retime_care_rule(
        rule=chain_rule, is_active=False, offset_minutes=20, at_time=None, by=manager,
        branch=branch,
    )  # fmt: skip
    run_care_rules(now=T0 + timedelta(minutes=20))
    assert _messages(ours) == []
    assert len(_messages(elsewhere)) == 1


def test_a_branch_retimes_a_rule_for_its_own_couples(orders, chain_rule, branch, manager):
    ours, elsewhere = orders
    retime_care_rule(
        rule=chain_rule, is_active=True, offset_minutes=40, at_time=None, by=manager,
        branch=branch,
    )  # fmt: skip
    run_care_rules(now=T0 + timedelta(minutes=20))
    assert _messages(ours) == [] and len(_messages(elsewhere)) == 1
    run_care_rules(now=T0 + timedelta(minutes=40))
    assert len(_messages(ours)) == 1 and len(_messages(elsewhere)) == 1


def test_what_the_chains_row_fired_the_branchs_row_does_not_fire_again(
    orders, chain_rule, branch, manager
):
    ours, _elsewhere = orders
    run_care_rules(now=T0 + timedelta(minutes=20))
    assert len(_messages(ours)) == 1
    retime_care_rule(
        rule=chain_rule, is_active=True, offset_minutes=30, at_time=None, by=manager,
        branch=branch,
    )  # fmt: skip
    for minutes in (30, 31, 60):
        run_care_rules(now=T0 + timedelta(minutes=minutes))
    assert len(_messages(ours)) == 1


def test_the_branchs_row_is_made_once_and_the_chains_row_is_kept(chain_rule, branch, manager):
    for offset in (30, 45):
        retime_care_rule(
            rule=chain_rule, is_active=True, offset_minutes=offset, at_time=None, by=manager,
            branch=branch,
        )  # fmt: skip
    own = CareRule.objects.get(key=KEY, branch=branch)
    assert own.offset_minutes == 45 and own.updated_by == manager
    assert own.template_key == chain_rule.template_key and own.trigger == chain_rule.trigger
    chain_rule.refresh_from_db()
    assert chain_rule.offset_minutes == 20 and chain_rule.updated_by is None


def test_a_branchs_row_is_changed_neither_for_another_branch_nor_as_the_chains(
    chain_rule, branch, other_branch, manager
):
    own = retime_care_rule(
        rule=chain_rule, is_active=True, offset_minutes=30, at_time=None, by=manager,
        branch=branch,
    )  # fmt: skip
    for scope in (other_branch, None):
        with pytest.raises(ValidationError):
            retime_care_rule(
                rule=own, is_active=False, offset_minutes=1, at_time=None, by=manager,
                branch=scope,
            )  # fmt: skip
    own.refresh_from_db()
    assert own.is_active and own.offset_minutes == 30


def test_a_rule_only_one_branch_has_fires_only_there(orders, chain_rule, branch):
    ours, elsewhere = orders
    CareRule.objects.create(
        key="deposit_thanks_extra", branch=branch, trigger=chain_rule.trigger,
        offset_minutes=25, action="message", template_key="deposit_thanks",
    )  # fmt: skip
    run_care_rules(now=T0 + timedelta(minutes=25))
    extra = OutboxMessage.objects.filter(occasion__startswith="care:deposit_thanks_extra:")
    assert [m.customer_id for m in extra] == [ours.customer_id]


def test_one_chain_row_and_one_row_per_branch_per_key(chain_rule, branch):
    from django.db import IntegrityError, transaction

    fields = {"trigger": chain_rule.trigger, "action": "message", "template_key": "x"}
    CareRule.objects.create(key=KEY, branch=branch, **fields)
    for scope in (branch, None):
        with pytest.raises(IntegrityError), transaction.atomic():
            CareRule.objects.create(key=KEY, branch=scope, **fields)
