#!/usr/bin/env bash
# The main job: build shindan, write the demo survey, and start the 5-minute self-check in the
# terminal. Arguments are passed to `shindan take` (e.g. --lang en, -o my-answers.json).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build" >/dev/null
bin=$root/build/src/shindan
"$bin" demo -o "$root/demo-survey.csv"
echo "デモ調査（66社）を書き出しました / demo survey of 66 companies written: demo-survey.csv"
exec "$bin" take "$@"
