// Helpers for the tests only (header-only, so it never enters the core library): running a command
// and reading a part of a ZIP archive, which is how the XLSX writers' tests read their files back.
#pragma once

#include <cstdio>
#include <string>

namespace shindan::test {

// The standard output of `command` run by /bin/sh; empty when it cannot be run.
inline std::string ShellOutput(const std::string& command) {
  std::string out;
  if (std::FILE* p = popen(command.c_str(), "r")) {
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    pclose(p);
  }
  return out;
}

// One member of a ZIP archive (an XLSX part such as "xl/workbook.xml"), read with `unzip -p`
// (Debian package unzip, installed by scripts/install-deps.sh); empty when it cannot be read.
// REQUIRES: neither argument contains a single quote.
inline std::string ZipMember(const std::string& archive, const std::string& member) {
  return ShellOutput("unzip -p '" + archive + "' '" + member + "' 2>/dev/null");
}

}  // namespace shindan::test
