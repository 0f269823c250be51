#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the study-store tests, on a Unix socket only.
#   pgcluster.sh start DIR     creates DIR/data, starts it on DIR/sock, prints the URI
#   pgcluster.sh restart DIR   pg_ctl restart (the fault tests use it)
#   pgcluster.sh stop DIR      stops it and removes DIR
#   pgcluster.sh run CMD...    starts one in a temporary folder, runs CMD with
#                              TRAINSCOPE_TEST_POSTGRES (the URI) and TRAINSCOPE_TEST_POSTGRES_DATA
#                              (the folder) set, stops it however CMD ends; CMD's status is ours
set -euo pipefail

bin=${TRAINSCOPE_PG_BIN:-}
if [ -z "$bin" ]; then
  for v in 17 16 15 14 13; do
    if [ -x /usr/lib/postgresql/$v/bin/initdb ]; then bin=/usr/lib/postgresql/$v/bin; break; fi
  done
fi
[ -n "$bin" ] || { echo "pgcluster: no PostgreSQL server found (apt install postgresql)" >&2; exit 1; }

# initdb refuses root: the cluster belongs to the postgres user then.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

uri_of() { echo "postgresql:///trainscope?host=$1/sock&user=postgres"; }

start() {
  local dir=$1
  mkdir -p "$dir"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
  as_owner mkdir -p "$dir/sock"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir/sock -c listen_addresses='' -c max_connections=200" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$bin/createdb" -h "$dir/sock" -U postgres trainscope
  uri_of "$dir"
}

restart() {
  local dir=$1
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -m fast \
    -o "-k $dir/sock -c listen_addresses='' -c max_connections=200" restart >/dev/null
}

stop() {
  local dir=$1
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -w -t 60 -m fast stop >/dev/null || true
  fi
  rm -rf "$dir"
}

cmd=${1:-}
shift || true
case "$cmd" in
  start | restart | stop)
    [ $# -eq 1 ] || { echo "usage: pgcluster.sh $cmd DIR" >&2; exit 2; }
    "$cmd" "$1"
    ;;
  run)
    [ $# -ge 1 ] || { echo "usage: pgcluster.sh run CMD..." >&2; exit 2; }
    dir=$(mktemp -d /tmp/tspg.XXXXXX) # short: a socket path has ~100 characters at most
    trap 'stop "$dir"' EXIT
    trap 'exit 130' INT TERM
    uri=$(start "$dir")
    echo "pgcluster: PostgreSQL at $uri" >&2
    status=0
    TRAINSCOPE_TEST_POSTGRES=$uri TRAINSCOPE_TEST_POSTGRES_DATA=$dir "$@" || status=$?
    exit $status
    ;;
  *)
    echo "usage: pgcluster.sh start|restart|stop DIR | run CMD..." >&2
    exit 2
    ;;
esac
