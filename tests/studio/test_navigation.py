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
    assert ("Front desk", ["Packages", "My leave", "My commissions"]) in entries
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
    assert (
        "Front desk",
        ["Packages", "Rota", "Reports", "My leave", "My commissions", "Branch commissions"],
    ) in entries


# What templates/base.html wrote for the bar before overview.nav.nav_html wrote it.
_THE_TEMPLATES_LOOP = """{% for item in nav_items %}
          {% if item.children %}
          <li class="nav-item dropdown">
            <a class="nav-link dropdown-toggle{% if item.active %} active{% endif %}" href="#" role="button" data-bs-toggle="dropdown" aria-expanded="false">{{ item.label }}</a>
            <ul class="dropdown-menu">
              {% for child in item.children %}<li><a class="dropdown-item{% if child.active %} active{% endif %}" href="{{ child.url }}">{{ child.label }}</a></li>{% endfor %}
            </ul>
          </li>
          {% else %}
          <li class="nav-item"><a class="nav-link{% if item.active %} active{% endif %}" href="{{ item.url }}">{{ item.label }}</a></li>
          {% endif %}
        {% endfor %}"""


def test_the_bar_written_in_python_is_the_templates_in_both_languages(make_staff):
    from django.template import Context, Template
    from django.urls import reverse
    from django.utils import translation

    from overview.nav import nav_html

    loop = Template(_THE_TEMPLATES_LOOP)
    manager = make_staff(roles.MANAGER)
    receptionist = make_staff(roles.RECEPTIONIST, roles.CASHIER)
    seen = set()
    for staff in (manager, receptionist, make_staff(roles.PHOTOGRAPHER)):
        # A plain link, a dropdown's page, and a page that is not on the bar, each shown.
        for path in ("/", reverse("studio:rota"), reverse("orders:list"), "/nowhere/"):
            for language in ("en", "zh-hans"):
                request = RequestFactory().get(path)
                request.staff = staff
                with translation.override(language):
                    expected = loop.render(Context({"nav_items": nav_for(request)}))
                    written = nav_html(request)
                assert written == expected
                seen.add(written)
    assert len(seen) > 6  # roles, pages and languages give different bars
    request = RequestFactory().get(reverse("studio:rota"))
    request.staff = manager
    assert 'class="dropdown-item active" href="' + reverse("studio:rota") in nav_html(request)
    with translation.override("zh-hans"):
        assert ">今日</a>" in nav_html(request)
