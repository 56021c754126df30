#!/usr/bin/env bash
# The import benchmark (issue 3): `shindan import` of a demo survey into a fresh SQLite database,
# against the sqlite3 CLI's `.import` of the same CSV into a plain table, in the same run.
#
#   bench/import_bench.sh [ROWS]        ROWS defaults to 1000000
#
# Environment: SHINDAN (the binary; default build/src/shindan), BENCH_REPEAT (runs of each tool,
# alternating, the fastest kept; default 1), BENCH_TMP (scratch folder; default a fresh temporary
# folder, removed afterwards), BENCH_RESULTS (default docs/BENCHMARKS.md; "-" to only print). Prints a table and rewrites the import section of docs/BENCHMARKS.md with the
# figures, the machine and the date.
#
# shindan validates and normalises every cell, classifies each company and writes its normalised
# tables; sqlite3 stores the raw text of the 62 columns. Both read the file from the page cache
# (it is read once before the runs). Peak memory is the maximum resident set size reported by
# GNU time (`/usr/bin/time -v`, Debian package `time`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
rows=${1:-1000000}
repeat=${BENCH_REPEAT:-1}
shindan=${SHINDAN:-$root/build/src/shindan}
results=${BENCH_RESULTS:-$root/docs/BENCHMARKS.md}

for tool in /usr/bin/time sqlite3; do
  if ! command -v "$tool" >/dev/null; then
    echo "import_bench: $tool is missing — run scripts/install-deps.sh (Debian packages time, sqlite3)" >&2
    exit 1
  fi
done
if [[ ! -x $shindan ]]; then
  echo "import_bench: $shindan not found — build first (scripts/build.sh) or set SHINDAN" >&2
  exit 1
fi
if ! "$shindan" import --help >/dev/null 2>&1; then
  echo "import_bench: $shindan has no import command" >&2
  exit 1
fi

if [[ -n ${BENCH_TMP:-} ]]; then
  tmp=$BENCH_TMP
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
fi
csv=$tmp/survey.csv
rm -f "$tmp"/shindan.db* "$tmp"/plain.db*

echo "== generating $rows companies (shindan demo)"
"$shindan" demo --companies "$rows" -o "$csv"
bytes=$(stat -c %s "$csv")
cat "$csv" >/dev/null  # into the page cache, for both runs alike



for ((run = 1; run <= repeat; run++)); do
  echo "== shindan import (run $run of $repeat)"
  rm -f "$tmp"/shindan.db*
  measure "$shindan" import --db "$tmp/shindan.db" --survey bench "$csv" >"$tmp/shindan.out"
  cat "$tmp/shindan.out"
  grep -q "imported $rows compan" "$tmp/shindan.out" || { echo "import_bench: shindan did not import $rows companies" >&2; exit 1; }
  best s

  echo "== sqlite3 .import (run $run of $repeat)"
  rm -f "$tmp"/plain.db*
  measure sqlite3 "$tmp/plain.db" '.mode csv' ".import $csv t"
  n=$(sqlite3 "$tmp/plain.db" 'SELECT count(*) FROM t')
  [[ $n == "$rows" ]] || { echo "import_bench: sqlite3 imported $n rows, expected $rows" >&2; exit 1; }
  best q
done

rate() { awk -v r="$rows" -v t="$1" 'BEGIN { printf "%.0f", r / t }'; }
s_rate=$(rate "$s_wall")
q_rate=$(rate "$q_wall")
ratio=$(awk -v a="$s_rate" -v b="$q_rate" 'BEGIN { printf "%.2f", a / b }')
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
describe_machine
size=$(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }')
rows_text=$(sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$rows")
version=$("$shindan" --version 2>/dev/null || echo shindan)

table="| tool | wall (s) | CPU user+sys (s) | rows/s | peak memory (MiB) |
| --- | ---: | ---: | ---: | ---: |
| shindan import (validated, normalised, classified) | $s_wall | $s_cpu | $s_rate | $(mib "$s_rss") |
| sqlite3 \`.import\` (raw text, one table) | $q_wall | $q_cpu | $q_rate | $(mib "$q_rss") |"
summary="shindan / sqlite3 = **$ratio** (rows per second; above 1 means shindan is faster)"

echo
echo "$table"
echo
echo "$summary"

[[ $results == - ]] && exit 0
section="<!-- import-bench:begin (written by bench/import_bench.sh) -->
## Import: \`shindan import\` vs the sqlite3 CLI's \`.import\`

$rows_text companies from \`shindan demo --companies $rows\` ($size, the wide CSV, UTF-8 with BOM),
imported into a fresh SQLite database — the rows, and the survey's columnar copy and cell states
(docs/storage.md) written in the same transaction; the same file loaded with \`sqlite3 db '.mode csv' '.import FILE t'\`.
Run on $date with $version: $cpus CPUs ($model$quota), $mem of memory; the fastest of $repeat
alternating run(s) of each tool, peak memory the highest. Wall time includes starting up (loading
the instruments, creating the database).

$table

$summary. Target (issue 3): shindan at least as fast, under 1 GB; issue 10: no slower than before
the columnar copy (1.46× on 2026-11-28).
<!-- import-bench:end -->"
write_section import-bench "$section"
