"""The upsell charges and the late-production call are read in the reader's language; the
production list the couple signs is in the couple's."""

import html
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation

from selection import services
from selection.models import PriceItem


def _visible(client, url, language):
    client.cookies["django_language"] = language
    body = client.get(url).content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def _confirm_with_extras(order, session, consultant, branch):
    services.pick(session=session, numbers=range(1, 36), pass_="confirmed", by=consultant)
    services.add_product(
        session=session,
        price_item=PriceItem.objects.get(branch=branch, product="enlargement", size='24"'),
        quantity=2,
        photo_number=12,
        by=consultant,
    )
    with translation.override("en"):
        services.confirm_selection(order=order, by=consultant)


def test_the_upsell_charges_read_in_the_readers_language(
    selecting_order, session, consultant, branch, manager, login
):
    _confirm_with_extras(selecting_order, session, consultant, branch)
    client = login(manager)
    url = reverse("orders:detail", args=[selecting_order.number])
    chinese = _visible(client, url, "zh-hans")
    assert "加选精修照片 × 5" in chinese and '放大 24" #12 × 2' in chinese
    assert "Extra retouched" not in chinese and "Enlargement" not in chinese
    english = _visible(client, url, "en")
    assert "Extra retouched photos × 5" in english and 'Enlargement 24" #12 × 2' in english
    assert "加选" not in english


def test_changing_the_list_charges_only_the_difference(
    selecting_order, session, consultant, branch
):
    """The charges are summed per kind and parameters, whatever language wrote them."""
    _confirm_with_extras(selecting_order, session, consultant, branch)
    services.reopen_selection(order=selecting_order, by=consultant)
    with translation.override("zh-hans"):
        services.confirm_selection(order=selecting_order, by=consultant)
    assert selecting_order.charges.count() == 2


def test_the_late_production_call_reads_in_the_readers_language(
    production_order, receptionist, login
):
    item = production_order.production_items.first()
    with translation.override("en"):
        services.alert_late_production(now=timezone.now() + timedelta(days=30))
    assert item is not None
    client = login(production_order.owner)
    chinese = _visible(client, reverse("followups:tasks"), "zh-hans")
    assert production_order.number in chinese and "Production of order" not in chinese
    english = _visible(client, reverse("followups:tasks"), "en")
    assert "Production of order" in english
