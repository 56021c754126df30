#!/usr/bin/env bash
# The report benchmark (issue 4): the survey report over N responses, shindan against DuckDB, in the
# same run on the same demo survey.
#
#   bench/report_bench.sh [ROWS...]     ROWS defaults to 1000000; e.g. bench/report_bench.sh 1000000 10000000
#
# Environment: SHINDAN (the binary; default build/src/shindan), BENCH_REPEAT (runs of shindan's
# report, the fastest kept; default 3), DUCKDB_RUNS (query runs inside node, the fastest kept;
# default 5), BENCH_TMP (scratch folder; default a fresh temporary folder, removed afterwards),
# BENCH_RESULTS (default docs/BENCHMARKS.md; "-" to only print). Needs GNU time (`/usr/bin/time`),
# Node 20 and npm; installs DuckDB's Node client (bench/duckdb, pinned in package-lock.json) with
# `npm ci` when it is missing.
#
# For each size: `shindan demo` writes the survey CSV; `shindan import` stores it in a fresh SQLite
# database (not timed here: bench/import_bench.sh measures it). Then
#   shindan: `shindan report --db DB --survey bench --format json --timings`, end to end under GNU
#            time (wall, peak RSS), and its aggregation phase alone (`timing: aggregate S`);
#   DuckDB:  bench/duckdb/report.mjs loads the same CSV into an in-memory table (timed apart) and
#            runs the same figures as one GROUP BY into cells and GROUPING SETS over them, with
#            SET threads = 2, the fastest of DUCKDB_RUNS timed with performance.now().
# The script checks that both found the same respondents, passes, size types, answers to item 25,
# certified companies under the pass mark and org-checklist respondents, and fails otherwise.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
sizes=("$@")
((${#sizes[@]})) || sizes=(1000000)
repeat=${BENCH_REPEAT:-3}
duck_runs=${DUCKDB_RUNS:-5}
shindan=${SHINDAN:-$root/build/src/shindan}
results=${BENCH_RESULTS:-$root/docs/BENCHMARKS.md}
duckdir=$root/bench/duckdb

for tool in /usr/bin/time node npm python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "report_bench: $tool is missing — run scripts/install-deps.sh (Debian packages time, nodejs, npm, python3)" >&2
    exit 1
  fi
done
if [[ ! -x $shindan ]]; then
  echo "report_bench: $shindan not found — build first (scripts/build.sh) or set SHINDAN" >&2
  exit 1
fi
# The shindan half needs `report --db … --timings`; without it the DuckDB half runs alone and
# nothing is written to the results.
shindan_ok=1
report_help=$("$shindan" report --help 2>&1 || true)
if [[ $report_help != *--timings* || $report_help != *--db* ]]; then
  echo "report_bench: $shindan report has no --db/--timings: running the DuckDB half only, results not written" >&2
  shindan_ok=0
fi
if [[ ! -d $duckdir/node_modules/@duckdb/node-api ]]; then
  echo "== npm ci (bench/duckdb)"
  (cd "$duckdir" && npm ci --no-audit --no-fund)
fi

if [[ -n ${BENCH_TMP:-} ]]; then
  tmp=$BENCH_TMP
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
fi

lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
commas() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }
# A key of the JSON object in FILE (a Python expression over `d`).
json() { python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print($2)" "$1"; }

rows_table="| responses | CSV | DuckDB load (s) | DuckDB query (s) | shindan aggregate (s) | DuckDB / shindan | shindan load (s) | shindan report end to end (s) | DuckDB load + query / shindan end to end | shindan peak (MiB) | DuckDB peak (MiB) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
verdicts=""
for rows in "${sizes[@]}"; do
  csv=$tmp/survey-$rows.csv
  db=$tmp/survey-$rows.db
  echo "== $rows responses: shindan demo"
  "$shindan" demo --companies "$rows" -o "$csv"
  bytes=$(stat -c %s "$csv")

  echo "== DuckDB: load and $duck_runs query runs"
  cat "$csv" >/dev/null  # into the page cache
  measure node "$duckdir/report.mjs" "$csv" "$root" "$duck_runs" >"$tmp/duckdb.json"
  d_rss=$rss
  d_load=$(json "$tmp/duckdb.json" "'%.2f' % d['load_s']")
  d_query=$(json "$tmp/duckdb.json" "'%.3f' % d['query_s']")
  d_version=$(json "$tmp/duckdb.json" "d['duckdb']")
  echo "   load $d_load s, query $d_query s (runs: $(json "$tmp/duckdb.json" "' '.join('%.3f' % t for t in d['runs'])")), peak $(mib "$d_rss") MiB"

  if ((!shindan_ok)); then
    rm -f "$csv"
    continue
  fi
  echo "== shindan import (setting up, not timed here)"
  rm -f "$db"*
  "$shindan" import --db "$db" --survey bench "$csv" | tail -1
  rm -f "$csv"  # the 10M file is 2.2 GB

  s_wall="" s_agg="" s_load="" s_rss=0
  for ((run = 1; run <= repeat; run++)); do
    echo "== shindan report (run $run of $repeat)"
    measure "$shindan" report --db "$db" --survey bench --format json --timings -o "$tmp/report.json" 2>"$tmp/timings.txt"
    cat "$tmp/timings.txt"
    agg=$(awk '$1 == "timing:" && $2 == "aggregate" { print $3 }' "$tmp/timings.txt")
    ld=$(awk '$1 == "timing:" && $2 == "load" { print $3 }' "$tmp/timings.txt")
    [[ -n $agg ]] || { echo "report_bench: no 'timing: aggregate' line from shindan report --timings" >&2; exit 1; }
    if [[ -z $s_wall ]] || lt "$wall" "$s_wall"; then s_wall=$wall; fi
    if [[ -z $s_agg ]] || lt "$agg" "$s_agg"; then s_agg=$agg; fi
    if [[ -z $s_load ]] || lt "$ld" "$s_load"; then s_load=$ld; fi
    if ((rss > s_rss)); then s_rss=$rss; fi
  done

  # The same figures, or the comparison means nothing.
  python3 - "$tmp/report.json" "$tmp/duckdb.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
d = json.load(open(sys.argv[2]))["figures"]
shindan = {
    "respondents": s["respondents"],
    "passed": s["self_check"]["passed"],
    "size_type": {k: v["count"] for k, v in s["profile"]["size_type"].items() if v["count"]},
    "sc25_no": s["self_check"]["items"]["sc25"]["counts"]["no"],
    "certified": s["certified"]["count"],
    "certified_under_pass": s["certified"]["under_pass_mark"],
    "org_respondents": s["org_checklist"]["respondents"],
    "distinct_totals": len(s["self_check"]["totals"]),
}
diff = {k: (v, d[k]) for k, v in shindan.items() if d[k] != v}
if diff:
    sys.exit("report_bench: shindan and DuckDB disagree (shindan, DuckDB): %s" % diff)
print("   same figures: %d respondents, %d passed" % (shindan["respondents"], shindan["passed"]))
PY
  ratio=$(awk -v d="$d_query" -v s="$s_agg" 'BEGIN { printf "%.0f", d / s }')
  e2e=$(awk -v l="$d_load" -v q="$d_query" -v s="$s_wall" 'BEGIN { printf "%.1f", (l + q) / s }')
  s_agg=$(awk -v s="$s_agg" 'BEGIN { printf "%.4f", s }')
  s_load=$(awk -v s="$s_load" 'BEGIN { printf "%.2f", s }')
  size=$(awk -v b="$bytes" 'BEGIN { if (b >= 1e9) printf "%.1f GB", b / 1e9; else printf "%.0f MB", b / 1e6 }')
  rows_table+="
| $(commas "$rows") | $size | $d_load | $d_query | $s_agg | **$ratio×** | $s_load | $s_wall | **$e2e×** | $(mib "$s_rss") | $(mib "$d_rss") |"
  verdicts+="
- $(commas "$rows") responses: shindan aggregates $ratio× faster than DuckDB's query; the report takes $s_wall s end to end ($e2e× faster than DuckDB loading the CSV and running its query), peak $(mib "$s_rss") MiB."
  rm -f "$db"*
done

echo
echo "$rows_table"
((shindan_ok)) || exit 1
[[ $results == - ]] && exit 0

describe_machine
version=$("$shindan" --version 2>/dev/null || echo shindan)
section="<!-- report-bench:begin (written by bench/report_bench.sh) -->
## Report: \`shindan report\` vs DuckDB

The survey report (tables 4–10, the 採点表, totals, worst items, org checklist, awareness) over
\`shindan demo\` surveys. shindan reads a SQLite database made by \`shindan import --db DB --survey
bench FILE\` and runs \`shindan report --db DB --survey bench --format json --timings\`: *aggregate*
is its aggregation phase alone (\`timing: aggregate\`), *load* reading the survey's columnar copy
(docs/storage.md) from SQLite into the snapshot (\`timing: load\`), *end to end* the whole command under GNU time (start-up,
load, aggregate, render and write the JSON). DuckDB $d_version (Node client
\`@duckdb/node-api\`, \`SET threads = 2\`) loads the same CSV into an in-memory table, computing once
per row what a DuckDB user would store — the size × industry × region classification, the profile
bands and flags, the self-check total (sum of item points from \`instruments/self-check-2009.json\`)
and the answers as a 1-byte ENUM — and *load* is that step. *Query* is its best SQL for the same
figures: one GROUP BY into the cells size × industry × region × total with per-item answer counts,
then GROUPING SETS over the cells (whole survey, each dimension, the totals histogram);
\`bench/duckdb/report.mjs\`, the fastest of $duck_runs runs timed with \`performance.now()\`, results
read back. Both give the same respondents, passes, size types, item answers, certified companies and
org-checklist respondents (the script checks). Peak memory is the maximum resident set size (GNU
time); DuckDB's includes its load. shindan: the fastest of $repeat run(s), peak the highest. Run on
$date with $version: $cpus CPUs ($model$quota), $mem of memory, shared with other work (load
average $load at the end).

$rows_table

Targets (issue 4): aggregation at least 20× faster than DuckDB's query; the report under 2 s end to
end at 1,000,000 responses, under 1 GB. Issue 10: the report end to end at least 5× faster than
DuckDB loading the CSV and running its query, in the same run; at 10,000,000 no more than 11× the
1,000,000 time, under 1 GB.
$verdicts

The two load columns are not comparable: DuckDB parses the CSV, shindan reads the columnar copy
its import keeps in the database (bench/import_bench.sh measures the import with the copy).
<!-- report-bench:end -->"
write_section report-bench "$section"
