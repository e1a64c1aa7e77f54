#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for the registry's
# tests and benchmarks, and prints the one line to evaluate:
#   export LICENSING_TEST_POSTGRES=postgres://licensing@127.0.0.1:54329
# Usage: eval "$(tests/postgres/start.sh)"; tests/postgres/stop.sh ends it.
# Installs Debian's postgresql when its server is missing. A server this
# script started earlier (same port) is reused. Test settings only: trust
# authentication on 127.0.0.1, fsync off, data in /tmp.
set -euo pipefail

port=${LICENSING_TEST_POSTGRES_PORT:-54329}
data=/tmp/licensing-postgres-$port

server_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

bin=$(server_bin)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "PostgreSQL's server not found: installing Debian's postgresql with apt-get" >&2
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    $sudo apt-get update >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
    bin=$(server_bin)
fi

# The server refuses to run as root: as root, it runs as Debian's
# postgres user.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    as_owner=(runuser -u postgres --)
fi

if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
    if [ ! -f "$data/PG_VERSION" ]; then
        rm -rf "$data"
        mkdir -p "$data"
        if [ "$(id -u)" -eq 0 ]; then
            chown postgres: "$data"
        fi
        "${as_owner[@]}" "$bin/initdb" -D "$data" -U licensing -A trust --no-sync >&2
    fi
    "${as_owner[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w start \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$data -c fsync=off -c max_connections=200" >&2 || {
        cat "$data/server.log" >&2
        exit 1
    }
fi
echo "export LICENSING_TEST_POSTGRES=postgres://licensing@127.0.0.1:$port"
