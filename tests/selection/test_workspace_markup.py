"""The session workspace's tabs, picked numbers and product list are written in Python
(selection.templatetags.workspace): they say what the template said, escape what the
template escaped, and the product list is the widget's own."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from selection import services
from selection.forms import ProductForm
from selection.models import PriceItem

pytestmark = pytest.mark.django_db


def _page(client, order, **query):
    response = client.get(reverse("selection:session", args=[order.number]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_each_tab_counts_its_own_pass_and_the_open_one_is_marked(
    selecting_order, session, consultant, login
):
    services.pick(session=session, numbers=range(1, 8), pass_="first", by=consultant)
    services.pick(session=session, numbers=[2, 3], pass_="keep", by=consultant)
    body = _page(login(consultant), selecting_order, **{"pass": "keep"})
    assert re.search(r'data-testid="count-first">7<', body)
    assert re.search(r'data-testid="count-keep">2<', body)
    assert re.search(r'data-testid="count-confirmed">0<', body)
    assert 'class="nav-link active" href="?pass=keep"' in body
    assert 'class="nav-link" href="?pass=first"' in body
    picks = body.split('data-testid="picks">', 1)[1].split("</div>", 1)[0]
    assert re.findall(r">(\d+)</span>", picks) == ["2", "3"]


def test_an_empty_pass_says_so(selecting_order, session, consultant, login):
    body = _page(login(consultant), selecting_order, **{"pass": "confirmed"})
    assert "No photos picked in this pass yet." in body


def test_a_number_shows_its_outfit_and_album_page_with_html_typed_as_text(
    selecting_order, session, consultant, login
):
    outfit = '<b>"Qi</b>&'
    services.pick(
        session=session, numbers=[4], pass_="first", by=consultant, outfit=outfit, retouch=True
    )
    services.pick(session=session, numbers=[9], pass_="first", by=consultant, retouch=False)
    session.picks.filter(number=4).update(album_page=3)
    body = _page(login(consultant), selecting_order)
    assert "<b>" not in body.split('data-testid="picks">', 1)[1]
    assert (
        '<span class="badge text-bg-primary fs-6" title="&lt;b&gt;&quot;Qi&lt;/b&gt;&amp; · '
        'Album page 3">4<small> p3</small></span>'
    ) in body
    assert '<span class="badge text-bg-light border fs-6" title="">9</span>' in body


@pytest.mark.parametrize(
    "data",
    [None, {"price_item": "not a number", "quantity": "1"}, "a real one"],
    ids=["new", "refused", "chosen"],
)
def test_the_product_list_is_the_widgets_own(selecting_order, branch, data):
    if data == "a real one":
        item = PriceItem.objects.filter(branch=branch, is_active=True, product="frame").first()
        data = {"price_item": str(item.pk), "quantity": "2"}
    PriceItem.objects.filter(branch=branch, product="frame").update(size='<i>"8"</i>')
    form = ProductForm(data, branch=branch) if data else ProductForm(branch=branch)
    if data:
        form.is_valid()
    ours = Template("{% load workspace %}{% select_field form.price_item %}").render(
        Context({"form": form})
    )
    assert ours == str(form["price_item"])
    assert "<i>" not in ours
