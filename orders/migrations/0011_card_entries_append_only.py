"""Card entries are money history like the ledger: PostgreSQL refuses to change or delete
them (the same function as 0002). Store managers' and head office's admin permissions on
the new models come from studio.permissions, applied after every migrate."""

from django.db import migrations

from studio.dbops import postgres_only_sql

FORWARD = """
CREATE TRIGGER orders_cardentry_append_only BEFORE UPDATE OR DELETE ON orders_cardentry
  FOR EACH ROW EXECUTE FUNCTION studio_refuse_change();
"""
BACKWARD = "DROP TRIGGER IF EXISTS orders_cardentry_append_only ON orders_cardentry;"


class Migration(migrations.Migration):
    dependencies = [("orders", "0010_stored_value_cards_and_fapiao_requests")]
    operations = [postgres_only_sql(FORWARD, BACKWARD)]
