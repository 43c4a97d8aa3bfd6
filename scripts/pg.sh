#!/usr/bin/env bash
# Start a throwaway PostgreSQL server (Debian's postgresql) and print its DATABASE_URL.
#   scripts/pg.sh start DIR   -> prints postgres://... on stdout
#   scripts/pg.sh stop DIR
set -euo pipefail
action=$1; dir=$2
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -x "$bindir/initdb" ] || { echo "[pg] Debian's postgresql is not installed" >&2; exit 1; }
# A free loopback port unless one is given.
port=${PGPORT_WALKRX:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$action" in
  start)
    mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      run "$bindir/initdb" -D "$dir/data" -U walkrx --auth=trust -E UTF8 >/dev/null
    fi
    run "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    run "$bindir/createdb" -h 127.0.0.1 -p "$port" -U walkrx walkrx 2>/dev/null || true
    echo "postgres://walkrx@127.0.0.1:$port/walkrx"
    ;;
  stop)
    run "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
