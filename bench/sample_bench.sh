#!/usr/bin/env bash
# The sampling benchmark: `shindan sample` drawing the 2009 design (表2: 21 cells, 66 companies and
# 66 reserves) from a list of 1,200,000 companies — the size of the seed's population (表1) —
# against DuckDB doing the same stratified draw, in the same run.
#
#   bench/sample_bench.sh [COMPANIES]     COMPANIES defaults to 1200000
#
# Environment: SHINDAN (the binary; default build/src/shindan), BENCH_DESIGN (default
# data/designs/ipa-2009.json), BENCH_REPEAT (runs of each tool, alternating, the fastest kept;
# default 3), BENCH_TMP (scratch folder; default a fresh temporary folder, removed afterwards),
# BENCH_RESULTS (default docs/BENCHMARKS.md; "-" to only print). Needs GNU time, Node 20 and npm;
# installs DuckDB's Node client (bench/duckdb) with `npm ci` when it is missing.
#
# The company list (company_id, name, size_type, region, industry; the layout of
# tests/fixtures/stats/companies.csv) is made up by awk with a fixed generator, in roughly the
# proportions of 表1 (A 85 %, B 13 %, C 2 %). Both tools are timed end to end as commands: read the
# CSV, place every company in its cell, draw, write the drawn companies as CSV. DuckDB's side is
# bench/duckdb/sample.mjs (a CASE placing each company, ROW_NUMBER() OVER (PARTITION BY cell ORDER BY
# random()) <= target + reserve, COPY … TO), with SET threads = 2.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
companies=${1:-1200000}
repeat=${BENCH_REPEAT:-3}
shindan=${SHINDAN:-$root/build/src/shindan}
design=${BENCH_DESIGN:-$root/data/designs/ipa-2009.json}
results=${BENCH_RESULTS:-$root/docs/BENCHMARKS.md}
duckdir=$root/bench/duckdb

for tool in /usr/bin/time node npm python3 awk; do
  if ! command -v "$tool" >/dev/null; then
    echo "sample_bench: $tool is missing — run scripts/install-deps.sh (Debian packages time, nodejs, npm, python3)" >&2
    exit 1
  fi
done
if [[ ! -x $shindan ]]; then
  echo "sample_bench: $shindan not found — build first (scripts/build.sh) or set SHINDAN" >&2
  exit 1
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
list=$tmp/companies.csv

echo "== generating $companies companies (awk)"
# Park–Miller's minimal standard generator: exact in awk's doubles, the same list on every awk.
awk -v n="$companies" 'BEGIN {
  x = 20090331
  print "company_id,name,size_type,region,industry"
  for (i = 1; i <= n; i++) {
    x = (x * 16807) % 2147483647; u = x / 2147483647
    size = u < 0.848 ? "A" : (u < 0.976 ? "B" : "C")
    x = (x * 16807) % 2147483647; u = x / 2147483647
    region = u < 0.35 ? "capital" : (u < 0.47 ? "regional1" : (u < 0.60 ? "regional2" : "other"))
    x = (x * 16807) % 2147483647; u = x / 2147483647
    industry = u < 0.42 ? "mfg" : (u < 0.71 ? "dist" : (u < 0.95 ? "svc" : "net"))
    printf "c%07d,会社%07d,%s,%s,%s\n", i, i, size, region, industry
  }
}' >"$list"
bytes=$(stat -c %s "$list")
wanted=$(python3 -c "
import json, math, sys
d = json.load(open(sys.argv[1]))
r = d.get('reserve_ratio', 0)
print(sum(c['target'] + c.get('reserve', math.ceil(c['target'] * r)) for c in d['cells']))" "$design")



drawn() { echo $(($(wc -l <"$1") - 1)); }  # rows of a CSV with a header

cat "$list" >/dev/null  # into the page cache, for both tools alike
for ((run = 1; run <= repeat; run++)); do
  echo "== shindan sample (run $run of $repeat)"
  measure "$shindan" sample --companies "$list" --design "$design" --seed 2009 -o "$tmp/shindan-sample.csv" >"$tmp/shindan.out"
  tail -3 "$tmp/shindan.out"
  n=$(drawn "$tmp/shindan-sample.csv")
  [[ $n == "$wanted" ]] || { echo "sample_bench: shindan drew $n companies, expected $wanted" >&2; exit 1; }
  best s

  echo "== DuckDB (run $run of $repeat)"
  measure node "$duckdir/sample.mjs" "$list" "$design" "$tmp/duckdb-sample.csv" >"$tmp/duckdb.json"
  cat "$tmp/duckdb.json"
  n=$(drawn "$tmp/duckdb-sample.csv")
  [[ $n == "$wanted" ]] || { echo "sample_bench: DuckDB drew $n companies, expected $wanted" >&2; exit 1; }
  inner=$(python3 -c "import json, sys; print('%.2f' % json.load(open(sys.argv[1]))['query_s'])" "$tmp/duckdb.json")
  if [[ -z ${d_inner:-} ]] || awk -v a="$inner" -v b="$d_inner" 'BEGIN { exit !(a < b) }'; then d_inner=$inner; fi
  best d
done
# Both write the same header: cell, role, rank, then the list's columns.
if [[ $(head -1 "$tmp/shindan-sample.csv" | tr -d '\r\357\273\277') != $(head -1 "$tmp/duckdb-sample.csv" | tr -d '\r') ]]; then
  echo "sample_bench: the two files have different headers:" >&2
  head -1 "$tmp/shindan-sample.csv" "$tmp/duckdb-sample.csv" >&2
  exit 1
fi
d_version=$(python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['duckdb'])" "$tmp/duckdb.json")

ratio=$(awk -v d="$d_wall" -v s="$s_wall" 'BEGIN { printf "%.1f", d / s }')
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
describe_machine
size=$(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }')
companies_text=$(sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$companies")
version=$("$shindan" --version 2>/dev/null || echo shindan)
design_name=${design#"$root"/}

table="| tool | wall (s) | CPU user+sys (s) | peak memory (MiB) |
| --- | ---: | ---: | ---: |
| \`shindan sample\` (ids checked, reproducible from the seed) | $s_wall | $s_cpu | $(mib "$s_rss") |
| DuckDB $d_version via Node (\`ROW_NUMBER() … ORDER BY random()\`; $d_inner s inside DuckDB) | $d_wall | $d_cpu | $(mib "$d_rss") |"
summary="DuckDB / shindan = **$ratio** (wall time; above 1 means shindan is faster)"

echo
echo "$table"
echo
echo "$summary"

[[ $results == - ]] && exit 0
section="<!-- sample-bench:begin (written by bench/sample_bench.sh) -->
## Sampling: \`shindan sample\` vs DuckDB

A stratified draw of \`$design_name\` ($wanted companies: targets and reserves) from a list of
$companies_text companies ($size: company_id, name, size_type, region, industry; made by awk
in the proportions of 表1). shindan: \`shindan sample --companies FILE --design FILE --seed 2009 -o
OUT\`. DuckDB (\`bench/duckdb/sample.mjs\`, \`SET threads = 2\`): \`read_csv\`, a CASE generated from the
design placing each company in its cell, \`ROW_NUMBER() OVER (PARTITION BY cell ORDER BY random()) <=
target + reserve\`, \`COPY … TO\` CSV — one statement. Both commands are timed end to end (start-up,
reading, drawing, writing) under GNU time; DuckDB's includes starting Node. shindan does more: it
refuses repeated or missing ids and companies two cells claim, and its draw depends only on the seed
and the ids. Run on $date with $version: $cpus CPUs ($model$quota), $mem of memory, shared with
other work (load average $load at the end); the fastest of $repeat alternating run(s) of each tool,
peak memory the highest.

$table

$summary.
<!-- sample-bench:end -->"
write_section sample-bench "$section"
