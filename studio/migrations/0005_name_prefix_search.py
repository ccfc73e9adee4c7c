"""Indexes for finding a couple as you type, among 200,000 (bench_search measures it).

Phones match from their first digits; names match anywhere with trigrams, and one or two
characters (a surname) from the start, which trigrams can't serve. PostgreSQL only.
"""

from django.db import migrations

from studio.dbops import postgres_only_sql

INDEXES = {
    "customer_bride_phone_prefix": "(bride_phone varchar_pattern_ops)",
    "customer_groom_phone_prefix": "(groom_phone varchar_pattern_ops)",
    "customer_bride_trgm": "USING gin (UPPER(bride_name) gin_trgm_ops)",
    "customer_groom_trgm": "USING gin (UPPER(groom_name) gin_trgm_ops)",
    "customer_bride_prefix": "(UPPER(bride_name) text_pattern_ops)",
    "customer_groom_prefix": "(UPPER(groom_name) text_pattern_ops)",
}


class Migration(migrations.Migration):
    dependencies = [("studio", "0004_front_desk")]

    operations = [
        postgres_only_sql(
            ";\n".join(
                f"CREATE INDEX IF NOT EXISTS {name} ON studio_customer {how}"
                for name, how in INDEXES.items()
            ),
            ";\n".join(f"DROP INDEX IF EXISTS {name}" for name in INDEXES),
        )
    ]
