"""A first history row for every record that existed before django-simple-history, so the
first edit after it has something to be compared with (who changed what from what)."""

from django.db import migrations
from django.utils import timezone

TRACKED = [
    ("studio", "Branch"),
    ("studio", "Staff"),
    ("studio", "Customer"),
    ("studio", "Package"),
    ("studio", "MonthlyTarget"),
    ("selection", "PriceItem"),
    ("shoots", "TimeBudget"),
    ("followups", "CareRule"),
    ("followups", "MessageTemplate"),
    ("rentals", "Dress"),
]


def baselines(apps, schema_editor):
    now = timezone.now()
    for app_label, name in TRACKED:
        model = apps.get_model(app_label, name)
        historical = apps.get_model(app_label, f"Historical{name}")
        have = set(historical.objects.values_list("id", flat=True).distinct())
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = [
            historical(
                **{f: getattr(obj, f) for f in fields},
                history_date=now,
                history_type="+",
                history_change_reason="baseline",
            )
            for obj in model.objects.exclude(pk__in=have).iterator()
        ]
        historical.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("studio", "0012_chain_manager_role")]
    operations = [migrations.RunPython(baselines, migrations.RunPython.noop)]
