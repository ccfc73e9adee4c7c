"""The session, confirm and board pages render in English and in Simplified Chinese."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("name", "chinese", "english"),
    [
        ("session", "选片", "Selection"),
        ("confirm", "客户已在看样制作清单上签字", "The customer signed the production list"),
    ],
)
def test_the_session_pages_render_in_both_languages(
    login, consultant, selecting_order, name, chinese, english
):
    url = reverse(f"selection:{name}", args=[selecting_order.number])
    client = login(consultant)
    client.cookies["django_language"] = "zh-hans"
    assert chinese in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    assert english in client.get(url).content.decode()


def test_the_board_renders_in_both_languages(login, retoucher, production_order):
    client = login(retoucher)
    client.cookies["django_language"] = "zh-hans"
    assert "制作看板" in client.get(reverse("selection:board")).content.decode()
    client.cookies["django_language"] = "en"
    assert "Production board" in client.get(reverse("selection:board")).content.decode()
