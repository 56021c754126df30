#!/usr/bin/env bash
# A private PostgreSQL server for the storage tests: Debian's postgresql 15 binaries, its own data
# directory and port, trust authentication on 127.0.0.1 and a unix socket in the data directory.
# Nothing touches the system cluster.
#
#   scripts/pg-test-server.sh start DIR [PORT]   initdb (first time) and start; prints the URL
#   scripts/pg-test-server.sh stop DIR           stop (fast shutdown)
#
# initdb and pg_ctl refuse to run as root, so when run as root they run as the `postgres` user
# (runuser), which must own DIR. The server is tuned for tests, not for data: fsync is off.
# PG_DURABLE=1 starts it durable instead (fsync, synchronous_commit and full_page_writes on, as a
# production server runs), for benchmarks whose figures claim a durable commit
# (bench/web_bench.sh); PG_SERVER_OPTIONS adds settings ("-c commit_delay=…").
set -euo pipefail

usage() { echo "usage: $0 start DIR [PORT] | stop DIR" >&2; exit 2; }
(($# >= 2)) || usage
action=$1
dir=$2
port=${3:-54329}

bindir=${PG_BINDIR:-}
if [[ -z $bindir ]]; then
  for v in 15 16 17; do
    [[ -x /usr/lib/postgresql/$v/bin/initdb ]] && { bindir=/usr/lib/postgresql/$v/bin; break; }
  done
fi
[[ -n $bindir && -x $bindir/pg_ctl ]] || { echo "pg-test-server: PostgreSQL binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  as_pg=(runuser -u postgres --)
fi

data=$dir/data
log=$dir/server.log

case $action in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    data=$dir/data
    log=$dir/server.log
    if ((${#as_pg[@]})); then
      chown postgres: "$dir"
      # The postgres user must be able to reach DIR.
      runuser -u postgres -- test -x "$dir" || { echo "pg-test-server: user postgres cannot enter $dir; use a directory under /tmp" >&2; exit 1; }
    fi
    if [[ ! -f $data/PG_VERSION ]]; then
      "${as_pg[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if "${as_pg[@]}" "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      echo "pg-test-server: already running in $data" >&2
    else
      settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
      [[ ${PG_DURABLE:-0} == 1 ]] && settings="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
      "${as_pg[@]}" "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 \
        -o "-p $port -h 127.0.0.1 -k $data $settings -c max_connections=200 ${PG_SERVER_OPTIONS:-}" \
        start >/dev/null || { cat "$log" >&2; exit 1; }
    fi
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [[ -f $data/PG_VERSION ]] && "${as_pg[@]}" "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      "${as_pg[@]}" "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
    ;;
  *) usage ;;
esac
