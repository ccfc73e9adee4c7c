"""A company's tax number on a fapiao: the unified social credit code (GB 32100-2015)."""

import pytest
from django.core.exceptions import ValidationError

from studio.validators import credit_code_check_character, normalise_credit_code

# Business licences published by the companies themselves.
REAL_CODES = [
    "91350100M000100Y43",  # the standard's own example
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "914403001922038216",  # 华为技术有限公司
    "91110108551385082Q",  # 北京小米科技有限责任公司
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass(code):
    assert normalise_credit_code(code) == code
    assert credit_code_check_character(code[:17]) == code[17]


def test_spaces_full_width_and_lower_case_are_forgiven():
    assert normalise_credit_code(" 91440300 708461136t ") == "91440300708461136T"
    assert normalise_credit_code("９１３５０１００M000100Y43") == "91350100M000100Y43"


@pytest.mark.parametrize(
    "code",
    [
        "91440300708461136X",  # wrong check character
        "91440300708461137T",  # one digit mistyped
        "9144030070846113T",  # 17 characters
        "914403007084611360T",  # 19 characters
        "91440300708461I36T",  # I is never used
        "",
        None,
        "110101199003074578",  # a person's ID card number is not a tax number
    ],
)
def test_wrong_codes_are_refused_with_a_sentence(code):
    with pytest.raises(ValidationError) as caught:
        normalise_credit_code(code)
    assert "18 characters" in caught.value.messages[0]
