"""A branch's own message template wins over the chain's, for that branch's couples only
(issue 12, item 6)."""

import pytest

from followups.models import MessageTemplate, OutboxMessage
from followups.services import queue_message
from studio.models import Gender
from tests.factories import CustomerFactory


def _queue(customer, occasion="o:1"):
    return queue_message(
        customer=customer, key="deposit_thanks", occasion=occasion, context={"owner": "小李"}
    )


@pytest.fixture
def own_text(branch):
    return MessageTemplate.objects.create(
        key="deposit_thanks", language="zh-hans", channel="sms", branch=branch,
        body="【{store}】{couple}您好，本店专属：定金已收到，谢谢！",
    )  # fmt: skip


def test_the_branchs_own_text_wins_at_that_branch_only(customer, other_branch, own_text):
    assert "本店专属" in _queue(customer).body
    elsewhere = CustomerFactory(branch=other_branch)
    assert "本店专属" not in _queue(elsewhere).body
    assert "定金已收到" in _queue(elsewhere, "o:2").body


def test_a_branch_switches_the_chains_text_off_for_itself(customer, other_branch, own_text):
    own_text.is_active = False
    own_text.save()
    message = _queue(customer)
    assert message.status == OutboxMessage.Status.SKIPPED
    assert message.skip_reason == OutboxMessage.SkipReason.NO_TEMPLATE
    elsewhere = CustomerFactory(branch=other_branch)
    assert _queue(elsewhere, "o:2").status == OutboxMessage.Status.QUEUED


def test_the_branchs_neutral_text_wins_over_the_chains_variant(customer, own_text):
    MessageTemplate.objects.create(
        key="deposit_thanks", language="zh-hans", channel="sms", gender=Gender.FEMALE,
        body="【{store}】连锁女士版",
    )  # fmt: skip
    customer.bride_gender = Gender.FEMALE
    customer.save()
    assert "本店专属" in _queue(customer).body


def test_the_branchs_variant_wins_over_its_neutral_text(customer, branch, own_text):
    MessageTemplate.objects.create(
        key="deposit_thanks", language="zh-hans", channel="sms", gender=Gender.FEMALE,
        branch=branch, body="【{store}】本店女士版",
    )  # fmt: skip
    customer.bride_gender = Gender.FEMALE
    customer.save()
    assert "本店女士版" in _queue(customer).body


def test_one_row_per_branch_key_language_and_variant(branch, own_text):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MessageTemplate.objects.create(
            key="deposit_thanks", language="zh-hans", channel="sms", branch=branch, body="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        MessageTemplate.objects.create(
            key="deposit_thanks", language="zh-hans", channel="sms", body="x"
        )
