#!/usr/bin/env bash
# Restore a backup into a NEW, empty database: deploy/restore.sh studio-….dump postgres://…/studio_restored
# Then check it (the script prints a few counts) and point DATABASE_URL at it, or rename
# databases while the services are stopped. It never writes into a database that has tables.
set -euo pipefail
dump=${1:?usage: restore.sh DUMP TARGET_DATABASE_URL}
target=${2:?usage: restore.sh DUMP TARGET_DATABASE_URL}
maintenance=${target%/*}/postgres
name=${target##*/}
name=${name%%\?*}
psql --quiet --no-psqlrc -v ON_ERROR_STOP=1 "$maintenance" -c "CREATE DATABASE \"$name\""
pg_restore --no-owner --no-privileges --exit-on-error --jobs=2 --dbname="$target" "$dump"
psql --no-psqlrc -v ON_ERROR_STOP=1 "$target" -c "ANALYZE" -c "
    SELECT (SELECT count(*) FROM studio_branch) AS branches,
           (SELECT count(*) FROM studio_customer) AS customers,
           (SELECT count(*) FROM orders_order) AS orders,
           (SELECT count(*) FROM orders_ledgerentry) AS ledger_entries,
           (SELECT max(applied) FROM django_migrations) AS last_migration"
