# Shared by the benchmark scripts (sourced): measuring a command, keeping the best run, describing
# the machine, and writing a script's own section of docs/BENCHMARKS.md.

# Runs a command under GNU time; sets wall (s), cpu (user+sys, s) and rss (KiB). Uses $tmp.
measure() {
  local log=$tmp/time.log
  /usr/bin/time -v -o "$log" "$@"
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$log")
  cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
}

# Keeps the fastest of the runs (a shared machine only ever slows a run down) and the highest peak.
best() {  # best PREFIX: compares $wall with ${PREFIX}_wall
  local w=${1}_wall c=${1}_cpu r=${1}_rss
  if [[ -z ${!w:-} ]] || awk -v a="$wall" -v b="${!w}" 'BEGIN { exit !(a < b) }'; then
    printf -v "$w" %s "$wall"
    printf -v "$c" %s "$cpu"
  fi
  if [[ -z ${!r:-} ]] || ((rss > ${!r})); then printf -v "$r" %s "$rss"; fi
}

# Sets model, cpus, quota (", CPU quota 1.5" or ""), mem, load and date for the figures' header.
describe_machine() {
  model=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
  cpus=$(nproc)
  quota=""
  if [[ -r /sys/fs/cgroup/cpu.max ]]; then
    read -r q p </sys/fs/cgroup/cpu.max || true
    [[ ${q:-max} != max ]] && quota=$(awk -v q="$q" -v p="$p" 'BEGIN { printf ", CPU quota %.1f", q / p }')
  fi
  mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  date=$(date -u +%Y-%m-%d)
}

# write_section NAME SECTION: replaces <!-- NAME:begin … NAME:end --> in $results with SECTION,
# or appends it; makes the file when missing.
write_section() {
  if [[ ! -f $results ]]; then
    printf '# Benchmarks\n\nFigures written by the scripts in bench/ (run them all with bench/run.sh). Each\nbenchmark runs shindan and a peer on the same data in the same run.\n' >"$results"
  fi
  python3 - "$results" "$1" "$2" <<'PY'
import re, sys
path, name, section = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path, encoding="utf-8").read()
pattern = re.compile(r"<!-- " + re.escape(name) + r":begin.*?<!-- " + re.escape(name) + r":end -->", re.S)
text = pattern.sub(lambda m: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w", encoding="utf-8").write(text)
PY
  echo "== written to $results"
}
