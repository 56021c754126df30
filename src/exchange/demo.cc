#include "exchange/demo.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <unordered_map>

#include "base/csv.h"
#include "exchange/response.h"

namespace shindan {

namespace {

// ---------------------------------------------------------------------------------------------
// The 2009 survey's figures (seed §4.1, §4.2.1-4.2.2, §3.1, §4.7 (5)-(7)). Where the report gives
// only a total, the split over other attributes is ours (marked "ours"), chosen to be plausible.

// Every count below is of the report's 66 companies; other survey sizes scale them.

// Size types, 表4: A 15, B 24, C 21, S 6. S = IT-core companies (industry net, 表5).
enum Seg { kA = 0, kB = 1, kC = 2, kS = 3 };
const std::vector<long long> kSegCounts = {15, 24, 21, 6};
// §4.1.1: of the 15 small companies exactly 2 have 5 employees or fewer.
const std::vector<long long> kMicroInA = {2, 13};
// 表5 without the 6 net companies: mfg 24, dist 20, svc 16.
const std::vector<long long> kIndustryCounts = {24, 20, 16};
const char* const kIndustryCodes[] = {"mfg", "dist", "svc"};
// 表6 without the 6 net companies: capital 30, regional1 16, regional2 14.
const std::vector<long long> kRegionCounts = {30, 16, 14};
const char* const kRegionCodes[] = {"capital", "regional1", "regional2"};

// 表7 sites 1 / 2-3 / 4+ = 15 / 23 / 28; 表8 IT staff 0 / 1 / 2-3 / 4+ = 28 / 17 / 16 / 5;
// 表10 servers 0 / 1 / 2-3 / 4+ = 5 / 17 / 10 / 34. Split by size type (rows A, B, C, S): ours,
// larger companies having more sites, staff and servers; the columns sum to the report's counts.
const std::vector<std::vector<long long>> kSitesBySeg = {{8, 5, 2}, {4, 10, 10}, {1, 5, 15}, {2, 3, 1}};
const std::vector<std::vector<long long>> kStaffBySeg = {{11, 3, 1, 0}, {11, 7, 5, 1}, {6, 6, 7, 2}, {0, 1, 3, 2}};
const std::vector<std::vector<long long>> kServersBySeg = {{4, 6, 2, 3}, {1, 7, 4, 12}, {0, 3, 3, 15}, {0, 1, 1, 4}};

// 表9 (multiple answers): core 65, info 17, front 2, other 1 — each as yes / no.
const std::vector<long long> kUsesCore = {65, 1};
const std::vector<long long> kUsesInfo = {17, 49};
const std::vector<long long> kUsesFront = {2, 64};
const std::vector<long long> kUsesOther = {1, 65};

// §4.2.1: 23 companies score 70 or more, 43 do not; all 6 IT-core companies pass.
const std::vector<long long> kPassCounts = {23, 43};
// §3.1 / §4.2.3 (1): item 25 実施していない by 38. Rows pass / fail, columns no / yes: ours.
const std::vector<std::vector<long long>> kSc25ByPass = {{3, 20}, {35, 8}};
// §4.7 (5): 12 hold Pマーク or ISMS, 6 of them under 70. Rows pass / fail, columns yes / no.
const std::vector<std::vector<long long>> kCertByPass = {{6, 17}, {6, 37}};
// Of the 12: Pマーク only, ISMS only, both (ours).
const std::vector<long long> kCertKinds = {7, 3, 2};
// §4.7 (5): 9 with a qualified person. Rows pass / fail: ours.
const std::vector<std::vector<long long>> kQualifiedByPass = {{5, 18}, {4, 39}};
// §4.7 (7): 17 know the benchmark, the 6 IT-core companies among them. The other 11 by pass /
// fail among the non-IT-core companies (rows 17 pass / 43 fail): ours.
const std::vector<long long> kBenchmarkCounts = {17, 49};
const std::vector<std::vector<long long>> kBenchmarkByPassNonS = {{6, 11}, {5, 38}};
// §4.7 (6): 31 know IPA; ours: every company that knows the benchmark (an IPA tool) knows IPA.
const std::vector<long long> kIpaCounts = {31, 35};
// §4.2.2: the org checklist was answered by 20 companies, all scoring 70 or more (図1: it was
// asked only of those); 3-5 not done by 5 of the 20, 4-4 by 6 of the 20.
const std::vector<long long> kOrgCounts = {20, 46};
const std::vector<long long> kOc35InOrg = {5, 15};
const std::vector<long long> kOc44InOrg = {6, 14};
// Ours: 3 of the 15 small companies use no laptops and answer item 6 該当なし.
const std::vector<long long> kNoLaptopsInA = {3, 12};

// How readily an item is done (‰ 実施している at a mid-range company): ours, after the seed —
// antivirus strongest (§4.7 (1)); rules, staff, partners and incident response weakest (§4.2.1);
// visitors and handling of important information weak (§3.1); password changes and encryption
// hard (§3.2).
const std::unordered_map<std::string, int> kItemEase = {
    {"sc01", 380}, {"sc02", 330}, {"sc03", 620}, {"sc04", 480}, {"sc05", 300}, {"sc06", 420}, {"sc07", 470},
    {"sc08", 680}, {"sc09", 640}, {"sc10", 420}, {"sc11", 620}, {"sc12", 560}, {"sc13", 620}, {"sc14", 300},
    {"sc15", 950}, {"sc16", 860}, {"sc17", 640}, {"sc18", 520}, {"sc19", 260}, {"sc20", 660}, {"sc21", 320},
    {"sc22", 240}, {"sc23", 330}, {"sc24", 150}, {"sc25", 200},
};

constexpr size_t kChunk = size_t{1} << 20;
constexpr long long kProgressEvery = 1 << 14;

// ---------------------------------------------------------------------------------------------
// Randomness: xoshiro256** seeded through splitmix64 (Blackman & Vigna), bounded by rejection.

uint64_t SplitMix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// The 128-bit product a·b as high and low halves, in portable 32-bit pieces.
void Mul(uint64_t a, uint64_t b, uint64_t* hi, uint64_t* lo) {
  const uint64_t a0 = a & 0xffffffffULL, a1 = a >> 32, b0 = b & 0xffffffffULL, b1 = b >> 32;
  const uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffULL) + (p10 & 0xffffffffULL);
  *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  *lo = (mid << 32) | (p00 & 0xffffffffULL);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& v : s_) v = SplitMix64(seed);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n), by Lemire's multiply-and-reject (one division only when rejecting may be
  // needed). REQUIRES: n > 0.
  uint64_t Below(uint64_t n) {
    uint64_t hi, lo;
    Mul(Next(), n, &hi, &lo);
    if (lo < n) {
      const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
      while (lo < threshold) Mul(Next(), n, &hi, &lo);
    }
    return hi;
  }
  long long Int(long long n) { return static_cast<long long>(Below(static_cast<uint64_t>(n))); }
  long long Between(long long lo, long long hi) { return lo + Int(hi - lo + 1); }

 private:
  std::array<uint64_t, 4> s_;
};

// Categories drawn without replacement: the same as shuffling a list holding each category
// counts[k] times and reading it in order, in O(categories) memory.
class Urn {
 public:
  Urn() = default;
  explicit Urn(std::vector<long long> counts) : left_(std::move(counts)) {
    for (long long& c : left_) c = std::max(0LL, c);
    total_ = std::accumulate(left_.begin(), left_.end(), 0LL);
  }
  // The category drawn; `fallback` if the urn is empty (only when counts were inconsistent).
  int Draw(Rng& rng, int fallback = 0) {
    if (total_ <= 0) return fallback;
    long long r = rng.Int(total_);
    for (size_t k = 0; k < left_.size(); ++k) {
      if (r < left_[k]) {
        --left_[k];
        --total_;
        return static_cast<int>(k);
      }
      r -= left_[k];
    }
    return fallback;  // unreachable
  }
  bool DrawYes(Rng& rng) { return Draw(rng, 1) == 0; }  // a {yes, no} urn

 private:
  std::vector<long long> left_;
  long long total_ = 0;
};

// A seed table scaled to row and column totals: each row proportionally to the seed row, then
// rounded so that rows and columns sum exactly to their targets (largest remainders first, then
// the north-west corner rule for whatever is left). REQUIRES: sum(rows) == sum(cols).
std::vector<std::vector<long long>> ScaleTable(const std::vector<std::vector<long long>>& seed,
                                               const std::vector<long long>& rows, const std::vector<long long>& cols) {
  const size_t nr = seed.size(), nc = cols.size();
  std::vector<std::vector<long long>> cell(nr, std::vector<long long>(nc, 0));
  std::vector<long long> den(nr, 0);
  struct Frac {
    size_t i, j;
    long long rem, den;
  };
  std::vector<Frac> fracs;
  for (size_t i = 0; i < nr; ++i) {
    den[i] = std::accumulate(seed[i].begin(), seed[i].end(), 0LL);
    for (size_t j = 0; j < nc; ++j) {
      if (den[i] == 0 || seed[i][j] == 0) continue;
      cell[i][j] = seed[i][j] * rows[i] / den[i];
      fracs.push_back({i, j, seed[i][j] * rows[i] % den[i], den[i]});
    }
  }
  auto col_sum = [&](size_t j) {
    long long s = 0;
    for (size_t i = 0; i < nr; ++i) s += cell[i][j];
    return s;
  };
  // Columns over their target (possible only when the rows are far from the seed's proportions).
  for (size_t j = 0; j < nc; ++j) {
    for (long long over = col_sum(j) - cols[j]; over > 0; --over) {
      size_t best = 0;
      for (size_t i = 1; i < nr; ++i) {
        if (cell[i][j] > cell[best][j]) best = i;
      }
      --cell[best][j];
    }
  }
  std::vector<long long> rd(nr), cd(nc);
  for (size_t i = 0; i < nr; ++i) rd[i] = rows[i] - std::accumulate(cell[i].begin(), cell[i].end(), 0LL);
  for (size_t j = 0; j < nc; ++j) cd[j] = cols[j] - col_sum(j);
  std::stable_sort(fracs.begin(), fracs.end(),
                   [](const Frac& a, const Frac& b) { return a.rem * b.den > b.rem * a.den; });
  for (const Frac& f : fracs) {  // one unit each, largest remainder first
    if (rd[f.i] > 0 && cd[f.j] > 0) {
      ++cell[f.i][f.j];
      --rd[f.i];
      --cd[f.j];
    }
  }
  for (const Frac& f : fracs) {  // then anything left, keeping the seed's empty cells empty
    const long long k = std::min(rd[f.i], cd[f.j]);
    if (k > 0) {
      cell[f.i][f.j] += k;
      rd[f.i] -= k;
      cd[f.j] -= k;
    }
  }
  for (size_t i = 0, j = 0; i < nr && j < nc;) {  // north-west corner: always feasible
    const long long k = std::min(rd[i], cd[j]);
    cell[i][j] += std::max(0LL, k);
    rd[i] -= k;
    cd[j] -= k;
    if (rd[i] <= 0)
      ++i;
    else
      ++j;
  }
  return cell;
}

std::vector<long long> ColumnTotals(const std::vector<std::vector<long long>>& table) {
  std::vector<long long> out(table.front().size(), 0);
  for (const auto& row : table) {
    for (size_t j = 0; j < row.size(); ++j) out[j] += row[j];
  }
  return out;
}

// The count for the first category of a {yes, no} pair scaled to n.
long long Scaled(const std::vector<long long>& pair, long long n) { return ScaleCounts(pair, n)[0]; }

// ---------------------------------------------------------------------------------------------
// One company's attributes, before they become text.

struct Company {
  int seg = kA;
  bool micro = false;
  bool no_laptops = false;
  int industry = 0;                       // index into kIndustryCodes; net for S
  int region = 0;                         // index into kRegionCodes
  int sites = 0, staff = 0, servers = 0;  // bins
  bool core = true, info = false, front = false, other = false;
  bool pass = false;
  bool org = false;
  bool sc25_no = false;
  bool oc35_no = false, oc44_no = false;
  int cert = -1;  // -1 none, else index into kCertKinds
  bool qualified = false, benchmark = false, ipa = false;
};

// Draws companies so that, after all N, every count is the scaled figure.
class Population {
 public:
  explicit Population(long long n) {
    const std::vector<long long> seg = ScaleCounts(kSegCounts, n);
    const long long s = seg[kS], non_s = n - s;
    seg_ = Urn(seg);
    micro_ = Urn(ScaleCounts(kMicroInA, seg[kA]));
    no_laptops_ = Urn(ScaleCounts(kNoLaptopsInA, seg[kA]));
    industry_ = Urn(ScaleCounts(kIndustryCounts, non_s));
    region_ = Urn(ScaleCounts(kRegionCounts, non_s));

    auto by_seg = [&](const std::vector<std::vector<long long>>& table, std::vector<Urn>* urns) {
      const auto cells = ScaleTable(table, seg, ScaleCounts(ColumnTotals(table), n));
      for (const auto& row : cells) urns->push_back(Urn(row));
    };
    by_seg(kSitesBySeg, &sites_);
    by_seg(kStaffBySeg, &staff_);
    by_seg(kServersBySeg, &servers_);

    // 表9 as combinations, so that each use's count is exact and every company uses something:
    // the companies without core systems use information systems; front-end and other users
    // also use core systems.
    const long long no_core = n - Scaled(kUsesCore, n);
    const long long info = std::max(Scaled(kUsesInfo, n), no_core);
    const long long front = std::min(Scaled(kUsesFront, n), info - no_core);
    const long long other = std::min(Scaled(kUsesOther, n), n - info);
    // {info}, {core, info, front}, {core, info}, {core, other}, {core}
    uses_ = Urn({no_core, front, info - no_core - front, other, n - info - other});

    const long long pass = std::max(Scaled(kPassCounts, n), s);  // every IT-core company passes
    const long long fail = n - pass;
    pass_non_s_ = Urn({pass - s, fail});
    const std::vector<long long> by_pass = {pass, fail};
    // A yes / no figure split by pass / fail: the figure (the table's column totals) scaled to n.
    auto split = [&](const std::vector<std::vector<long long>>& table, Urn* in_pass, Urn* in_fail) {
      const long long yes = Scaled(ColumnTotals(table), n);
      const auto cells = ScaleTable(table, by_pass, {yes, n - yes});
      *in_pass = Urn(cells[0]);
      *in_fail = Urn(cells[1]);
      return yes;
    };
    split(kSc25ByPass, &sc25_pass_, &sc25_fail_);
    const long long certified = split(kCertByPass, &cert_pass_, &cert_fail_);
    split(kQualifiedByPass, &qualified_pass_, &qualified_fail_);
    cert_kind_ = Urn(ScaleCounts(kCertKinds, certified));

    const long long benchmark = std::max(Scaled(kBenchmarkCounts, n), s);
    const auto bm = ScaleTable(kBenchmarkByPassNonS, {pass - s, fail}, {benchmark - s, non_s - (benchmark - s)});
    benchmark_pass_ = Urn(bm[0]);
    benchmark_fail_ = Urn(bm[1]);
    const long long ipa = std::max(Scaled(kIpaCounts, n), benchmark);
    ipa_ = Urn({ipa - benchmark, n - ipa});

    const long long org = std::min(Scaled(kOrgCounts, n), pass);
    org_ = Urn({org, pass - org});
    oc35_ = Urn(ScaleCounts(kOc35InOrg, org));
    oc44_ = Urn(ScaleCounts(kOc44InOrg, org));
  }

  Company Next(Rng& rng) {
    Company c;
    c.seg = seg_.Draw(rng);
    if (c.seg == kA) {
      c.micro = micro_.DrawYes(rng);
      c.no_laptops = no_laptops_.DrawYes(rng);
    }
    if (c.seg != kS) {
      c.industry = industry_.Draw(rng);
      c.region = region_.Draw(rng);
    }
    c.sites = sites_[c.seg].Draw(rng);
    c.staff = staff_[c.seg].Draw(rng);
    c.servers = servers_[c.seg].Draw(rng);
    switch (uses_.Draw(rng, 4)) {
      case 0:
        c.core = false;
        c.info = true;
        break;
      case 1:
        c.info = c.front = true;
        break;
      case 2:
        c.info = true;
        break;
      case 3:
        c.other = true;
        break;
      default:
        break;
    }
    c.pass = c.seg == kS || pass_non_s_.DrawYes(rng);
    if (c.pass) c.org = org_.DrawYes(rng);
    if (c.org) {
      c.oc35_no = oc35_.DrawYes(rng);
      c.oc44_no = oc44_.DrawYes(rng);
    }
    c.sc25_no = (c.pass ? sc25_pass_ : sc25_fail_).DrawYes(rng);
    if ((c.pass ? cert_pass_ : cert_fail_).DrawYes(rng)) c.cert = cert_kind_.Draw(rng);
    c.qualified = (c.pass ? qualified_pass_ : qualified_fail_).DrawYes(rng);
    c.benchmark = c.seg == kS || (c.pass ? benchmark_pass_ : benchmark_fail_).DrawYes(rng);
    c.ipa = c.benchmark || ipa_.DrawYes(rng);
    return c;
  }

 private:
  Urn seg_, micro_, no_laptops_, industry_, region_, uses_;
  std::vector<Urn> sites_, staff_, servers_;
  Urn pass_non_s_, org_, oc35_, oc44_;
  Urn sc25_pass_, sc25_fail_, cert_pass_, cert_fail_, cert_kind_, qualified_pass_, qualified_fail_;
  Urn benchmark_pass_, benchmark_fail_, ipa_;
};

// ---------------------------------------------------------------------------------------------
// Answers to the self-check: drawn around a target total, then repaired into a band.

enum Ans { kYes = 0, kPartial, kNo, kUnknown, kNa };
const char* const kAnsCodes[] = {"yes", "partial", "no", "unknown", "na"};

struct ItemModel {
  size_t column = 0;
  int ease = 500;       // ‰ 実施している at m = 500
  bool four = true;     // yes / partial / no / unknown; else yes / no
  bool may_na = false;  // has a condition (sc06: uses laptops)
  bool sc25 = false;    // forced by the population (§3.1)
  std::array<int, 5> points{};
};

struct Probabilities {
  int yes, partial, unknown;  // ‰; no is the rest
};

// The answer probabilities for an item at maturity m (0…1000): 実施している rises with m from the
// item's ease; of the rest, 45% 一部実施している; わからない rarer at higher maturity.
Probabilities ProbabilitiesAt(const ItemModel& item, int m) {
  Probabilities p{};
  p.yes = std::clamp(item.ease + (m - 500), 10, 990);
  if (!item.four) return p;
  p.unknown = std::min(m < 400 ? 30 : m < 700 ? 15 : 5, 1000 - p.yes);
  p.partial = (1000 - p.yes - p.unknown) * 45 / 100;
  return p;
}

class AnswerModel {
 public:
  // Fails when the instrument lacks the options the demo writes.
  static Result<AnswerModel> Build(const Instrument& ins, const std::unordered_map<std::string, size_t>& column) {
    AnswerModel model;
    for (const Item& item : ins.items) {
      if (item.type != ItemType::kChoice) continue;
      ItemModel m;
      auto col = column.find(item.id);
      if (col == column.end()) return Status::Internal("demo: no column for item " + item.id);
      m.column = col->second;
      if (auto e = kItemEase.find(item.id); e != kItemEase.end()) m.ease = e->second;
      m.four = ins.FindOption(item, "partial") != nullptr;
      m.may_na = !item.applies_if.empty();
      m.sc25 = item.id == "sc25";
      for (int a = kYes; a <= kNa; ++a) {
        if (!m.four && (a == kPartial || a == kUnknown)) continue;
        if (!m.may_na && a == kNa) continue;
        const AnswerOption* o = ins.FindOption(item, kAnsCodes[a]);
        if (!o) return Status::Internal(std::string("demo: item ") + item.id + " has no option '" + kAnsCodes[a] + "'");
        m.points[a] = o->points.value_or(0);
      }
      if (m.sc25) model.has_sc25_ = true;
      model.items_.push_back(m);
    }
    if (!model.has_sc25_) return Status::Internal("demo: " + ins.id + " has no item sc25");
    // m for each target total: the smallest whose expected total reaches it.
    std::vector<long long> expected(1001);
    for (int m = 0; m <= 1000; ++m) {
      long long e = 0;
      for (const ItemModel& it : model.items_) {
        const Probabilities p = ProbabilitiesAt(it, m);
        const int no = 1000 - p.yes - p.partial - p.unknown;
        e += 1LL * p.yes * it.points[kYes] + 1LL * p.partial * it.points[kPartial] +
             1LL * p.unknown * it.points[kUnknown] + 1LL * no * it.points[kNo];
      }
      expected[m] = e;
    }
    for (int t = 0; t <= 100; ++t) {
      int m = 0;
      while (m < 1000 && expected[m] < 1000LL * t) ++m;
      for (const ItemModel& it : model.items_) model.table_[t].push_back(ProbabilitiesAt(it, m));
    }
    return model;
  }

  // Fills answers[i] for each item; returns the total.
  int Answer(Rng& rng, const Company& c, int target, int band_lo, int band_hi, std::vector<int>* answers) const {
    answers->assign(items_.size(), kNo);
    const std::vector<Probabilities>& probabilities = table_[std::clamp(target, 0, 100)];
    int total = 0, best = 0;
    for (size_t i = 0; i < items_.size(); ++i) {
      const ItemModel& it = items_[i];
      int a;
      if (it.sc25) {
        a = c.sc25_no ? kNo : kYes;
      } else if (it.may_na && c.no_laptops) {
        a = kNa;
      } else {
        const Probabilities& p = probabilities[i];
        const int r = static_cast<int>(rng.Below(1000));
        a = r < p.yes ? kYes : r < p.yes + p.partial ? kPartial : r < p.yes + p.partial + p.unknown ? kUnknown : kNo;
      }
      (*answers)[i] = a;
      total += it.points[a];
      best += Fixed(it, c) ? it.points[a] : it.points[kYes];
    }
    int lo = std::min(std::max(band_lo, target - 2), best);
    int hi = std::max(std::min(band_hi, target + 2), lo);
    // Narrow band first, then (should flips of 4 points oscillate around it) the whole band.
    for (int attempt = 0; attempt < 2; ++attempt) {
      for (int steps = 0; steps < 200 && (total < lo || total > hi); ++steps) {
        const bool up = total < lo;
        const int room = up ? hi - total : total - lo;
        int delta = Step(rng, c, up, room, answers);
        if (delta == 0) break;
        total += delta;
      }
      lo = std::min(band_lo, best);
      hi = std::max(band_hi, lo);
    }
    return total;
  }

  const std::vector<ItemModel>& items() const { return items_; }

 private:
  static bool Fixed(const ItemModel& it, const Company& c) { return it.sc25 || (it.may_na && c.no_laptops); }

  // One answer moved one option up (towards 実施している) or down; prefers moves that stay within
  // `room` and, going up, items that are easy (going down, hard). Returns the change in total.
  int Step(Rng& rng, const Company& c, bool up, int room, std::vector<int>* answers) const {
    std::array<size_t, 64> cand{};
    std::array<int, 64> next{}, weight{};
    size_t n = 0;
    long long sum = 0;
    for (int fit = 1; fit >= 0 && n == 0; --fit) {
      sum = 0;
      for (size_t i = 0; i < items_.size() && n < cand.size(); ++i) {
        const ItemModel& it = items_[i];
        if (Fixed(it, c)) continue;
        const int a = (*answers)[i];
        int to = -1;
        if (up)
          to = a == kUnknown || a == kNo ? (it.four ? kPartial : kYes) : a == kPartial ? kYes : -1;
        else
          to = a == kYes ? (it.four ? kPartial : kNo) : a == kPartial ? kNo : -1;
        if (to < 0) continue;
        const int d = it.points[to] - it.points[a];
        if (fit && std::abs(d) > room) continue;
        cand[n] = i;
        next[n] = to;
        weight[n] = up ? it.ease + 50 : 1050 - it.ease;
        sum += weight[n];
        ++n;
      }
    }
    if (n == 0) return 0;
    long long r = rng.Int(sum);
    size_t k = 0;
    while (r >= weight[k]) r -= weight[k++];
    const ItemModel& it = items_[cand[k]];
    const int delta = it.points[next[k]] - it.points[(*answers)[cand[k]]];
    (*answers)[cand[k]] = next[k];
    return delta;
  }

  std::vector<ItemModel> items_;
  // Per target total 0…100, per item: the probabilities at the m whose expected total reaches it.
  std::array<std::vector<Probabilities>, 101> table_;
  bool has_sc25_ = false;
};

// ---------------------------------------------------------------------------------------------
// Rows.

struct OrgItem {
  size_t column;
  int forced;  // 0 free, 1 oc3_5, 2 oc4_4
};

// CsvLine(fields, false) appended to `out`, without its per-field copies when no field needs
// quoting (the demo's values never do): the fields are joined, then the line is checked.
void AppendCsvLine(const std::vector<std::string_view>& fields, std::string* out) {
  const size_t start = out->size();
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out->push_back(',');
    out->append(fields[i]);
  }
  size_t commas = 0, specials = 0;
  for (size_t k = start; k < out->size(); ++k) {
    const char ch = (*out)[k];
    commas += ch == ',';
    specials += ch == '"' || ch == '\r' || ch == '\n';
  }
  if (specials != 0 || commas + 1 != fields.size()) {
    out->resize(start);
    *out += CsvLine(std::vector<std::string>(fields.begin(), fields.end()), false);
    return;
  }
  out->append("\r\n");
}

long long Digits(long long n) {
  long long d = 1;
  while (n >= 10) n /= 10, ++d;
  return d;
}

}  // namespace

std::vector<long long> ScaleCounts(const std::vector<long long>& counts, long long n) {
  const long long sum = std::accumulate(counts.begin(), counts.end(), 0LL);
  std::vector<long long> out(counts.size(), 0);
  if (sum <= 0) return out;
  std::vector<size_t> order(counts.size());
  long long given = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    out[i] = counts[i] * n / sum;
    given += out[i];
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return counts[a] * n % sum > counts[b] * n % sum; });
  for (size_t k = 0; given < n && k < order.size(); ++k, ++given) ++out[order[k]];
  return out;
}

Status WriteDemoSurvey(const Catalog& catalog, const DemoOptions& options,
                       const std::function<Status(std::string_view)>& sink,
                       const std::function<void(long long done)>& progress) {
  const long long n = options.companies;
  if (n < 1 || n > kMaxDemoCompanies) {
    return Status::InvalidInput("companies: " + std::to_string(n) + " — expected a whole number from 1 to " +
                                std::to_string(kMaxDemoCompanies));
  }
  const Instrument* self_check = catalog.Find(kDemoInstrument);
  const Instrument* org_checklist = catalog.Find(instrument_id::kOrgChecklist);
  if (!self_check || !org_checklist) {
    return Status::Internal("demo: the catalog needs the instruments self-check-2009 and org-checklist-2009");
  }
  const std::vector<std::string> columns = WideColumns(catalog, kDemoInstrument);
  std::unordered_map<std::string, size_t> column;
  for (size_t i = 0; i < columns.size(); ++i) column[columns[i]] = i;
  auto col = [&](const std::string& id, size_t* out) -> bool {
    auto it = column.find(id);
    if (it == column.end()) return false;
    *out = it->second;
    return true;
  };
  enum Field {
    kId,
    kEmployees,
    kCapital,
    kIndustry,
    kPrefecture,
    kItCore,
    kSites,
    kItStaff,
    kItUses,
    kServers,
    kCerts,
    kQualified,
    kIpa,
    kBenchmark,
    kFieldCount
  };
  const char* const kFieldIds[] = {"company_id",     "employees",       "capital",   "industry",       "prefecture",
                                   "it_core",        "sites",           "it_staff",  "it_uses",        "servers",
                                   "certifications", "qualified_staff", "knows_ipa", "knows_benchmark"};
  std::array<size_t, kFieldCount> at{};
  for (int f = 0; f < kFieldCount; ++f) {
    if (!col(kFieldIds[f], &at[f])) return Status::Internal(std::string("demo: no column ") + kFieldIds[f]);
  }
  Result<AnswerModel> model = AnswerModel::Build(*self_check, column);
  if (!model.ok()) return model.status();
  std::vector<OrgItem> org_items;
  int forced_found = 0;
  for (const Item& item : org_checklist->items) {
    OrgItem o{0, item.id == "oc3_5" ? 1 : item.id == "oc4_4" ? 2 : 0};
    if (!col(item.id, &o.column)) return Status::Internal("demo: no column " + item.id);
    forced_found += o.forced;
    org_items.push_back(o);
  }
  if (forced_found != 3) return Status::Internal("demo: org-checklist-2009 needs the items oc3_5 and oc4_4");

  // Prefectures of each region, in the reference data's order.
  std::array<std::vector<std::string>, 3> prefectures;
  for (const Prefecture& p : catalog.geography().prefectures()) {
    for (int r = 0; r < 3; ++r) {
      if (p.region == kRegionCodes[r]) prefectures[r].push_back(p.name);
    }
  }
  for (const auto& list : prefectures) {
    if (list.empty()) return Status::Internal("demo: data/prefectures.json has no prefecture in a survey region");
  }

  Rng rng(options.seed);
  Population population(n);
  const size_t width = static_cast<size_t>(std::max(4LL, Digits(n)));
  std::string buffer = "\xEF\xBB\xBF" + CsvLine(columns, false);
  buffer.reserve(kChunk + 64 * 1024);
  std::vector<std::string_view> row(columns.size());
  // Texts made for the current row, which `row` points into.
  enum Number { kNumId, kNumEmployees, kNumCapital, kNumSites, kNumStaff, kNumServers, kNumCount };
  std::array<std::array<char, 32>, kNumCount> numbers{};
  auto number = [&](Number which, long long v) {
    char* begin = numbers[which].data();
    return std::string_view(begin, static_cast<size_t>(std::to_chars(begin, begin + 31, v).ptr - begin));
  };
  std::string uses;
  std::vector<int> answers;

  for (long long i = 1; i <= n; ++i) {
    const Company c = population.Next(rng);
    std::fill(row.begin(), row.end(), std::string_view());
    {
      char* id = numbers[kNumId].data();
      std::memcpy(id, "demo-", 5);
      const std::string_view digits = number(kNumEmployees, i);  // scratch, overwritten below
      const size_t pad = width > digits.size() ? width - digits.size() : 0;
      std::memset(id + 5, '0', pad);
      std::memcpy(id + 5 + pad, digits.data(), digits.size());
      row[at[kId]] = std::string_view(id, 5 + pad + digits.size());
    }

    // Employees inside the size band (§4.1.1: micro companies have 5 or fewer).
    long long employees;
    switch (c.seg) {
      case kA:
        employees = c.micro ? rng.Between(1, 5) : rng.Between(6, 19);
        break;
      case kB:
        employees = 20 + std::min(rng.Int(80), rng.Int(80));
        break;
      case kC:
        employees = 100 + std::min(rng.Int(201), rng.Int(201));
        break;
      default:
        employees = 10 + std::min(rng.Int(291), rng.Int(291));
        break;
    }
    // IT staff inside its bin, fewer than the employees where the bin allows it.
    static constexpr long long kStaffLow[] = {0, 1, 2, 4};
    employees = std::max(employees, std::min(kStaffLow[c.staff] + 1, c.micro ? 5LL : 19LL));
    long long staff = kStaffLow[c.staff];
    if (c.staff == 2) staff = std::min(2 + rng.Int(2), std::max(2LL, employees - 1));
    if (c.staff == 3) staff = 4 + rng.Int(1 + std::min(employees / 25, 12LL));
    static constexpr long long kSitesLow[] = {1, 2, 4};
    long long sites = kSitesLow[c.sites];
    if (c.sites == 1) sites += rng.Int(2);
    if (c.sites == 2) sites += rng.Int(1 + std::min(employees / 20, 20LL));
    static constexpr long long kServersLow[] = {0, 1, 2, 4};
    long long servers = kServersLow[c.servers];
    if (c.servers == 2) servers += rng.Int(2);
    if (c.servers == 3) servers += rng.Int(1 + std::min(employees / 10, 40LL));
    // Capital in millions of yen, for most companies (ours).
    static constexpr long long kCapitalMillions[4][6] = {
        {3, 5, 10, 10, 20, 30}, {10, 20, 30, 50, 80, 100}, {30, 50, 80, 100, 200, 300}, {10, 20, 30, 50, 80, 100}};
    const bool has_capital = rng.Int(10) != 0;
    const long long capital = c.micro ? (rng.Int(2) ? 3 : 10) : kCapitalMillions[c.seg][rng.Int(6)];

    row[at[kEmployees]] = number(kNumEmployees, employees);
    if (has_capital) row[at[kCapital]] = number(kNumCapital, capital * 1'000'000);
    row[at[kIndustry]] = c.seg == kS ? "net" : kIndustryCodes[c.industry];
    const int region = c.seg == kS ? 0 : c.region;
    row[at[kPrefecture]] = prefectures[region][rng.Int(static_cast<long long>(prefectures[region].size()))];
    row[at[kItCore]] = c.seg == kS ? "yes" : "no";
    row[at[kSites]] = number(kNumSites, sites);
    row[at[kItStaff]] = number(kNumStaff, staff);
    uses.clear();
    if (c.core) uses = "core";
    if (c.info) uses += uses.empty() ? "info" : ";info";
    if (c.front) uses += ";front";
    if (c.other) uses += ";other";
    row[at[kItUses]] = uses;
    row[at[kServers]] = number(kNumServers, servers);
    static const char* const kCertText[] = {"Pマーク", "ISMS", "Pマーク;ISMS"};
    if (c.cert >= 0) row[at[kCerts]] = kCertText[c.cert];
    row[at[kQualified]] = c.qualified ? "yes" : "no";
    row[at[kIpa]] = c.ipa ? "yes" : "no";
    row[at[kBenchmark]] = c.benchmark ? "yes" : "no";

    // Self-check: a target total in the company's band (pass 70-100, most just above the mark, the
    // IT-core companies well ahead per §4.2.1; fail 20-69, one in three anywhere in the band, the
    // others nearer the pass mark), then answers.
    int target, lo, hi;
    if (c.pass) {
      target = c.seg == kS ? static_cast<int>(rng.Between(80, 100))
                           : 70 + static_cast<int>(std::min(rng.Int(31), rng.Int(31)));
      lo = 70, hi = 100;
    } else {
      const long long a = rng.Int(50), b = rng.Int(50);
      target = 20 + static_cast<int>(rng.Int(3) == 0 ? a : std::max(a, b));
      lo = 20, hi = 69;
    }
    model->Answer(rng, c, target, lo, hi, &answers);
    for (size_t k = 0; k < answers.size(); ++k) row[model->items()[k].column] = kAnsCodes[answers[k]];

    // Org checklist (§4.2.2): only its respondents, mostly 実施している.
    if (c.org) {
      const int no_permille = std::max(20, 140 - 4 * (target - 70));
      for (const OrgItem& o : org_items) {
        bool yes = o.forced == 1 ? !c.oc35_no : o.forced == 2 ? !c.oc44_no : rng.Int(1000) >= no_permille;
        row[o.column] = yes ? "yes" : "no";
      }
    }

    AppendCsvLine(row, &buffer);
    if (buffer.size() >= kChunk) {
      if (Status s = sink(buffer); !s.ok()) return s;
      buffer.clear();
    }
    if (progress && (i % kProgressEvery == 0 || i == n)) progress(i);
  }
  if (!buffer.empty()) {
    if (Status s = sink(buffer); !s.ok()) return s;
  }
  return Status::Ok();
}

Result<std::string> DemoSurveyText(const Catalog& catalog, const DemoOptions& options) {
  std::string out;
  Status s = WriteDemoSurvey(
      catalog, options,
      [&](std::string_view chunk) {
        out.append(chunk);
        return Status::Ok();
      },
      nullptr);
  if (!s.ok()) return s;
  return out;
}

}  // namespace shindan
