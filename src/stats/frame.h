// Population frames: counts of companies by industry × size type, laid out as the seed's 表1
// (docs/statistics.md, "Population frames").
//
//     industry,A,B,C,total
//     製造・建設業,455230,60676,8913,524819
//     …
//     合計,1027531,155654,28750,1211935
//
// The first column names the industry (a code such as mfg, or any label or alias the profile
// instrument's `industry` answer set accepts, e.g. the seed's 小売・卸・飲食業); the middle columns
// are the size types; the last column and the last row are totals (`total` or 合計). Counts are
// whole numbers, written plainly (455230) or grouped by thousands ("455,230", quoted). Lines whose
// first field starts with # are comments (the source of the figures, a note on a correction).
//
// A frame is only accepted when every row total equals the sum of its cells, every column total
// the sum of its column, and the grand total both the sum of the row totals and the sum of the
// column totals: a frame that disagrees is refused, each disagreement naming the file, the line,
// the column, the row and both numbers.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "instrument/instrument.h"

namespace shindan {

struct FrameRow {
  std::string industry;         // the industry code, e.g. "mfg"
  std::string label;            // the label as written in the file
  int line = 0;                 // 1-based line in the file
  std::vector<int64_t> counts;  // one per Frame::columns
  int64_t total = 0;            // the printed row total
};

struct Frame {
  std::string source;                  // the file name used in messages
  std::vector<std::string> columns;    // the size types, in file order (e.g. A, B, C)
  std::vector<FrameRow> rows;          // one per industry, in file order
  std::vector<int64_t> column_totals;  // the printed total row, one per column
  int64_t grand_total = 0;
  std::string total_label;  // "total" or "合計", as written
  int total_line = 0;

  // The count of `industry` (a code) × `column`; nullopt when either is not in the frame.
  std::optional<int64_t> Count(std::string_view industry, std::string_view column) const;
};

// Maps a row label to an industry code; nullopt when the label is not an industry.
using IndustryLookup = std::function<std::optional<std::string>(std::string_view label)>;

// The industries of the profile instrument's `industry` answer set: each option's code, its
// Japanese and English labels and its aliases, compared after NFKC and ASCII lower-casing.
// The returned function keeps its own copy of the spellings.
IndustryLookup IndustryLookupFor(const Instrument& profile);

// Reads and checks a frame. `text` is UTF-8; `source` names the file in messages. Every total
// that disagrees with its cells is reported (one per line of the error message), e.g.
//   frame.csv:4:total: サービス・不動産・運輸・その他 total is 320,562 but its cells add up to 500,562
Result<Frame> ParseFrame(std::string_view text, const std::string& source, const IndustryLookup& lookup);

// 1234567 → "1,234,567".
std::string GroupThousands(int64_t value);

}  // namespace shindan
