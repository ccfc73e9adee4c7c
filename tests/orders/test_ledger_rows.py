"""The order page's payment rows, written in Python (`{% ledger_rows %}`), equal what the
template wrote before: an entry taken at another branch, a note, markup in a name
escaped, no entries at all; in English and in Chinese."""

import copy
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from orders import selectors

pytestmark = pytest.mark.django_db

# The rows as orders/order_detail.html wrote them.
TEMPLATE = """{% load i18n studio %}{% for e in ledger %}
    <tr><td><a href="{% url 'orders:receipt' order.number e.receipt_no %}">{{ e.receipt_no }}</a>{% if e.branch_id != order.branch_id %} <span class="badge text-bg-secondary" data-testid="taken-elsewhere">{% blocktranslate with branch=e.branch.name %}taken at {{ branch }}{% endblocktranslate %}</span>{% endif %}</td><td>{{ e.created_at|short_datetime }}</td><td>{{ e.get_kind_display }}</td><td>{{ e.get_method_display }}</td><td class="text-end money">{{ e.amount|money }}</td><td>{{ e.staff.display_name }}</td><td>{{ e.note_text }}</td></tr>
  {% empty %}<tr><td colspan="7" class="text-muted">{% translate "No payments yet." %}</td></tr>{% endfor %}"""


def _both(order, ledger):
    context = Context({"order": order, "ledger": ledger})
    before = Template(TEMPLATE).render(context)
    after = Template("{% load order_tags %}{% ledger_rows order ledger %}").render(context)
    return before, after


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_rows_as_the_template_wrote_them(make_order, receptionist, other_branch, language):
    receptionist.display_name = "<b>Li</b> Na"
    receptionist.save()
    other_branch.name = "Chaoyang & <Co>"
    order = make_order(deposit=Decimal("1500.50"))
    ledger = selectors.ledger_of(order)
    elsewhere = copy.copy(ledger[0])  # not saved: a row as another branch's entry reads
    elsewhere.branch, elsewhere.branch_id = other_branch, other_branch.pk
    elsewhere.note = "paid by the <groom>"
    ledger.append(elsewhere)
    with translation.override(language), timezone.override("Asia/Shanghai"):
        before, after = _both(order, ledger)
    assert after == before
    assert after.count("taken-elsewhere") == 1 and "&lt;groom&gt;" in after
    assert "&lt;b&gt;Li" in after and "&lt;Co&gt;" in after


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_payments_as_the_template_wrote_it(make_order, language):
    order = make_order()
    with translation.override(language):
        before, after = _both(order, [])
    assert after == before and 'colspan="7"' in after
