"""Every front-desk page renders in English and in Simplified Chinese."""

import pytest
from django.urls import reverse

from studio import services

PAGES = [
    ("home", "今日到店", "Today's arrivals"),
    ("visit_new", "按电话或姓名查找新人", "Find the couple by phone or name"),
    ("visit", "门市咨商", "Consultation"),
    ("search", "档案中没有匹配的新人", "No couple on file matches"),
    ("customer", "时间线", "Timeline"),
    ("rota", "轮流接单表", "Order-taking rota"),
    ("leave", "登记请假", "Record my leave"),
    ("packages", "勾选两个套系进行对比", "Tick two packages to compare"),
    ("sign", "企划书", "Planning document"),
    ("tasks", "我的电话任务", "My calls"),
]


@pytest.fixture
def urls(branch, manager, customer, package):
    visit = services.register_visit(branch=branch, registered_by=manager, customer=customer)
    return {
        "home": reverse("home"),
        "visit_new": reverse("studio:visit_new"),
        "visit": reverse("studio:visit", args=[visit.pk]),
        "search": reverse("studio:customer_search") + "?q=nobody-here",
        "customer": reverse("overview:customer", args=[customer.pk]),
        "rota": reverse("studio:rota"),
        "leave": reverse("studio:leave"),
        "packages": reverse("studio:packages"),
        "sign": reverse("orders:sign", args=[customer.pk]),
        "tasks": reverse("followups:tasks"),
    }


@pytest.mark.parametrize(("page", "chinese", "english"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_renders_in_both_languages(login, manager, urls, page, chinese, english):
    client = login(manager)
    response = client.get(urls[page], HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert english in response.content.decode()
    client.cookies["django_language"] = "zh-hans"
    response = client.get(urls[page])
    assert response.status_code == 200
    assert chinese in response.content.decode()
