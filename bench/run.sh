#!/usr/bin/env bash
# Runs every benchmark in bench/ (each *_bench.sh), one after the other; each compares shindan with
# a peer on the same data in the same run and records its figures in docs/BENCHMARKS.md.
#   bench/run.sh            all benchmarks with their default sizes
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
status=0
for bench in "$here"/*_bench.sh; do
  echo "=== $(basename "$bench")"
  "$bench" || status=1
done
exit $status
