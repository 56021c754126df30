#!/usr/bin/env bash
# The single-write benchmark (issue 10): one answer written through the store with the survey's
# columnar copy and cell states kept current (SaveAnswers, the web's write path), and one peer-group
# read from the cell states (PeerTotals, the result page's percentile), on SQLite and PostgreSQL;
# against the least a durable write of one answer costs on the same database, in the same run.
#
#   bench/write_bench.sh [ROWS]         ROWS (companies in the survey) defaults to 100000
#
# Environment: TESTS (the test binary; default build/tests/shindan_tests), BENCH_WRITES (writes and
# reads measured; default 200), BENCH_RESULTS (default docs/BENCHMARKS.md; "-" to only print),
# SHINDAN_TEST_POSTGRES_URL (a PostgreSQL server to use; default: a private one started here with
# scripts/pg-test-server.sh and stopped afterwards).
#
# The measurement is the test ColumnCopyTest.DISABLED_BenchmarkSaveAnswer
# (src/analytics/column_copy_test.cc): it imports ROWS demo companies, makes BENCH_WRITES SaveAnswers
# calls on companies spread over the survey, as many PeerTotals reads, then the peer — one row
# (company key, 25 answer bytes) upserted in a transaction of its own, SQLite with the store's
# settings (WAL, synchronous=NORMAL) and PostgreSQL over one connection — and checks that the copy
# still equals the rows.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
rows=${1:-100000}
writes=${BENCH_WRITES:-200}
tests=${TESTS:-$root/build/tests/shindan_tests}
results=${BENCH_RESULTS:-$root/docs/BENCHMARKS.md}
commas() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

if [[ ! -x $tests ]]; then
  echo "write_bench: $tests not found — build first (scripts/build.sh) or set TESTS" >&2
  exit 1
fi
tmp=$(mktemp -d)
pg_dir=""
cleanup() {
  [[ -n $pg_dir ]] && "$root/scripts/pg-test-server.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  rm -rf "$tmp" "$pg_dir"
}
trap cleanup EXIT
if [[ -z ${SHINDAN_TEST_POSTGRES_URL:-} ]]; then
  pg_dir=$(mktemp -d /tmp/shindan-bench-pg.XXXXXX)
  SHINDAN_TEST_POSTGRES_URL=$("$root/scripts/pg-test-server.sh" start "$pg_dir" "${SHINDAN_BENCH_PG_PORT:-54341}")
  export SHINDAN_TEST_POSTGRES_URL
fi

echo "== $rows companies, $writes writes and reads on each database"
SHINDAN_BENCH_ROWS=$rows SHINDAN_BENCH_WRITES=$writes "$tests" --gtest_also_run_disabled_tests \
  --gtest_filter='*ColumnCopyTest.DISABLED_BenchmarkSaveAnswer*' | tee "$tmp/out.txt"
grep -q '^\[  PASSED  \] 2 tests' "$tmp/out.txt" || { echo "write_bench: the benchmark test failed" >&2; exit 1; }

# bench sqlite: import N companies with the copy T ms; SaveAnswers W ms per write; PeerTotals R ms per read; peer P ms per write
table="| database | import of $(commas "$rows") companies with the copy (s) | SaveAnswers (ms per write) | peer: one row upserted (ms per write) | SaveAnswers / peer | PeerTotals (ms per read) |
| --- | ---: | ---: | ---: | ---: | ---: |"
while read -r _ backend _ _ _ _ _ _ import _ _ save _ _ _ _ peers _ _ _ _ peer _; do
  backend=${backend%:}
  ratio=$(awk -v s="$save" -v p="$peer" 'BEGIN { printf "%.0f", s / p }')
  table+="
| $backend | $(awk -v t="$import" 'BEGIN { printf "%.1f", t / 1000 }') | $save | $peer | **$ratio×** | $peers |"
done < <(grep '^bench ' "$tmp/out.txt" | tr -d ';')
echo
echo "$table"
[[ $results == - ]] && exit 0

describe_machine
section="<!-- write-bench:begin (written by bench/write_bench.sh) -->
## Single writes: one answer with the columnar copy kept, vs one bare upsert

A survey of $(commas "$rows") demo companies is imported, then $writes single answers are written with
\`SaveAnswers\` (src/analytics/column_copy.h: the company's history read, a new submission and
response written, the columnar copy's block, key bucket and two cell states rewritten, all in one
transaction — the web's write path) on companies spread over the survey, and $writes peer-group
histograms read from the cell states (\`PeerTotals\`, the result page's percentile). The peer is
the least a durable write of one answer costs on the same database: one row (company key, 25
answer bytes) upserted in a transaction of its own (SQLite with the store's settings, WAL and
synchronous=NORMAL; PostgreSQL over one connection, the test server with fsync off). The mean of
$writes; the copy is checked equal to the rows afterwards. Run on $date: $cpus CPUs ($model$quota),
$mem of memory, load average $load at the end.

$table

The ratio is what keeping the history, the copy and the cell states costs over a bare write.
<!-- write-bench:end -->"
write_section write-bench "$section"
