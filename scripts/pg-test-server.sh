#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store's tests: `make test` (CTest's pg_test_server fixture)
# starts it before the PostgreSQL tests and stops it after.
#
#   scripts/pg-test-server.sh start STATE_DIR   initdb in a new temporary data directory, start the
#                                               server on a free 127.0.0.1 port, create database
#                                               `gridaudit`, write its URI to STATE_DIR/uri
#   scripts/pg-test-server.sh stop STATE_DIR    stop that server and delete its data directory
#
# initdb refuses to run as root, so as root the server runs as the unprivileged user `nobody`
# (GRIDAUDIT_PG_USER overrides) in a data directory under $TMPDIR that user owns. The server trusts
# local TCP connections (it listens on 127.0.0.1 only, no Unix socket) and does not fsync: its data
# is thrown away. Fails (exit 1) when no server could be started, so the tests that need it fail.
set -euo pipefail

usage() { echo "usage: $0 start|stop STATE_DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
action=$1
state_dir=$2

pg_bin=${GRIDAUDIT_PG_BIN:-}
if [[ -z $pg_bin ]]; then
  if command -v pg_config >/dev/null && [[ -x $(pg_config --bindir)/initdb ]]; then
    pg_bin=$(pg_config --bindir)
  else
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
fi
[[ -n $pg_bin && -x $pg_bin/initdb ]] || { echo "error: PostgreSQL server binaries not found (install postgresql)" >&2; exit 1; }

as_server_user=()
if [[ $(id -u) -eq 0 ]]; then
  as_server_user=(runuser -u "${GRIDAUDIT_PG_USER:-nobody}" --)
fi

stop_server() {
  local data=$1
  [[ -d $data ]] || return 0
  if [[ -f $data/cluster/postmaster.pid ]]; then
    "${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$data/cluster" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$data"
}

case $action in
  start)
    mkdir -p "$state_dir"
    if [[ -f $state_dir/data_dir ]]; then  # a server left by an interrupted run
      stop_server "$(cat "$state_dir/data_dir")"
    fi
    rm -f "$state_dir/uri" "$state_dir/data_dir"
    data=$(mktemp -d "${TMPDIR:-/tmp}/gridaudit-pg.XXXXXX")
    echo "$data" > "$state_dir/data_dir"
    if [[ ${#as_server_user[@]} -gt 0 ]]; then
      chown "${GRIDAUDIT_PG_USER:-nobody}" "$data"
    fi
    chmod 700 "$data"
    if ! "${as_server_user[@]}" "$pg_bin/initdb" -D "$data/cluster" -U gridaudit --auth=trust -E UTF8 \
          --no-locale --no-sync >"$data/initdb.log" 2>&1; then
      cat "$data/initdb.log" >&2
      echo "error: initdb failed in $data" >&2
      exit 1
    fi
    # A free port: try random ones until the server starts (another server may take a port between
    # a check and the start, so starting is the check).
    started=""
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
      port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
      if "${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$data/cluster" -l "$data/server.log" -w -t 60 \
            -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off \
                -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null 2>&1; then
        started=$port
        break
      fi
    done
    if [[ -z $started ]]; then
      tail -n 20 "$data/server.log" >&2 || true
      echo "error: the PostgreSQL test server did not start (log: $data/server.log)" >&2
      exit 1
    fi
    "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$started" -U gridaudit -d postgres -c "CREATE DATABASE gridaudit" >/dev/null
    echo "postgresql://gridaudit@127.0.0.1:$started/gridaudit" > "$state_dir/uri"
    echo "PostgreSQL test server: $(cat "$state_dir/uri") (data in $data)"
    ;;
  stop)
    if [[ -f $state_dir/data_dir ]]; then
      stop_server "$(cat "$state_dir/data_dir")"
    fi
    rm -f "$state_dir/uri" "$state_dir/data_dir"
    ;;
  *) usage ;;
esac
