#include "analytics/aggregate.h"

#include <algorithm>
#include <thread>

namespace shindan {

AggregateState AggregateState::For(const Snapshot& s) {
  AggregateState a;
  const AnswerAlphabet& alpha = s.alphabet();
  a.items = static_cast<int>(s.items_.size());
  a.codes = static_cast<int>(alpha.codes.size());
  a.min_total = s.min_total();
  a.bins = s.bins();
  a.pass_mark = s.primary().scoring.pass_mark;
  a.secondary_items = static_cast<int>(s.secondary_items_.size());
  a.secondary_codes = static_cast<int>(s.secondary_alphabet().codes.size());
  const size_t cells = dim::kCells;
  a.answers.assign(cells * a.items * a.codes, 0);
  a.totals.assign(cells * a.bins, 0);
  a.sites.assign(cells * dim::kSitesCount, 0);
  a.it_staff.assign(cells * dim::kCountCount, 0);
  a.servers.assign(cells * dim::kCountCount, 0);
  a.it_uses.assign(cells * 4, 0);
  a.flags.assign(cells * 4, 0);
  a.certified_totals.assign(a.bins, 0);
  a.quota.assign(dim::kQuotaKeys, 0);
  a.secondary.assign(static_cast<size_t>(a.secondary_items) * std::max(a.secondary_codes, 1), 0);
  return a;
}

void AggregateState::Combine(const AggregateState& o) {
  auto add = [](std::vector<uint64_t>& x, const std::vector<uint64_t>& y) {
    for (size_t i = 0; i < x.size(); ++i) x[i] += y[i];
  };
  add(answers, o.answers);
  add(totals, o.totals);
  add(sites, o.sites);
  add(it_staff, o.it_staff);
  add(servers, o.servers);
  add(it_uses, o.it_uses);
  add(flags, o.flags);
  add(certified_totals, o.certified_totals);
  add(secondary, o.secondary);
  add(quota, o.quota);
  secondary_respondents += o.secondary_respondents;
  rows += o.rows;
}

namespace {

// Sixteen bytes compared at once: GCC's vector extensions, SSE2 on x86-64, NEON on ARM.
using Bytes = uint8_t __attribute__((vector_size(16)));

// Adds to out[v] how many of the n bytes at p equal v, for v in 0..K-1 (every byte is < K).
// Per block of up to 255 × 16 bytes, one byte counter per lane and value; a lane compare yields
// 0xff (−1), so subtracting it counts. Value 0 is what the others leave.
template <int K>
void CountValues(const uint8_t* p, size_t n, uint64_t* out) {
  uint64_t counted = 0;
  size_t i = 0;
  while (n - i >= 16) {
    Bytes acc[K] = {};
    const size_t block_end = i + std::min<size_t>((n - i) / 16, 255) * 16;
    for (; i < block_end; i += 16) {
      Bytes x;
      __builtin_memcpy(&x, p + i, 16);
      for (int v = 1; v < K; ++v) acc[v] -= reinterpret_cast<Bytes>(x == static_cast<uint8_t>(v));
    }
    for (int v = 1; v < K; ++v) {
      uint64_t sum = 0;
      for (int lane = 0; lane < 16; ++lane) sum += acc[v][lane];
      out[v] += sum;
      counted += sum;
    }
  }
  for (; i < n; ++i) {
    if (p[i]) {
      ++out[p[i]];
      ++counted;
    }
  }
  out[0] += n - counted;
}

// The same for an alphabet known only at run time: vectorised up to eight values.
void CountValues(const uint8_t* p, size_t n, int values, uint64_t* out) {
  switch (values) {
    case 1: out[0] += n; return;
    case 2: return CountValues<2>(p, n, out);
    case 3: return CountValues<3>(p, n, out);
    case 4: return CountValues<4>(p, n, out);
    case 5: return CountValues<5>(p, n, out);
    case 6: return CountValues<6>(p, n, out);
    case 7: return CountValues<7>(p, n, out);
    case 8: return CountValues<8>(p, n, out);
    default: {
      for (size_t i = 0; i < n; ++i) ++out[p[i]];
    }
  }
}

// Adds to out[b] how many of the n bytes at p have bit b set, for b in 0..bits-1.
void CountBits(const uint8_t* p, size_t n, int bits, uint64_t* out) {
  for (int b = 0; b < bits; ++b) {
    const auto mask = static_cast<uint8_t>(1u << b);
    uint64_t count = 0;
    for (size_t i = 0; i < n; ++i) count += (p[i] & mask) != 0;  // vectorised by the compiler
    out[b] += count;
  }
}

// Below this many rows a run is counted row by row.
constexpr size_t kShortRun = 64;

// Adds rows [b, e) of `s`, all in `cell`, to `a`.
void UpdateRun(AggregateState& a, const Snapshot& s, int cell, size_t b, size_t e) {
  const size_t n = e - b;
  const size_t c = static_cast<size_t>(cell);
  const uint16_t* bin = s.bin_.data() + b;
  const uint8_t* fl = s.flags_.data() + b;
  if (n < kShortRun) {
    for (size_t r = b; r < e; ++r) {
      for (int k = 0; k < a.items; ++k) ++a.Answer(cell, k, s.items_[static_cast<size_t>(k)][r]);
      for (int k = 0; k < a.secondary_items; ++k) {
        ++a.secondary[static_cast<size_t>(k) * a.secondary_codes + s.secondary_items_[static_cast<size_t>(k)][r]];
      }
      ++a.sites[c * dim::kSitesCount + s.sites_[r]];
      ++a.it_staff[c * dim::kCountCount + s.it_staff_[r]];
      ++a.servers[c * dim::kCountCount + s.servers_[r]];
    }
  } else {
    for (int k = 0; k < a.items; ++k) {
      CountValues(s.items_[static_cast<size_t>(k)].data() + b, n, a.codes, &a.Answer(cell, k, 0));
    }
    for (int k = 0; k < a.secondary_items; ++k) {
      CountValues(s.secondary_items_[static_cast<size_t>(k)].data() + b, n, a.secondary_codes,
                  &a.secondary[static_cast<size_t>(k) * a.secondary_codes]);
    }
    CountValues(s.sites_.data() + b, n, dim::kSitesCount, &a.sites[c * dim::kSitesCount]);
    CountValues(s.it_staff_.data() + b, n, dim::kCountCount, &a.it_staff[c * dim::kCountCount]);
    CountValues(s.servers_.data() + b, n, dim::kCountCount, &a.servers[c * dim::kCountCount]);
  }
  CountBits(s.it_uses_.data() + b, n, 4, &a.it_uses[c * 4]);
  CountBits(fl, n, 4, &a.flags[c * 4]);
  uint64_t* hist = &a.totals[c * a.bins];
  const uint8_t* quota = s.quota_.data() + b;
  for (size_t r = 0; r < n; ++r) {
    ++a.quota[quota[r]];
    ++hist[bin[r]];
    if (fl[r] & dim::kCertified) ++a.certified_totals[bin[r]];
    a.secondary_respondents += (fl[r] & dim::kAnsweredSecondary) != 0;
  }
}

}  // namespace

void AggregateState::Update(const Snapshot& s, size_t begin, size_t end) {
  if (end <= begin) return;
  const std::vector<Snapshot::Run>& runs = s.runs();
  // The first run that ends after `begin`.
  auto run = std::upper_bound(runs.begin(), runs.end(), begin, [](size_t row, const Snapshot::Run& r) { return row < r.end; });
  for (; run != runs.end() && run->begin < end; ++run) {
    const size_t b = std::max<size_t>(begin, run->begin), e = std::min<size_t>(end, run->end);
    UpdateRun(*this, s, run->cell, b, e);
  }
  rows += end - begin;
}


AggregateState Aggregate(const Snapshot& s, int threads) {
  const size_t n = s.rows();
  threads = std::max(1, std::min<int>(threads, static_cast<int>(n / 65536) + 1));
  std::vector<AggregateState> parts(static_cast<size_t>(threads), AggregateState::For(s));
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t) {
    workers.emplace_back([&, t] { parts[static_cast<size_t>(t)].Update(s, n * t / threads, n * (t + 1) / threads); });
  }
  parts[0].Update(s, 0, n / threads);
  for (auto& w : workers) w.join();
  for (int t = 1; t < threads; ++t) parts[0].Combine(parts[static_cast<size_t>(t)]);
  return std::move(parts[0]);
}

AggregateState AggregateNaive(const Snapshot& s) {
  AggregateState a = AggregateState::For(s);
  const AnswerAlphabet& alpha = s.alphabet();
  for (size_t r = 0; r < s.rows(); ++r) {
    int c = dim::Cell(s.size_[r], s.industry_[r], s.region_[r]);
    int total = 0;
    for (int k = 0; k < a.items; ++k) {
      int code = s.items_[static_cast<size_t>(k)][r];
      a.Answer(c, k, code) += 1;
      total += alpha.points[static_cast<size_t>(k)][static_cast<size_t>(code)];
    }
    a.totals[static_cast<size_t>(c) * a.bins + (total - a.min_total)] += 1;
    a.sites[static_cast<size_t>(c) * dim::kSitesCount + s.sites_[r]] += 1;
    a.it_staff[static_cast<size_t>(c) * dim::kCountCount + s.it_staff_[r]] += 1;
    a.servers[static_cast<size_t>(c) * dim::kCountCount + s.servers_[r]] += 1;
    for (int b = 0; b < 4; ++b) {
      if (s.it_uses_[r] & (1 << b)) a.it_uses[static_cast<size_t>(c) * 4 + b] += 1;
      if (s.flags_[r] & (1 << b)) a.flags[static_cast<size_t>(c) * 4 + b] += 1;
    }
    if (s.flags_[r] & dim::kCertified) a.certified_totals[static_cast<size_t>(total - a.min_total)] += 1;
    a.quota[s.quota_[r]] += 1;
    bool answered = false;
    for (int k = 0; k < a.secondary_items; ++k) answered = answered || s.secondary_items_[static_cast<size_t>(k)][r] != 0;
    if (answered) a.secondary_respondents += 1;
    for (int k = 0; k < a.secondary_items; ++k) {
      a.secondary[static_cast<size_t>(k) * a.secondary_codes + s.secondary_items_[static_cast<size_t>(k)][r]] += 1;
    }
    a.rows += 1;
  }
  return a;
}

}  // namespace shindan
