#include "cli/read_text.h"

#include "base/file.h"
#include "base/text.h"
#include "cli/command.h"
#include "cli/exit_code.h"

namespace shindan {

std::optional<std::string> ReadText(CommandContext& ctx, const std::string& path, int* exit_code) {
  Result<std::string> bytes = FileSystem::Disk().ReadFile(path);
  if (!bytes.ok()) {
    ctx.Error(bytes.status().message());
    *exit_code = ExitCodeFor(bytes.status());
    return std::nullopt;
  }
  // UTF-8 (checked, BOM dropped) or Shift_JIS; a bad byte is named by its line and column.
  Result<std::string> text = ToUtf8(*bytes, DetectEncoding(*bytes));
  if (!text.ok()) {
    ctx.Error(text.status().WithContext(path).message());
    *exit_code = ExitCodeFor(text.status());
    return std::nullopt;
  }
  return std::move(text).value();
}

}  // namespace shindan
