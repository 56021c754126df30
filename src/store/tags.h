// Interview note tags as stored: a JSON array of strings in interview_notes.tags, in both stores.
// Internal to store/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace shindan {

std::string TagsJson(const std::vector<std::string>& tags);
// Anything that is not an array of strings reads as no tags (the column is only written by TagsJson).
std::vector<std::string> TagsFromJson(std::string_view json);

}  // namespace shindan
