// Runs every fuzz target on a fixed, seeded stream of mutations of the fixture files, so that each
// test run (and CI, under ASan + UBSan) fuzzes every parser a little. Open-ended fuzzing uses the
// same targets through libFuzzer (fuzz/libfuzzer_main.cc).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/fuzz_targets.h"

namespace {

std::vector<std::string> Corpus(const std::vector<std::string>& dirs) {
  std::vector<std::string> out;
  for (const auto& d : dirs) {
    for (const auto& e : std::filesystem::directory_iterator(std::string(SHINDAN_SOURCE_ROOT) + "/" + d)) {
      if (!e.is_regular_file() || e.file_size() > 200000) continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      out.push_back(ss.str());
    }
  }
  out.push_back("");
  return out;
}

// splitmix64: small, fast, the same on every platform.
struct Rng {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return n ? static_cast<size_t>(Next() % n) : 0; }
};

// Byte flips, insertions of interesting bytes, deletions, duplications and truncation.
std::string Mutate(std::string s, Rng& rng) {
  static const std::vector<std::string> kTokens = {"\"", ",", "\n", "\r", "{", "}", "[", "]", ":", "\xEF\xBB\xBF",
                                                   "\x82\xA0", "\xE3\x81", "\\u0000", "null", "-1", "99999999999999999999",
                                                   "na", "該当なし", "一部実施している", "\xFF", "1e400", "12.5", "NA", "合計",
                                                   "\"a\": 1, \"a\": 2"};
  int edits = 1 + static_cast<int>(rng.Below(8));
  for (int i = 0; i < edits; ++i) {
    size_t pos = rng.Below(s.size() + 1);
    switch (rng.Below(5)) {
      case 0: if (!s.empty() && pos < s.size()) s[pos] = static_cast<char>(rng.Next()); break;
      case 1: s.insert(pos, kTokens[rng.Below(kTokens.size())]); break;
      case 2: if (pos < s.size()) s.erase(pos, 1 + rng.Below(16)); break;
      case 3: if (pos < s.size()) s.insert(pos, s.substr(pos, 1 + rng.Below(64))); break;
      case 4: s.resize(pos); break;
    }
  }
  return s;
}

// SHINDAN_FUZZ_SCALE=N runs N times the iterations (bench/fuzz_bench.sh) and prints the number of
// executions of each target; the test run itself uses the counts below.
int Scale() {
  const char* s = std::getenv("SHINDAN_FUZZ_SCALE");
  return s ? std::max(1, std::atoi(s)) : 1;
}

void Drive(void (*target)(const uint8_t*, size_t), const std::vector<std::string>& corpus, int iterations, uint64_t seed) {
  Rng rng{seed};
  for (const auto& c : corpus) target(reinterpret_cast<const uint8_t*>(c.data()), c.size());
  const long long n = static_cast<long long>(iterations) * Scale();
  for (long long i = 0; i < n; ++i) {
    std::string input = Mutate(corpus[rng.Below(corpus.size())], rng);
    target(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  }
  if (std::getenv("SHINDAN_FUZZ_SCALE")) {
    std::printf("fuzz-executions %s %lld\n", ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                n + static_cast<long long>(corpus.size()));
  }
}

TEST(Fuzz, CsvReaderSurvivesMutatedFiles) { Drive(shindan::fuzz::FuzzCsv, Corpus({"tests/fixtures/sheets"}), 3000, 1); }
TEST(Fuzz, InstrumentLoaderSurvivesMutatedInstruments) {
  Drive(shindan::fuzz::FuzzInstrument, Corpus({"instruments", "tests/fixtures/instruments"}), 1500, 2);
}
TEST(Fuzz, SheetReaderSurvivesMutatedSheets) { Drive(shindan::fuzz::FuzzSheet, Corpus({"tests/fixtures/sheets"}), 1500, 3); }
TEST(Fuzz, AnswerParserSurvivesMutatedValues) {
  Drive(shindan::fuzz::FuzzAnswers, {"実施している", "１２", "東京都", "基幹系;情報系", "Pマーク;ISMS", "yes"}, 1500, 4);
}
TEST(Fuzz, NotesReaderSurvivesMutatedFiles) { Drive(shindan::fuzz::FuzzNotes, Corpus({"tests/fixtures/notes"}), 1500, 6); }
TEST(Fuzz, ImporterSurvivesMutatedFilesAndAgreesAcrossThreads) {
  Drive(shindan::fuzz::FuzzImport, Corpus({"fuzz/corpus/import"}), 600, 7);
}
TEST(Fuzz, FrameReaderSurvivesMutatedFrames) { Drive(shindan::fuzz::FuzzFrame, Corpus({"data/frames"}), 1500, 8); }
TEST(Fuzz, DesignReaderSurvivesMutatedDesigns) { Drive(shindan::fuzz::FuzzDesign, Corpus({"data/designs"}), 1500, 9); }
TEST(Fuzz, DataTableReaderSurvivesMutatedTables) {
  Drive(shindan::fuzz::FuzzDataTable, Corpus({"fuzz/corpus/datatable"}), 800, 10);
}
TEST(Fuzz, JsonReaderSurvivesMutatedDocuments) {
  Drive(shindan::fuzz::FuzzJson, Corpus({"data/designs", "tests/fixtures/sheets", "instruments"}), 1500, 11);
}
TEST(Fuzz, FormParserSurvivesMutatedBodies) {
  Drive(shindan::fuzz::FuzzForm, {"csrf=ab12&sc01=yes&sc02=%E5%AE%9F", "employees=%EF%BC%91%EF%BC%95&it_uses=core&it_uses=info",
                                  "a=%zz&=x&&b", "r/abc/items"}, 1500, 7);
}
TEST(Fuzz, DecodersSurviveMutatedBytes) { Drive(shindan::fuzz::FuzzEncoding, Corpus({"tests/fixtures/sheets"}), 1500, 5); }

}  // namespace
