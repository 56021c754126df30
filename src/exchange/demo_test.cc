#include "exchange/demo.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "base/csv.h"
#include "catalog/test_catalog.h"
#include "cli/command.h"
#include "diagnosis/diagnosis.h"
#include "exchange/response.h"

namespace shindan {
namespace {

std::string Survey(long long companies, uint64_t seed = 2009) {
  Result<std::string> text = DemoSurveyText(test::SourceCatalog(), {companies, seed});
  EXPECT_TRUE(text.ok()) << text.status().message();
  return text.ok() ? *text : std::string();
}

// One row as the import would see it.
struct Row {
  std::string company_id;
  CompanyProfile profile;
  Classification cls;
  int total = 0;
  bool passed = false;
  std::map<std::string, std::string> sc;  // self-check answers
  std::map<std::string, std::string> oc;  // org-checklist answers; empty when not answered
  int oc_yes = 0;
};

// Reads a survey back through the import path: ReadWideCsv, ValidateResponse, Diagnose.
std::vector<Row> ReadBack(const std::string& text) {
  const Catalog& catalog = test::SourceCatalog();
  std::vector<Row> out;
  const std::string bom = "\xEF\xBB\xBF";
  EXPECT_EQ(text.substr(0, 3), bom) << "the file starts with a UTF-8 BOM";
  Result<std::vector<RawResponse>> raws = ReadWideCsv(text.substr(3), "demo.csv", catalog, kDemoInstrument);
  EXPECT_TRUE(raws.ok()) << raws.status().message();
  if (!raws.ok()) return out;
  for (const RawResponse& raw : *raws) {
    Result<Response> response = ValidateResponse(catalog, raw, {kDemoInstrument, false});
    EXPECT_TRUE(response.ok()) << response.status().message();
    if (!response.ok()) continue;
    std::unique_ptr<Diagnosis> d = Diagnose(catalog, *response, kDemoInstrument);
    Row row;
    row.company_id = response->company_id;
    row.profile = ProfileFromAnswers(response->profile);
    row.cls = catalog.classification().Classify(row.profile, catalog.geography());
    EXPECT_EQ(row.cls.size_type, d->classification.size_type);
    row.total = d->score.total;
    row.passed = d->score.passed;
    row.sc = response->answers.at(kDemoInstrument);
    if (auto it = response->answers.find("org-checklist-2009"); it != response->answers.end()) {
      row.oc = it->second;
      EXPECT_EQ(d->others.size(), 1u);
      if (!d->others.empty()) row.oc_yes = d->others[0].counted;
    }
    out.push_back(std::move(row));
  }
  return out;
}

template <typename F>
int Count(const std::vector<Row>& rows, F f) {
  int n = 0;
  for (const Row& r : rows) n += f(r) ? 1 : 0;
  return n;
}

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::map<std::string, int> Tally(const std::vector<Row>& rows, std::string (*key)(const Row&)) {
  std::map<std::string, int> m;
  for (const Row& r : rows) ++m[key(r)];
  return m;
}

std::string SitesBin(const Row& r) {
  const long long v = *r.profile.sites;
  return v == 1 ? "1" : v <= 3 ? "2-3" : "4+";
}
std::string StaffBin(const Row& r) {
  const long long v = *r.profile.it_staff;
  return v == 0 ? "0" : v == 1 ? "1" : v <= 3 ? "2-3" : "4+";
}
std::string ServersBin(const Row& r) {
  const long long v = *r.profile.servers;
  return v == 0 ? "0" : v == 1 ? "1" : v <= 3 ? "2-3" : "4+";
}
std::string SizeType(const Row& r) { return r.cls.size_type; }
std::string Industry(const Row& r) { return r.cls.industry; }
std::string NonSRegion(const Row& r) { return r.cls.size_type == "S" ? "net" : r.cls.region; }

using Counts = std::map<std::string, int>;

// Every figure of the 2009 report that the default survey reproduces, whatever the seed.
void ExpectSeedFigures(const std::vector<Row>& rows) {
  ASSERT_EQ(rows.size(), 66u);
  // 表4, §4.1.1.
  EXPECT_EQ(Tally(rows, SizeType), (Counts{{"A", 15}, {"B", 24}, {"C", 21}, {"S", 6}}));
  EXPECT_EQ(Count(rows, [](const Row& r) { return *r.profile.employees <= 5; }), 2);
  for (const Row& r : rows) {
    const long long e = *r.profile.employees;
    if (r.cls.size_type == "S") {
      EXPECT_TRUE(*r.profile.it_core);
      EXPECT_EQ(r.profile.industry, "net");
      EXPECT_GE(e, 10);
      EXPECT_LE(e, 300);
    } else {
      EXPECT_FALSE(*r.profile.it_core);
      EXPECT_NE(r.profile.industry, "net");
    }
  }
  // 表5, 表6 (the IT-core companies in their own column, located in the capital region).
  EXPECT_EQ(Tally(rows, Industry), (Counts{{"mfg", 24}, {"dist", 20}, {"svc", 16}, {"net", 6}}));
  EXPECT_EQ(Tally(rows, NonSRegion), (Counts{{"capital", 30}, {"regional1", 16}, {"regional2", 14}, {"net", 6}}));
  EXPECT_EQ(Count(rows, [](const Row& r) { return r.cls.size_type == "S" && r.cls.region == "capital"; }), 6);
  // 表7, 表8, 表10.
  EXPECT_EQ(Tally(rows, SitesBin), (Counts{{"1", 15}, {"2-3", 23}, {"4+", 28}}));
  EXPECT_EQ(Tally(rows, StaffBin), (Counts{{"0", 28}, {"1", 17}, {"2-3", 16}, {"4+", 5}}));
  EXPECT_EQ(Tally(rows, ServersBin), (Counts{{"0", 5}, {"1", 17}, {"2-3", 10}, {"4+", 34}}));
  // 表9, multiple answers; every company uses IT for something.
  EXPECT_EQ(Count(rows, [](const Row& r) { return Has(r.profile.it_uses, "core"); }), 65);
  EXPECT_EQ(Count(rows, [](const Row& r) { return Has(r.profile.it_uses, "info"); }), 17);
  EXPECT_EQ(Count(rows, [](const Row& r) { return Has(r.profile.it_uses, "front"); }), 2);
  EXPECT_EQ(Count(rows, [](const Row& r) { return Has(r.profile.it_uses, "other"); }), 1);
  EXPECT_EQ(Count(rows, [](const Row& r) { return r.profile.it_uses.empty(); }), 0);

  // §4.2.1: 23 pass, 43 do not; the IT-core companies all pass.
  EXPECT_EQ(Count(rows, [](const Row& r) { return r.passed; }), 23);
  EXPECT_EQ(Count(rows, [](const Row& r) { return !r.passed; }), 43);
  EXPECT_EQ(Count(rows, [](const Row& r) { return r.cls.size_type == "S" && r.passed; }), 6);
  // §3.1: item 25 実施していない by 38 of 66.
  EXPECT_EQ(Count(rows, [](const Row& r) { return r.sc.at("sc25") == "no"; }), 38);

  // §4.7 (5)-(7).
  EXPECT_EQ(Count(rows, [](const Row& r) { return !r.profile.certifications.empty(); }), 12);
  EXPECT_EQ(Count(rows, [](const Row& r) { return !r.profile.certifications.empty() && r.total < 70; }), 6);
  for (const Row& r : rows) {
    for (const std::string& c : r.profile.certifications) EXPECT_TRUE(c == "Pマーク" || c == "ISMS") << c;
  }
  EXPECT_EQ(Count(rows, [](const Row& r) { return *r.profile.qualified_staff; }), 9);
  EXPECT_EQ(Count(rows, [](const Row& r) { return *r.profile.knows_ipa; }), 31);
  EXPECT_EQ(Count(rows, [](const Row& r) { return *r.profile.knows_benchmark; }), 17);
  EXPECT_EQ(Count(rows, [](const Row& r) { return r.cls.size_type == "S" && *r.profile.knows_benchmark; }), 6);

  // §4.2.2: the org checklist answered by 20, all passing; 3-5 not done by 5, 4-4 by 6.
  EXPECT_EQ(Count(rows, [](const Row& r) { return !r.oc.empty(); }), 20);
  EXPECT_EQ(Count(rows, [](const Row& r) { return !r.oc.empty() && r.passed; }), 20);
  EXPECT_EQ(Count(rows, [](const Row& r) { return !r.oc.empty() && r.oc.at("oc3_5") == "no"; }), 5);
  EXPECT_EQ(Count(rows, [](const Row& r) { return !r.oc.empty() && r.oc.at("oc4_4") == "no"; }), 6);
  int other_yes = 0, other_all = 0;
  for (const Row& r : rows) {
    for (const auto& [item, answer] : r.oc) {
      if (item == "oc3_5" || item == "oc4_4") continue;
      ++other_all;
      other_yes += answer == "yes";
    }
  }
  EXPECT_EQ(other_all, 20 * 20);
  EXPECT_GE(other_yes * 100, other_all * 85) << "the other org-checklist items are mostly 実施している";
}

// The answers look like a real survey's.
void ExpectPlausibleAnswers(const std::vector<Row>& rows) {
  int na = 0;
  std::map<std::string, int> points;
  const std::map<std::string, int> kPoints = {{"yes", 4}, {"partial", 2}, {"no", 0}, {"unknown", -1}, {"na", 0}};
  for (const Row& r : rows) {
    if (r.passed) {
      EXPECT_GE(r.total, 70);
      EXPECT_LE(r.total, 100);
    } else {
      EXPECT_GE(r.total, 20) << r.company_id;
      EXPECT_LE(r.total, 69);
    }
    ASSERT_EQ(r.sc.size(), 25u);
    for (const auto& [item, answer] : r.sc) {
      points[item] += kPoints.at(answer);
      if (answer == "na") {
        EXPECT_EQ(item, "sc06") << r.company_id;
        ++na;
      }
      if (item >= "sc21") {
        EXPECT_TRUE(answer == "yes" || answer == "no") << r.company_id << " " << item;
      }
    }
  }
  EXPECT_GE(na, 1);
  EXPECT_LE(na * 66, static_cast<int>(rows.size()) * 5) << "a few: at most 5 in 66";
  // Antivirus strongest; employees, partners, incidents and rules weaker than the average item.
  std::vector<std::pair<int, std::string>> by_points;
  int sum = 0;
  for (const auto& [item, p] : points) {
    by_points.push_back({p, item});
    sum += p;
  }
  std::sort(by_points.rbegin(), by_points.rend());
  std::set<std::string> top2 = {by_points[0].second, by_points[1].second};
  EXPECT_EQ(top2, (std::set<std::string>{"sc15", "sc16"}));
  for (const char* weak : {"sc21", "sc22", "sc23", "sc24", "sc25"}) {
    EXPECT_LT(points[weak] * 25, sum) << weak << " is below the average item";
  }
  EXPECT_GE(by_points.front().first - by_points.back().first, static_cast<int>(rows.size()) * 3 / 2)
      << "item means differ by at least 1.5 points";
}

TEST(DemoSurvey, DefaultSurveyMatchesTheSeedFigures) {
  const std::string text = Survey(66);
  const std::vector<Row> rows = ReadBack(text);
  ExpectSeedFigures(rows);
  ExpectPlausibleAnswers(rows);
}

TEST(DemoSurvey, EverySeedGivesTheSameFigures) {
  for (uint64_t seed : {1ULL, 42ULL, 123456789ULL, ~0ULL}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const std::vector<Row> rows = ReadBack(Survey(66, seed));
    ExpectSeedFigures(rows);
    for (const Row& r : rows) {
      EXPECT_GE(r.total, 20);
      EXPECT_LE(r.total, 100);
    }
  }
}

TEST(DemoSurvey, FileLayoutIsTheImportLayout) {
  const std::string text = Survey(66);
  const std::string header = "\xEF\xBB\xBF" + CsvLine(WideColumns(test::SourceCatalog(), kDemoInstrument), false);
  EXPECT_EQ(text.substr(0, header.size()), header);
  EXPECT_NE(header.find("company_id,employees,"), std::string::npos);
  EXPECT_NE(header.find(",sc01,"), std::string::npos);
  EXPECT_NE(header.find(",oc5_2\r\n"), std::string::npos);
  // CRLF everywhere, 67 lines.
  int lines = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++lines;
      EXPECT_TRUE(i > 0 && text[i - 1] == '\r') << "a bare LF at byte " << i;
    }
  }
  EXPECT_EQ(lines, 67);
  EXPECT_EQ(text.substr(text.size() - 2), "\r\n");
  // Codes, Japanese prefecture names, ';'-joined lists.
  EXPECT_NE(text.find("\r\ndemo-0001,"), std::string::npos);
  EXPECT_NE(text.find("\r\ndemo-0066,"), std::string::npos);
  EXPECT_EQ(text.find("demo-0067"), std::string::npos);
  EXPECT_NE(text.find(",core;info"), std::string::npos);
  EXPECT_NE(text.find("都,"), std::string::npos);
  EXPECT_EQ(text.find("実施"), std::string::npos) << "answers are codes, not labels";
  const std::vector<Row> rows = ReadBack(text);
  std::set<std::string> ids;
  for (const Row& r : rows) {
    ids.insert(r.company_id);
    const Prefecture* p = test::SourceCatalog().geography().FindPrefecture(r.profile.prefecture);
    ASSERT_NE(p, nullptr);
    EXPECT_NE(p->region, "other");
  }
  EXPECT_EQ(ids.size(), 66u);
  EXPECT_GE(Count(rows, [](const Row& r) { return r.profile.capital.has_value(); }), 40) << "most give a capital";
}

TEST(DemoSurvey, SameSeedSameBytesOtherSeedDifferent) {
  const std::string a = Survey(66, 2009), b = Survey(66, 2009), c = Survey(66, 2010);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(Survey(500, 7), Survey(500, 7));
  EXPECT_NE(Survey(500, 7), Survey(500, 8));
  // The default options are N = 66 and seed 2009.
  Result<std::string> defaults = DemoSurveyText(test::SourceCatalog(), DemoOptions());
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(*defaults, a);
}

TEST(DemoSurvey, AThousandCompaniesScaleEveryFigure) {
  const std::vector<Row> rows = ReadBack(Survey(1000));
  ASSERT_EQ(rows.size(), 1000u);
  // 15, 24, 21, 6 × 1000/66 = 227.3, 363.6, 318.2, 90.9 → largest remainders B and S round up.
  EXPECT_EQ(Tally(rows, SizeType), (Counts{{"A", 227}, {"B", 364}, {"C", 318}, {"S", 91}}));
  EXPECT_EQ(Tally(rows, Industry), (Counts{{"mfg", 364}, {"dist", 303}, {"svc", 242}, {"net", 91}}));
  EXPECT_EQ(Tally(rows, NonSRegion), (Counts{{"capital", 455}, {"regional1", 242}, {"regional2", 212}, {"net", 91}}));
  EXPECT_EQ(Tally(rows, SitesBin), (Counts{{"1", 227}, {"2-3", 349}, {"4+", 424}}));
  EXPECT_EQ(Count(rows, [](const Row& r) { return r.passed; }), 348);
  EXPECT_EQ(Count(rows, [](const Row& r) { return r.cls.size_type == "S" && !r.passed; }), 0);
  EXPECT_EQ(Count(rows, [](const Row& r) { return r.sc.at("sc25") == "no"; }), 576);
  EXPECT_EQ(Count(rows, [](const Row& r) { return !r.profile.certifications.empty(); }), 182);
  EXPECT_EQ(Count(rows, [](const Row& r) { return *r.profile.knows_benchmark; }), 258);
  EXPECT_EQ(Count(rows, [](const Row& r) { return *r.profile.knows_ipa; }), 470);
  EXPECT_EQ(Count(rows, [](const Row& r) { return !r.oc.empty(); }), 303);
  EXPECT_EQ(Count(rows, [](const Row& r) { return !r.oc.empty() && !r.passed; }), 0);
  EXPECT_EQ(Count(rows, [](const Row& r) { return Has(r.profile.it_uses, "core"); }), 985);
  EXPECT_EQ(Count(rows, [](const Row& r) { return *r.profile.employees <= 5; }), 30);
  ExpectPlausibleAnswers(rows);
}

TEST(DemoSurvey, AnySizeIsValidAndSumsUp) {
  for (long long n = 1; n <= 40; ++n) {
    SCOPED_TRACE("companies " + std::to_string(n));
    const std::vector<Row> rows = ReadBack(Survey(n, static_cast<uint64_t>(n)));
    ASSERT_EQ(rows.size(), static_cast<size_t>(n));
    const std::vector<long long> sizes = ScaleCounts({15, 24, 21, 6}, n);
    EXPECT_EQ(Count(rows, [](const Row& r) { return r.cls.size_type == "S"; }), sizes[3]);
    EXPECT_EQ(Count(rows, [](const Row& r) { return r.cls.size_type == "S" && !r.passed; }), 0);
    EXPECT_EQ(Count(rows, [](const Row& r) { return !r.oc.empty() && !r.passed; }), 0);
    EXPECT_EQ(Count(rows, [](const Row& r) { return r.cls.outside_survey; }), 0);
  }
}

TEST(DemoSurvey, RefusesNoCompanies) {
  for (long long n : {0LL, -1LL, kMaxDemoCompanies + 1}) {
    bool called = false;
    Status s = WriteDemoSurvey(
        test::SourceCatalog(), {n, 2009},
        [&](std::string_view) {
          called = true;
          return Status::Ok();
        },
        nullptr);
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
    EXPECT_NE(s.message().find(std::to_string(n)), std::string::npos) << s.message();
    EXPECT_FALSE(called) << "nothing written";
  }
}

TEST(DemoSurvey, StreamsInChunksAndReportsProgress) {
  const long long n = 20000;
  std::vector<size_t> chunks;
  std::string joined;
  std::vector<long long> progress;
  Status s = WriteDemoSurvey(
      test::SourceCatalog(), {n, 5},
      [&](std::string_view chunk) {
        chunks.push_back(chunk.size());
        joined.append(chunk);
        return Status::Ok();
      },
      [&](long long done) { progress.push_back(done); });
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_GE(chunks.size(), 2u);
  for (size_t c : chunks) EXPECT_LE(c, (size_t{1} << 20) + 4096);
  EXPECT_EQ(joined, Survey(n, 5));
  ASSERT_FALSE(progress.empty());
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  EXPECT_EQ(progress.back(), n);
  EXPECT_EQ(std::count(joined.begin(), joined.end(), '\n'), n + 1);
  EXPECT_NE(joined.find("\r\ndemo-00001,"), std::string::npos) << "ids padded to the width of N";
}

TEST(DemoSurvey, StopsAtTheFirstSinkError) {
  int calls = 0;
  Status s = WriteDemoSurvey(
      test::SourceCatalog(), {20000, 1},
      [&](std::string_view) {
        ++calls;
        return Status::IoError("disk full");
      },
      nullptr);
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_EQ(s.message(), "disk full");
  EXPECT_EQ(calls, 1);
}

TEST(DemoSurvey, ScaleCountsUsesLargestRemainders) {
  EXPECT_EQ(ScaleCounts({15, 24, 21, 6}, 66), (std::vector<long long>{15, 24, 21, 6}));
  EXPECT_EQ(ScaleCounts({15, 24, 21, 6}, 1000), (std::vector<long long>{227, 364, 318, 91}));
  EXPECT_EQ(ScaleCounts({15, 24, 21, 6}, 1), (std::vector<long long>{0, 1, 0, 0}));
  EXPECT_EQ(ScaleCounts({1, 1}, 3), (std::vector<long long>{2, 1})) << "ties go to the earlier";
  for (long long n = 0; n < 300; ++n) {
    const std::vector<long long> v = ScaleCounts({23, 43}, n);
    EXPECT_EQ(v[0] + v[1], n);
  }
}

int RunDemoCli(std::vector<std::string> args, std::string* out, std::string* err) {
  std::istringstream in;
  std::ostringstream o, e;
  CommandContext ctx{in, o, e};
  args.insert(args.begin(), {"--data-dir", SHINDAN_SOURCE_ROOT, "demo"});
  const int code = RunCli(args, ctx);
  *out = o.str();
  *err = e.str();
  return code;
}

TEST(DemoCommand, WritesToStandardOutputOrAFile) {
  std::string out, err;
  EXPECT_EQ(RunDemoCli({}, &out, &err), kExitOk) << err;
  EXPECT_EQ(out, Survey(66));
  EXPECT_EQ(err, "");
  EXPECT_EQ(RunDemoCli({"--companies", "12", "--seed", "3"}, &out, &err), kExitOk) << err;
  EXPECT_EQ(out, Survey(12, 3));

  const std::string path = ::testing::TempDir() + "demo_command_test.csv";
  std::remove(path.c_str());
  EXPECT_EQ(RunDemoCli({"-o", path, "--companies", "100"}, &out, &err), kExitOk) << err;
  EXPECT_EQ(out, "");
  std::ifstream f(path, std::ios::binary);
  std::stringstream file;
  file << f.rdbuf();
  EXPECT_EQ(file.str(), Survey(100));
  std::ifstream temp(path + ".tmp");
  EXPECT_FALSE(temp.good()) << "no temporary file left behind";
  std::remove(path.c_str());
}

TEST(DemoCommand, RefusesBadArguments) {
  std::string out, err;
  EXPECT_EQ(RunDemoCli({"--companies", "0"}, &out, &err), kExitBadInput);
  EXPECT_NE(err.find("--companies 0"), std::string::npos) << err;
  EXPECT_EQ(out, "");
  EXPECT_EQ(RunDemoCli({"--companies", "many"}, &out, &err), kExitBadInput);
  EXPECT_EQ(RunDemoCli({"-o", "/nonexistent-dir/x.csv"}, &out, &err), kExitFailure);
  EXPECT_NE(err.find("/nonexistent-dir/x.csv"), std::string::npos) << err;
}

}  // namespace
}  // namespace shindan
