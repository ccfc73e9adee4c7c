"""Amounts in capitals (大写), as the People's Bank rules for receipts write them."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from studio.templatetags.studio import amount_in_capitals


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("12800", "壹万贰仟捌佰元整"),  # the example
        ("1409.50", "壹仟肆佰零玖元伍角"),  # a zero in the middle: 零; no 整 after 角
        ("6007.14", "陆仟零柒元壹角肆分"),  # a run of zeros: one 零
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),  # 元 place 0, 角 not: the 零 may go
        ("107000.53", "壹拾万柒仟元伍角叁分"),  # 万 and 元 places 0: the 零 may go
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),  # 角 0, 分 not: 零 after 元
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("100100", "壹拾万零壹佰元整"),  # the zero between the groups
        ("100000001", "壹亿零壹元整"),  # a whole empty group is one 零
        ("10010000", "壹仟零壹万元整"),
        ("10", "壹拾元整"),  # banks write the 壹 of 壹拾
        ("100000000", "壹亿元整"),
        ("0", "零元整"),
        ("0.50", "伍角"),
        ("0.05", "伍分"),
        ("1.05", "壹元零伍分"),
        ("99999999.99", "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
        ("-200", "负贰佰元整"),
        (Decimal("3.1"), "叁元壹角"),
        (7, "柒元整"),
    ],
)
def test_it_writes_amounts_as_chinese_receipts_do(amount, capitals):
    assert amount_in_capitals(amount) == capitals


def test_it_refuses_amounts_beyond_a_trillion():
    with pytest.raises(ValueError):
        amount_in_capitals("1000000000000")


def test_the_filter_prints_capitals_and_nothing_for_nonsense():
    template = Template("{% load studio %}{{ a|capitals }}|{{ b|capitals }}|{{ c|capitals }}")
    rendered = template.render(Context({"a": Decimal("12800.00"), "b": "abc", "c": None}))
    assert rendered == "壹万贰仟捌佰元整||"
