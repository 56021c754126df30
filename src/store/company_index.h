// CompanyIndex: the import sessions' in-memory map from company_key to what the session knows of
// the company (internal to store/).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/key_index.h"

namespace shindan {

// company_key → what the import session knows of that company: a KeyIndex (flat, the keys in one
// arena; see base/key_index.h for why) and an entry per key.
class CompanyIndex {
 public:
  struct Entry {
    int64_t id = 0;
    uint64_t buffer = 0;    // the import buffer the company was last added in
    uint32_t pending = 0;   // its row among the companies waiting to be written, while !in_db
    bool in_db = false;     // written: before the session, or by an earlier flush
  };

  // The entry of `key`, added (zeroed, with the key) when missing; *added says which. The entry
  // number stays valid; a reference to the entry only until the next FindOrAdd.
  uint32_t FindOrAdd(std::string_view key, bool* added) {
    const uint32_t n = keys_.FindOrAdd(key, added);
    if (*added) entries_.emplace_back();
    return n;
  }
  Entry& operator[](uint32_t n) { return entries_[n]; }
  // The view is valid until the next FindOrAdd.
  std::string_view Key(uint32_t n) const { return keys_.Key(n); }

 private:
  KeyIndex keys_;
  std::vector<Entry> entries_;
};

}  // namespace shindan
