#include "report/survey_source.h"

#include <algorithm>
#include <array>
#include <optional>
#include <thread>
#include <vector>

#include "catalog/catalog.h"
#include "instrument/codec.h"
#include "store/store.h"

namespace shindan {

namespace {

// Profile values are stored joined by U+001F (instrument/codec.h), which is this one byte in UTF-8.
constexpr char kValueSeparator = '\x1f';

// Decodes stored records into snapshot rows. Built once per report: for each item a table from
// the stored answer character to the snapshot alphabet's index, and the positions of the profile
// fields the report reads.
class RecordDecoder {
 public:
  static Result<RecordDecoder> New(const Catalog& catalog) {
    const Instrument* primary = catalog.Find(kReportPrimaryInstrument);
    if (!primary) return Status::NotFound(std::string("the catalog has no instrument ") + kReportPrimaryInstrument);
    RecordDecoder d(catalog, *primary, catalog.Find(kReportSecondaryInstrument));
    return d;
  }

  std::unique_ptr<Snapshot> NewSnapshot() const { return std::make_unique<Snapshot>(primary_, secondary_); }

  Status Add(const CompanyRecord& record, Snapshot* snapshot) {
    SnapshotRow row;
    Classification c;
    c.size_type = record.size_type;
    c.industry = record.industry;
    c.region = record.region;
    if (!record.profile_version.empty()) {
      if (record.profile_version != profile_.version) return VersionError(record, profile_, record.profile_version);
      std::optional<long long> employees;
      DecodeProfile(record.profile, &row, &employees);
      c.employee_size = rules_.SizeByEmployees(employees);
    }
    SetDimensions(c, &row);
    bool has_secondary = false;
    primary_codes_.assign(primary_.items.size(), 0);
    secondary_codes_.assign(secondary_ ? secondary_->items.size() : 0, 0);
    for (const CompanyRecord::InstrumentAnswers& r : record.responses) {
      if (r.instrument_id == primary_.id) {
        if (r.instrument_version != primary_.version) return VersionError(record, primary_, r.instrument_version);
        if (Status s = Decode(record, primary_, primary_table_, r.answers, &primary_codes_); !s.ok()) return s;
      } else if (secondary_ && r.instrument_id == secondary_->id) {
        if (r.instrument_version != secondary_->version) return VersionError(record, *secondary_, r.instrument_version);
        if (Status s = Decode(record, *secondary_, secondary_table_, r.answers, &secondary_codes_); !s.ok()) return s;
        has_secondary = true;
      }
    }
    snapshot->AddCoded(row, primary_codes_.data(), has_secondary ? secondary_codes_.data() : nullptr);
    return Status::Ok();
  }

 private:
  using Table = std::vector<std::array<uint8_t, 256>>;  // [item][stored char] → alphabet index
  static constexpr uint8_t kInvalid = 0xff;

  RecordDecoder(const Catalog& catalog, const Instrument& primary, const Instrument* secondary)
      : profile_(catalog.profile()), rules_(catalog.classification()), primary_(primary), secondary_(secondary) {
    primary_table_ = TableFor(primary, AnswerAlphabet::For(primary));
    if (secondary) secondary_table_ = TableFor(*secondary, AnswerAlphabet::For(*secondary));
    for (size_t k = 0; k < profile_.items.size(); ++k) {
      const std::string& id = profile_.items[k].id;
      if (id == "employees") employees_ = static_cast<int>(k);
      else if (id == "sites") sites_ = static_cast<int>(k);
      else if (id == "it_staff") it_staff_ = static_cast<int>(k);
      else if (id == "servers") servers_ = static_cast<int>(k);
      else if (id == "it_uses") it_uses_ = static_cast<int>(k);
      else if (id == "certifications") certifications_ = static_cast<int>(k);
      else if (id == "qualified_staff") qualified_ = static_cast<int>(k);
      else if (id == "knows_ipa") knows_ipa_ = static_cast<int>(k);
      else if (id == "knows_benchmark") knows_benchmark_ = static_cast<int>(k);
    }
  }

  // The stored character of the n-th option (codec.h: '1'…'9', then 'a'…'z'; '0' no answer).
  static Table TableFor(const Instrument& ins, const AnswerAlphabet& alphabet) {
    Table table(ins.items.size());
    for (size_t k = 0; k < ins.items.size(); ++k) {
      table[k].fill(kInvalid);
      table[k]['0'] = 0;
      std::vector<const AnswerOption*> options = ins.OptionsFor(ins.items[k]);
      for (size_t n = 0; n < options.size() && n < 35; ++n) {
        const char c = n < 9 ? static_cast<char>('1' + n) : static_cast<char>('a' + (n - 9));
        table[k][static_cast<uint8_t>(c)] = static_cast<uint8_t>(alphabet.Index(options[n]->code));
      }
    }
    return table;
  }

  static Status Decode(const CompanyRecord& record, const Instrument& ins, const Table& table, const std::string& stored,
                       std::vector<uint8_t>* codes) {
    if (stored.size() != ins.items.size()) {
      return Status::InvalidInput("company " + record.company_key + ": stored answers to " + ins.id + " have " +
                                  std::to_string(stored.size()) + " items — expected " + std::to_string(ins.items.size()));
    }
    for (size_t k = 0; k < stored.size(); ++k) {
      uint8_t v = table[k][static_cast<uint8_t>(stored[k])];
      if (v == kInvalid) {
        return Status::InvalidInput("company " + record.company_key + ": stored answer '" + std::string(1, stored[k]) +
                                    "' to " + ins.id + " item " + ins.items[k].id + " is not one of its options");
      }
      (*codes)[k] = v;
    }
    return Status::Ok();
  }

  static Status VersionError(const CompanyRecord& record, const Instrument& ins, const std::string& version) {
    return Status::InvalidInput("company " + record.company_key + ": " + ins.id + " version " + version +
                                " is not in the catalog (it has " + ins.version +
                                ") — expected answers stored with a version the loaded instruments have");
  }

  // Reads the few profile fields the report needs straight from the stored form (the same
  // meaning as SetProfileBands gives a CompanyProfile's fields).
  void DecodeProfile(std::string_view stored, SnapshotRow* row, std::optional<long long>* employees) const {
    int k = 0;
    size_t start = 0;
    for (size_t i = 0; i <= stored.size(); ++i) {
      if (i < stored.size() && stored[i] != kValueSeparator) continue;
      const std::string_view v = stored.substr(start, i - start);
      if (k == employees_) *employees = StoredWhole(v);
      else if (k == sites_) row->sites = SitesBand(v);
      else if (k == it_staff_) row->it_staff = CountBand(v);
      else if (k == servers_) row->servers = CountBand(v);
      else if (k == it_uses_) row->it_uses = UsesOf(v);
      else if (k == certifications_ && !v.empty()) row->flags |= dim::kCertified;
      else if (k == qualified_ && v == "yes") row->flags |= dim::kQualified;
      else if (k == knows_ipa_ && v == "yes") row->flags |= dim::kKnowsIpa;
      else if (k == knows_benchmark_ && v == "yes") row->flags |= dim::kKnowsBenchmark;
      ++k;
      start = i + 1;
    }
  }

  // The it_uses bits of a stored list ("core;info").
  static uint8_t UsesOf(std::string_view list) {
    uint8_t bits = 0;
    while (!list.empty()) {
      const size_t end = std::min(list.find(';'), list.size());
      bits |= UseBit(list.substr(0, end));
      list.remove_prefix(std::min(end + 1, list.size()));
    }
    return bits;
  }

  const Instrument& profile_;
  const ClassificationRules& rules_;
  const Instrument& primary_;
  const Instrument* secondary_;
  Table primary_table_, secondary_table_;
  int employees_ = -1, sites_ = -1, it_staff_ = -1, servers_ = -1, it_uses_ = -1, certifications_ = -1, qualified_ = -1, knows_ipa_ = -1,
      knows_benchmark_ = -1;
  std::vector<uint8_t> primary_codes_, secondary_codes_;  // reused per record
};

Result<std::unique_ptr<Snapshot>> FromImport(const Catalog& catalog,
                                             const std::function<Result<ImportReport>(const RecordSink&)>& import) {
  Result<RecordDecoder> decoder = RecordDecoder::New(catalog);
  if (!decoder.ok()) return decoder.status();
  std::unique_ptr<Snapshot> snapshot = decoder->NewSnapshot();
  Result<ImportReport> report = import([&](const CompanyRecord& r) { return decoder->Add(r, snapshot.get()); });
  if (!report.ok()) return report.status();
  if (!report->ok()) return report->problems.ToStatus();
  snapshot->Cluster();
  return snapshot;
}

}  // namespace

Result<std::unique_ptr<Snapshot>> SnapshotFromFile(const Catalog& catalog, const std::string& path,
                                                   const ImportOptions& options) {
  return FromImport(catalog, [&](const RecordSink& sink) { return ImportFile(catalog, path, options, sink); });
}

Result<std::unique_ptr<Snapshot>> SnapshotFromText(const Catalog& catalog, std::string_view bytes, const std::string& file) {
  ImportOptions options;
  options.file = file;
  return FromImport(catalog, [&](const RecordSink& sink) { return ImportText(catalog, bytes, options, sink); });
}

Result<std::unique_ptr<Snapshot>> SnapshotFromStore(const Catalog& catalog, const StoreOpener& open, int64_t survey_id,
                                                    int threads) {
  Result<RecordDecoder> decoder = RecordDecoder::New(catalog);
  if (!decoder.ok()) return decoder.status();
  threads = std::max(threads, 1);
  // Each part: its own connection, decoder and snapshot; the parts are appended in order.
  std::vector<std::unique_ptr<Snapshot>> parts(static_cast<size_t>(threads));
  std::vector<Status> results(static_cast<size_t>(threads), Status::Ok());
  auto scan = [&](int part) {
    RecordDecoder local = *decoder;
    Result<std::unique_ptr<Store>> store = open();
    if (!store.ok()) {
      results[static_cast<size_t>(part)] = store.status();
      return;
    }
    parts[static_cast<size_t>(part)] = local.NewSnapshot();
    Snapshot* snapshot = parts[static_cast<size_t>(part)].get();
    results[static_cast<size_t>(part)] =
        (*store)->ScanCurrent(survey_id, {part, threads}, [&](const CompanyRecord& r) { return local.Add(r, snapshot); });
  };
  std::vector<std::thread> workers;
  for (int part = 1; part < threads; ++part) workers.emplace_back(scan, part);
  scan(0);
  for (std::thread& w : workers) w.join();
  for (const Status& s : results) {
    if (!s.ok()) return s;
  }
  for (size_t i = 1; i < parts.size(); ++i) parts[0]->Append(*parts[i]);
  parts[0]->Cluster();
  return std::move(parts[0]);
}

}  // namespace shindan
