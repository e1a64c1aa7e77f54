#!/usr/bin/env bash
# Stops the server tests/postgres/start.sh started (its data stays in /tmp
# for the next start).
set -euo pipefail
port=${LICENSING_TEST_POSTGRES_PORT:-54329}
data=/tmp/licensing-postgres-$port
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -f "$data/postmaster.pid" ] || exit 0
if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m fast stop >&2
else
    "$bin/pg_ctl" -D "$data" -m fast stop >&2
fi
