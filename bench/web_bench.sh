#!/usr/bin/env bash
# The web's load benchmark (issue 11 §9): wrk (Debian) on loopback, 64 connections, against
# `shindan serve`, each figure measured in the same run as the /healthz peer:
#   - GET /healthz (one query of the database): the server's ceiling;
#   - saving an answer, POST /r/TOKEN/answer (the script's save), acknowledged only after its
#     commit is durable (the web opens SQLite with synchronous=FULL; PostgreSQL is durable), over
#     64 invitations;
#   - the result page, GET /r/TOKEN/result, with COMPANIES responses stored (its peer comparison
#     reads the cell states, never the rows), and its server time from the access log;
#   - with $BENCH_POSTGRES_URL (else $SHINDAN_TEST_POSTGRES_URL), an admin URL: /healthz and saves
#     on PostgreSQL, one server against two servers on the same database. The server must be
#     durable (fsync and full_page_writes on: PG_DURABLE=1 scripts/pg-test-server.sh start DIR
#     PORT), or its saves are not what the figures claim: a server that is not (the tests' one) is
#     left out, and the section says why. The section records its settings, the disk's flushes per
#     second (pg_test_fsync) and the saves per WAL flush (pg_stat_wal), which show how much the
#     group commit groups.
#
#   bench/web_bench.sh [COMPANIES]        COMPANIES defaults to 1000000
#
# Environment: SHINDAN (default build/src/shindan), BENCH_DURATION (seconds per wrk run, default
# 10), BENCH_TMP, BENCH_RESULTS (default docs/BENCHMARKS.md; "-" to only print).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
companies=${1:-1000000}
duration=${BENCH_DURATION:-10}
shindan=${SHINDAN:-$root/build/src/shindan}
results=${BENCH_RESULTS:-$root/docs/BENCHMARKS.md}
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "web_bench: $tool is missing — scripts/install-deps.sh installs it" >&2; exit 1; }
done
[[ -x $shindan ]] || { echo "web_bench: $shindan not found — build first (scripts/build.sh) or set SHINDAN" >&2; exit 1; }
if [[ -n ${BENCH_TMP:-} ]]; then tmp=$BENCH_TMP; mkdir -p "$tmp"; else tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; fi
servers=()
stop_servers() { for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; servers=(); }
trap 'stop_servers' EXIT

# serve DB PORT LOG: starts a server, waits until it listens.
serve() {
  "$shindan" --data-dir "$root" serve --db "$1" --listen "127.0.0.1:$2" --threads 64 --bad-tokens 1000000 >"$3" 2>"$3.err" &
  servers+=($!)
  for _ in $(seq 200); do grep -q 'listening on' "$3.err" 2>/dev/null && return 0; sleep 0.05; done
  echo "web_bench: the server on port $2 did not start:" >&2; cat "$3.err" >&2; exit 1
}

# links DB PORT FILE: 64 invitations of survey bench, each line "TOKEN CSRF" (the CSRF of its forms).
links() {
  "$shindan" invite --db "$1" --survey bench --new 64 --base-url "http://127.0.0.1:$2" >"$tmp/links.txt"
  : >"$3"
  while read -r link; do
    token=${link##*/}
    csrf=$(curl -s "http://127.0.0.1:$2/r/$token/profile" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | grep -o '[0-9a-f]\{64\}')
    echo "$token $csrf" >>"$3"
  done <"$tmp/links.txt"
}

# The save: each request the next invitation's answer to one item, as the page's script posts it.
cat >"$tmp/save.lua" <<'EOF'
local tokens, i = {}, 0
for line in io.lines(os.getenv("BENCH_LINKS")) do
  local t, c = line:match("(%S+) (%S+)")
  tokens[#tokens + 1] = {t, c}
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  i = i % #tokens + 1
  local item = string.format("sc%02d", i % 25 + 1)
  return wrk.format(nil, "/r/" .. tokens[i][1] .. "/answer", nil,
                    "csrf=" .. tokens[i][2] .. "&" .. item .. "=" .. ((i % 2 == 0) and "yes" or "no"))
end
EOF

# load NAME URL [SCRIPT]: wrk with 64 connections; sets NAME_rps and NAME_p99 (ms); fails on errors.
load() {
  local name=$1 url=$2 script=${3:-} out=$tmp/wrk-$1.txt
  local args=(-t2 -c64 -d"${duration}s" --latency)
  [[ -n $script ]] && args+=(-s "$script")
  # A warm-up of 2 s first: the server opens its pool of database connections as the 64 arrive.
  wrk -t2 -c64 -d2s ${script:+-s "$script"} "$url" >/dev/null
  wrk "${args[@]}" "$url" >"$out"
  if grep -q 'Non-2xx' "$out"; then echo "web_bench: $name had errors:" >&2; cat "$out" >&2; exit 1; fi
  printf -v "${name}_rps" %s "$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$out")"
  printf -v "${name}_p99" %s "$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; printf "%.2f", v }' "$out")"
}

# server_time LOG ROUTE: median and p99 of the access log's microseconds for ROUTE, in ms.
server_time() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
us = sorted(json.loads(l)["us"] for l in open(sys.argv[1]) if l.startswith("{") and json.loads(l)["route"] == sys.argv[2])
print(f"{us[len(us) // 2] / 1000:.2f} {us[int(len(us) * 0.99)] / 1000:.2f} {len(us)}")
EOF
}

describe_machine
echo "== the survey: $companies demo companies"
"$shindan" --data-dir "$root" demo --companies "$companies" --seed 11 -o "$tmp/bench.csv" >/dev/null
db="sqlite:$tmp/web.db"
"$shindan" --data-dir "$root" import --db "$db" --survey bench "$tmp/bench.csv" >/dev/null 2>&1
port=18181
serve "$db" $port "$tmp/sqlite.log"
links "$db" $port "$tmp/links-sqlite.txt"
# One invitation answered whole through the API, for the result page.
result_token=$(awk 'NR == 1 { print $1 }' "$tmp/links-sqlite.txt")
sheet='{"profile": {"employees": 40, "industry": "mfg", "prefecture": "13", "it_core": false}, "answers": {'
for i in $(seq -w 1 25); do sheet+="\"sc$i\": \"$([[ $i == 03 ]] && echo no || echo yes)\"$([[ $i == 25 ]] || echo ,)"; done
sheet+='}}'
curl -sf -H 'Content-Type: application/json' -d "$sheet" "http://127.0.0.1:$port/api/v1/r/$result_token/answers" >/dev/null

echo "== SQLite: /healthz, durable saves, the result page"
load healthz "http://127.0.0.1:$port/healthz"
BENCH_LINKS=$tmp/links-sqlite.txt load save "http://127.0.0.1:$port" "$tmp/save.lua"
load result "http://127.0.0.1:$port/r/$result_token/result"
# The server time of the result page alone: one connection, so no request waits for a CPU.
: >"$tmp/sqlite.log"
wrk -t1 -c1 -d"${duration}s" "http://127.0.0.1:$port/r/$result_token/result" >/dev/null
read -r result_median result_server_p99 result_n < <(server_time "$tmp/sqlite.log" "/r/{token}/result")
stop_servers

# redact URL: the URL without its password.
redact() { sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#' <<<"$1"; }
# wal_syncs: the WAL flushes PostgreSQL has made (pg_stat_wal), or "" when it cannot say.
wal_syncs() { psql -Atq "$pg_admin" -c "SELECT wal_sync FROM pg_stat_wal" 2>/dev/null || true; }
# per_flush SAVES BEFORE AFTER: saves per WAL flush, or "–".
per_flush() { if [[ -n $2 && -n $3 ]] && (($3 > $2)); then awk -v n="$1" -v f="$(($3 - $2))" 'BEGIN { printf "%.1f", n / f }'; else echo "–"; fi; }

pg_rows=""
pg_text=""
pg_admin=${BENCH_POSTGRES_URL:-${SHINDAN_TEST_POSTGRES_URL:-}}
if [[ -n $pg_admin ]]; then
  settings=$(psql -Atq "$pg_admin" -F= -c "SELECT name, setting FROM pg_settings WHERE name IN
    ('fsync', 'full_page_writes', 'synchronous_commit', 'wal_sync_method', 'commit_delay', 'server_version_num') ORDER BY name" | paste -sd' ')
  if [[ " $settings " != *" fsync=on "* || " $settings " != *" full_page_writes=on "* ]]; then
    echo "web_bench: the PostgreSQL at $(redact "$pg_admin") is not durable ($settings): its saves would not be what" >&2
    echo "the figures claim, so it is left out. For a durable one: PG_DURABLE=1 scripts/pg-test-server.sh start DIR PORT," >&2
    echo "then BENCH_POSTGRES_URL=its URL" >&2
    pg_text="
PostgreSQL not measured: the server given ($settings) is not durable."
    pg_admin=""
  fi
fi
if [[ -n $pg_admin ]]; then
  echo "== PostgreSQL: one server, then two on the same database"
  # The disk's own limit: durable commits a second with one flush each (one 8-kB write, then fdatasync).
  pg_bin=$(pg_config --bindir 2>/dev/null || true)
  [[ -x $pg_bin/pg_test_fsync ]] || pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_test_fsync 2>/dev/null | tail -1)")
  flushes=$("$pg_bin/pg_test_fsync" -s 1 -f "$tmp/fsync.test" 2>/dev/null | awk '/one 8kB write/ { one = 1 } one && $1 == "fdatasync" { printf "%.0f", $2; exit }' || true)
  pgdb="shindan_webbench_$$"
  psql -q "$pg_admin" -c "CREATE DATABASE $pgdb" >/dev/null
  pgurl="${pg_admin%/*}/$pgdb"
  "$shindan" --data-dir "$root" demo -o "$tmp/demo.csv" >/dev/null
  "$shindan" --data-dir "$root" import --db "$pgurl" --survey bench "$tmp/demo.csv" >/dev/null 2>&1
  serve "$pgurl" $port "$tmp/pg1.log"
  serve "$pgurl" $((port + 1)) "$tmp/pg2.log"
  links "$pgurl" $port "$tmp/links-pg.txt"
  load pg_healthz "http://127.0.0.1:$port/healthz"
  w0=$(wal_syncs)
  BENCH_LINKS=$tmp/links-pg.txt load pg_save "http://127.0.0.1:$port" "$tmp/save.lua"
  w1=$(wal_syncs)
  pg_save_flush=$(per_flush "$(awk '/requests in/ { print $1 }' "$tmp/wrk-pg_save.txt")" "$w0" "$w1")
  # Two servers at once, 32 connections each (the same 64 in all).
  BENCH_LINKS=$tmp/links-pg.txt wrk -t2 -c64 -d2s -s "$tmp/save.lua" "http://127.0.0.1:$((port + 1))" >/dev/null
  w0=$(wal_syncs)
  BENCH_LINKS=$tmp/links-pg.txt wrk -t1 -c32 -d"${duration}s" --latency -s "$tmp/save.lua" "http://127.0.0.1:$port" >"$tmp/wrk-two-a.txt" &
  a=$!
  BENCH_LINKS=$tmp/links-pg.txt wrk -t1 -c32 -d"${duration}s" --latency -s "$tmp/save.lua" "http://127.0.0.1:$((port + 1))" >"$tmp/wrk-two-b.txt"
  wait $a
  w1=$(wal_syncs)
  if grep -q 'Non-2xx' "$tmp/wrk-two-a.txt" "$tmp/wrk-two-b.txt"; then
    echo "web_bench: two servers had errors:" >&2; cat "$tmp/wrk-two-a.txt" "$tmp/wrk-two-b.txt" >&2; exit 1
  fi
  pg_two_rps=$(cat "$tmp/wrk-two-a.txt" "$tmp/wrk-two-b.txt" | awk '/Requests\/sec/ { s += $2 } END { printf "%.0f", s }')
  # The higher of the two servers' p99.
  pg_two_p99=$(cat "$tmp/wrk-two-a.txt" "$tmp/wrk-two-b.txt" | awk '$1 == "99%" { v = $2; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; if (v > m) m = v } END { printf "%.2f", m }')
  pg_two_flush=$(per_flush "$(cat "$tmp/wrk-two-a.txt" "$tmp/wrk-two-b.txt" | awk '/requests in/ { s += $1 } END { print s }')" "$w0" "$w1")
  stop_servers
  psql -q "$pg_admin" -c "DROP DATABASE $pgdb WITH (FORCE)" >/dev/null
  pg_rows="| PostgreSQL | GET /healthz | $pg_healthz_rps | $pg_healthz_p99 | 1 | |
| PostgreSQL | POST /r/{token}/answer (durable) | $pg_save_rps | $pg_save_p99 | **$(awk -v a="$pg_save_rps" -v b="$pg_healthz_rps" 'BEGIN { printf "%.2f", a / b }')** | $pg_save_flush |
| PostgreSQL, two servers | POST /r/{token}/answer (durable), 32 connections each | $pg_two_rps | $pg_two_p99 | $(awk -v a="$pg_two_rps" -v b="$pg_healthz_rps" 'BEGIN { printf "%.2f", a / b }') | $pg_two_flush |"
  pg_text="
PostgreSQL: $settings
(the web's connections turn synchronous_commit on where the server's default is off). The disk under the benchmark's temporary directory makes ${flushes:-?} flushes a second
(\`pg_test_fsync\`: one 8-kB write, then fdatasync). Saves per flush: the saves of the run over the WAL
flushes PostgreSQL made meanwhile (\`pg_stat_wal\`). The PostgreSQL survey holds $(($(wc -l <"$tmp/demo.csv") - 1)) companies."
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

ratio=$(awk -v a="$save_rps" -v b="$healthz_rps" 'BEGIN { printf "%.2f", a / b }')
section="<!-- web-bench:begin (written by bench/web_bench.sh) -->
## The web under load: \`shindan serve\` with wrk

wrk on loopback, 64 connections, ${duration} s a run, against \`shindan serve --threads 64\` (bench/web_bench.sh).
Run on $date with shindan $("$shindan" --version 2>/dev/null | awk '{ print $NF }'): $cpus CPUs ($model$quota), $mem, load before the run $load, after it $load_after;
wrk, the servers and PostgreSQL share the CPUs. Saves are the page script's \`POST /r/{token}/answer\` over 64
invitations, each acknowledged after a durable commit (SQLite \`synchronous=FULL\`), saves arriving
together committed together, and on PostgreSQL the reads before each request (bad tokens, invitation, draft) of the
requests arriving together read together (src/web/group_call.h). Each run follows a 2-s warm-up. The SQLite survey holds $companies companies (with the columnar copy and cell states).$pg_text

| database | request | requests/s | p99 (ms) | / healthz | saves per flush |
| --- | --- | ---: | ---: | ---: | ---: |
| SQLite | GET /healthz | $healthz_rps | $healthz_p99 | 1 | |
| SQLite | POST /r/{token}/answer (durable) | $save_rps | $save_p99 | **$ratio** | |
| SQLite | GET /r/{token}/result ($companies responses) | $result_rps | $result_p99 | $(awk -v a="$result_rps" -v b="$healthz_rps" 'BEGIN { printf "%.2f", a / b }') | |
$pg_rows

The result page's server time (the access log's microseconds, $result_n requests on one connection, so that none waits for a CPU): median **$result_median ms**, p99 $result_server_p99 ms.
Targets (issue 11): durable saves at least half the /healthz rate with p99 under 20 ms; the result page under 10 ms of server time at 1,000,000 responses.
<!-- web-bench:end -->"
echo "$section"
[[ $results == - ]] || write_section web-bench "$section"
