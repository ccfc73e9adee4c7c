"""The pickup notice is said to the couple in their language, whoever reads the call; what
the pickup writes for staff (the appointment for the rest, the extras sold at the desk) is
read in the reader's language."""

import html
import re
from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from followups.models import CallTask, CareRule
from pickup import services
from selection.models import PriceItem


def _visible(client, url, language):
    client.cookies["django_language"] = language
    body = client.get(url).content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_the_pickup_notice_is_said_in_the_couples_language_whoever_reads_it(
    login, pickup, items, pickup_clerk
):
    CareRule.objects.filter(trigger=CareRule.Trigger.READY_FOR_PICKUP).update(is_active=False)
    with translation.override("en"):
        services.check_items(
            order=pickup.order, by=pickup_clerk, results={i.pk: ("ok", "") for i in items}
        )
    task = CallTask.objects.get(occasion=f"pickup-notice:{pickup.pk}")
    client = login(task.assignee)
    english = _visible(client, reverse("followups:tasks"), "en")
    assert "取件单" in english and "Your order" not in english
    assert "Say it in Simplified Chinese:" in english
    chinese = _visible(client, reverse("followups:tasks"), "zh-hans")
    assert "取件单" in chinese and "Your order" not in chinese
    assert "Say it in" not in chinese and "请用" not in chinese


def test_an_extra_sold_at_the_desk_reads_in_the_readers_language(
    login, manager, pickup, paid, branch, pickup_clerk
):
    from selection import services as production

    production.price_list(branch=branch)
    frame = PriceItem.objects.filter(branch=branch, product="frame").first()
    with translation.override("en"):
        services.sell_extra(
            appointment=pickup, price_item=frame, quantity=2, method="cash", by=pickup_clerk
        )
    client = login(manager)
    url = reverse("orders:detail", args=[pickup.order.number])
    chinese = _visible(client, url, "zh-hans")
    assert "相框" in chinese and "× 2" in chinese and "Frame" not in chinese
    english = _visible(client, url, "en")
    assert "Frame" in english and "相框" not in english
    assert pickup.order.charges.get(kind="pickup_upsell").amount == frame.price * Decimal(2)


def test_what_the_check_found_reads_in_the_readers_language_on_the_board(
    login, manager, pickup, items, pickup_clerk
):
    results = {i.pk: ("ok", "") for i in items}
    results[items[1].pk] = ("damage", "边角裂了")
    with translation.override("en"):
        services.check_items(order=pickup.order, by=pickup_clerk, results=results)
    client = login(manager)
    chinese = _visible(client, reverse("selection:board"), "zh-hans")
    assert "破损：边角裂了" in chinese and "Damage" not in chinese
    english = _visible(client, reverse("selection:board"), "en")
    assert "Damage: 边角裂了" in english and "破损" not in english
