"""TRUNCATE skips row triggers, so the ledger and the charges also refuse it, with a
statement-level trigger (issue 7). Test databases are emptied with TRUNCATE between
transactional tests: the test run sets `studio.allow_truncate` for its own flush
(tests/conftest.py), nothing else does."""

from django.db import migrations

from studio.dbops import postgres_only_sql

FORWARD = """
CREATE OR REPLACE FUNCTION studio_refuse_truncate() RETURNS trigger AS $$
BEGIN
  IF current_setting('studio.allow_truncate', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'money records are append-only: they cannot be truncated';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER orders_ledgerentry_no_truncate BEFORE TRUNCATE ON orders_ledgerentry
  FOR EACH STATEMENT EXECUTE FUNCTION studio_refuse_truncate();
CREATE TRIGGER orders_charge_no_truncate BEFORE TRUNCATE ON orders_charge
  FOR EACH STATEMENT EXECUTE FUNCTION studio_refuse_truncate();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS orders_ledgerentry_no_truncate ON orders_ledgerentry;
DROP TRIGGER IF EXISTS orders_charge_no_truncate ON orders_charge;
DROP FUNCTION IF EXISTS studio_refuse_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("orders", "0003_system_texts_as_kinds")]
    operations = [postgres_only_sql(FORWARD, BACKWARD)]
