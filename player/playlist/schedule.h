// Schedule: which items of a playlist play at a given moment.
//
// Contract:
// - An item plays at a local time `now` when it is enabled and its schedule
//   (if any) covers `now`: from <= now <= until, and the daily span of its
//   weekdays and hours covers now's minute (base/civil_time.h: [begin, end),
//   end < begin spans midnight and belongs to the weekday it starts on, so
//   "fri" with "22:00-06:00" plays on Saturday at 03:00).
// - Items keep their playlist order.
// - A clock that is clearly unset (year before 2024, e.g. a Pi without RTC or
//   network) makes every schedule be ignored: all enabled items play, so a
//   screen is never empty because of a wrong clock.
// - Time comes from an injected nb::Clock; local civil time from the process
//   time zone (localtime_r).
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include "base/civil_time.h"
#include "base/env.h"
#include "playlist/playlist.h"

namespace nb::playlist {

inline constexpr int kFirstPlausibleYear = 2024;

// The local civil time of a wall-clock instant, in the process time zone.
LocalDateTime ToLocalDateTime(std::chrono::system_clock::time_point t);

// 0 = Monday ... 6 = Sunday (base/civil_time.h), for callers of playlist::.
using nb::WeekdayOf;

bool ClockLooksUnset(const LocalDateTime& now);

// Whether the schedule covers `now` (ignores `enabled`).
bool ScheduleCovers(const Schedule& schedule, const LocalDateTime& now);

// Whether the item plays at `now`, clock-unset rule included.
bool ItemPlaysAt(const Item& item, const LocalDateTime& now);

// Indices into playlist.items of the items that play at `now`, in order.
std::vector<std::size_t> ItemsPlayingAt(const Playlist& playlist, const LocalDateTime& now);
std::vector<std::size_t> ItemsPlayingNow(const Playlist& playlist, const Clock& clock);

}  // namespace nb::playlist
