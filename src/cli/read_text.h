// Reading a text file people made (UTF-8 with or without a BOM, or Shift_JIS as Excel saves it)
// for a command: frames, designs, invitation lists.
#pragma once

#include <optional>
#include <string>

namespace shindan {

struct CommandContext;

// The file as UTF-8 without a BOM. On failure prints the error and sets *exit_code (1 for a file
// that cannot be read, 2 for bytes that are neither UTF-8 nor Shift_JIS).
std::optional<std::string> ReadText(CommandContext& ctx, const std::string& path, int* exit_code);

}  // namespace shindan
