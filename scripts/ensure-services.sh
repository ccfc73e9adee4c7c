#!/usr/bin/env bash
# Make sure everything the test suite needs is here and answering:
#   - Debian packages: chromium, fonts-noto-cjk, gettext (and postgresql /
#     redis-server when no server answers and their binaries are missing);
#   - a PostgreSQL server that accepts user "postgres" (or $DATABASE_URL);
#   - a Redis server (or $REDIS_URL).
#
# On success it prints exactly two lines to stdout, e.g.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/studio
#   REDIS_URL=redis://127.0.0.1:6379/0
# so a caller can `out=$(scripts/ensure-services.sh); eval "$out"` (a bare
# `eval "$(...)"` would ignore a failure). Everything else goes to stderr.
# If a service can't be had it exits 1, under CI too; it never skips.
#
# Environment:
#   DATABASE_URL, REDIS_URL  use these servers as given (nothing is started)
#   PYTHON                   python with psycopg/redis (default .venv/bin/python)
#   PG_PORT, REDIS_PORT      port of the usual local server (5432, 6379);
#                            only meant for testing the fallback paths
#
# `scripts/ensure-services.sh --stop` stops the throw-away servers (ports 54329
# and 63799) that an earlier run may have started.
set -euo pipefail

cd "$(dirname "$0")/.."

# Keep the real stdout on fd 3 for the two result lines; send everything else
# (our messages, apt, initdb, pg_ctl...) to stderr so `eval` never sees it.
# Whatever may leave a server running is started with 3>&- (see `daemon`), or
# the server would hold the caller's $(...) pipe open and the caller would hang.
exec 3>&1 1>&2

PYTHON="${PYTHON:-.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3
HAVE_PSYCOPG=""
"$PYTHON" -c 'import psycopg' >/dev/null 2>&1 && HAVE_PSYCOPG=1
PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
PG_TMP_PORT=54329
REDIS_TMP_PORT=63799
PG_TMP_DIR="${TMPDIR:-/tmp}/studio-throwaway-pg-$PG_TMP_PORT"
REDIS_TMP_PIDFILE="${TMPDIR:-/tmp}/studio-throwaway-redis-$REDIS_TMP_PORT.pid"
DB_NAME=studio

log() { printf '[ensure-services] %s\n' "$*"; }
die() {
    log "ERROR: $*"
    exit 1
}
# Hide passwords in URLs we log.
redact() { sed -E 's#(//[^:/@]+):[^@/]*@#\1:***@#' <<<"$1"; }
is_root() { [ "$(id -u)" -eq 0 ]; }
daemon() { "$@" 3>&-; }

latest_pg_bin() {
    local d
    # shellcheck disable=SC2012 # version dirs are plain names
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1) || true
    [ -n "$d" ] && [ -x "$d/postgres" ] && echo "$d"
}

# Succeeds if the PostgreSQL server behind URL accepts a login. The database
# named in the URL need not exist (the test runner creates test_studio), so we
# log in to the "postgres" database instead. Without psycopg, pg_isready only
# proves that the server is up, not that the login works.
pg_answers() {
    local url=$1
    if [ -n "$HAVE_PSYCOPG" ]; then
        "$PYTHON" - "$url" <<'EOF'
import sys

import psycopg
from psycopg.conninfo import make_conninfo

try:
    conninfo = make_conninfo(sys.argv[1], dbname="postgres", connect_timeout=3)
    psycopg.connect(conninfo).close()
except Exception as exc:
    print(f"  ({' '.join(str(exc).split())})", file=sys.stderr)
    sys.exit(1)
EOF
    elif command -v pg_isready >/dev/null; then
        pg_isready -q -t 3 -d "$url"
    else
        return 1
    fi
}

redis_answers() {
    local url=$1
    if command -v redis-cli >/dev/null; then
        [ "$(timeout 2 redis-cli --no-auth-warning -u "$url" ping 2>/dev/null)" = PONG ]
    elif "$PYTHON" -c 'import redis' >/dev/null 2>&1; then
        "$PYTHON" -c 'import sys, redis; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=3).ping()' \
            "$url" >/dev/null 2>&1
    else
        return 1
    fi
}

# wait_for pg|redis URL SECONDS
wait_for() {
    local kind=$1 url=$2 i
    for ((i = 0; i < $3; i++)); do
        "${kind}_answers" "$url" 2>/dev/null && return 0
        sleep 1
    done
    "${kind}_answers" "$url" # last try, showing why it failed
}

pg_url() { echo "postgres://postgres@127.0.0.1:$1/$DB_NAME"; }
redis_url() { echo "redis://127.0.0.1:$1/0"; }

# The test runner makes test_studio by itself, but `makemigrations --check`
# warns when the "studio" database is missing, so create it on the servers we
# chose ourselves (never on a DATABASE_URL given to us). Best effort.
create_db_if_missing() {
    [ -n "$HAVE_PSYCOPG" ] || return 0
    "$PYTHON" - "$1" "$DB_NAME" <<'EOF' || log "could not create database $DB_NAME (continuing)"
import sys

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

url, name = sys.argv[1:]
with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"[ensure-services] created database {name}", file=sys.stderr)
EOF
}

stop_throwaways() {
    local bin
    if [ -f "$PG_TMP_DIR/postmaster.pid" ] && bin=$(latest_pg_bin); then
        log "Stopping throw-away PostgreSQL in $PG_TMP_DIR"
        run_as_pg "$bin/pg_ctl" -D "$PG_TMP_DIR" -m fast -w stop || true
    fi
    rm -rf "$PG_TMP_DIR" "$PG_TMP_DIR.initdb.log"
    if [ -f "$REDIS_TMP_PIDFILE" ]; then
        log "Stopping throw-away Redis on port $REDIS_TMP_PORT"
        kill "$(cat "$REDIS_TMP_PIDFILE")" 2>/dev/null || true
        rm -f "$REDIS_TMP_PIDFILE"
    fi
}

# PostgreSQL refuses to run as root, so as root run its tools as "postgres".
run_as_pg() {
    if is_root; then
        local user=postgres
        getent passwd postgres >/dev/null || user=nobody
        # cd / so the tools don't complain about an unreadable working dir.
        (cd / && daemon runuser -u "$user" -- "$@")
    else
        daemon "$@"
    fi
}

start_throwaway_pg() {
    local bin
    bin=$(latest_pg_bin) || die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
    log "Starting a throw-away PostgreSQL ($bin) on 127.0.0.1:$PG_TMP_PORT, data in $PG_TMP_DIR"
    if [ -f "$PG_TMP_DIR/postmaster.pid" ]; then
        run_as_pg "$bin/pg_ctl" -D "$PG_TMP_DIR" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_TMP_DIR"
    mkdir -p "$PG_TMP_DIR"
    chmod 700 "$PG_TMP_DIR"
    if is_root; then
        chown "$(getent passwd postgres >/dev/null && echo postgres || echo nobody)" "$PG_TMP_DIR"
    fi
    run_as_pg "$bin/initdb" -D "$PG_TMP_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$PG_TMP_DIR.initdb.log" 2>&1 ||
        die "initdb failed, see $PG_TMP_DIR.initdb.log"
    # fsync etc. off: the data is thrown away anyway, and tests run faster.
    run_as_pg "$bin/pg_ctl" -D "$PG_TMP_DIR" -l "$PG_TMP_DIR/server.log" -w -t 60 \
        -o "-p $PG_TMP_PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null ||
        die "the throw-away PostgreSQL did not start, see $PG_TMP_DIR/server.log"
}

start_redis() { # start_redis PORT [PIDFILE]
    local args=(--daemonize yes --bind 127.0.0.1 --port "$1" --save "" --appendonly no --dir /tmp)
    [ -n "${2:-}" ] && args+=(--pidfile "$2")
    daemon redis-server "${args[@]}" >/dev/null || true
}

if [ "${1:-}" = --stop ]; then
    stop_throwaways
    exit 0
fi

# --- 1. What answers already? (no side effects) -----------------------------
db_url=""
if [ -n "${DATABASE_URL:-}" ]; then
    log "PostgreSQL: checking DATABASE_URL=$(redact "$DATABASE_URL")"
    wait_for pg "$DATABASE_URL" 10 || die "DATABASE_URL=$(redact "$DATABASE_URL") does not accept a login"
    db_url=$DATABASE_URL
else
    # The usual server, else a throw-away one left by an earlier run.
    for port in "$PG_PORT" "$PG_TMP_PORT"; do
        if pg_answers "$(pg_url "$port")" 2>/dev/null; then
            db_url=$(pg_url "$port")
            break
        fi
    done
    [ -n "$db_url" ] || log "PostgreSQL: no server accepts user postgres on 127.0.0.1:$PG_PORT"
fi

redis_url=""
if [ -n "${REDIS_URL:-}" ]; then
    log "Redis: checking REDIS_URL=$(redact "$REDIS_URL")"
    wait_for redis "$REDIS_URL" 10 || die "REDIS_URL=$(redact "$REDIS_URL") does not answer PING"
    redis_url=$REDIS_URL
else
    for port in "$REDIS_PORT" "$REDIS_TMP_PORT"; do
        if redis_answers "$(redis_url "$port")"; then
            redis_url=$(redis_url "$port")
            break
        fi
    done
    [ -n "$redis_url" ] || log "Redis: nothing answers on 127.0.0.1:$REDIS_PORT"
fi

# --- 2. Debian packages ------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-noto-cjk 2>/dev/null | grep -q '^Status: install ok installed' || missing+=(fonts-noto-cjk)
command -v msgfmt >/dev/null || missing+=(gettext)
[ -n "$db_url" ] || latest_pg_bin >/dev/null || missing+=(postgresql)
[ -n "$redis_url" ] || command -v redis-server >/dev/null || missing+=(redis-server)

if [ ${#missing[@]} -gt 0 ]; then
    if ! is_root; then
        log "Missing Debian packages: ${missing[*]}"
        log "Install them with:  sudo apt-get install -y ${missing[*]}"
        exit 1
    fi
    log "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    # Package scripts may start postgresql / redis-server.
    DEBIAN_FRONTEND=noninteractive daemon apt-get install -y -qq "${missing[@]}" ||
        die "apt-get install ${missing[*]} failed"
fi

# --- 3. Start what isn't running -------------------------------------------
if [ -z "$db_url" ]; then
    # Installing postgresql may just have started Debian's cluster.
    if pg_answers "$(pg_url "$PG_PORT")" 2>/dev/null; then
        db_url=$(pg_url "$PG_PORT")
    fi
fi
if [ -z "$db_url" ] && (is_root || [ "$(id -un)" = postgres ]) && command -v pg_ctlcluster >/dev/null; then
    # shellcheck disable=SC2012
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1) || true
    if [ -n "$version" ] && [ -d "/etc/postgresql/$version/main" ]; then
        log "Starting Debian's PostgreSQL cluster $version/main"
        # --skip-systemctl-redirect: works in containers without systemd.
        daemon pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        if wait_for pg "$(pg_url "$PG_PORT")" 5; then
            db_url=$(pg_url "$PG_PORT")
        else
            # e.g. Debian's default pg_hba.conf wants a password on 127.0.0.1.
            log "cluster $version/main does not accept user postgres on 127.0.0.1:$PG_PORT"
        fi
    fi
fi
if [ -z "$db_url" ]; then
    start_throwaway_pg
    wait_for pg "$(pg_url "$PG_TMP_PORT")" 10 || die "no PostgreSQL server could be had (see $PG_TMP_DIR/server.log)"
    db_url=$(pg_url "$PG_TMP_PORT")
fi
[ -n "${DATABASE_URL:-}" ] || create_db_if_missing "$db_url"
log "PostgreSQL OK: $(redact "$db_url")"

if [ -z "$redis_url" ]; then
    log "Starting redis-server on 127.0.0.1:$REDIS_PORT"
    start_redis "$REDIS_PORT"
    if wait_for redis "$(redis_url "$REDIS_PORT")" 5; then
        redis_url=$(redis_url "$REDIS_PORT")
    else
        # The port may be taken by something that isn't (our) Redis.
        log "Starting a throw-away redis-server on 127.0.0.1:$REDIS_TMP_PORT"
        start_redis "$REDIS_TMP_PORT" "$REDIS_TMP_PIDFILE"
        wait_for redis "$(redis_url "$REDIS_TMP_PORT")" 10 || die "no Redis server could be had"
        redis_url=$(redis_url "$REDIS_TMP_PORT")
    fi
fi
log "Redis OK: $(redact "$redis_url")"

# %q quotes only if needed (e.g. '&' in a query string), so eval stays safe.
printf 'DATABASE_URL=%q\nREDIS_URL=%q\n' "$db_url" "$redis_url" >&3
