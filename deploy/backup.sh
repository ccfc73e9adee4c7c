#!/usr/bin/env bash
# Nightly backup of the studio database: deploy/backup.sh [target dir]
# A compressed custom-format pg_dump (restore with deploy/restore.sh), kept KEEP_DAYS days.
# cron (as the studio user):  15 3 * * *  /srv/studio/app/deploy/backup.sh
set -euo pipefail
set -a; [[ -r /etc/studio/studio.env ]] && . /etc/studio/studio.env; set +a
: "${DATABASE_URL:?set DATABASE_URL}"
target=${1:-${BACKUP_DIR:-/srv/studio/backups}}
keep_days=${KEEP_DAYS:-30}
mkdir -p "$target"
file="$target/studio-$(date -u +%Y%m%dT%H%M%SZ).dump"
# Written under a temporary name, so a half-written dump never looks like a backup.
pg_dump --format=custom --compress=6 --no-owner --no-privileges \
    --file="$file.part" "$DATABASE_URL"
mv "$file.part" "$file"
find "$target" -name 'studio-*.dump' -mtime "+$keep_days" -delete
echo "$file"
