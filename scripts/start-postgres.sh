#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the PostgreSQL gradebook (no install,
# no system service): initdb into a fresh folder, listen on 127.0.0.1 only,
# trust authentication, one database. Prints only the gradebook URL on stdout:
#
#     BACKPROP_TEST_PG_URL="$(bash scripts/start-postgres.sh)"
#     # -> postgresql+psycopg://postgres@127.0.0.1:PORT/backprop
#
# Options (environment):  BACKPROP_PG_DIR  data folder (default: a new temp folder)
#                         BACKPROP_PG_PORT port (default: a free one)
#                         BACKPROP_PG_DB   database name (default: backprop)
# Stop it with:           bash scripts/start-postgres.sh --stop DATADIR
# As root the server runs as the `postgres` user (initdb refuses root).
set -euo pipefail

log() { echo "start-postgres: $*" >&2; }

bindir="${PG_BINDIR:-}"
if [ -z "$bindir" ]; then
    for candidate in /usr/lib/postgresql/*/bin; do
        [ -x "$candidate/initdb" ] && bindir="$candidate"
    done
fi
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1; then
    bindir="$(dirname "$(command -v initdb)")"
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    log "no PostgreSQL server binaries (initdb) found; install the postgresql package"
    exit 3
fi

as_owner() {  # run a server binary as the data folder's owner
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [ "${1:-}" = "--stop" ]; then
    datadir="${2:?usage: start-postgres.sh --stop DATADIR}"
    as_owner "$bindir/pg_ctl" -D "$datadir" -m fast -w stop >&2
    exit 0
fi

datadir="${BACKPROP_PG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/backprop-pg.XXXXXX")}"
mkdir -p "$datadir"
chmod 0700 "$datadir"
user="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        log "running as root but there is no 'postgres' user to run the server as"
        exit 3
    fi
    chown postgres: "$datadir"
    user=postgres
fi

port="${BACKPROP_PG_PORT:-}"
if [ -z "$port" ]; then
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
fi
db="${BACKPROP_PG_DB:-backprop}"

if [ ! -f "$datadir/PG_VERSION" ]; then
    log "initdb $datadir"
    as_owner "$bindir/initdb" -D "$datadir" -U "$user" --auth=trust -E UTF8 \
        --locale=C.UTF-8 >/dev/null 2>&1 \
        || as_owner "$bindir/initdb" -D "$datadir" -U "$user" --auth=trust -E UTF8 >&2
fi
log "starting the server on 127.0.0.1:$port (data $datadir)"
as_owner "$bindir/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$datadir' -c fsync=off" \
    start >&2
if ! as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$db'" 2>/dev/null | grep -q 1; then
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$user" "$db" >&2
fi
log "stop it with: bash $0 --stop $datadir"
echo "postgresql+psycopg://$user@127.0.0.1:$port/$db"
