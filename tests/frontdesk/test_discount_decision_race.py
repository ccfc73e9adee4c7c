"""Two managers deciding the same discount at once: the first decision stands and the
second is told what was decided and by whom, never that theirs was applied."""

import time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from studio import roles, services
from studio.models import DiscountApproval
from tests.races import run_together


@pytest.fixture
def approval(customer, package, receptionist):
    return services.ask_discount_approval(
        customer=customer, package=package, discount=Decimal("900"), requested_by=receptionist
    )


@pytest.fixture
def second_manager(make_staff):
    return make_staff(roles.MANAGER, display_name="Liu Yang")


class SlowClock:
    """django.utils.timezone whose now() takes a moment: the time between reading the
    approval and writing the decision, widened so that the race always overlaps."""

    def __getattr__(self, name):
        return getattr(timezone, name)

    def now(self):
        time.sleep(0.3)
        return timezone.now()


@pytest.mark.django_db(transaction=True)
def test_two_managers_deciding_at_once_one_decision_stands(
    approval, manager, second_manager, monkeypatch
):
    monkeypatch.setattr(services, "timezone", SlowClock())

    def decide(staff, approve):
        return lambda: services.decide_discount_approval(
            approval=DiscountApproval.objects.get(pk=approval.pk), manager=staff, approve=approve
        )

    results = run_together(decide(manager, True), decide(second_manager, False))
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    winner = next(value for kind, value in results if kind == "ok")
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, services.AlreadyDecided)
    stored = DiscountApproval.objects.get(pk=approval.pk)
    assert stored.status == winner.status and stored.decided_by == winner.decided_by
    verb = "approved" if stored.status == DiscountApproval.Status.APPROVED else "refused"
    assert f"Already decided: {stored.decided_by.display_name} {verb}" in error.messages[0]


def test_the_second_manager_is_told_who_decided_on_the_page(
    login, approval, manager, second_manager
):
    url = reverse("studio:decide_discount", args=[approval.pk])
    first = login(manager).post(url, {"decision": "approve"}, follow=True)
    assert "Discount approved." in first.text
    second = login(second_manager).post(url, {"decision": "refuse"}, follow=True)
    assert second.status_code == 200
    assert "Already decided: Wang Fang approved this discount at" in second.text
    assert "Discount refused." not in second.text
    assert DiscountApproval.objects.get().status == DiscountApproval.Status.APPROVED


def test_the_second_manager_is_told_in_chinese(login, approval, manager, second_manager):
    url = reverse("studio:decide_discount", args=[approval.pk])
    login(manager).post(url, {"decision": "refuse"})
    client = login(second_manager)
    client.cookies["django_language"] = "zh-hans"
    second = client.post(url, {"decision": "approve"}, follow=True)
    assert "已由 Wang Fang 拒绝" in second.text
