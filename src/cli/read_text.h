// Reading a text file people made (UTF-8 with or without a BOM, or Shift_JIS as Excel saves it)
// for a command: frames, designs, invitation lists.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "base/status.h"

namespace shindan {

struct CommandContext;

// The file as UTF-8 without a BOM; the error of a file that cannot be read, or of bytes that are
// neither UTF-8 nor Shift_JIS (named by the path, line and column).
Result<std::string> ReadTextFile(const std::string& path);

// ReadTextFile for a command: on failure prints the error and sets *exit_code (1 for a file that
// cannot be read, 2 for bytes that are neither UTF-8 nor Shift_JIS).
std::optional<std::string> ReadText(CommandContext& ctx, const std::string& path, int* exit_code);

// Prints `s` (an error) and sets *exit_code from the one table (cli/exit_code.h).
void ReportReadFailure(CommandContext& ctx, const Status& s, int* exit_code);

// ReadText, then `parse(text)` (a Result<T>): the value, or nullopt after printing the error and
// setting *exit_code — a file that cannot be read and one that does not parse are told apart by
// the one exit-code table, not by each command.
template <typename Parse>
auto ReadParsed(CommandContext& ctx, const std::string& path, int* exit_code, Parse parse)
    -> std::optional<std::decay_t<decltype(parse(std::string()).value())>> {
  std::optional<std::string> text = ReadText(ctx, path, exit_code);
  if (!text) return std::nullopt;
  auto parsed = parse(*text);
  if (!parsed.ok()) {
    ReportReadFailure(ctx, parsed.status(), exit_code);
    return std::nullopt;
  }
  return std::move(parsed).value();
}

}  // namespace shindan
