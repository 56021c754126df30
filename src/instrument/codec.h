// Compact storage of answers and profiles.
//
// A response to an instrument is stored as one character per item, in the instrument's item order:
// '0' for no answer, '1'…'9' (then 'a'…'z') for the n-th option of OptionsFor(item). A million
// self-check responses are then 25 MB that the report reads straight into a columnar snapshot.
// Decoding needs the same instrument version the answers were encoded with, which is stored beside
// them. Non-choice items (text, integers, …) are encoded in the profile form below instead.
//
// A profile is stored as its canonical values in profile item order, joined by U+001F (unit
// separator); a value containing U+001F is refused when encoding.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "instrument/instrument.h"

namespace shindan {

// REQUIRES: every item of `ins` is a choice item; `answers` holds canonical codes.
Result<std::string> EncodeAnswers(const Instrument& ins, const Answers& answers);
Result<Answers> DecodeAnswers(const Instrument& ins, std::string_view encoded);

// Any instrument (profile, hearing): canonical values joined by U+001F in item order.
Result<std::string> EncodeValues(const Instrument& ins, const Answers& values);
Result<Answers> DecodeValues(const Instrument& ins, std::string_view encoded);

}  // namespace shindan
