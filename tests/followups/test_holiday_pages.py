"""A holiday rule's first run greets the whole chain (some 130,000 couples): it queues
them a page at a time (`services.HOLIDAY_PAGE`), each page in its own transaction, every
couple once; a second run queues nothing; a run that stops half-way keeps the pages it
finished and the next run greets the rest, nobody twice."""

from datetime import timedelta

import pytest

from followups import services, triggers
from followups.models import CareRule, OutboxMessage
from followups.services import retime_care_rule, run_care_rules

from .test_care_rules_at_scale import MID_AUTUMN, couples, morning

pytestmark = pytest.mark.django_db

KEY = "holiday_mid_autumn"
PAGE = 3
NOW = morning(MID_AUTUMN)


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(services, "HOLIDAY_PAGE", PAGE)


@pytest.fixture
def pages(monkeypatch):
    """The pages the Mid-Autumn rule read: (after, how many couples, next) of each."""
    asked = []
    page = triggers.holiday_page

    def recorded(*args, **kwargs):
        facts, after = page(*args, **kwargs)
        if kwargs["rule"].key == KEY:
            asked.append((kwargs["after"], len(facts), after))
        return facts, after

    monkeypatch.setattr(triggers, "holiday_page", recorded)
    return asked


def _greeted():
    """The couples greeted for Mid-Autumn, each as often as they were."""
    return list(
        OutboxMessage.objects.filter(occasion__startswith=f"care:{KEY}:")
        .order_by("customer")
        .values_list("customer", flat=True)
    )


def test_a_rule_over_more_couples_than_a_page_greets_each_once_page_by_page(branch, pages):
    found = couples(branch, 8)
    assert run_care_rules(now=NOW) == 8
    assert _greeted() == [c.pk for c in found]
    third, sixth = found[2].pk, found[5].pk
    assert pages == [(0, 3, third), (third, 3, sixth), (sixth, 2, None)]


def test_a_second_run_queues_nothing_and_reads_nobody(branch, pages):
    found = couples(branch, 7)
    run_care_rules(now=NOW)
    pages.clear()
    assert run_care_rules(now=NOW + timedelta(minutes=10)) == 0
    assert _greeted() == [c.pk for c in found]
    assert pages == [(0, 0, None)]


def test_a_run_stopped_after_its_first_page_is_finished_by_the_next(branch, monkeypatch):
    found = couples(branch, 8)
    queue = services.queue_message
    queued = []

    def dies_on_the_second_page(**kwargs):
        if len(queued) == PAGE:
            raise RuntimeError("the worker died")
        queued.append(kwargs["customer"].pk)
        return queue(**kwargs)

    monkeypatch.setattr(services, "queue_message", dies_on_the_second_page)
    with pytest.raises(RuntimeError):
        run_care_rules(now=NOW)
    # The first page was committed before the second began; the second rolled back.
    assert _greeted() == [c.pk for c in found[:PAGE]]
    monkeypatch.setattr(services, "queue_message", queue)
    assert run_care_rules(now=NOW + timedelta(minutes=5)) == 8 - PAGE
    assert _greeted() == [c.pk for c in found]
    assert run_care_rules(now=NOW + timedelta(minutes=10)) == 0


def test_couples_the_rule_does_not_speak_for_never_hold_the_pages_up(
    branch, other_branch, manager, pages
):
    """A branch that switched the greeting off keeps its couples out of the chain's row,
    page after page: the pages move on past them and greet the rest."""
    chain = CareRule.objects.get(key=KEY, branch__isnull=True)
    retime_care_rule(
        rule=chain, is_active=False, offset_minutes=chain.offset_minutes, at_time=chain.at_time,
        by=manager, branch=other_branch,
    )  # fmt: skip
    silent = couples(other_branch, 5)
    greeted = couples(branch, 4)
    assert run_care_rules(now=NOW) == 4
    assert _greeted() == [c.pk for c in greeted]
    assert len(pages) == 4 and pages[-1][2] is None
    assert not OutboxMessage.objects.filter(customer__in=silent).exists()
