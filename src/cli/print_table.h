// Plain-text tables for the terminal, as the statistics commands print them.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace shindan {

// Prints rows as columns: the first left-aligned, the others right-aligned, padded to the widest
// cell by terminal columns (a kanji counts two); no trailing spaces.
void PrintTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

}  // namespace shindan
