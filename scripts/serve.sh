#!/usr/bin/env bash
# make serve: the production processes on one machine (DEBUG off), from the Procfile:
# gunicorn, a Celery worker and exactly one beat. Settings come from the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_DEBUG=0 PYTHONUNBUFFERED=1
for name in DATABASE_URL REDIS_URL DJANGO_SECRET_KEY DJANGO_ALLOWED_HOSTS; do
    if [[ -z ${!name:-} ]]; then
        echo "make serve: set $name (see docs/deploy.md)." >&2
        exit 2
    fi
done
PY=.venv/bin/python
$PY manage.py check --deploy --fail-level WARNING
$PY manage.py migrate --noinput
# The periodic schedule is declared in studio/schedule.py; this syncs it into beat's tables.
$PY manage.py setup_periodic_tasks
$PY manage.py collectstatic --noinput -v0
echo "Serving on ${GUNICORN_BIND:-127.0.0.1:8000} (behind your TLS proxy); health at /health/."
trap : INT
.venv/bin/honcho start -f Procfile || status=$?
status=${status:-0}
[[ $status -eq 130 || $status -eq 143 ]] && status=0
exit "$status"
