"""studio.registry: a lower app asks, a stage above answers from its ready(), and a question
nobody answers fails loudly, at start-up and when asked (STYLE.md 16)."""

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from followups.models import CareRule
from followups.triggers import FINDERS
from orders import facts
from selection import facts as selection_facts
from studio.registry import Questions


@pytest.fixture(autouse=True)
def _questions_of_this_test_only(monkeypatch):
    """The questions a test declares are forgotten after it, so the project's start-up
    check never sees them."""
    monkeypatch.setattr(Questions, "every", list(Questions.every))


def unanswered_errors():
    return [e for e in checks.run_checks() if e.id == "studio.E010"]


def test_the_answer_registered_is_the_one_asked():
    q = Questions("low", ["is_big"])

    @q.answers("is_big")
    def is_big(n, *, limit=10):
        return n > limit

    assert q.ask("is_big", 11) is True
    assert q.ask("is_big", 11, limit=20) is False
    assert q.answered() == {"is_big": is_big} and q.unanswered() == []


def test_a_question_never_asked_cannot_be_answered():
    q = Questions("low", ["is_big"])
    with pytest.raises(ImproperlyConfigured, match="low asks no question 'is_small'"):
        q.answers("is_small")


def test_a_question_answered_twice_names_both_answers():
    q = Questions("low", ["is_big"])
    q.answers("is_big")(lambda n: n > 10)

    def other(n):
        return n > 5

    with pytest.raises(ImproperlyConfigured, match="answered twice"):
        q.answers("is_big")(other)


def test_registering_the_same_answer_again_is_harmless():
    """An answers module imported twice (a reloaded ready()) does no harm."""
    q = Questions("low", ["is_big"])

    def is_big(n):
        return n > 10

    q.answers("is_big")(is_big)
    q.answers("is_big")(is_big)
    assert q.ask("is_big", 11) is True


def test_an_unanswered_question_raises_instead_of_saying_no():
    q = Questions("low", ["is_big"])
    with pytest.raises(ImproperlyConfigured, match="Nobody answers low's question 'is_big'"):
        q.ask("is_big", 11)


def test_the_start_up_check_reports_an_unanswered_question():
    assert unanswered_errors() == []
    q = Questions("low", ["is_big", "is_small"])
    q.answers("is_big")(lambda n: n > 10)
    errors = unanswered_errors()
    assert [e.msg for e in errors] == ["Nobody answers low's question 'is_small'."]


# --- The project's own questions ---


def test_every_question_of_the_project_is_answered():
    assert [(q.asker, name) for q in Questions.every for name in q.unanswered()] == []
    assert {facts.QUESTIONS, FINDERS, selection_facts.QUESTIONS} <= set(Questions.every)


def who_answers(questions):
    return {name: answer.__module__ for name, answer in questions.answered().items()}


def test_the_stage_that_owns_each_order_fact_answers_it():
    assert who_answers(facts.QUESTIONS) == {
        "shoot_is_today": "shoots.answers",
        "has_planned_shoot": "shoots.answers",
        "files_ready": "selection.selectors",
        "selection_signed": "selection.selectors",
        "upsell_settled": "selection.selectors",
        "change_window_open": "selection.selectors",
        "change_window_waived": "selection.selectors",
        "all_items_passed_qc": "selection.selectors",
        "all_items_handed_over": "selection.selectors",
    }


def test_every_care_rule_trigger_has_a_finder_from_the_app_that_owns_its_facts():
    T = CareRule.Trigger
    stages = {
        T.NO_SHOOT_AFTER_DEPOSIT: "shoots.answers",
        T.SHOOT_UPCOMING: "shoots.answers",
        T.SHOOT_DONE: "shoots.answers",
        T.SELECTION_UPCOMING: "selection.answers",
        T.SELECTION_DONE: "selection.answers",
        T.READY_FOR_PICKUP: "pickup.answers",
    }
    assert set(FINDERS.names) == set(T.values)
    assert who_answers(FINDERS) == {
        trigger: stages.get(trigger, "followups.triggers") for trigger in T.values
    }


def test_the_pickup_answers_the_selections_question():
    assert who_answers(selection_facts.QUESTIONS) == {"booked_pickup_start": "pickup.answers"}
