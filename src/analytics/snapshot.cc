#include "analytics/snapshot.h"

#include <algorithm>

namespace shindan {

int AnswerAlphabet::Index(const std::string& code) const {
  for (size_t i = 1; i < codes.size(); ++i) {
    if (codes[i] == code) return static_cast<int>(i);
  }
  return 0;
}

AnswerAlphabet AnswerAlphabet::For(const Instrument& ins) {
  AnswerAlphabet a;
  a.codes.push_back("");
  for (const Item& item : ins.items) {
    for (const AnswerOption* o : ins.OptionsFor(item)) {
      if (a.Index(o->code) == 0) a.codes.push_back(o->code);
    }
  }
  for (const Item& item : ins.items) {
    std::vector<int> pts(a.codes.size(), 0);
    std::vector<bool> ok(a.codes.size(), false);
    for (const AnswerOption* o : ins.OptionsFor(item)) {
      int i = a.Index(o->code);
      pts[static_cast<size_t>(i)] = o->points.value_or(0);
      ok[static_cast<size_t>(i)] = true;
    }
    a.points.push_back(std::move(pts));
    a.allowed.push_back(std::move(ok));
  }
  return a;
}

Snapshot::Snapshot(const Instrument& primary, const Instrument* secondary)
    : items_(primary.items.size()),
      secondary_items_(secondary ? secondary->items.size() : 0),
      primary_(&primary),
      secondary_(secondary),
      alphabet_(AnswerAlphabet::For(primary)),
      secondary_alphabet_(secondary ? AnswerAlphabet::For(*secondary) : AnswerAlphabet{}) {
  int lo = 0, hi = 0;
  for (const auto& pts : alphabet_.points) {
    lo += *std::min_element(pts.begin(), pts.end());
    hi += *std::max_element(pts.begin(), pts.end());
  }
  min_total_ = lo;
  bins_ = hi - lo + 1;
}

namespace {

uint8_t SizeOf(const Classification& c) {
  if (c.size_type == "A") return dim::kA;
  if (c.size_type == "B") return dim::kB;
  if (c.size_type == "C") return dim::kC;
  if (c.size_type == "S") return dim::kS;
  return dim::kSizeUnknown;
}

uint8_t IndustryOf(const Classification& c) {
  if (c.size_type == "S" || c.industry == "net") return dim::kNet;
  if (c.industry == "mfg") return dim::kMfg;
  if (c.industry == "dist") return dim::kDist;
  if (c.industry == "svc") return dim::kSvc;
  return dim::kIndustryUnknown;
}

uint8_t RegionOf(const Classification& c) {
  if (c.size_type == "S") return dim::kRegionNet;
  if (c.region == "capital") return dim::kCapital;
  if (c.region == "regional1") return dim::kRegional1;
  if (c.region == "regional2") return dim::kRegional2;
  if (c.region == "other") return dim::kOther;
  return dim::kRegionUnknown;
}

uint8_t CountBandOf(const std::optional<long long>& v) {
  if (!v) return dim::kCountUnknown;
  if (*v <= 0) return dim::kCount0;
  if (*v == 1) return dim::kCount1;
  if (*v <= 3) return dim::kCount2to3;
  return dim::kCount4plus;
}

uint8_t SitesBandOf(const std::optional<long long>& v) {
  if (!v || *v < 1) return dim::kSitesUnknown;
  if (*v == 1) return dim::kSites1;
  if (*v <= 3) return dim::kSites2to3;
  return dim::kSites4plus;
}

// A stored whole number ("12", "-1"); nullopt for "" or anything else.
std::optional<long long> Whole(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool negative = s.front() == '-';
  if (negative) s.remove_prefix(1);
  if (s.empty() || s.size() > 18) return std::nullopt;
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return negative ? -v : v;
}

}  // namespace

void SetDimensions(const Classification& c, SnapshotRow* row) {
  row->size = SizeOf(c);
  row->industry = IndustryOf(c);
  row->region = RegionOf(c);
  Classification by_employees = c;
  by_employees.size_type = c.employee_size;
  const int size = SizeOf(by_employees);
  by_employees.size_type.clear();  // the real region, also for a type-S company
  const int region = RegionOf(by_employees);
  row->quota = static_cast<uint8_t>(dim::QuotaKey(size <= dim::kC ? size : dim::kQuotaSizes - 1, row->industry,
                                                  region <= dim::kOther ? region : dim::kQuotaRegions - 1));
}

void SetProfileBands(const CompanyProfile& p, SnapshotRow* row) {
  row->sites = SitesBandOf(p.sites);
  row->it_staff = CountBandOf(p.it_staff);
  row->servers = CountBandOf(p.servers);
  uint8_t uses = 0;
  for (const std::string& u : p.it_uses) uses |= UseBit(u);
  row->it_uses = uses;
  uint8_t flags = 0;
  if (!p.certifications.empty()) flags |= dim::kCertified;
  if (p.qualified_staff.value_or(false)) flags |= dim::kQualified;
  if (p.knows_ipa.value_or(false)) flags |= dim::kKnowsIpa;
  if (p.knows_benchmark.value_or(false)) flags |= dim::kKnowsBenchmark;
  row->flags = flags;
}

uint8_t UseBit(std::string_view use) {
  if (use == "core") return dim::kUseCore;
  if (use == "info") return dim::kUseInfo;
  if (use == "front") return dim::kUseFront;
  if (use == "other") return dim::kUseOther;
  return 0;
}

std::optional<long long> StoredWhole(std::string_view value) { return Whole(value); }

uint8_t SitesBand(std::string_view value) { return SitesBandOf(Whole(value)); }
uint8_t CountBand(std::string_view value) { return CountBandOf(Whole(value)); }

void Snapshot::Reserve(size_t rows) {
  for (auto* column : {&size_, &industry_, &region_, &sites_, &it_staff_, &servers_, &it_uses_, &flags_, &cell_, &quota_}) {
    column->reserve(rows);
  }
  bin_.reserve(rows);
  for (auto& column : items_) column.reserve(rows);
  for (auto& column : secondary_items_) column.reserve(rows);
}

void Snapshot::AddCoded(const SnapshotRow& row, const uint8_t* items, const uint8_t* secondary) {
  const auto cell = static_cast<uint8_t>(dim::Cell(row.size, row.industry, row.region));
  const auto r = static_cast<uint32_t>(size_.size());
  if (!runs_.empty() && runs_.back().cell == cell && runs_.back().end == r) {
    ++runs_.back().end;
  } else {
    runs_.push_back({r, r + 1, cell});
  }
  cell_.push_back(cell);
  quota_.push_back(row.quota);
  int total = 0;
  for (size_t k = 0; k < items_.size(); ++k) total += alphabet_.points[k][items[k]];
  bin_.push_back(static_cast<uint16_t>(total - min_total_));
  size_.push_back(row.size);
  industry_.push_back(row.industry);
  region_.push_back(row.region);
  sites_.push_back(row.sites);
  it_staff_.push_back(row.it_staff);
  servers_.push_back(row.servers);
  it_uses_.push_back(row.it_uses);
  bool answered_secondary = false;
  for (size_t k = 0; secondary && k < secondary_items_.size(); ++k) answered_secondary = answered_secondary || secondary[k] != 0;
  flags_.push_back(static_cast<uint8_t>(row.flags | (answered_secondary ? dim::kAnsweredSecondary : 0)));
  for (size_t k = 0; k < items_.size(); ++k) items_[k].push_back(items[k]);
  for (size_t k = 0; k < secondary_items_.size(); ++k) secondary_items_[k].push_back(secondary ? secondary[k] : 0);
}

void Snapshot::Append(const Snapshot& other) {
  const auto offset = static_cast<uint32_t>(rows());
  auto append = [](auto& to, const auto& from) { to.insert(to.end(), from.begin(), from.end()); };
  append(size_, other.size_);
  append(industry_, other.industry_);
  append(region_, other.region_);
  append(sites_, other.sites_);
  append(it_staff_, other.it_staff_);
  append(servers_, other.servers_);
  append(it_uses_, other.it_uses_);
  append(flags_, other.flags_);
  append(cell_, other.cell_);
  append(quota_, other.quota_);
  append(bin_, other.bin_);
  for (size_t k = 0; k < items_.size(); ++k) append(items_[k], other.items_[k]);
  for (size_t k = 0; k < secondary_items_.size(); ++k) append(secondary_items_[k], other.secondary_items_[k]);
  for (const Run& r : other.runs_) runs_.push_back({r.begin + offset, r.end + offset, r.cell});
}

void Snapshot::Cluster() {
  const size_t n = rows();
  size_t start[dim::kCells + 1] = {};
  for (uint8_t c : cell_) ++start[c + 1];
  for (int c = 0; c < dim::kCells; ++c) start[c + 1] += start[c];
  std::vector<uint32_t> to(n);  // the new position of each row
  {
    size_t next[dim::kCells];
    std::copy(start, start + dim::kCells, next);
    for (size_t r = 0; r < n; ++r) to[r] = static_cast<uint32_t>(next[cell_[r]]++);
  }
  std::vector<uint8_t> scratch(n);
  auto permute = [&](std::vector<uint8_t>& column) {
    for (size_t r = 0; r < n; ++r) scratch[to[r]] = column[r];
    column.swap(scratch);
  };
  for (auto* column : {&size_, &industry_, &region_, &sites_, &it_staff_, &servers_, &it_uses_, &flags_, &cell_, &quota_}) {
    permute(*column);
  }
  std::vector<uint16_t> bins(n);
  for (size_t r = 0; r < n; ++r) bins[to[r]] = bin_[r];
  bin_.swap(bins);
  for (auto& column : items_) permute(column);
  for (auto& column : secondary_items_) permute(column);
  runs_.clear();
  for (int c = 0; c < dim::kCells; ++c) {
    if (start[c + 1] > start[c]) runs_.push_back({static_cast<uint32_t>(start[c]), static_cast<uint32_t>(start[c + 1]), static_cast<uint8_t>(c)});
  }
}

void Snapshot::Add(const Classification& c, const CompanyProfile& p, const Answers& answers,
                   const Answers* secondary_answers) {
  SnapshotRow row;
  SetDimensions(c, &row);
  SetProfileBands(p, &row);
  std::vector<uint8_t> coded(items_.size()), coded_secondary(secondary_items_.size());
  for (size_t k = 0; k < items_.size(); ++k) {
    auto it = answers.find(primary_->items[k].id);
    coded[k] = it == answers.end() ? 0 : static_cast<uint8_t>(alphabet_.Index(it->second));
  }
  if (secondary_answers) {
    for (size_t k = 0; k < secondary_items_.size(); ++k) {
      auto it = secondary_answers->find(secondary_->items[k].id);
      if (it != secondary_answers->end()) coded_secondary[k] = static_cast<uint8_t>(secondary_alphabet_.Index(it->second));
    }
  }
  AddCoded(row, coded.data(), secondary_answers ? coded_secondary.data() : nullptr);
}

}  // namespace shindan
