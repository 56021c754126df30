#include "stats/sample.h"

#include <algorithm>
#include <optional>
#include <queue>
#include <unordered_map>
#include <utility>

#include "base/csv.h"
#include "base/text.h"

namespace shindan {

uint64_t SplitMix64(uint64_t x) {
  uint64_t z = x + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

namespace {

uint64_t Fnv1a64(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace

uint64_t RandomKey(uint64_t seed, std::string_view id) { return SplitMix64(SplitMix64(seed) ^ Fnv1a64(id)); }

namespace {

// A candidate in a cell's heap: ordered by key, then by id so that equal keys stay deterministic.
struct Candidate {
  uint64_t key;
  std::string_view id;
  size_t row;
  bool operator<(const Candidate& o) const { return key != o.key ? key < o.key : id < o.id; }
};

}  // namespace

Result<SampleDraw> DrawSample(const DataTable& companies, const SampleDesign& design, const SampleOptions& options) {
  Result<size_t> id_col = companies.Column(options.id_column);
  if (!id_col.ok()) return id_col.status();

  // The columns the cells match on, and for each cell its conditions as column indices.
  std::vector<std::string> used;
  std::vector<size_t> used_col;
  for (const DesignCell& cell : design.cells) {
    for (const auto& [column, values] : cell.match) {
      if (std::find(used.begin(), used.end(), column) != used.end()) continue;
      Result<size_t> c = companies.Column(column);
      if (!c.ok()) return c.status().WithContext("the design's cell '" + cell.label + "' matches on " + column);
      used.push_back(column);
      used_col.push_back(*c);
    }
  }
  auto cell_matches = [&](const DesignCell& cell, const std::vector<std::string_view>& values) {
    for (const auto& [column, accepted] : cell.match) {
      const size_t u = static_cast<size_t>(std::find(used.begin(), used.end(), column) - used.begin());
      if (std::find(accepted.begin(), accepted.end(), values[u]) == accepted.end()) return false;
    }
    return true;
  };

  SampleDraw draw;
  draw.cells.resize(design.cells.size());
  std::vector<std::priority_queue<Candidate>> heaps(design.cells.size());  // the k smallest keys, largest on top
  std::unordered_map<std::string, long> memo;          // values of the used columns → cell (-1: none)
  std::vector<std::pair<uint64_t, size_t>> id_hashes;  // (FNV-1a of the id, row), to find repeated ids
  id_hashes.reserve(companies.rows.size());
  const uint64_t seed_key = SplitMix64(options.seed);
  std::vector<std::string_view> values(used.size());
  std::string memo_key;
  for (size_t i = 0; i < companies.rows.size(); ++i) {
    const std::vector<std::string>& row = companies.rows[i];
    const std::string_view id = TrimAscii(row[*id_col]);
    if (id.empty()) return Status::InvalidInput(companies.Where(i, *id_col) + ": no id — every company needs one");
    const uint64_t id_hash = Fnv1a64(id);
    id_hashes.emplace_back(id_hash, i);
    memo_key.clear();
    for (size_t u = 0; u < used.size(); ++u) {
      values[u] = TrimAscii(row[used_col[u]]);
      memo_key.append(values[u]);
      memo_key.push_back('\x1f');
    }
    auto found = memo.find(memo_key);
    long cell = -1;
    if (found != memo.end()) {
      cell = found->second;
    } else {
      for (size_t c = 0; c < design.cells.size(); ++c) {
        if (!cell_matches(design.cells[c], values)) continue;
        if (cell >= 0) {
          return Status::InvalidInput(companies.source + ":" + std::to_string(companies.lines[i]) + ": company '" +
                                      std::string(id) + "' belongs to both cell '" +
                                      design.cells[static_cast<size_t>(cell)].label + "' and cell '" +
                                      design.cells[c].label + "' — the cells of a design must not overlap");
        }
        cell = static_cast<long>(c);
      }
      memo.emplace(memo_key, cell);
    }
    if (cell < 0) {
      ++draw.outside;
      continue;
    }
    const size_t c = static_cast<size_t>(cell);
    ++draw.cells[c].available;
    const size_t k = static_cast<size_t>(design.cells[c].target + design.cells[c].reserve);
    if (k == 0) continue;
    Candidate cand{SplitMix64(seed_key ^ id_hash), id, i};
    if (heaps[c].size() < k) {
      heaps[c].push(cand);
    } else if (cand < heaps[c].top()) {
      heaps[c].pop();
      heaps[c].push(cand);
    }
  }

  // Repeated ids: sort by hash, compare the ids of equal hashes; report the earliest repeat.
  std::sort(id_hashes.begin(), id_hashes.end());
  std::optional<std::pair<size_t, size_t>> repeat;  // (first row, repeating row)
  for (size_t a = 0; a < id_hashes.size();) {
    size_t b = a + 1;
    while (b < id_hashes.size() && id_hashes[b].first == id_hashes[a].first) ++b;
    for (size_t x = a; x < b; ++x) {
      for (size_t y = x + 1; y < b; ++y) {
        const size_t first = id_hashes[x].second, second = id_hashes[y].second;
        if (TrimAscii(companies.rows[first][*id_col]) != TrimAscii(companies.rows[second][*id_col])) continue;
        if (!repeat || second < repeat->second) repeat = std::make_pair(first, second);
      }
    }
    a = b;
  }
  if (repeat) {
    return Status::InvalidInput(companies.Where(repeat->second, *id_col) + ": '" +
                                std::string(TrimAscii(companies.rows[repeat->second][*id_col])) +
                                "' appears twice (first on line " + std::to_string(companies.lines[repeat->first]) +
                                ") — ids must be unique");
  }

  for (size_t c = 0; c < heaps.size(); ++c) {
    std::vector<Candidate> chosen;
    chosen.reserve(heaps[c].size());
    while (!heaps[c].empty()) {
      chosen.push_back(heaps[c].top());
      heaps[c].pop();
    }
    std::reverse(chosen.begin(), chosen.end());  // smallest key first
    const int64_t target = design.cells[c].target;
    for (size_t j = 0; j < chosen.size(); ++j) {
      DrawnCompany d;
      d.row = chosen[j].row;
      d.cell = c;
      d.reserve = static_cast<int64_t>(j) >= target;
      d.rank = d.reserve ? static_cast<int64_t>(j) - target + 1 : static_cast<int64_t>(j) + 1;
      (d.reserve ? draw.cells[c].reserve : draw.cells[c].main) += 1;
      draw.drawn.push_back(d);
    }
  }
  return draw;
}

std::string SampleCsv(const DataTable& companies, const SampleDesign& design, const SampleDraw& draw) {
  std::string out;
  std::vector<std::string> fields = {"cell", "role", "rank"};
  fields.insert(fields.end(), companies.header.begin(), companies.header.end());
  out += CsvLine(fields, true);
  for (const DrawnCompany& d : draw.drawn) {
    fields = {design.cells[d.cell].label, d.reserve ? "reserve" : "main", std::to_string(d.rank)};
    const std::vector<std::string>& row = companies.rows[d.row];
    fields.insert(fields.end(), row.begin(), row.end());
    out += CsvLine(fields, true);
  }
  return out;
}

}  // namespace shindan
