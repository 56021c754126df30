#include "analytics/survey_source.h"

#include <algorithm>
#include <array>
#include <optional>
#include <thread>
#include <vector>

#include "catalog/catalog.h"
#include "instrument/codec.h"
#include "profile/company.h"
#include "store/store.h"

namespace shindan {

Result<RecordDecoder> RecordDecoder::New(const Catalog& catalog) {
  const Instrument* primary = catalog.Find(kReportPrimaryInstrument);
  if (!primary) return Status::NotFound(std::string("the catalog has no instrument ") + kReportPrimaryInstrument);
  return RecordDecoder(catalog, *primary, catalog.Find(kReportSecondaryInstrument));
}

std::unique_ptr<Snapshot> RecordDecoder::NewSnapshot() const { return std::make_unique<Snapshot>(primary_, secondary_); }

Status RecordDecoder::Decode(const CompanyRecord& record, DecodedRecord* out) const {
  out->row = SnapshotRow();
  Classification c;
  c.size_type = record.size_type;
  c.industry = record.industry;
  c.region = record.region;
  out->has_profile = !record.profile_version.empty();
  if (out->has_profile) {
    if (record.profile_version != profile_->version) return VersionError(record, *profile_, record.profile_version);
    std::optional<long long> employees;
    DecodeProfile(record.profile, &out->row, &employees);
    c.employee_size = rules_->SizeByEmployees(employees);
  }
  SetDimensions(c, &out->row);
  out->has_primary = out->has_secondary = false;
  out->primary.assign(primary_.items.size(), 0);
  out->secondary.assign(secondary_ ? secondary_->items.size() : 0, 0);
  for (const CompanyRecord::InstrumentAnswers& r : record.responses) {
    if (r.instrument_id == primary_.id) {
      if (r.instrument_version != primary_.version) return VersionError(record, primary_, r.instrument_version);
      if (Status s = DecodeAnswers(record, primary_, primary_table_, r.answers, &out->primary); !s.ok()) return s;
      out->has_primary = true;
    } else if (secondary_ && r.instrument_id == secondary_->id) {
      if (r.instrument_version != secondary_->version) return VersionError(record, *secondary_, r.instrument_version);
      if (Status s = DecodeAnswers(record, *secondary_, secondary_table_, r.answers, &out->secondary); !s.ok()) return s;
      out->has_secondary = true;
    }
  }
  return Status::Ok();
}

Status RecordDecoder::Add(const CompanyRecord& record, Snapshot* snapshot) {
  if (Status s = Decode(record, &scratch_); !s.ok()) return s;
  snapshot->AddCoded(scratch_.row, scratch_.primary.data(), scratch_.has_secondary ? scratch_.secondary.data() : nullptr);
  return Status::Ok();
}

RecordDecoder::RecordDecoder(const Catalog& catalog, const Instrument& primary, const Instrument* secondary)
    : profile_(&catalog.profile()), rules_(&catalog.classification()), primary_(primary), secondary_(secondary) {
  primary_table_ = TableFor(catalog.CodecFor(primary), AnswerAlphabet::For(primary));
  if (secondary) secondary_table_ = TableFor(catalog.CodecFor(*secondary), AnswerAlphabet::For(*secondary));
  for (const Item& item : profile_->items) fields_.push_back(ProfileFieldOf(item.id));
}

RecordDecoder::Table RecordDecoder::TableFor(const AnswerCodec& codec, const AnswerAlphabet& alphabet) {
  const Instrument& ins = codec.instrument();
  Table table(ins.items.size());
  for (size_t k = 0; k < ins.items.size(); ++k) {
    for (int c = 0; c < 256; ++c) {
      const int option = codec.OptionOf(k, static_cast<char>(c));
      table[k][static_cast<size_t>(c)] = option == AnswerCodec::kUnanswered ? 0
                                         : option == AnswerCodec::kInvalid
                                             ? kInvalid
                                             : static_cast<uint8_t>(alphabet.Index(codec.options(k)[static_cast<size_t>(option)]->code));
    }
  }
  return table;
}

Status RecordDecoder::DecodeAnswers(const CompanyRecord& record, const Instrument& ins, const Table& table, const std::string& stored,
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

Status RecordDecoder::VersionError(const CompanyRecord& record, const Instrument& ins, const std::string& version) {
  return Status::InvalidInput("company " + record.company_key + ": " + ins.id + " version " + version +
                              " is not in the catalog (it has " + ins.version +
                              ") — expected answers stored with a version the loaded instruments have");
}

void RecordDecoder::DecodeProfile(std::string_view stored, SnapshotRow* row, std::optional<long long>* employees) const {
  size_t k = 0;
  size_t start = 0;
  for (size_t i = 0; i <= stored.size(); ++i) {
    if (i < stored.size() && stored[i] != kValueSeparator) continue;
    const std::string_view v = stored.substr(start, i - start);
    switch (k < fields_.size() ? fields_[k] : ProfileField::kNone) {
      case ProfileField::kEmployees: *employees = StoredWhole(v); break;
      case ProfileField::kSites: row->sites = SitesBand(v); break;
      case ProfileField::kItStaff: row->it_staff = CountBand(v); break;
      case ProfileField::kServers: row->servers = CountBand(v); break;
      case ProfileField::kItUses: row->it_uses = UsesOf(v); break;
      case ProfileField::kCertifications: if (!v.empty()) row->flags |= dim::kCertified; break;
      case ProfileField::kQualifiedStaff: if (v == "yes") row->flags |= dim::kQualified; break;
      case ProfileField::kKnowsIpa: if (v == "yes") row->flags |= dim::kKnowsIpa; break;
      case ProfileField::kKnowsBenchmark: if (v == "yes") row->flags |= dim::kKnowsBenchmark; break;
      default: break;
    }
    ++k;
    start = i + 1;
  }
}

uint8_t RecordDecoder::UsesOf(std::string_view list) {
  uint8_t bits = 0;
  while (!list.empty()) {
    const size_t end = std::min(list.find(';'), list.size());
    bits |= UseBit(list.substr(0, end));
    list.remove_prefix(std::min(end + 1, list.size()));
  }
  return bits;
}

namespace {

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
