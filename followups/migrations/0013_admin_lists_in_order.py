"""The admin lists call tasks, messages and complaints in their order from an index, and
finds a message by its address from the start (`^to`). The pattern index is PostgreSQL's.
"""

from django.db import migrations, models

from studio.dbops import postgres_only_sql


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0012_holidays_seed"),
        ("orders", "0008_admin_lists_in_order"),
        ("studio", "0021_admin_lists_in_order"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="calltask",
            index=models.Index(fields=["due_at", "branch"], name="calltask_due"),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["created_at"], name="complaint_created"),
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(fields=["created_at", "branch"], name="outbox_created"),
        ),
        postgres_only_sql(
            "CREATE INDEX IF NOT EXISTS outbox_to_prefix"
            ' ON followups_outboxmessage (UPPER("to") text_pattern_ops)',
            "DROP INDEX IF EXISTS outbox_to_prefix",
        ),
    ]
