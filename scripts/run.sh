#!/usr/bin/env bash
# The main job: build shindan, load the IPA instruments and the demo survey (66 companies matching
# the 2009 report's tables) into the embedded SQLite database ./shindan.db, and serve the web
# application on http://127.0.0.1:8080 (`shindan serve --demo`), printing three invitation links
# to answer in a browser. Ctrl-C stops it.
#   scripts/run.sh            the web application (arguments go to `shindan serve`, e.g. --listen :9090)
#   scripts/run.sh take …     the 5-minute self-check in the terminal instead (e.g. take --lang en)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build" >/dev/null
bin=$root/build/src/shindan
db=${SHINDAN_DB:-$root/shindan.db}
if [[ ${1:-} == take ]]; then
  shift
  exec "$bin" take "$@"
fi
exec "$bin" serve --demo --db "$db" --listen 127.0.0.1:8080 "$@"
