// CompanyIndex: the import sessions' in-memory map from company_key to what the session knows of
// the company (internal to store/).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace shindan {

// company_key → what the import session knows of that company. Open addressing over a power-of-two
// array of 64-bit slots (32 bits of the key's hash, 32 bits of entry number), the keys in one
// arena: a new key — the common case — costs one slot probe and no allocation, which matters at a
// million keys where std::unordered_map's node per key is a cache miss or two.
class CompanyIndex {
 public:
  struct Entry {
    int64_t id = 0;
    uint64_t buffer = 0;    // the import buffer the company was last added in
    uint32_t pending = 0;   // its row among the companies waiting to be written, while !in_db
    uint32_t key_offset = 0, key_size = 0;
    bool in_db = false;     // written: before the session, or by an earlier flush
  };

  // The entry of `key`, added (zeroed, with the key) when missing; *added says which. The entry
  // number stays valid; a reference to the entry only until the next FindOrAdd.
  uint32_t FindOrAdd(std::string_view key, bool* added) {
    if ((entries_.size() + 1) * 2 > slots_.size()) Grow();
    const uint64_t hash = std::hash<std::string_view>()(key);
    const uint64_t tag = hash >> 32;
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const uint64_t slot = slots_[i];
      if (slot == 0) {
        entries_.push_back({});
        Entry& e = entries_.back();
        e.key_offset = static_cast<uint32_t>(keys_.size());
        e.key_size = static_cast<uint32_t>(key.size());
        keys_.append(key);
        slots_[i] = (tag << 32) | entries_.size();  // entry number + 1: 0 stays "empty"
        *added = true;
        return static_cast<uint32_t>(entries_.size() - 1);
      }
      const uint32_t n = static_cast<uint32_t>(slot & 0xffffffffu) - 1;
      if ((slot >> 32) == tag && Key(n) == key) {
        *added = false;
        return n;
      }
    }
  }
  Entry& operator[](uint32_t n) { return entries_[n]; }
  std::string_view Key(uint32_t n) const {
    return std::string_view(keys_.data() + entries_[n].key_offset, entries_[n].key_size);
  }

 private:
  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), 0);
    const size_t mask = slots_.size() - 1;
    for (uint64_t slot : old) {
      if (slot == 0) continue;
      const uint64_t hash = std::hash<std::string_view>()(Key(static_cast<uint32_t>(slot & 0xffffffffu) - 1));
      size_t i = hash & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }
  std::vector<uint64_t> slots_;
  std::vector<Entry> entries_;
  std::string keys_;
};

}  // namespace shindan
