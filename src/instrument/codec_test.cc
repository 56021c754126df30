#include "instrument/codec.h"

#include <gtest/gtest.h>

#include "base/file.h"
#include "instrument/loader.h"

namespace shindan {
namespace {

const Instrument& SelfCheck() {
  static Instrument ins = *LoadInstrument(FileSystem::Disk(), SHINDAN_SOURCE_ROOT "/instruments/self-check-2009.json");
  return ins;
}
const Instrument& Profile() {
  static Instrument ins = *LoadInstrument(FileSystem::Disk(), SHINDAN_SOURCE_ROOT "/instruments/profile.json");
  return ins;
}

TEST(Codec, AnswersTakeOneCharacterPerItemAndRoundTrip) {
  Answers a;
  for (int i = 1; i <= 25; ++i) a[(i < 10 ? "sc0" : "sc") + std::to_string(i)] = "yes";
  a["sc02"] = "partial";
  a["sc03"] = "no";
  a["sc04"] = "unknown";
  a["sc06"] = "na";
  a.erase("sc07");
  Result<std::string> enc = EncodeAnswers(SelfCheck(), a);
  ASSERT_TRUE(enc.ok()) << enc.status().message();
  EXPECT_EQ(*enc, "1234150111111111111111111");
  Result<Answers> dec = DecodeAnswers(SelfCheck(), *enc);
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(*dec, a);
}

TEST(Codec, DecodingRefusesAnswersOfAnotherShape) {
  EXPECT_EQ(DecodeAnswers(SelfCheck(), "111").status().message(),
            "stored answers have 3 items — expected 25 for self-check-2009 2009-03");
  EXPECT_EQ(DecodeAnswers(SelfCheck(), "1111111111111111111131111").status().message(),
            "stored answer '3' for sc21 is not an option of self-check-2009 2009-03");
}

TEST(Codec, ProfileValuesRoundTripWithBlanks) {
  Answers p = {{"employees", "15"}, {"industry", "mfg"}, {"it_uses", "core;info"}, {"knows_benchmark", "no"}};
  Result<std::string> enc = EncodeValues(Profile(), p);
  ASSERT_TRUE(enc.ok());
  Result<Answers> dec = DecodeValues(Profile(), *enc);
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(*dec, p);
  EXPECT_TRUE(DecodeValues(Profile(), "").ok());
  EXPECT_EQ(EncodeValues(Profile(), {{"certifications", "a\x1f" "b"}}).status().message(),
            "certifications: the value contains the control character U+001F");
}

}  // namespace
}  // namespace shindan
