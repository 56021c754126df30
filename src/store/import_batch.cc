#include "store/import_batch.h"

#include <algorithm>
#include <cstring>

namespace shindan {

namespace {
constexpr size_t kBlockSize = 256 * 1024;
}  // namespace

ImportBatch::ImportBatch() = default;

void ImportBatch::AddExisting(std::string_view company_key, int64_t id) {
  bool added = false;
  CompanyIndex::Entry& c = index_[index_.FindOrAdd(company_key, &added)];
  c.id = id;
  c.in_db = true;
}

std::string_view ImportBatch::Keep(std::string_view s) {
  if (s.empty()) return std::string_view("", 0);  // empty text, not NULL, when bound to SQL
  if (blocks_.empty() || block_used_ + s.size() > block_size_) {
    // A new block; one larger than usual for a value that would not fit in one.
    block_size_ = std::max(kBlockSize, s.size());
    blocks_.push_back(std::make_unique<char[]>(block_size_));
    block_used_ = 0;
  }
  char* at = blocks_.back().get() + block_used_;
  std::memcpy(at, s.data(), s.size());
  block_used_ += s.size();
  return std::string_view(at, s.size());
}

Status ImportBatch::Add(const CompanyRecord& record) {
  if (record.company_key.empty()) {
    return Status::InvalidInput("import: a record without company_key — expected the company's id in the survey");
  }
  for (size_t i = 0; i < record.responses.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (record.responses[i].instrument_id == record.responses[j].instrument_id) {
        return Status::InvalidInput("import: company '" + record.company_key + "': instrument '" +
                                    record.responses[i].instrument_id + "' given twice in one record");
      }
    }
  }
  bool is_new = false;
  const uint32_t entry = index_.FindOrAdd(record.company_key, &is_new);
  CompanyIndex::Entry& company = index_[entry];
  const bool again_in_buffer = !is_new && company.buffer == buffer_;
  if (is_new) {
    company.pending = static_cast<uint32_t>(companies_.size());
    companies_.emplace_back().entry = entry;
  } else if (company.in_db && !again_in_buffer) {
    company.pending = kNone;  // for a known company: its profile move in this buffer, none yet
  }
  company.buffer = buffer_;

  const uint32_t submission = static_cast<uint32_t>(submissions_.size());
  Submission& s = submissions_.emplace_back();
  s.entry = entry;
  s.profile_version = Keep(record.profile_version);
  s.profile = Keep(record.profile);
  s.size_type = Keep(record.size_type);
  s.industry = Keep(record.industry);
  s.region = Keep(record.region);
  if (!record.profile_version.empty()) {
    // The last submission with a profile becomes the company's current profile.
    if (!company.in_db) {
      companies_[company.pending].profile_index = submission;
    } else if (company.pending == kNone) {
      company.pending = static_cast<uint32_t>(moves_.size());
      moves_.push_back({company.id, 0, submission});
    } else {
      moves_[company.pending].submission_index = submission;
    }
  }
  for (const CompanyRecord::InstrumentAnswers& a : record.responses) {
    const std::string_view instrument = Keep(a.instrument_id);
    if (company.in_db) retire_.push_back({company.id, instrument});
    if (again_in_buffer) {
      for (Response& p : responses_) {
        if (p.entry == entry && p.instrument_id == a.instrument_id) p.current = false;
      }
    }
    Response& r = responses_.emplace_back();
    r.instrument_id = instrument;
    r.instrument_version = Keep(a.instrument_version);
    r.answers = Keep(a.answers);
    r.entry = entry;
    r.submission_index = submission;
  }
  return Status::Ok();
}

void ImportBatch::AssignIds(std::span<const int64_t> company_ids, std::span<const int64_t> submission_ids) {
  for (size_t i = 0; i < companies_.size(); ++i) index_[companies_[i].entry].id = company_ids[i];
  for (NewCompany& c : companies_) {
    c.id = index_[c.entry].id;
    c.key = index_.Key(c.entry);  // now: the index's key text moves while keys are added
    c.profile_submission = c.profile_index == kNone ? 0 : submission_ids[c.profile_index];
  }
  for (size_t i = 0; i < submissions_.size(); ++i) {
    submissions_[i].id = submission_ids[i];
    submissions_[i].company = index_[submissions_[i].entry].id;
  }
  for (Response& r : responses_) {
    r.submission = submission_ids[r.submission_index];
    r.company = index_[r.entry].id;
  }
  for (ProfileMove& m : moves_) m.submission = submission_ids[m.submission_index];
}

void ImportBatch::Written() {
  for (const NewCompany& c : companies_) index_[c.entry].in_db = true;
  companies_.clear();
  submissions_.clear();
  responses_.clear();
  retire_.clear();
  moves_.clear();
  // Keep one block for the next buffer.
  if (blocks_.size() > 1 || (!blocks_.empty() && block_size_ != kBlockSize)) {
    blocks_.clear();
    block_size_ = 0;
  }
  block_used_ = 0;
  ++buffer_;
}

}  // namespace shindan
