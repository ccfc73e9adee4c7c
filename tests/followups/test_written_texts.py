"""Call scripts and the care rules are read in the reader's language; words said to the
couple are in the couple's language, whoever reads them; what the couple receives is in
their language whatever the staff's."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from followups.models import OutboxMessage
from studio import services
from tests.factories import CustomerFactory


def _visible(client, url, language):
    client.cookies["django_language"] = language
    body = client.get(url).content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture
def visit(branch, receptionist, customer):
    return services.register_visit(branch=branch, registered_by=receptionist, customer=customer)


def test_the_care_rules_read_in_the_readers_language(login, manager):
    client = login(manager)
    chinese = _visible(client, reverse("followups:care_rules"), "zh-hans")
    assert "生日祝福" in chinese and "新人生日当天送上祝福" in chinese
    assert "满10天仍未拍摄" in chinese  # the urge call's script
    for english in ("birthday_greeting", "Birthday greeting", "Bride's or groom's", "Ten days"):
        assert english not in chinese
    english = _visible(client, reverse("followups:care_rules"), "en")
    assert "Birthday greeting" in english and "Bride's or groom's birthday" in english
    assert "Ten days since the deposit" in english
    assert "生日祝福" not in english and "birthday_greeting" not in english


def test_a_description_a_manager_wrote_is_shown_as_written(login, manager):
    from followups.models import CareRule

    CareRule.objects.filter(key="birthday_greeting").update(description="Only for VIPs")
    chinese = _visible(login(manager), reverse("followups:care_rules"), "zh-hans")
    assert "Only for VIPs" in chinese


def test_the_not_booked_call_reads_in_the_readers_language(
    login, receptionist, visit, customer_service
):
    with translation.override("en"):
        services.close_visit(
            visit=visit,
            staff=receptionist,
            outcome="not_booked",
            not_booked_reason="太贵了",
            not_booked_because="other",
        )
    client = login(customer_service)
    chinese = _visible(client, reverse("followups:tasks"), "zh-hans")
    assert "未成交：太贵了" in chinese and "Did not book" not in chinese
    english = _visible(client, reverse("followups:tasks"), "en")
    assert "Did not book: 太贵了" in english and "未成交" not in english


def test_what_the_couple_receives_is_in_their_language_whatever_the_staffs(
    receptionist, branch, customer_service
):
    english_couple = CustomerFactory(branch=branch, owner=receptionist, language="en")
    chinese_couple = CustomerFactory(branch=branch, owner=receptionist, language="zh-hans")
    for couple, page_language in ((english_couple, "zh-hans"), (chinese_couple, "en")):
        visit = services.register_visit(branch=branch, registered_by=receptionist, customer=couple)
        with translation.override(page_language):
            services.close_visit(
                visit=visit,
                staff=receptionist,
                outcome="not_booked",
                not_booked_reason="later",
                not_booked_because="other",
            )
    english_sms = OutboxMessage.objects.get(customer=english_couple).body
    chinese_sms = OutboxMessage.objects.get(customer=chinese_couple).body
    assert re.search(r"[A-Za-z]{4,}", english_sms) and not re.search(
        r"[\u4e00-\u9fff]", english_sms
    )
    assert re.search(r"[\u4e00-\u9fff]", chinese_sms)
