#!/usr/bin/env bash
# Upgrade one installation to the code in this checkout (run as root from /srv/studio/app
# after `git fetch && git checkout <release>` as the studio user):
#   back up, install requirements, migrate, collectstatic, restart web/worker/beat.
# With several web hosts: run it on ONE host (it migrates), then on the others with
# SKIP_MIGRATE=1. Migrations are written to work with the old code still running.
set -euo pipefail
cd "$(dirname "$0")/.."
as_studio() {
    runuser -u studio -- bash -c 'set -a; . /etc/studio/studio.env; set +a; exec "$@"' _ "$@"
}
if [[ -z ${SKIP_MIGRATE:-} ]]; then
    as_studio deploy/backup.sh
fi
as_studio .venv/bin/pip install --quiet -r requirements.txt
as_studio .venv/bin/python manage.py check --deploy --fail-level WARNING
if [[ -z ${SKIP_MIGRATE:-} ]]; then
    as_studio .venv/bin/python manage.py migrate --noinput
    as_studio .venv/bin/python manage.py setup_periodic_tasks
fi
as_studio .venv/bin/python manage.py collectstatic --noinput -v0
systemctl reload studio-web  # gunicorn starts new workers with the new code
for unit in studio-worker studio-beat; do
    if systemctl is-enabled --quiet "$unit" 2>/dev/null; then systemctl restart "$unit"; fi
done
echo "Upgraded. curl -s -H 'Accept: application/json' http://127.0.0.1:8000/health/"
