// Hints for mistyped names: "unknown field "titel"; did you mean "title"?"
//
// Contract: EditDistance is the Levenshtein distance, ignoring ASCII case.
// NearestName returns the known name closest to `name` when it is within
// `max_distance` edits (a near miss worth suggesting), else an empty string.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace nb {

std::size_t EditDistance(std::string_view a, std::string_view b);
std::string NearestName(std::string_view name, std::initializer_list<const char*> known,
                        std::size_t max_distance = 2);

}  // namespace nb
