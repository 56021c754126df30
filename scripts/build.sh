#!/usr/bin/env bash
# Configures and builds one build folder with Ninja.
#   scripts/build.sh [BUILD_DIR] [extra cmake args…]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/build}
shift || true
jobs=${SHINDAN_JOBS:-2}
# ccache, where the machine has it, shares compiled objects between build folders and checkouts.
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [[ ! -f $dir/build.ninja ]]; then
  # Line tables only (-g1): backtraces keep file and line, and the build is a quarter faster than
  # with full debug info (-g).
  cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
    "${launcher[@]}" "$@" >/dev/null
fi
ninja -C "$dir" -j "$jobs"
