#!/usr/bin/env bash
# Installs the Debian 12 packages shindan builds and tests with, when they are missing.
# Safe to run repeatedly: it asks apt only for what dpkg does not already have.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  nlohmann-json3-dev libcli11-dev libicu-dev
  googletest libgtest-dev
  libsqlite3-dev sqlite3 libpq-dev libpqxx-dev postgresql libsodium-dev libxlsxwriter-dev
  libboost-math-dev  # stats/groups.cc: distributions (header-only)
  unzip time  # the export tests read XLSX back with unzip; bench/ measures with GNU time
  # tests/browser: the HTML report in Debian's Chromium, driven by playwright-core from npm (which
  # needs Node.js 20: the machine's nodejs; Debian 12's own is 18). A Japanese font, or the
  # screenshot shows empty boxes.
  chromium nodejs fonts-ipaexfont-gothic
  # web/: the HTTP server, Mustache templates (with Boost headers), and wrk for bench/.
  libcpp-httplib-dev libmstch-dev libboost-dev wrk
)
# npm comes with the machine's nodejs (which conflicts with Debian's npm package); only a machine
# without any npm asks Debian for it.
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
