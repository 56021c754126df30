// Slowing down a client that guesses invitation tokens (issue 11 §6). A token has 256 random
// bits, so guessing cannot succeed; what this stops is a client hammering the database with
// lookups, and it keeps the log free of such noise. The count lives in the database
// (Store::RecordBadToken), so every server on it slows the same client.
//
// The policy: the first kFreeBadTokens bad tokens from an address cost nothing; after that the
// address waits 1, 2, 4, … seconds (at most kMaxBadTokenWait) after its last bad token before any
// token of its is looked up again (429 with Retry-After). An hour without a bad token and counting
// starts again.
#pragma once

#include <chrono>
#include <cstdint>

#include "store/store.h"

namespace shindan::web {

inline constexpr int64_t kFreeBadTokens = 10;
inline constexpr std::chrono::seconds kMaxBadTokenWait{900};
inline constexpr std::chrono::seconds kBadTokenMemory{3600};

// The seconds the address must still wait before its next token is looked up; 0 when it need not.
// `free_tokens`: the bad tokens allowed before any wait.
int64_t BadTokenWait(const BadTokenRecord& record, std::chrono::system_clock::time_point now,
                     int64_t free_tokens = kFreeBadTokens);

}  // namespace shindan::web
