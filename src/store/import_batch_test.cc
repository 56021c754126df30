// ImportBatch without a database: what both stores' import sessions write for a buffer of records.
#include "store/import_batch.h"

#include <gtest/gtest.h>

#include <vector>

namespace shindan {
namespace {

CompanyRecord BatchRecord(const std::string& key, const std::string& answers, bool profile = true) {
  CompanyRecord r;
  r.company_key = key;
  if (profile) {
    r.profile_version = "2009.1";
    r.profile = "15\x1fmfg";
    r.size_type = "A";
  }
  if (!answers.empty()) r.responses.push_back({"self-check-2009", "2009.1", answers});
  return r;
}

TEST(ImportBatchTest, NewCompaniesAreNumberedAndARepeatedOneIsOneCompany) {
  ImportBatch batch;
  batch.AddExisting("old", 7);
  ASSERT_TRUE(batch.Add(BatchRecord("a", "111")).ok());
  ASSERT_TRUE(batch.Add(BatchRecord("old", "222")).ok());
  ASSERT_TRUE(batch.Add(BatchRecord("a", "333", /*profile=*/false)).ok());
  ASSERT_TRUE(batch.Add(BatchRecord("old", "444")).ok());
  EXPECT_EQ(batch.size(), 4u);
  ASSERT_EQ(batch.new_companies().size(), 1u) << "a is new once; old is known";
  EXPECT_EQ(batch.FirstNewCompany(), "a");
  const std::vector<int64_t> company_ids{100}, submission_ids{10, 11, 12, 13};
  batch.AssignIds(company_ids, submission_ids);

  const ImportBatch::NewCompany& a = batch.new_companies()[0];
  EXPECT_EQ(a.id, 100);
  EXPECT_EQ(a.key, "a");
  EXPECT_EQ(a.profile_submission, 10) << "its last submission with a profile";
  ASSERT_EQ(batch.submissions().size(), 4u);
  EXPECT_EQ(batch.submissions()[1].company, 7);
  EXPECT_EQ(batch.submissions()[2].company, 100);
  EXPECT_EQ(batch.submissions()[2].profile_version, "");
  EXPECT_NE(batch.submissions()[2].profile_version.data(), nullptr) << "empty text, not NULL";

  ASSERT_EQ(batch.responses().size(), 4u);
  EXPECT_FALSE(batch.responses()[0].current) << "a answered again later in the buffer";
  EXPECT_FALSE(batch.responses()[1].current);
  EXPECT_TRUE(batch.responses()[2].current);
  EXPECT_TRUE(batch.responses()[3].current);
  EXPECT_EQ(batch.responses()[3].answers, "444");
  EXPECT_EQ(batch.responses()[3].submission, 13);
  EXPECT_EQ(batch.responses()[3].company, 7);

  ASSERT_EQ(batch.retired().size(), 2u) << "old's current response in the database is retired";
  EXPECT_EQ(batch.retired()[0].company, 7);
  EXPECT_EQ(batch.retired()[0].instrument_id, "self-check-2009");
  ASSERT_EQ(batch.profile_moves().size(), 1u) << "one move per company: the last profile wins";
  EXPECT_EQ(batch.profile_moves()[0].company, 7);
  EXPECT_EQ(batch.profile_moves()[0].submission, 13);
}

TEST(ImportBatchTest, AfterWrittenTheBufferIsEmptyAndItsCompaniesAreKnown) {
  ImportBatch batch;
  ASSERT_TRUE(batch.Add(BatchRecord("a", "111")).ok());
  const std::vector<int64_t> one{1};
  batch.AssignIds(one, one);
  batch.Written();
  EXPECT_TRUE(batch.empty());
  EXPECT_TRUE(batch.new_companies().empty());
  ASSERT_TRUE(batch.Add(BatchRecord("a", "222")).ok());
  EXPECT_TRUE(batch.new_companies().empty()) << "a was written by the first buffer";
  const std::vector<int64_t> none, two{2};
  batch.AssignIds(none, two);
  ASSERT_EQ(batch.retired().size(), 1u);
  EXPECT_EQ(batch.retired()[0].company, 1);
  ASSERT_EQ(batch.profile_moves().size(), 1u);
  EXPECT_EQ(batch.profile_moves()[0].submission, 2);
  EXPECT_TRUE(batch.responses()[0].current);
}

TEST(ImportBatchTest, ABadRecordIsRefusedAndNothingIsBuffered) {
  ImportBatch batch;
  Status empty = batch.Add(BatchRecord("", "111"));
  EXPECT_EQ(empty.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(empty.message(), "import: a record without company_key — expected the company's id in the survey");
  CompanyRecord twice = BatchRecord("x", "111");
  twice.responses.push_back(twice.responses[0]);
  EXPECT_EQ(batch.Add(twice).message(), "import: company 'x': instrument 'self-check-2009' given twice in one record");
  EXPECT_TRUE(batch.empty());
  EXPECT_TRUE(batch.new_companies().empty());
}

TEST(ImportBatchTest, TextLargerThanABlockIsKept) {
  ImportBatch batch;
  const std::string big(1 << 20, '1');
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(batch.Add(BatchRecord("c" + std::to_string(i), big)).ok());
  for (const ImportBatch::Response& r : batch.responses()) EXPECT_EQ(r.answers, big);
}

}  // namespace
}  // namespace shindan
