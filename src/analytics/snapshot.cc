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
      secondary_alphabet_(secondary ? AnswerAlphabet::For(*secondary) : AnswerAlphabet{}) {}

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

uint8_t CountBand(const std::optional<long long>& v) {
  if (!v) return dim::kCountUnknown;
  if (*v <= 0) return dim::kCount0;
  if (*v == 1) return dim::kCount1;
  if (*v <= 3) return dim::kCount2to3;
  return dim::kCount4plus;
}

uint8_t SitesBand(const std::optional<long long>& v) {
  if (!v || *v < 1) return dim::kSitesUnknown;
  if (*v == 1) return dim::kSites1;
  if (*v <= 3) return dim::kSites2to3;
  return dim::kSites4plus;
}

}  // namespace

void Snapshot::Add(const Classification& c, const CompanyProfile& p, const Answers& answers,
                   const Answers* secondary_answers) {
  size_.push_back(SizeOf(c));
  industry_.push_back(IndustryOf(c));
  region_.push_back(RegionOf(c));
  sites_.push_back(SitesBand(p.sites));
  it_staff_.push_back(CountBand(p.it_staff));
  servers_.push_back(CountBand(p.servers));
  uint8_t uses = 0;
  for (const std::string& u : p.it_uses) {
    if (u == "core") uses |= dim::kUseCore;
    else if (u == "info") uses |= dim::kUseInfo;
    else if (u == "front") uses |= dim::kUseFront;
    else if (u == "other") uses |= dim::kUseOther;
  }
  it_uses_.push_back(uses);
  uint8_t flags = 0;
  if (!p.certifications.empty()) flags |= dim::kCertified;
  if (p.qualified_staff.value_or(false)) flags |= dim::kQualified;
  if (p.knows_ipa.value_or(false)) flags |= dim::kKnowsIpa;
  if (p.knows_benchmark.value_or(false)) flags |= dim::kKnowsBenchmark;
  flags_.push_back(flags);
  for (size_t k = 0; k < primary_->items.size(); ++k) {
    auto it = answers.find(primary_->items[k].id);
    items_[k].push_back(it == answers.end() ? 0 : static_cast<uint8_t>(alphabet_.Index(it->second)));
  }
  for (size_t k = 0; k < secondary_items_.size(); ++k) {
    uint8_t v = 0;
    if (secondary_answers) {
      auto it = secondary_answers->find(secondary_->items[k].id);
      if (it != secondary_answers->end()) v = static_cast<uint8_t>(secondary_alphabet_.Index(it->second));
    }
    secondary_items_[k].push_back(v);
  }
}

}  // namespace shindan
