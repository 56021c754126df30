#!/usr/bin/env bash
# Builds shindan twice — normally and with AddressSanitizer + UndefinedBehaviorSanitizer — starts a
# private PostgreSQL server for the storage suite, and runs every test on both builds; the browser
# test runs once, on the normal build. The normal build is tested first, so a plain failure is
# reported before the sanitizer build starts. Exits non-zero on the first failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# Each phase says how long the run has taken so far: CI has 90 minutes, and we aim for under 30.
phase() { printf '== %s (at %dm%02ds)\n' "$1" $((SECONDS / 60)) $((SECONDS % 60)); }
phase "dependencies"
"$root/scripts/install-deps.sh"

# The storage suite runs on SQLite and on a real PostgreSQL: a private data directory and port,
# started here and stopped on exit (scripts/pg-test-server.sh).
pg_dir=$(mktemp -d /tmp/shindan-test-pg.XXXXXX)
pg_port=${SHINDAN_TEST_PG_PORT:-54339}
cleanup() { "$root/scripts/pg-test-server.sh" stop "$pg_dir" || true; rm -rf "$pg_dir"; }
trap cleanup EXIT
SHINDAN_TEST_POSTGRES_URL=$("$root/scripts/pg-test-server.sh" start "$pg_dir" "$pg_port")
export SHINDAN_TEST_POSTGRES_URL
echo "== PostgreSQL test server at $SHINDAN_TEST_POSTGRES_URL"

phase "build (RelWithDebInfo)"
"$root/scripts/build.sh" "$root/build"
phase "tests"
ctest --test-dir "$root/build" --output-on-failure -j 2
# The HTML report and the respondent's pages in a real browser: Debian's Chromium driven by
# playwright-core (tests/browser).
phase "browser test (Chromium)"
"$root/tests/browser/run.sh" "$root/build/src/shindan" "$root/build/browser-test"

phase "build (ASan + UBSan)"
# -O1, as the sanitizers' authors advise: at -O0 the suite ran 12 times slower than the normal build.
"$root/scripts/build.sh" "$root/build-asan" -DSHINDAN_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
phase "tests (ASan + UBSan)"
ctest --test-dir "$root/build-asan" --output-on-failure -j 2
phase "done"
