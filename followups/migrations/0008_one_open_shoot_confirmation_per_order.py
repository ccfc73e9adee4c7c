from django.db import migrations, models


def cancel_duplicate_open_confirmations(apps, schema_editor):
    """Before the constraint: of an order's open confirmation calls, the one due last stays
    (it names the current date); the others were superseded."""
    CallTask = apps.get_model("followups", "CallTask")
    seen = set()
    open_calls = CallTask.objects.filter(kind="shoot_confirm", status="open").order_by(
        "order_id", "-due_at", "-pk"
    )
    for task in open_calls:
        if task.order_id in seen:
            CallTask.objects.filter(pk=task.pk).update(status="cancelled")
        seen.add(task.order_id)


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0007_merge_texts_and_history"),
        ("orders", "0002_ledger_is_append_only"),
        ("studio", "0010_customer_changes"),
    ]

    operations = [
        migrations.RunPython(cancel_duplicate_open_confirmations, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="calltask",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "shoot_confirm"), ("status", "open")),
                fields=("order",),
                name="one_open_shoot_confirmation_per_order",
            ),
        ),
    ]
