// Timestamps as the playlist, the state store and the API write them.
//
// Contract: UtcTimestamp gives ISO 8601 in UTC to the second,
// "2025-12-01T08:00:00Z"; LocalTimestamp the screen's local time with its
// offset, "2025-12-01T16:00:00+08:00" (what staff compare with a wall clock).
#pragma once

#include <chrono>
#include <string>

namespace nb {

std::string UtcTimestamp(std::chrono::system_clock::time_point t);
std::string LocalTimestamp(std::chrono::system_clock::time_point t);

}  // namespace nb
