// The diagnosis as a person reads it in a terminal.
#pragma once

#include <iosfwd>

#include "base/text.h"

namespace shindan {

class Catalog;
struct Diagnosis;

void PrintDiagnosis(std::ostream& out, Lang lang, const Catalog& catalog, const Diagnosis& d);

}  // namespace shindan
