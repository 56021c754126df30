#include "analytics/aggregate.h"

#include <algorithm>
#include <thread>

namespace shindan {

AggregateState AggregateState::For(const Snapshot& s) {
  AggregateState a;
  const AnswerAlphabet& alpha = s.alphabet();
  a.items = static_cast<int>(s.items_.size());
  a.codes = static_cast<int>(alpha.codes.size());
  int lo = 0, hi = 0;
  for (const auto& pts : alpha.points) {
    lo += *std::min_element(pts.begin(), pts.end());
    hi += *std::max_element(pts.begin(), pts.end());
  }
  a.min_total = lo;
  a.bins = hi - lo + 1;
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
  secondary_respondents += o.secondary_respondents;
  rows += o.rows;
}

void AggregateState::Update(const Snapshot& s, size_t begin, size_t end) {
  if (end <= begin) return;
  const size_t n = end - begin;
  const AnswerAlphabet& alpha = s.alphabet();

  // Pass 1: the cell of each row.
  std::vector<uint8_t> cell(n);
  for (size_t r = 0; r < n; ++r) {
    cell[r] = static_cast<uint8_t>(dim::Cell(s.size_[begin + r], s.industry_[begin + r], s.region_[begin + r]));
  }

  // Pass 2, item by item over contiguous columns: answer counts by (cell, code) and the running
  // totals. The counts of one item fit in a small local table (cells × codes) that stays in L1.
  std::vector<int16_t> total(n, 0);
  std::vector<uint32_t> local(static_cast<size_t>(dim::kCells) * codes);
  for (int k = 0; k < items; ++k) {
    const uint8_t* col = s.items_[static_cast<size_t>(k)].data() + begin;
    int16_t pts[256] = {};
    for (int c = 0; c < codes; ++c) pts[c] = static_cast<int16_t>(alpha.points[static_cast<size_t>(k)][static_cast<size_t>(c)]);
    std::fill(local.begin(), local.end(), 0);
    const int stride = codes;
    for (size_t r = 0; r < n; ++r) {
      const uint8_t a = col[r];
      ++local[static_cast<size_t>(cell[r]) * stride + a];
      total[r] = static_cast<int16_t>(total[r] + pts[a]);
    }
    for (int c = 0; c < dim::kCells; ++c) {
      for (int code = 0; code < codes; ++code) Answer(c, k, code) += local[static_cast<size_t>(c) * stride + code];
    }
  }

  // Pass 3: the per-row figures.
  for (size_t r = 0; r < n; ++r) {
    const size_t c = cell[r];
    const size_t row = begin + r;
    const int bin = total[r] - min_total;
    ++totals[c * bins + bin];
    ++sites[c * dim::kSitesCount + s.sites_[row]];
    ++it_staff[c * dim::kCountCount + s.it_staff_[row]];
    ++servers[c * dim::kCountCount + s.servers_[row]];
    const uint8_t uses = s.it_uses_[row], fl = s.flags_[row];
    for (int b = 0; b < 4; ++b) {
      it_uses[c * 4 + b] += (uses >> b) & 1u;
      flags[c * 4 + b] += (fl >> b) & 1u;
    }
    if (fl & dim::kCertified) ++certified_totals[static_cast<size_t>(bin)];
  }

  // Pass 4: the secondary instrument, over the companies that answered any of it.
  if (secondary_items > 0) {
    std::vector<uint8_t> answered(n, 0);
    for (int k = 0; k < secondary_items; ++k) {
      const uint8_t* col = s.secondary_items_[static_cast<size_t>(k)].data() + begin;
      for (size_t r = 0; r < n; ++r) answered[r] |= col[r] != 0;
    }
    for (size_t r = 0; r < n; ++r) secondary_respondents += answered[r];
    for (int k = 0; k < secondary_items; ++k) {
      const uint8_t* col = s.secondary_items_[static_cast<size_t>(k)].data() + begin;
      for (size_t r = 0; r < n; ++r) ++secondary[static_cast<size_t>(k) * secondary_codes + col[r]];
    }
  }
  rows += n;
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
