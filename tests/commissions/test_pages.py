"""The commission pages: who may open which, what they show, bad input, the other branch."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commissions.models import Basis, CommissionRule, Credit, SaleShare, StatementMonth
from orders import services as orders
from orders.models import LedgerEntry
from studio import roles
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

MANAGER_PAGES = [
    ("commissions:branch", []),
    ("commissions:rules", []),
    ("commissions:rule_new", []),
]
NOT_EARNING = sorted(set(roles.ALL) - roles.EARNS_COMMISSION)
NOT_MANAGER = sorted(set(roles.ALL) - {roles.MANAGER})


def pay(order, amount, staff):
    return orders.take_payment(order=order, kind=LedgerEntry.Kind.BALANCE, method="cash",
                               amount=amount, staff=staff)  # fmt: skip


@pytest.fixture
def earned(signing_rule, order, receptionist):
    """The deposit (¥2,000) and a payment of ¥1,000 earned the order taker ¥90."""
    pay(order, "1000", receptionist)
    return order


def test_staff_see_their_own_month(login, receptionist, earned):
    response = login(receptionist).get(reverse("commissions:statement"))
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["total"] == Decimal("90.00")
    assert earned.number in body and "¥90.00" in body and "¥2,000.00" in body


def test_they_do_not_see_a_colleagues_credits(login, make_staff, earned):
    other = make_staff(roles.RECEPTIONIST, display_name="Hu Bo")
    response = login(other).get(reverse("commissions:statement"))
    assert response.context["credits"] == []
    assert earned.number not in response.content.decode()


def test_field_staff_see_their_fee_but_not_the_customers_money(
    login, make_rule, order, photographer, branch
):
    from shoots.models import Shoot

    make_rule(Basis.SHOOT_PHOTOGRAPHER, fixed_amount="80")
    make_rule(Basis.SIGNING, percent="3")
    now = timezone.now()
    Shoot.objects.create(
        order=order, branch=branch, starts_at=now, ends_at=now + timedelta(hours=3),
        photographer=photographer, status=Shoot.Status.FINISHED, finished_at=now,
        created_by=order.owner,
    )  # fmt: skip
    response = login(photographer).get(reverse("commissions:statement"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "¥80.00" in body
    assert "¥2,000.00" not in body and "Money received" not in body
    assert order.customer.bride_phone not in body


@pytest.mark.parametrize("role", NOT_EARNING)
def test_roles_that_earn_nothing_are_refused_a_statement(login, make_staff, role):
    assert login(make_staff(role)).get(reverse("commissions:statement")).status_code == 403


@pytest.mark.parametrize("role", NOT_MANAGER)
def test_only_managers_open_the_branch_pages(login, make_staff, earned, receptionist, role):
    client = login(make_staff(role))
    for name, args in MANAGER_PAGES:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    csv_url = reverse("commissions:branch")
    assert client.get(csv_url, {"format": "csv"}).status_code == 403
    assert client.get(reverse("commissions:staff", args=[receptionist.pk])).status_code == 403
    assert client.get(reverse("commissions:shares", args=[earned.number])).status_code == 403
    rule = CommissionRule.objects.get()
    assert client.get(reverse("commissions:rule_edit", args=[rule.pk])).status_code == 403
    assert client.post(reverse("commissions:lock"), {"month": "2020-01"}).status_code == 403
    assert not StatementMonth.objects.filter(locked_at__isnull=False).exists()


def test_the_manager_sees_the_branch_month_per_staff(
    login, manager, earned, receptionist, django_assert_max_num_queries
):
    client = login(manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("commissions:branch"))
    assert response.status_code == 200
    [line] = response.context["lines"]
    assert (line.name, line.total) == ("Li Na", Decimal("90.00"))


def test_the_branch_month_keeps_its_queries_with_more_staff(
    login, manager, signing_rule, make_staff, branch, package,
    django_assert_max_num_queries,
):  # fmt: skip
    for i in range(6):
        taker = make_staff(roles.RECEPTIONIST, display_name=f"Taker {i}")
        order = orders.create_order(
            customer=CustomerFactory(branch=branch, owner=taker), package=package, owner=taker,
            created_by=taker, deposit=Decimal("1000"), deposit_method="cash",
        )  # fmt: skip
        assert order.ledger.count() == 1
    client = login(manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("commissions:branch"))
    assert len(response.context["lines"]) == 6


def test_the_statement_keeps_its_queries_with_more_credits(
    login, receptionist, signing_rule, order, django_assert_max_num_queries
):
    for _ in range(8):
        pay(order, "100", receptionist)
    client = login(receptionist)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("commissions:statement"))
    assert len(response.context["credits"]) == 9


def test_a_manager_reads_a_colleagues_statement(login, manager, receptionist, earned):
    response = login(manager).get(reverse("commissions:staff", args=[receptionist.pk]))
    assert response.status_code == 200
    assert response.context["total"] == Decimal("90.00")


def test_another_branchs_staff_and_orders_are_not_found(
    login, manager, make_staff, other_branch, make_rule, earned
):
    outsider = make_staff(roles.RECEPTIONIST, branch=other_branch)
    client = login(manager)
    assert client.get(reverse("commissions:staff", args=[outsider.pk])).status_code == 404
    theirs = make_rule(Basis.SIGNING, branch=other_branch, percent="2")
    assert client.get(reverse("commissions:rule_edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("commissions:rule_edit", args=[theirs.pk]),
                       {"basis": "signing", "percent": "50", "valid_from": "2020-01-01"}
                       ).status_code == 404  # fmt: skip
    theirs.refresh_from_db()
    assert theirs.percent == Decimal("2.00")


def test_another_branchs_manager_sees_none_of_this_branch(login, make_staff, other_branch, earned):
    theirs = make_staff(roles.MANAGER, branch=other_branch)
    client = login(theirs)
    assert client.get(reverse("commissions:shares", args=[earned.number])).status_code == 404
    response = client.get(reverse("commissions:branch"))
    assert response.context["lines"] == []


def test_a_bad_month_is_explained(login, manager, receptionist):
    for name in ("commissions:branch", "commissions:statement"):
        response = login(manager).get(reverse(name), {"month": "last spring"})
        assert response.status_code == 400
        assert "YYYY-MM" in response.content.decode()
    assert (
        login(manager)
        .get(reverse("commissions:branch"), {"month": "13-2026", "format": "csv"})
        .status_code
        == 400
    )


def test_the_manager_locks_last_month(login, manager, branch, last_month):
    response = login(manager).post(reverse("commissions:lock"), {"month": f"{last_month:%Y-%m}"})
    assert response.status_code == 302
    row = StatementMonth.objects.get(branch=branch, month=last_month)
    assert row.locked_by == manager
    again = login(manager).post(reverse("commissions:lock"), {"month": f"{last_month:%Y-%m}"})
    assert again.status_code == 302
    follow = login(manager).get(again["Location"])
    assert "Already done" in follow.content.decode()


def test_this_month_cannot_be_locked_from_the_page(login, manager, branch):
    client = login(manager)
    response = client.post(reverse("commissions:lock"), {"month": f"{branch.today():%Y-%m}"})
    assert response.status_code == 302
    assert "once it is over" in client.get(response["Location"]).content.decode()
    assert not StatementMonth.objects.filter(locked_at__isnull=False).exists()


def test_the_lock_refuses_get(login, manager):
    assert login(manager).get(reverse("commissions:lock")).status_code == 405


def test_the_csv_has_a_row_per_staff_member(login, manager, earned, branch):
    response = login(manager).get(reverse("commissions:branch"), {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Branch" and rows[0][-1] == "Total"
    assert rows[1][2] == "Li Na" and rows[1][-1] == "90.00"


def test_the_csv_in_chinese(client, login, manager, earned):
    client = login(manager)
    client.cookies["django_language"] = "zh-hans"
    rows = list(csv.reader(io.StringIO(
        client.get(reverse("commissions:branch"), {"format": "csv"}).content.decode("utf-8-sig"))))  # fmt: skip
    assert rows[0][0] == "门店"


def test_the_pages_render_in_chinese(client, login, manager, receptionist, earned):
    client = login(manager)
    client.cookies["django_language"] = "zh-hans"
    for url in (reverse("commissions:branch"), reverse("commissions:rules"),
                reverse("commissions:statement"), reverse("commissions:rule_new"),
                reverse("commissions:shares", args=[earned.number])):  # fmt: skip
        body = client.get(url).content.decode()
        assert "提成" in body, url


def test_a_manager_adds_a_rule(login, manager, branch):
    response = login(manager).post(reverse("commissions:rule_new"), {
        "basis": "selection_upsell", "percent": "8", "valid_from": "2026-01-01",
    })  # fmt: skip
    assert response.status_code == 302
    rule = CommissionRule.objects.get()
    assert (rule.branch, rule.percent) == (branch, Decimal("8.00"))


@pytest.mark.parametrize(
    "data, message",
    [
        ({"basis": "signing", "valid_from": "2026-01-01"}, "either a percentage or a fixed"),
        ({"basis": "signing", "percent": "3", "fixed_amount": "9", "valid_from": "2026-01-01"},
         "either a percentage or a fixed"),
        ({"basis": "shoot_makeup", "percent": "3", "valid_from": "2026-01-01"}, "fixed amount"),
        ({"basis": "signing", "percent": "300", "valid_from": "2026-01-01"}, "100"),
        ({"basis": "signing", "percent": "3", "valid_from": "2026-05-01",
          "valid_until": "2026-04-01"}, "end before it starts"),
        ({"basis": "signing", "percent": "3", "valid_from": "2026-13-01"}, "YYYY-MM-DD"),
        ({"basis": "signing", "percent": "3", "valid_from": "2030-01-01"}, "in effect"),
    ],
)  # fmt: skip
def test_a_bad_rule_is_explained_and_not_saved(login, manager, signing_rule, data, message):
    response = login(manager).post(reverse("commissions:rule_new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CommissionRule.objects.count() == 1


def test_a_manager_changes_a_rule(login, manager, signing_rule):
    response = login(manager).post(reverse("commissions:rule_edit", args=[signing_rule.pk]), {
        "basis": "signing", "percent": "3", "valid_from": "2020-01-01",
        "valid_until": "2026-06-30",
    })  # fmt: skip
    assert response.status_code == 302
    signing_rule.refresh_from_db()
    assert str(signing_rule.valid_until) == "2026-06-30"
    assert signing_rule.history.count() == 2


def test_a_manager_shares_a_sale(login, manager, receptionist, make_staff, earned):
    other = make_staff(roles.RECEPTIONIST, display_name="Hu Bo")
    url = reverse("commissions:shares", args=[earned.number])
    response = login(manager).post(url, {
        "basis": "signing", "staff_0": receptionist.pk, "percent_0": "70",
        "staff_1": other.pk, "percent_1": "30",
    })  # fmt: skip
    assert response.status_code == 302
    assert SaleShare.objects.count() == 2
    entry = pay(earned, "1000", receptionist)
    assert sorted(Credit.objects.filter(entry=entry).values_list("amount", flat=True)) == [
        Decimal("9.00"), Decimal("21.00")
    ]  # fmt: skip


@pytest.mark.parametrize(
    "data, message",
    [
        ({"percent_1": "20"}, "add up to 100%"),
        ({"staff_1": ""}, "a person and a percentage"),
        ({"percent_1": "-5"}, "greater than or equal to 0.01"),
    ],
)
def test_bad_shares_are_explained_and_not_saved(
    login, manager, receptionist, make_staff, earned, data, message
):
    other = make_staff(roles.RECEPTIONIST, display_name="Hu Bo")
    form = {"basis": "signing", "staff_0": receptionist.pk, "percent_0": "70",
            "staff_1": other.pk, "percent_1": "30", **data}  # fmt: skip
    response = login(manager).post(reverse("commissions:shares", args=[earned.number]), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SaleShare.objects.exists()
