// The ids of the instruments that code names (instruments/*.json define them all): the one place
// they are spelled. Everything else finds an instrument through the catalog by these ids.
#pragma once

namespace shindan::instrument_id {

inline constexpr char kSelfCheck[] = "self-check-2009";        // the 25-item sheet scored by points
inline constexpr char kOrgChecklist[] = "org-checklist-2009";  // the 22-item organisational checklist
inline constexpr char kProfile[] = "profile";                  // a company's attributes
inline constexpr char kHearing[] = "hearing-2009";             // the interview sheet (ヒアリング)

}  // namespace shindan::instrument_id
