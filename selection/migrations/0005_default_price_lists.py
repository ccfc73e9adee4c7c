"""Every branch starts with a price list for the selection upsell, in CNY; managers edit
it in the admin. Branches opened later get theirs from `selection.services.price_list`."""

from decimal import Decimal

from django.db import migrations

# A copy of selection.models.DEFAULT_PRICES as it was when this migration was written.
DEFAULTS = [
    ("extra_photo", "", Decimal("100.00")),
    ("extra_page", "", Decimal("200.00")),
    ("enlargement", '16"', Decimal("380.00")),
    ("enlargement", '20"', Decimal("580.00")),
    ("enlargement", '24"', Decimal("880.00")),
    ("enlargement", '30"', Decimal("1280.00")),
    ("frame", "", Decimal("300.00")),
    ("crystal", "", Decimal("680.00")),
    ("usb", "", Decimal("800.00")),
]


def add_prices(apps, schema_editor):
    Branch = apps.get_model("studio", "Branch")
    PriceItem = apps.get_model("selection", "PriceItem")
    for branch in Branch.objects.all():
        for product, size, price in DEFAULTS:
            PriceItem.objects.get_or_create(
                branch=branch, product=product, size=size, defaults={"price": price}
            )


class Migration(migrations.Migration):
    dependencies = [("selection", "0004_picks_prices_production")]
    operations = [migrations.RunPython(add_prices, migrations.RunPython.noop)]
