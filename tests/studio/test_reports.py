import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from followups.models import Complaint
from orders import services as order_services
from orders.models import Charge, LedgerEntry
from overview import reports
from pickup.models import PickupAppointment
from selection.models import ProductionItem, SelectionSession
from shoots.models import Shoot
from studio import roles
from studio.models import MonthlyTarget, Visit
from tests.factories import BranchFactory, CustomerFactory, StaffFactory

URL = reverse("overview:reports")
D = Decimal


def visit(branch, taker, outcome, at=None):
    return Visit.objects.create(
        branch=branch,
        customer=CustomerFactory(branch=branch, owner=taker),
        taker=taker,
        registered_by=taker,
        outcome=outcome,
        not_booked_reason="Too dear" if outcome == Visit.Outcome.NOT_BOOKED else "",
        arrived_at=at or timezone.now(),
    )


def sign(customer, package, owner, deposit, at=None):
    with time_machine.travel(at or timezone.now(), tick=False):
        return order_services.create_order(
            customer=customer,
            package=package,
            owner=owner,
            created_by=owner,
            deposit=deposit,
            deposit_method="wechat",
        )


def pay(order, kind, amount, staff, charge_kind=None):
    if charge_kind:
        order_services.add_charge(
            order=order, kind=charge_kind, amount=amount, description="extra", staff=staff
        )
    order_services.take_payment(order=order, kind=kind, method="cash", amount=amount, staff=staff)


@pytest.fixture
def colleague(make_staff):
    return make_staff(roles.RECEPTIONIST, display_name="Chen Jie")


@pytest.fixture
def studio_month(branch, receptionist, colleague, manager, package):
    """A small hand-made month, all of it today.

    Li Na: 3 visits (2 booked), signs order A (deposit 2,000, balance 3,000, pickup upsell
    200, keeps 30 of a 100 locker deposit). Chen Jie: 1 visit (not booked), signs order B
    (deposit 1,000, selection upsell 800, rental fee 500). The manager refunds 300 of B.
    """
    kind = LedgerEntry.Kind
    visit(branch, receptionist, Visit.Outcome.BOOKED)
    visit(branch, receptionist, Visit.Outcome.SHOOTING_TODAY)
    visit(branch, receptionist, Visit.Outcome.NOT_BOOKED)
    visit(branch, colleague, Visit.Outcome.NOT_BOOKED)
    a = sign(CustomerFactory(branch=branch), package, receptionist, 2000)
    b = sign(CustomerFactory(branch=branch), package, colleague, 1000)
    pay(a, kind.BALANCE, 3000, receptionist)
    pay(a, kind.PICKUP_UPSELL, 200, receptionist, Charge.Kind.PICKUP_UPSELL)
    order_services.take_hold(
        order=a, kind=kind.LOCKER_DEPOSIT, method="cash", amount=100, staff=receptionist
    )
    order_services.return_hold(
        order=a,
        kind=kind.LOCKER_DEPOSIT,
        method="cash",
        staff=receptionist,
        keep=30,
        keep_reason="Key lost",
    )
    pay(b, kind.SELECTION_UPSELL, 800, colleague, Charge.Kind.SELECTION_UPSELL)
    pay(b, kind.RENTAL_FEE, 500, colleague, Charge.Kind.RENTAL)
    order_services.refund(order=b, method="cash", amount=300, staff=manager, note="Goodwill")
    return a, b


def this_month(branch):
    return reports.Period.month_of(branch.today())


def test_the_funnel_counts_visits_booked_and_deals(branch, studio_month):
    funnel = reports.funnel(branch, this_month(branch))
    assert funnel["visits"] == 4
    assert funnel["booked"] == 2
    assert funnel["shooting_today"] == 1
    assert funnel["not_booked"] == 2
    assert funnel["conversion"] == D("50.0")
    assert funnel["deals"] == 2
    assert funnel["deals_value"] == D("17600.00")


def test_conversion_is_a_share_and_none_without_visits():
    assert reports.percent(2, 3) == D("66.7")
    assert reports.percent(0, 4) == D("0.0")
    assert reports.percent(5, 0) is None


def test_revenue_is_split_by_kind_with_the_refund_and_without_the_hold(branch, studio_month):
    money = reports.money(branch, this_month(branch))
    lines = {line["key"]: line["amount"] for line in money["revenue"]}
    assert lines == {
        "package": D("6000.00"),
        "selection_upsell": D("800.00"),
        "pickup_upsell": D("200.00"),
        "rental": D("500.00"),
        "kept_deposits": D("30.00"),
        "refunds": D("-300.00"),
    }
    assert money["revenue_total"] == D("7230.00")
    assert money["deposits"] == 2
    assert money["deposits_amount"] == D("3000.00")


def test_another_branch_and_another_period_do_not_count(
    branch, other_branch, studio_month, make_staff
):
    stranger = make_staff(roles.RECEPTIONIST, branch=other_branch)
    visit(other_branch, stranger, Visit.Outcome.BOOKED)
    assert reports.funnel(branch, this_month(branch))["visits"] == 4
    last_year = reports.Period.month_of(branch.today() - datetime.timedelta(days=400))
    assert reports.funnel(branch, last_year)["visits"] == 0
    assert reports.money(branch, last_year)["revenue_total"] == 0


def test_each_staff_member_has_visits_deals_conversion_and_revenue(
    branch, studio_month, receptionist, colleague, manager
):
    rows = {row.display_name: row for row in reports.per_staff(branch, this_month(branch))}
    assert set(rows) == {"Li Na", "Chen Jie", "Wang Fang"}
    li, chen, boss = rows["Li Na"], rows["Chen Jie"], rows["Wang Fang"]
    assert (li.visits_taken, li.booked, li.deals, li.revenue) == (3, 2, 1, D("5230.00"))
    assert li.conversion == D("66.7")
    assert (chen.visits_taken, chen.booked, chen.deals, chen.revenue) == (1, 0, 1, D("2300.00"))
    assert chen.conversion == D("0.0")
    assert (boss.visits_taken, boss.deals, boss.revenue) == (0, 0, D("-300.00"))
    assert boss.conversion is None


def test_operations_count_shoots_selections_production_pickups_and_complaints(
    branch, studio_month, receptionist, manager
):
    a, b = studio_month
    now = timezone.now()
    today = branch.today()
    Shoot.objects.create(
        order=a,
        branch=branch,
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=4),
        status=Shoot.Status.FINISHED,
        created_by=manager,
    )
    Shoot.objects.create(
        order=b,
        branch=branch,
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=4),
        status=Shoot.Status.NO_SHOW,
        created_by=manager,
    )
    SelectionSession.objects.create(order=a, signed_at=now)
    SelectionSession.objects.create(order=b)
    done = ProductionItem.Stage.DONE
    for due in (today, today + datetime.timedelta(days=3), today - datetime.timedelta(days=1)):
        ProductionItem.objects.create(
            order=a, name="Album", stage=done, due_date=due, qc_passed_at=now
        )
    ProductionItem.objects.create(order=a, name="Frame", stage=done, qc_passed_at=now)
    ProductionItem.objects.create(order=b, name="USB", due_date=today)  # not done yet
    PickupAppointment.objects.create(
        order=a,
        branch=branch,
        starts_at=now,
        status=PickupAppointment.Status.DONE,
        slip_number="P1",
        created_by=manager,
    )
    PickupAppointment.objects.create(
        order=b, branch=branch, starts_at=now, slip_number="P2", created_by=manager
    )
    Complaint.objects.create(
        branch=branch,
        customer=a.customer,
        order=a,
        text="Late album",
        logged_by=receptionist,
        owner=receptionist,
    )
    ops = reports.operations(branch, this_month(branch))
    assert ops["shoots"] == 1
    assert ops["selections"] == 1
    assert ops["production"]["done"] == 4
    assert ops["production"]["with_due"] == 3
    assert ops["production"]["on_time"] == 2
    assert ops["production"]["on_time_percent"] == D("66.7")
    assert ops["pickups"] == 1
    assert ops["complaints"] == {"logged": 1, "resolved": 0}


def test_satisfaction_is_the_surveys_average_when_surveys_exist(branch, studio_month, manager):
    a, b = studio_month
    try:
        survey = apps.get_model("pickup", "Survey")
    except LookupError:
        assert reports.satisfaction(branch, this_month(branch))["available"] is False
        return
    survey.objects.create(order=a, score=4, by=manager)
    survey.objects.create(order=b, score=5, by=manager)
    result = reports.satisfaction(branch, this_month(branch))
    assert result == {"available": True, "answers": 2, "average": D("4.50")}


def test_targets_show_progress_for_the_branch_and_for_staff(branch, studio_month, receptionist):
    month = branch.today().replace(day=1)
    MonthlyTarget.objects.create(branch=branch, month=month, deals=4, revenue=D("10000"))
    MonthlyTarget.objects.create(
        branch=branch, month=month, staff=receptionist, deals=2, revenue=D("5000")
    )
    rows = reports.targets(branch, this_month(branch))["rows"]
    whole, li = rows
    assert whole["who"] is None
    assert (whole["deals"], whole["deals_percent"]) == (2, D("50.0"))
    assert (whole["revenue"], whole["revenue_percent"]) == (D("7230.00"), D("72.3"))
    assert li["who"] == "Li Na"
    assert (li["deals"], li["revenue"], li["revenue_percent"]) == (1, D("5230.00"), D("104.6"))


def test_a_target_month_is_kept_as_its_first_day(branch):
    target = MonthlyTarget.objects.create(branch=branch, month=datetime.date(2026, 3, 17))
    target.refresh_from_db()
    assert target.month == datetime.date(2026, 3, 1)


def test_the_page_shows_this_months_figures(login, manager, branch, studio_month):
    MonthlyTarget.objects.create(
        branch=branch, month=branch.today().replace(day=1), deals=4, revenue=D("10000")
    )
    response = login(manager).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "¥7,230.00" in html
    assert "¥-300.00" in html or "-¥300.00" in html
    assert "50.0%" in html
    assert "Chen Jie" in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "revenue-chart-data" in html
    assert 'aria-valuenow="72"' in html


def test_a_day_can_be_chosen(login, manager, branch, studio_month):
    yesterday = branch.today() - datetime.timedelta(days=1)
    response = login(manager).get(URL, {"period": "day", "day": yesterday.isoformat()})
    assert response.status_code == 200
    assert response.context["funnel"]["visits"] == 0
    response = login(manager).get(URL, {"period": "day", "day": branch.today().isoformat()})
    assert response.context["funnel"]["visits"] == 4


def test_an_invalid_month_is_a_message_at_the_field(login, manager, branch):
    response = login(manager).get(URL, {"month": "2026-13"})
    assert response.status_code == 400
    assert "Enter a month as YYYY-MM" in response.content.decode()
    response = login(manager).get(URL, {"period": "day", "day": "yesterday"})
    assert response.status_code == 400
    assert "Enter a day as YYYY-MM-DD" in response.content.decode()


def test_a_role_other_than_manager_may_not_see_reports(login, receptionist):
    assert login(receptionist).get(URL).status_code == 403


def test_a_manager_of_another_branch_cannot_see_this_branch(
    login, make_staff, branch, other_branch
):
    elsewhere = make_staff(roles.MANAGER, branch=other_branch)
    assert login(elsewhere).get(URL, {"branch": branch.pk}).status_code == 404
    assert login(elsewhere).get(URL, {"branch": "nope"}).status_code == 404
    response = login(elsewhere).get(URL)
    assert response.status_code == 200
    assert response.context["branch"] == other_branch


def test_a_manager_of_two_branches_picks_either(login, make_staff, branch, other_branch):
    both = make_staff(roles.MANAGER)
    both.branches.add(other_branch)
    response = login(both).get(URL, {"branch": other_branch.pk})
    assert response.context["branch"] == other_branch


def test_an_area_manager_sees_their_branches_and_no_other(login, make_staff, branch, other_branch):
    area = make_staff(roles.MANAGER)
    area.branches.add(other_branch)
    third = BranchFactory(code="gz1", name="Guangzhou Tianhe")
    client = login(area)
    response = client.get(URL, {"branch": other_branch.pk})
    assert response.context["branch"] == other_branch
    assert [pk for pk, _name in response.context["form"].fields["branch"].choices] == [
        other_branch.pk,
        branch.pk,
    ]
    assert client.get(URL, {"branch": third.pk}).status_code == 404


def test_head_office_sees_every_branch(login, branch, other_branch):
    head_office = StaffFactory(roles=[roles.CHAIN_MANAGER], display_name="Zhou Min")
    client = login(head_office)
    response = client.get(URL, {"branch": branch.pk})
    assert response.status_code == 200
    assert response.context["branch"] == branch
    response = client.get(URL, {"branch": other_branch.pk, "format": "csv"})
    assert response.status_code == 200
    assert other_branch.name in response.content.decode("utf-8-sig")
    assert URL in client.get(reverse("home")).content.decode()


def test_posting_is_refused(login, manager):
    assert login(manager).post(URL).status_code == 405


def test_the_nav_links_reports_for_managers_only(login, manager, receptionist):
    assert URL in login(manager).get(reverse("home")).content.decode()
    assert URL not in login(receptionist).get(reverse("home")).content.decode()


def _grow(branch, package, staff, n):
    for _ in range(n):
        visit(branch, staff, Visit.Outcome.BOOKED)
        order = sign(CustomerFactory(branch=branch), package, staff, 1000)
        pay(order, LedgerEntry.Kind.BALANCE, 500, staff)


@pytest.mark.parametrize(
    "query",
    [{}, {"format": "csv"}, {"period": "day"}, {"period": "day", "format": "csv"}],
    ids=["month", "month csv", "day", "day csv"],
)
def test_the_query_count_does_not_grow_with_the_data(
    login, manager, branch, other_branch, package, make_staff, query, django_assert_max_num_queries
):
    client = login(manager)
    month = branch.today().replace(day=1)
    MonthlyTarget.objects.create(branch=branch, month=month, deals=4, revenue=D("10000"))
    first = make_staff(roles.RECEPTIONIST)
    MonthlyTarget.objects.create(branch=branch, month=month, staff=first, deals=1)
    _grow(branch, package, first, 2)
    with django_assert_max_num_queries(30) as few:
        client.get(URL, query)
    for _ in range(3):
        _grow(branch, package, make_staff(roles.RECEPTIONIST), 3)
        MonthlyTarget.objects.create(
            branch=branch, month=month, staff=make_staff(roles.RECEPTIONIST), deals=1
        )
    # The chain's other staff and branches, who did nothing here, cost nothing either.
    for _ in range(5):
        make_staff(roles.RECEPTIONIST, branch=other_branch)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, query)
    assert response.status_code == 200
    if "format" not in query:
        assert response.context["funnel"]["visits"] == 11


def test_the_page_renders_in_chinese(login, manager, branch, studio_month):
    client = login(manager)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    html = response.content.decode()
    assert "报表" in html
    assert "¥7,230.00" in html
    csv_text = client.get(URL, {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "退款" in csv_text.content.decode("utf-8-sig")


def test_the_csv_has_the_same_figures(login, manager, branch, studio_month):
    response = login(manager).get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"report-{branch.code}-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    figures = {(section, figure): value for section, figure, value in rows}
    assert figures[("Visits and deals", "Visits")] == "4"
    assert figures[("Visits and deals", "Conversion %")] == "50.0"
    assert figures[("Revenue", "Total revenue")] == "7230.00"
    assert figures[("Revenue", "Refunds")] == "-300.00"
    assert figures[("Money", "Deposits taken")] == "2"
    assert figures[("Staff: Li Na", "Revenue taken")] == "5230.00"


def test_an_invalid_month_in_the_csv_is_not_a_file(login, manager):
    response = login(manager).get(URL, {"format": "csv", "month": "13-2026"})
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]


def test_the_demo_sets_targets_for_the_branch_and_its_order_takers(branch, receptionist, manager):
    import random

    from demo_studio import targets as reports_demo

    targets = reports_demo.seed(branch, [receptionist, manager], random.Random(1))
    assert len(targets) == 4
    assert {t.staff for t in targets} == {None, receptionist}
    assert all(t.month.day == 1 for t in targets)


@pytest.mark.parametrize(
    ("language", "hint", "link"),
    [("en", "is still running", "See last month"), ("zh-hans", "尚未结束", "查看上个月")],
)
def test_a_running_month_says_so_and_links_to_last_month(
    login, manager, branch, language, hint, link
):
    """At the start of a month the page is nearly empty: it says why and offers last month."""
    client = login(manager)
    client.cookies["django_language"] = language
    response = client.get(URL)
    html = response.content.decode()
    assert 'data-testid="running-month"' in html
    assert hint in html and link in html
    today = branch.today()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    assert f"month={last_month}" in html
    assert response.context["running"]["days"] == today.day
    # Last month is complete: no hint, and a link forward to this month.
    response = client.get(URL, {"month": last_month})
    assert response.context["running"] is None
    assert 'data-testid="running-month"' not in response.content.decode()
    assert f"month={today:%Y-%m}" in response.context["next_query"]


def test_the_next_period_is_not_offered_beyond_today(login, manager, branch):
    response = login(manager).get(URL, {"period": "day", "day": branch.today().isoformat()})
    assert response.context["next_query"] == ""
    assert response.context["previous_query"]
