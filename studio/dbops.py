"""Migration operations for PostgreSQL-only DDL (triggers, trigram and pattern indexes).

`make run` uses SQLite, which skips them; tests and production run on PostgreSQL.
"""

from django.db import migrations


def postgres_only_sql(forward, backward):
    def run(sql):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql)

        return apply

    return migrations.RunPython(run(forward), run(backward))
