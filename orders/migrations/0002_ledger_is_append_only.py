"""On PostgreSQL the database itself refuses to change or delete ledger rows and charges,
so not even raw SQL or a bug outside the ORM can rewrite money history."""

from django.db import migrations

from studio.dbops import postgres_only_sql

FORWARD = """
CREATE OR REPLACE FUNCTION studio_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'money records are append-only: write a reversing entry';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER orders_ledgerentry_append_only BEFORE UPDATE OR DELETE ON orders_ledgerentry
  FOR EACH ROW EXECUTE FUNCTION studio_refuse_change();
CREATE TRIGGER orders_charge_append_only BEFORE UPDATE OR DELETE ON orders_charge
  FOR EACH ROW EXECUTE FUNCTION studio_refuse_change();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS orders_ledgerentry_append_only ON orders_ledgerentry;
DROP TRIGGER IF EXISTS orders_charge_append_only ON orders_charge;
DROP FUNCTION IF EXISTS studio_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]
    operations = [postgres_only_sql(FORWARD, BACKWARD)]
