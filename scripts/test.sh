#!/usr/bin/env bash
# Builds shindan twice — normally and with AddressSanitizer + UndefinedBehaviorSanitizer — starts a
# private PostgreSQL server for the storage suite, and runs every test on both builds.
# Exits non-zero on the first failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/install-deps.sh"

echo "== build (RelWithDebInfo)"
"$root/scripts/build.sh" "$root/build"
echo "== build (ASan + UBSan)"
"$root/scripts/build.sh" "$root/build-asan" -DSHINDAN_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug

# The storage suite runs on SQLite and on a real PostgreSQL: a private data directory and port,
# started here and stopped on exit (scripts/pg-test-server.sh).
pg_dir=$(mktemp -d /tmp/shindan-test-pg.XXXXXX)
pg_port=${SHINDAN_TEST_PG_PORT:-54339}
cleanup() { "$root/scripts/pg-test-server.sh" stop "$pg_dir" || true; rm -rf "$pg_dir"; }
trap cleanup EXIT
SHINDAN_TEST_POSTGRES_URL=$("$root/scripts/pg-test-server.sh" start "$pg_dir" "$pg_port")
export SHINDAN_TEST_POSTGRES_URL
echo "== PostgreSQL test server at $SHINDAN_TEST_POSTGRES_URL"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "== tests (ASan + UBSan)"
ctest --test-dir "$root/build-asan" --output-on-failure -j 2
echo "== tests"
ctest --test-dir "$root/build" --output-on-failure -j 2
# The HTML report in a real browser: Debian's Chromium driven by playwright-core (tests/browser).
echo "== browser test (Chromium)"
"$root/tests/browser/run.sh" "$root/build/src/shindan" "$root/build/browser-test"
