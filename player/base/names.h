// Hints for mistyped names: "unknown field "titel"; did you mean "title"?"
//
// Contract: EditDistance is the Levenshtein distance, ignoring ASCII case.
// NearestName returns the known name closest to `name` when it is within
// `max_distance` edits (a near miss worth suggesting), else an empty string.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace nb {

std::size_t EditDistance(std::string_view a, std::string_view b);
std::string NearestName(std::string_view name, const std::vector<std::string>& known,
                        std::size_t max_distance = 2);

}  // namespace nb
