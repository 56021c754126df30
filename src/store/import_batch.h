// ImportBatch: what an import session knows, whatever the database (internal to store/).
//
// Both stores import the same way: the survey's companies are read once into memory
// (company_key → id), each record is checked and buffered, and a buffer is written at once —
// new companies, their submissions and responses, with every id known before anything is sent.
// This class owns that bookkeeping: the record checks, which companies are new, which earlier
// responses a record makes no longer current, which company's current profile moves. A store keeps
// only how it numbers ids (SQLite: max(id) + 1 under its write lock; PostgreSQL: its sequences) and
// how it writes the rows (multi-row INSERTs; COPY).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/company_index.h"
#include "store/store.h"

namespace shindan {

class ImportBatch {
 public:
  // The rows of one buffer, ready to write once AssignIds has run. The text views point into the
  // batch and stay valid until Written().
  struct NewCompany {
    int64_t id = 0;
    std::string_view key;
    int64_t profile_submission = 0;  // the submission of its current profile; 0: none (NULL)
    uint32_t entry = 0;              // in the company index
    uint32_t profile_index = kNone;  // that submission, as an index into submissions()
  };
  struct Submission {
    int64_t id = 0, company = 0;
    std::string_view profile_version, profile, size_type, industry, region;
    uint32_t entry = 0;
  };
  struct Response {
    int64_t submission = 0, company = 0;
    std::string_view instrument_id, instrument_version, answers;
    bool current = true;  // false when a later record of the same buffer answered the instrument again
    uint32_t entry = 0, submission_index = 0;
  };
  // A company already in the database whose current response to the instrument is replaced:
  // written before the new responses (at most one current response per company and instrument).
  struct Retire {
    int64_t company = 0;
    std::string_view instrument_id;
  };
  // A company already in the database whose current profile is now this buffer's submission (the
  // last one with a profile, one per company).
  struct ProfileMove {
    int64_t company = 0, submission = 0;
    uint32_t submission_index = 0;
  };
  static constexpr uint32_t kNone = UINT32_MAX;

  ImportBatch();
  ImportBatch(const ImportBatch&) = delete;
  ImportBatch& operator=(const ImportBatch&) = delete;

  // A company of the survey already in the database. REQUIRES: before the first Add.
  void AddExisting(std::string_view company_key, int64_t id);

  // Checks `record` and buffers it: InvalidInput for an empty company_key or an instrument named
  // twice in one record (nothing is buffered then). A company_key seen before — in the database or
  // earlier in the session — gets a new submission in its history, not a second company.
  Status Add(const CompanyRecord& record);

  // Records buffered since the last Written().
  size_t size() const { return submissions_.size(); }
  bool empty() const { return submissions_.empty(); }
  // The first new company of the buffer, for messages; empty when there is none.
  std::string_view FirstNewCompany() const {
    return companies_.empty() ? std::string_view() : index_.Key(companies_[0].entry);
  }

  // Gives the buffer's new companies and submissions their ids, in buffer order, and fills every
  // id of the rows below. REQUIRES: company_ids.size() == new_companies().size(),
  // submission_ids.size() == submissions().size(), ids of a company's submissions increasing.
  void AssignIds(std::span<const int64_t> company_ids, std::span<const int64_t> submission_ids);

  std::span<const NewCompany> new_companies() const { return companies_; }
  std::span<const Submission> submissions() const { return submissions_; }
  std::span<const Response> responses() const { return responses_; }
  std::span<const Retire> retired() const { return retire_; }
  std::span<const ProfileMove> profile_moves() const { return moves_; }

  // The buffer is in the database now: its companies become known ones, and the next buffer starts.
  void Written();

 private:
  std::string_view Keep(std::string_view s);

  CompanyIndex index_;
  uint64_t buffer_ = 1;
  std::vector<NewCompany> companies_;
  std::vector<Submission> submissions_;
  std::vector<Response> responses_;
  std::vector<Retire> retire_;
  std::vector<ProfileMove> moves_;
  // The buffer's text, in blocks that never move (so the views stay valid while it grows).
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_used_ = 0, block_size_ = 0;
};

}  // namespace shindan
