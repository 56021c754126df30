#!/usr/bin/env bash
# The main job: build shindan, load the IPA instruments and a demo survey (66 companies matching
# the 2009 report's tables) into the embedded SQLite database ./shindan.db, and start the 5-minute
# self-check in the terminal. Arguments are passed to `shindan take` (e.g. --lang en, -o answers.json).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build" >/dev/null
bin=$root/build/src/shindan
db=${SHINDAN_DB:-$root/shindan.db}
if [[ ! -f $db ]]; then
  "$bin" demo -o "$root/demo-survey.csv"
  "$bin" import --db "$db" --survey demo "$root/demo-survey.csv"
fi
exec "$bin" take "$@"
