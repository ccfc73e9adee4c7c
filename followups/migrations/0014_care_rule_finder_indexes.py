from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes for the care rules' finders (followups.triggers): failed follow-up calls by
    when they were logged, and the state log (django-fsm-log's table, which declares no
    such index) by state and time, for "delivered" and "delivered, no referral yet"."""

    dependencies = [
        ("followups", "0013_admin_lists_in_order"),
        ("django_fsm_log", "0005_description_null"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="calltask",
            index=models.Index(
                condition=models.Q(("kind", "visit_followup"), ("status", "failed")),
                fields=["done_at"],
                name="calltask_failed_followups",
            ),
        ),
        migrations.RunSQL(
            'CREATE INDEX statelog_by_state_and_time ON django_fsm_log_statelog (state, "timestamp")',
            "DROP INDEX statelog_by_state_and_time",
        ),
    ]
