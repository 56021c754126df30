#!/usr/bin/env bash
# The browser test: makes the HTML report of the demo survey with the given shindan binary, then
# opens it in Debian's Chromium (report.test.mjs) and checks it renders, stays offline and prints.
#
#   tests/browser/run.sh path/to/shindan [OUT_DIR]
#
# Leaves report.html, report.png (full-page screenshot) and report.pdf in OUT_DIR (default: a new
# temporary folder, printed at the end). Needs /usr/bin/chromium, node and npm
# (scripts/install-deps.sh); installs playwright-core from package-lock.json on first use, which
# never downloads a browser.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shindan=$(realpath "${1:?usage: tests/browser/run.sh SHINDAN_BINARY [OUT_DIR]}")
out=${2:-$(mktemp -d "${TMPDIR:-/tmp}/shindan-browser.XXXXXX")}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [[ ! -x /usr/bin/chromium ]]; then
  echo "run.sh: /usr/bin/chromium is missing; scripts/install-deps.sh installs it" >&2
  exit 1
fi
if [[ ! -d $here/node_modules/playwright-core ]]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

if "$shindan" report --help 2>/dev/null | grep -q 'html'; then
  "$shindan" demo --data-dir "$root" -o "$out/demo.csv"
  "$shindan" report --data-dir "$root" --input "$out/demo.csv" --format html -o "$out/report.html"
else
  # Until `shindan report --format html` exists: the sample document of src/report/html_test.cc.
  tests=$(dirname "$shindan")/../tests/shindan_tests
  SHINDAN_WRITE_SAMPLE_HTML="$out/report.html" "$tests" --gtest_filter=HtmlSample.WritesWhenAsked >/dev/null
fi

node "$here/report.test.mjs" "$out/report.html" "$out/report.png" "$out/report.pdf"
# The respondent's way through `shindan serve` (ja/en × phone/desktop × script on/off); screenshots
# of each result page and respondent-summary.json (interactions, largest response, pages checked
# by axe-core) in $out/respondent.
node "$here/respondent.test.mjs" "$shindan" "$root" "$out/respondent"
# The JSON API against its OpenAPI document (swagger-parser, then every answer against its schema).
node "$here/api.test.mjs" "$shindan" "$root" "$out/api"
echo "browser test output in $out"
