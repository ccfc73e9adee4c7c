"""The admin lists ledger entries, orders and referral rewards in their order from an index,
and searches receipt and order numbers anywhere from three characters (pg_trgm) and from
the start below (studio.admin_lists.orm_lookup). The pattern indexes are PostgreSQL's only.
"""

from django.db import migrations, models

from studio.dbops import postgres_only_sql

INDEXES = {
    "ledger_receipt_trgm": "orders_ledgerentry USING gin (UPPER(receipt_no) gin_trgm_ops)",
    "ledger_receipt_prefix": "orders_ledgerentry (UPPER(receipt_no) text_pattern_ops)",
    "order_number_trgm": "orders_order USING gin (UPPER(number) gin_trgm_ops)",
    "order_number_prefix": "orders_order (UPPER(number) text_pattern_ops)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0007_report_indexes"),
        ("studio", "0021_admin_lists_in_order"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(fields=["created_at", "branch"], name="ledger_created"),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["signed_at", "branch"], name="order_signed"),
        ),
        migrations.AddIndex(
            model_name="referralreward",
            index=models.Index(fields=["created_at"], name="referral_reward_created"),
        ),
        postgres_only_sql(
            ";\n".join(f"CREATE INDEX IF NOT EXISTS {name} ON {how}" for name, how in INDEXES.items()),
            ";\n".join(f"DROP INDEX IF EXISTS {name}" for name in INDEXES),
        ),
    ]
