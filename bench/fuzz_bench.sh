#!/usr/bin/env bash
# The fuzzing benchmark: runs every fuzz target (fuzz/fuzz_targets.h) for longer than the test
# suite does and records, per target, the executions and the findings in docs/BENCHMARKS.md.
#
#   bench/fuzz_bench.sh [SECONDS]     SECONDS per target with libFuzzer (default 60)
#
# With clang and its libFuzzer runtime (Debian: clang, which ships libclang_rt.fuzzer), the targets
# are built once as libFuzzer binaries with ASan + UBSan (cmake -DSHINDAN_FUZZ=ON in $BENCH_FUZZ_BUILD,
# default build-fuzz) and each runs SECONDS on a copy of its seed corpus; a crash, leak or timeout
# is a finding, and its reproducer is kept in $BENCH_FUZZ_BUILD/findings. Without clang (or with
# BENCH_FUZZ_MODE=seeded) the seeded-mutation driver of the test suite (tests/fuzz_test.cc) runs
# SHINDAN_FUZZ_SCALE times its usual iterations (BENCH_FUZZ_SCALE, default 50) in the normal build.
#
# Environment: SHINDAN_TESTS (default build/tests/shindan_tests), BENCH_RESULTS (default
# docs/BENCHMARKS.md; "-" to only print), BENCH_FUZZ_MODE (libfuzzer | seeded; default: libfuzzer
# when clang++ and the runtime are there).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
seconds=${1:-60}
results=${BENCH_RESULTS:-$root/docs/BENCHMARKS.md}
tests_bin=${SHINDAN_TESTS:-$root/build/tests/shindan_tests}
fuzz_build=${BENCH_FUZZ_BUILD:-$root/build-fuzz}
scale=${BENCH_FUZZ_SCALE:-50}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# target name → seed corpus folders (as tests/fuzz_test.cc uses them)
declare -A corpus=(
  [csv]="tests/fixtures/sheets" [instrument]="instruments tests/fixtures/instruments"
  [sheet]="tests/fixtures/sheets" [notes]="tests/fixtures/notes" [answers]=""
  [encoding]="tests/fixtures/sheets" [import]="fuzz/corpus/import" [frame]="data/frames"
  [design]="data/designs" [datatable]="fuzz/corpus/datatable"
  [json]="data/designs tests/fixtures/sheets instruments")
targets=(csv instrument sheet notes answers encoding import frame design datatable json)

mode=${BENCH_FUZZ_MODE:-}
if [[ -z $mode ]]; then
  mode=seeded
  if command -v clang++ >/dev/null && ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    mode=libfuzzer
  fi
fi
describe_machine
rows=""
total_findings=0

if [[ $mode == libfuzzer ]]; then
  echo "== building the libFuzzer targets in $fuzz_build (clang, ASan + UBSan)"
  if [[ ! -f $fuzz_build/build.ninja ]]; then
    # -O1 with asserts on, as the sanitizers advise (and quicker to build than -O2 -g).
    cmake -S "$root" -B "$fuzz_build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DSHINDAN_TESTS=OFF \
      -DSHINDAN_FUZZ=ON -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined" >/dev/null
  fi
  ninja -C "$fuzz_build" -j "${SHINDAN_JOBS:-2}" $(printf 'fuzz/fuzz_%s ' "${targets[@]}") >/dev/null
  mkdir -p "$fuzz_build/findings"
  for t in "${targets[@]}"; do
    work=$tmp/$t
    mkdir -p "$work/corpus"
    for d in ${corpus[$t]}; do
      find "$root/$d" -maxdepth 1 -type f -size -200k -exec cp {} "$work/corpus/" \;
    done
    [[ $t == answers ]] && printf '実施している' >"$work/corpus/a" && printf '１２' >"$work/corpus/b"
    echo "== fuzz_$t for ${seconds}s"
    set +e
    (cd "$work" && "$fuzz_build/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$fuzz_build/findings/$t-" corpus >"$work/log" 2>&1)
    rc=$?
    set -e
    # (|| true: a log without the line must not end the script under pipefail)
    execs=$(grep -ao 'stat::number_of_executed_units: [0-9]*' "$work/log" | awk '{ print $2 }' | tail -1 || true)
    [[ -z $execs ]] && execs=$(grep -ao '#[0-9]*' "$work/log" | tail -1 | tr -d '#' || true)
    cov=$(grep -ao 'cov: [0-9]*' "$work/log" | tail -1 | awk '{ print $2 }' || true)
    findings=0
    note="none"
    if ((rc != 0)); then
      findings=1
      note=$(grep -a -m1 -o 'ERROR: [^ ]* [^ ]*.*\|deadly signal\|Timeout\|out-of-memory' "$work/log" | head -1 || true)
      cp "$work/log" "$fuzz_build/findings/$t.log"
    fi
    total_findings=$((total_findings + findings))
    rows+="| fuzz_$t | ${seconds} s | ${execs:-?} | ${cov:-?} | $findings ($note) |"$'\n'
  done
  header="| target | time | executions | coverage (edges) | findings |"$'\n'"| --- | ---: | ---: | ---: | --- |"$'\n'
  how="libFuzzer (clang, ASan + UBSan), ${seconds} s per target, seed corpus from the fixtures."
else
  if [[ ! -x $tests_bin ]]; then
    echo "fuzz_bench: $tests_bin not found — build first (scripts/build.sh) or set SHINDAN_TESTS" >&2
    exit 1
  fi
  echo "== seeded-mutation driver, $scale × the test suite's iterations"
  set +e
  SHINDAN_FUZZ_SCALE=$scale measure "$tests_bin" --gtest_filter='Fuzz.*' >"$tmp/log" 2>&1
  rc=$?
  set -e
  # A crash kills the test binary before gtest's summary: no "[  PASSED  ]" line is a finding too.
  if grep -aq '\[  FAILED  \]' "$tmp/log" || ! grep -aq '^\[  PASSED  \]' "$tmp/log"; then rc=1; fi
  grep -a '^\[ RUN' "$tmp/log" | tail -1 | sed 's/^/last target run: /' >&2
  while read -r _ name execs; do
    rows+="| $name | ${execs} |"$'\n'
  done < <(grep -a '^fuzz-executions ' "$tmp/log")
  total_findings=$((rc != 0 ? 1 : 0))
  header="| target (tests/fuzz_test.cc) | executions |"$'\n'"| --- | ---: |"$'\n'
  how="the seeded-mutation driver of tests/fuzz_test.cc (SHINDAN_FUZZ_SCALE=$scale) in the normal build: ${wall} s wall for all targets."
fi

section="<!-- fuzz_bench:begin -->
## Fuzzing: every parser of untrusted input

\`bench/fuzz_bench.sh\` — $how Findings: $total_findings.
Machine: $model, $cpus CPUs$quota, $mem; load $load; $date.

$header$rows
Findings so far, each fixed and kept as a test: \`1e400\` anywhere in JSON aborted the process
(nlohmann::json's out_of_range escaped: \`ParseJson\` is now a SAX reader that refuses it), and a
key given twice was silently accepted (refused, naming the key and its JSON path); the importer
(FuzzImport, which compares one thread with two threads on tiny chunks) reported only the bad line of
a damaged Shift_JIS file when it was one chunk, but also the bad rows before it when cut into small
chunks (the rows before a bad line are now read in every case); and a JSON lines file without a
line feed but with a carriage return was cut at the '\r' into two chunks that both reported line 1
(JSON lines are now cut at '\n' only); and in a Shift_JIS CSV with a lone carriage return before an
invalid byte, the bad line was numbered one lower when the file was one chunk (the encoding check
counted '\n' only; it now counts line breaks as the CSV parser does).
<!-- fuzz_bench:end -->"
echo "$section"
if [[ $results != - ]]; then write_section fuzz_bench "$section"; fi
exit $((total_findings > 0 ? 1 : 0))
