"""The top bar shows each role its pages; groups with several pages share a dropdown."""

from django.test import RequestFactory

from overview.nav import nav_for
from studio import roles


def labels(entries):
    return [
        (str(e["label"]), [str(c["label"]) for c in e["children"]])
        if "children" in e
        else str(e["label"])
        for e in entries
    ]


def bar(staff):
    request = RequestFactory().get("/")
    request.staff = staff
    return labels(nav_for(request))


def test_the_receptionist_gets_the_front_desk_with_dropdowns(make_staff):
    entries = bar(make_staff(roles.RECEPTIONIST))
    assert entries[:2] == ["Today", "New visit"]
    assert ("Front desk", ["Packages", "My leave"]) in entries
    assert ("Orders", ["Orders", "Overdue balances"]) in entries
    assert "Rota" not in str(entries)


def test_a_group_with_one_page_is_a_plain_link(make_staff):
    entries = bar(make_staff(roles.RECEPTIONIST))
    assert "Control sheet" in entries  # the only Shoots page a receptionist has
    assert "Orders" in bar(make_staff(roles.SELECTION_CONSULTANT))


def test_field_staff_see_their_queue_and_no_money_pages(make_staff):
    entries = bar(make_staff(roles.PHOTOGRAPHER))
    flat = str(entries)
    assert "My queue" in flat
    assert "Orders" not in flat and "New visit" not in flat


def test_the_manager_sees_the_rota_and_the_reports(make_staff):
    entries = bar(make_staff(roles.MANAGER))
    assert ("Front desk", ["Packages", "Rota", "Reports", "My leave"]) in entries
