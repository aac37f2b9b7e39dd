// Timestamps as the playlist, the state store and the API write them.
//
// Contract: UtcTimestamp gives ISO 8601 in UTC to the second,
// "2025-12-01T08:00:00Z"; LocalTimestamp the screen's local time with its
// offset, "2025-12-01T16:00:00+08:00" (what staff compare with a wall clock).
// ParseTimestamp reads an instant written that way, as alerts and CAP give
// them: "YYYY-MM-DDTHH:MM[:SS[.fff]]" then "Z" or an offset "+08:00" (also
// "+0800"); a fraction of a second is dropped. A time without an offset is
// refused (a screen in another zone would read it hours off), as are years
// outside 1970-2199; *why, when
// given, then says what is wrong ("month 13 does not exist", "it has no time
// zone: add Z or an offset such as +08:00").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace nb {

std::string UtcTimestamp(std::chrono::system_clock::time_point t);
std::string LocalTimestamp(std::chrono::system_clock::time_point t);
std::optional<std::chrono::system_clock::time_point> ParseTimestamp(std::string_view text,
                                                                    std::string* why = nullptr);

}  // namespace nb
