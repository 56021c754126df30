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
  if (DetectEncoding(*bytes) == Encoding::kUtf8) {  // already checked: drop a BOM, no second pass
    std::string utf8 = std::move(bytes).value();
    if (utf8.rfind("\xEF\xBB\xBF", 0) == 0) utf8.erase(0, 3);
    return utf8;
  }
  Result<std::string> text = ToUtf8(*bytes, Encoding::kShiftJis);
  if (!text.ok()) {
    ctx.Error(text.status().WithContext(path).message());
    *exit_code = ExitCodeFor(text.status());
    return std::nullopt;
  }
  return std::move(text).value();
}

}  // namespace shindan
