#!/usr/bin/env bash
# make run: the zero-setup demo (SQLite, filesystem broker) with web, worker and beat.
# HOST=0.0.0.0 listens on the studio's network so tablets can open it; PORT (8000).
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
PY=.venv/bin/python
unset DATABASE_URL REDIS_URL
export PYTHONUNBUFFERED=1

lan_ip() {
    # The address other machines on the network reach this one at (the default route's).
    local ip
    ip=$(ip -4 route get 1.1.1.1 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "src") print $(i + 1)}') || true
    [[ -n $ip ]] || ip=$(hostname -I 2>/dev/null | awk '{print $1}') || true
    echo "$ip"
}

if [[ $HOST == 127.0.0.1 || $HOST == localhost ]]; then
    urls=("http://127.0.0.1:$PORT/")
else
    ip=$(lan_ip)
    [[ $HOST != 0.0.0.0 ]] && ip=$HOST
    urls=("http://127.0.0.1:$PORT/" ${ip:+"http://$ip:$PORT/"})
    # Django answers only to the names it is told; add this machine's address.
    export DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1,[::1]${ip:+,$ip},$(hostname)"
fi

$PY manage.py migrate --noinput
$PY manage.py setup_periodic_tasks
$PY manage.py seed_demo --if-empty
echo
echo "Open ${urls[0]} in a browser on this machine."
if [[ ${#urls[@]} -gt 1 ]]; then
    echo "On a tablet or another computer on the same network, open ${urls[1]}"
    echo "(allow port $PORT through this machine's firewall if it does not load)."
else
    echo "For tablets on the studio's network: make run HOST=0.0.0.0"
fi
echo "Ctrl-C stops web, worker and beat."
echo

# Ctrl-C reaches honcho and every process it started (one process group); honcho stops
# them and we end quietly with success instead of make's "Error 130".
trap : INT
RUN_HOST=$HOST RUN_PORT=$PORT .venv/bin/honcho start -f Procfile.dev || status=$?
status=${status:-0}
if [[ $status -eq 130 || $status -eq 143 || $status -eq 0 ]]; then
    echo "Stopped."
    exit 0
fi
exit "$status"
