"""The admin in Chinese shows the rules', messages' and roles' names, and the login lockouts
in Chinese: no slugs (`birthday_greeting`, `dress_stylist`) and no English library labels."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from studio import roles

from ..factories import StaffFactory


@pytest.fixture
def head_office(db, branch):
    staff = StaffFactory(roles=[roles.CHAIN_MANAGER], branches=[branch])
    staff.user.is_staff = True
    staff.user.save(update_fields=["is_staff"])
    return staff


def _zh(client, url):
    client.cookies["django_language"] = "zh-hans"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_care_rules_and_messages_are_listed_by_name(login, head_office):
    client = login(head_office)
    rules = _zh(client, reverse("admin:followups_carerule_changelist"))
    assert "生日祝福" in rules and ">birthday_greeting<" not in rules
    templates = _zh(client, reverse("admin:followups_messagetemplate_changelist") + "?q=visit")
    assert "未成交到店后的短信" in templates and ">visit_not_booked<" not in templates


def test_roles_show_their_names(login, head_office):
    page = _zh(login(head_office), reverse("admin:auth_group_changelist"))
    assert "礼服师" in page and ">dress_stylist<" not in page


def test_login_lockouts_read_in_chinese(login, head_office):
    AccessAttempt.objects.create(
        user_agent="x", ip_address="10.0.0.9", username="someone", http_accept="*/*",
        path_info="/accounts/login/", get_data="", post_data="", failures_since_start=5,
    )  # fmt: skip
    page = _zh(login(head_office), reverse("admin:axes_accessattempt_changelist"))
    assert "登录尝试" in page and "失败次数" in page
    assert "Failed Logins" not in page and "Attempt Time" not in page
