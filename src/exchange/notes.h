// Interview notes (ヒアリング) from a CSV, for `shindan notes`: one row per company and topic.
//
//   company_id,topic,tags,note[,interviewer]
//   demo-0001,q1,費用;経営層,コストが掛かると分かった時点で、優先順位が下がってしまう。
//
// `topic` is an item of the hearing instrument (hearing-2009: q1…q12), written as its id, its
// number (1, Q1, Ｑ１) or its Japanese title; `tags` are separated by ';'. UTF-8 or Shift_JIS;
// every cell but the note is NFKC-normalised like every import, the note is kept as written.
// All or nothing: every bad cell is reported as FILE:ROW:COLUMN: value — expected …, and no note
// is returned.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "instrument/instrument.h"
#include "instrument/instrument_ids.h"
#include "store/store.h"

namespace shindan {

inline constexpr const char* kHearingInstrument = instrument_id::kHearing;

// `bytes` as read from the file. Problems (a ProblemList: at most 100 listed, then a count) make an
// InvalidInput. `lines`, when given, receives the CSV line of each note returned, so that a later
// check (a company the survey does not have) can name FILE:LINE.
Result<std::vector<InterviewNote>> ParseInterviewNotes(std::string_view bytes, const std::string& file, const Instrument& hearing,
                                                       std::vector<int>* lines = nullptr);

}  // namespace shindan
