// KeyIndex: a set of text keys numbered 0, 1, 2 … in the order they were added — the flat map
// from a company's key to what a writer keeps about it (the import session's CompanyIndex, the
// columnar copy's slots), with the caller's data in a vector indexed by that number.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace shindan {

// Open addressing over a power-of-two array of 64-bit slots (32 bits of the key's hash, 32 bits of
// the key's number + 1), the keys in one arena: a new key — the common case of an import — costs
// one slot probe and no allocation, which matters at a million keys where std::unordered_map's node
// per key is a cache miss or two, and freeing a million nodes a measurable part of the import.
// A key's home slot is taken from the hash bits kept in its slot, so growing the table moves slots
// without reading a key or hashing again (reading the keys in random order to hash them again made
// growing cost as much as adding). Keys are never removed. Not thread-safe.
class KeyIndex {
 public:
  // The number of `key`, added when missing (the next number); *added says which.
  uint32_t FindOrAdd(std::string_view key, bool* added) {
    if ((size() + 1) * 2 > slots_.size()) Grow();
    const uint64_t hash = std::hash<std::string_view>()(key);
    const uint64_t tag = hash >> 32;
    const size_t mask = slots_.size() - 1;
    for (size_t i = tag & mask;; i = (i + 1) & mask) {
      const uint64_t slot = slots_[i];
      if (slot == 0) {
        offsets_.push_back(static_cast<uint32_t>(keys_.size()));
        keys_.append(key);
        slots_[i] = (tag << 32) | offsets_.size();  // number + 1: 0 stays "empty"
        *added = true;
        return static_cast<uint32_t>(offsets_.size() - 1);
      }
      const uint32_t n = static_cast<uint32_t>(slot & 0xffffffffu) - 1;
      if ((slot >> 32) == tag && Key(n) == key) {
        *added = false;
        return n;
      }
    }
  }
  // The key numbered `n`. The view is valid until the next FindOrAdd (the arena may move).
  std::string_view Key(uint32_t n) const {
    const uint32_t end = n + 1 < offsets_.size() ? offsets_[n + 1] : static_cast<uint32_t>(keys_.size());
    return std::string_view(keys_.data() + offsets_[n], end - offsets_[n]);
  }
  size_t size() const { return offsets_.size(); }

 private:
  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), 0);
    const size_t mask = slots_.size() - 1;
    for (uint64_t slot : old) {
      if (slot == 0) continue;
      size_t i = (slot >> 32) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }
  std::vector<uint64_t> slots_;
  std::vector<uint32_t> offsets_;  // where each key starts in keys_; it ends where the next starts
  std::string keys_;
};

}  // namespace shindan
