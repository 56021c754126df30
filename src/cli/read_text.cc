#include "cli/read_text.h"

#include "base/file.h"
#include "base/text.h"
#include "cli/command.h"
#include "cli/exit_code.h"

namespace shindan {

void ReportReadFailure(CommandContext& ctx, const Status& s, int* exit_code) {
  ctx.Error(s.message());
  *exit_code = ExitCodeFor(s);
}

Result<std::string> ReadTextFile(const std::string& path) {
  Result<std::string> bytes = FileSystem::Disk().ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  // UTF-8 (checked, BOM dropped) or Shift_JIS; a bad byte is named by its line and column.
  Result<std::string> text = ToUtf8(*bytes, DetectEncoding(*bytes));
  if (!text.ok()) return text.status().WithContext(path);
  return text;
}

std::optional<std::string> ReadText(CommandContext& ctx, const std::string& path, int* exit_code) {
  Result<std::string> text = ReadTextFile(path);
  if (!text.ok()) {
    ReportReadFailure(ctx, text.status(), exit_code);
    return std::nullopt;
  }
  return std::move(text).value();
}

}  // namespace shindan
