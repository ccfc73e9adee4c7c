"""studio.texts: a kind and its parameters become words in the language of whoever reads
them; a text said to the couple in theirs."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from orders.models import State
from studio import texts

texts.define_choices("orders.State", State)
NOTE = texts.define("tests.note", gettext_lazy("Did not book: %(reason)s"))
SAID = texts.define("tests.said", gettext_lazy("Did not book: %(reason)s"), to_customer=True)


def test_the_words_are_those_of_the_active_language():
    kind, params = NOTE(reason="太贵了")
    with translation.override("zh-hans"):
        assert texts.render(kind, params) == "未成交：太贵了"
    with translation.override("en"):
        assert texts.render(kind, params) == "Did not book: 太贵了"


def test_parameters_are_written_in_the_readers_language_too():
    kind, params = NOTE(
        reason=texts.join(texts.choice(State.SHOOTING), texts.date(date(2026, 5, 1)), "#3")
    )
    with translation.override("zh-hans"):
        assert texts.render(kind, params) == "未成交：拍摄中 2026年5月1日 #3"
    with translation.override("en"):
        assert texts.render(kind, params) == "Did not book: Shooting May 1, 2026 #3"


SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_wall_clock_time_is_shown_as_written_at_the_branch():
    kind, params = NOTE(reason=texts.datetime(datetime(2026, 5, 1, 14, 5, tzinfo=SHANGHAI), "H:i"))
    with translation.override("en"):
        assert texts.render(kind, params) == "Did not book: 14:05"


def test_words_said_to_the_couple_are_in_their_language_whoever_reads_them():
    kind, params = SAID(reason="later")
    with translation.override("en"):
        assert texts.render(kind, params, customer_language="zh-hans") == "未成交：later"
        assert texts.render(*NOTE(reason="later"), customer_language="zh-hans") == (
            "Did not book: later"
        )


def test_a_row_without_a_kind_shows_the_sentence_it_stored():
    assert texts.render("", {}, fallback="Locker key K-12") == "Locker key K-12"
    assert texts.render("gone.kind", {"x": 1}, fallback="old words") == "old words"


def test_a_translated_string_cannot_be_stored_as_a_parameter():
    with pytest.raises(TypeError):
        NOTE(reason=gettext_lazy("Booked"))
