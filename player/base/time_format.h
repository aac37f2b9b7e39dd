// Timestamps as the playlist, the state store and the API write them.
//
// Contract: UtcTimestamp gives ISO 8601 in UTC to the second,
// "2025-12-01T08:00:00Z".
#pragma once

#include <chrono>
#include <string>

namespace nb {

std::string UtcTimestamp(std::chrono::system_clock::time_point t);

}  // namespace nb
