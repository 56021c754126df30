#include "profile/classification.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#if __has_include("test_paths.h")
#include "test_paths.h"
#include "catalog/test_catalog.h"
#endif

namespace shindan {
namespace {


const ClassificationRules& Rules() {
  static const ClassificationRules rules = [] {
    Result<ClassificationRules> r =
        ClassificationRules::Load(FileSystem::Disk(), SHINDAN_SOURCE_ROOT "/data/classification.json");
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : ClassificationRules{};
  }();
  return rules;
}

constexpr long long kOku = 100000000;    // 1億円
constexpr long long kSenman = 10000000;  // 1千万円

// --- Size type -------------------------------------------------------------------------------------

struct SizeCase {
  const char* name;
  std::optional<long long> employees;
  std::optional<bool> it_core;
  std::string industry;
  std::string size_type;
  bool outside_survey;
  std::string industry_out;
};

TEST(Classify, SizeTypeBoundaries) {
  const SizeCase cases[] = {
      {"no employees", 0, false, "mfg", "A", false, "mfg"},
      {"19 is small", 19, false, "mfg", "A", false, "mfg"},
      {"20 is medium", 20, false, "dist", "B", false, "dist"},
      {"99 is medium", 99, false, "dist", "B", false, "dist"},
      {"100 is large", 100, false, "svc", "C", false, "svc"},
      {"300 is still large", 300, false, "svc", "C", false, "svc"},
      {"301 is outside the survey", 301, false, "svc", "out", true, "svc"},
      {"IT-core with 500 employees is S", 500, true, "svc", "S", false, "net"},
      {"IT-core with 3 employees is S", 3, true, "mfg", "S", false, "net"},
      {"industry net is S", 12, std::nullopt, "net", "S", false, "net"},
      {"industry net with no employee count is S", std::nullopt, std::nullopt, "net", "S", false, "net"},
      {"unknown employee count", std::nullopt, false, "mfg", "", false, "mfg"},
      {"it_core no, unknown industry", 5, false, "", "A", false, ""},
  };
  for (const auto& c : cases) {
    CompanyProfile p;
    p.employees = c.employees;
    p.it_core = c.it_core;
    p.industry = c.industry;
    Classification got = Rules().Classify(p, test::SourceGeography());
    EXPECT_EQ(got.size_type, c.size_type) << c.name;
    EXPECT_EQ(got.outside_survey, c.outside_survey) << c.name;
    EXPECT_EQ(got.industry, c.industry_out) << c.name;
  }
}

TEST(Classify, SizeTypeLabelsComeFromTheData) {
  EXPECT_EQ(Rules().SizeTypeLabel("A").ja, "小規模（20人未満）");
  EXPECT_EQ(Rules().SizeTypeLabel("C").ja, "大規模（100人-300人）");
  EXPECT_EQ(Rules().SizeTypeLabel("S").ja, "ネット系企業（タイプS）");
  EXPECT_EQ(Rules().SizeTypeLabel("out").en,
            "Outside the survey (over 300 employees: not an SME as this survey defines it)");
  EXPECT_EQ(Rules().SizeTypeLabel("Z").ja, "Z");
  EXPECT_EQ(Rules().IndustryLabel("dist").ja, "流通・卸・小売業");
}

// --- Region ----------------------------------------------------------------------------------------

TEST(Classify, RegionOfEachGroup) {
  const std::pair<const char*, const char*> cases[] = {
      {"東京", "capital"},   {"神奈川", "capital"}, {"静岡", "regional1"}, {"群馬", "regional1"}, {"岐阜", "regional2"},
      {"新潟", "regional2"}, {"大阪", "other"},     {"北海道", "other"},   {"沖縄", "other"},
  };
  for (const auto& [name, region] : cases) {
    Result<std::string> code = test::SourceGeography().ResolvePrefecture(name);
    ASSERT_TRUE(code.ok()) << name << ": " << code.status().message();
    CompanyProfile p;
    p.prefecture = *code;
    EXPECT_EQ(Rules().Classify(p, test::SourceGeography()).region, region) << name;
  }
}

TEST(Classify, UnknownPrefectureGivesNoRegion) {
  CompanyProfile p;
  EXPECT_EQ(Rules().Classify(p, test::SourceGeography()).region, "");
  p.prefecture = "48";
  EXPECT_EQ(Rules().Classify(p, test::SourceGeography()).region, "");
}

TEST(Geography, All47PrefecturesResolveAndRegionsCount4_5_7_31) {
  ASSERT_EQ(test::SourceGeography().prefectures().size(), 47u);
  std::map<std::string, int> per_region;
  for (size_t i = 0; i < test::SourceGeography().prefectures().size(); ++i) {
    const Prefecture& p = test::SourceGeography().prefectures()[i];
    const std::string code = (i + 1 < 10 ? "0" : "") + std::to_string(i + 1);
    EXPECT_EQ(p.code, code);
    for (const std::string& spelling : {p.name, p.short_name, p.romaji, p.code}) {
      Result<std::string> r = test::SourceGeography().ResolvePrefecture(spelling);
      ASSERT_TRUE(r.ok()) << spelling;
      EXPECT_EQ(*r, p.code) << spelling;
    }
    ASSERT_NE(test::SourceGeography().FindRegion(p.region), nullptr) << p.name;
    ++per_region[p.region];
  }
  EXPECT_EQ(per_region,
            (std::map<std::string, int>{{"capital", 4}, {"regional1", 5}, {"regional2", 7}, {"other", 31}}));
  EXPECT_EQ(test::SourceGeography().FindPrefecture("01")->name, "北海道");
  EXPECT_EQ(test::SourceGeography().FindPrefecture("47")->name, "沖縄県");
}

TEST(Geography, RegionMembersAreThoseOfTheSeed) {
  std::map<std::string, std::vector<std::string>> members;
  for (const Prefecture& p : test::SourceGeography().prefectures()) {
    if (p.region != "other") members[p.region].push_back(p.short_name);
  }
  EXPECT_EQ(members["capital"], (std::vector<std::string>{"埼玉", "千葉", "東京", "神奈川"}));
  EXPECT_EQ(members["regional1"], (std::vector<std::string>{"茨城", "栃木", "群馬", "山梨", "静岡"}));
  EXPECT_EQ(members["regional2"], (std::vector<std::string>{"岩手", "秋田", "山形", "新潟", "福井", "岐阜", "三重"}));
}

TEST(Geography, WrongCountIsRefused) {
  Result<Geography> g =
      Geography::Parse(R"({"format": "shindan-prefectures/1", "regions": [], "prefectures": []})", "prefectures.json");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().message(), "prefectures.json: prefectures: expected 47 prefectures, found 0");
}

// --- Legal SME (中小企業基本法第2条第1項, seed footnote 1) --------------------------------------------

struct LegalCase {
  const char* name;
  std::string industry;
  std::string legal_sector;
  std::optional<long long> employees;
  std::optional<long long> capital;
  Tristate expected;
};

TEST(Classify, LegalSmeByCapitalOrEmployees) {
  const LegalCase cases[] = {
      // manufacturing: 3億円 / 300人
      {"manufacturing, 300 employees", "mfg", "manufacturing", 300, std::nullopt, Tristate::kYes},
      {"manufacturing, 301 employees, capital 3億", "mfg", "manufacturing", 301, 3 * kOku, Tristate::kYes},
      {"manufacturing, 301 employees, capital 3億+1", "mfg", "manufacturing", 301, 3 * kOku + 1, Tristate::kNo},
      {"manufacturing, 301 employees, no capital", "mfg", "manufacturing", 301, std::nullopt, Tristate::kUnknown},
      {"manufacturing, capital 1億, no employee count", "mfg", "manufacturing", std::nullopt, kOku, Tristate::kYes},
      {"mfg industry implies manufacturing", "mfg", "", 301, 3 * kOku + 1, Tristate::kNo},
      // wholesale: 1億円 / 100人
      {"wholesale, 100 employees", "dist", "wholesale", 100, 5 * kOku, Tristate::kYes},
      {"wholesale, 101 employees, capital 1億+1", "dist", "wholesale", 101, kOku + 1, Tristate::kNo},
      // retail: 5千万円 / 50人
      {"retail, 50 employees", "dist", "retail", 50, kOku, Tristate::kYes},
      {"retail, 51 employees, capital 5千万", "dist", "retail", 51, 5 * kSenman, Tristate::kYes},
      {"retail, 51 employees, capital 5千万+1", "dist", "retail", 51, 5 * kSenman + 1, Tristate::kNo},
      // service: 5千万円 / 100人
      {"service, 100 employees", "svc", "service", 100, kOku, Tristate::kYes},
      {"service, 101 employees, capital 5千万+1", "svc", "service", 101, 5 * kSenman + 1, Tristate::kNo},
      // other: 3億円 / 300人
      {"other, 300 employees", "svc", "other", 300, 10 * kOku, Tristate::kYes},
      // The legal sector given wins over the industry's candidates.
      {"dist industry, retail sector given, 60 employees", "dist", "retail", 60, std::nullopt, Tristate::kUnknown},
      {"dist industry, wholesale sector given, 60 employees", "dist", "wholesale", 60, std::nullopt, Tristate::kYes},
      // Without the legal sector, every sector of the industry must agree.
      {"dist, 60 employees, no capital: wholesale yes, retail unknown", "dist", "", 60, std::nullopt,
       Tristate::kUnknown},
      {"dist, 80 employees, no capital (docs/advice.md example)", "dist", "", 80, std::nullopt, Tristate::kUnknown},
      {"dist, 40 employees: both sectors yes", "dist", "", 40, std::nullopt, Tristate::kYes},
      {"dist, 60 employees, capital 5千万: both yes", "dist", "", 60, 5 * kSenman, Tristate::kYes},
      {"dist, 60 employees, capital 8千万: wholesale yes, retail no", "dist", "", 60, 8 * kSenman, Tristate::kUnknown},
      {"dist, 101 employees, capital 1億+1: both no", "dist", "", 101, kOku + 1, Tristate::kNo},
      {"svc, 150 employees, capital 1億: service no, other yes", "svc", "", 150, kOku, Tristate::kUnknown},
      {"svc, 80 employees: service and other yes", "svc", "", 80, std::nullopt, Tristate::kYes},
      {"net industry is service", "net", "", 101, 5 * kSenman + 1, Tristate::kNo},
      {"no industry, no sector", "", "", 10, 1000000, Tristate::kUnknown},
      {"nothing known", "mfg", "", std::nullopt, std::nullopt, Tristate::kUnknown},
  };
  for (const auto& c : cases) {
    CompanyProfile p;
    p.industry = c.industry;
    p.legal_sector = c.legal_sector;
    p.employees = c.employees;
    p.capital = c.capital;
    Tristate got = Rules().Classify(p, test::SourceGeography()).legal_sme;
    EXPECT_EQ(TristateName(got), std::string(TristateName(c.expected))) << c.name;
  }
}

TEST(Classify, LegalSmeIsIndependentOfTheSurveysSizeType) {
  // 301 employees is outside the survey, yet a manufacturer with capital 1億 is a legal SME.
  CompanyProfile p;
  p.industry = "mfg";
  p.employees = 301;
  p.capital = kOku;
  Classification c = Rules().Classify(p, test::SourceGeography());
  EXPECT_EQ(c.size_type, "out");
  EXPECT_TRUE(c.outside_survey);
  EXPECT_EQ(c.legal_sme, Tristate::kYes);
}

// --- Profiles from answers -------------------------------------------------------------------------

TEST(ProfileFromAnswers, TypesTheCanonicalAnswersAndRoundTrips) {
  const std::map<std::string, std::string> answers = {
      {"employees", "45"},        {"capital", "30000000"},
      {"industry", "dist"},       {"prefecture", "22"},
      {"it_core", "no"},          {"sites", "2"},
      {"it_staff", "1"},          {"it_uses", "core;info"},
      {"servers", "3"},           {"certifications", "Pマーク;ISMS"},
      {"qualified_staff", "yes"}, {"knows_ipa", "yes"},
      {"knows_benchmark", "no"},
  };
  CompanyProfile p = ProfileFromAnswers(answers);
  EXPECT_EQ(p.employees, 45);
  EXPECT_EQ(p.capital, 30000000);
  EXPECT_EQ(p.it_core, false);
  EXPECT_EQ(p.it_uses, (std::vector<std::string>{"core", "info"}));
  EXPECT_EQ(p.certifications, (std::vector<std::string>{"Pマーク", "ISMS"}));
  EXPECT_EQ(p.legal_sector, "");
  EXPECT_EQ(ProfileToAnswers(p), answers);

  Classification c = Rules().Classify(p, test::SourceGeography());
  EXPECT_EQ(c.size_type, "B");
  EXPECT_EQ(c.region, "regional1");
  EXPECT_EQ(c.legal_sme, Tristate::kYes);  // both wholesale and retail: 45 employees, 3千万円
}

TEST(ClassificationRules, BandsWithAGapAreRefused) {
  const std::string json = R"({
    "format": "shindan-classification/1",
    "size_types": [
      {"code": "A", "label": {"ja": "小", "en": "S"}, "min_employees": 0, "max_employees": 19},
      {"code": "B", "label": {"ja": "中", "en": "M"}, "min_employees": 21, "max_employees": 99}
    ],
    "size_type_it_core": {"code": "S", "label": {"ja": "S", "en": "S"}},
    "outside": {"code": "out", "label": {"ja": "外", "en": "Out"}},
    "industries": [],
    "legal_sme": {"source": "x", "sectors": []}
  })";
  Result<ClassificationRules> r = ClassificationRules::Parse(json, "classification.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "classification.json: size_types[1].min_employees: 21 — expected 20, right after the previous size type");
}

}  // namespace
}  // namespace shindan
