#!/usr/bin/env bash
# Builds shindan twice — normally and with AddressSanitizer + UndefinedBehaviorSanitizer — and
# runs every test on both builds. Exits non-zero on the first failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/install-deps.sh"

echo "== build (RelWithDebInfo)"
"$root/scripts/build.sh" "$root/build"
echo "== build (ASan + UBSan)"
"$root/scripts/build.sh" "$root/build-asan" -DSHINDAN_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "== tests (ASan + UBSan)"
ctest --test-dir "$root/build-asan" --output-on-failure -j 2
echo "== tests"
ctest --test-dir "$root/build" --output-on-failure -j 2
