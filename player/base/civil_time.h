// Civil time: clock times, weekdays and daily spans, read one way by playlist
// schedules (playlist/schedule.h) and by the screen's off hours
// (app/screen_power.h).
//
// Contract:
// - Weekdays are indexed 0 = Monday ... 6 = Sunday, and a WeekdayMask has
//   Monday at bit 0 ... Sunday at bit 6 (ISO 8601 order, as playlists number
//   them). Files spell a weekday as an ISO number 1 (Monday) to 7 (Sunday) or
//   a name "mon" to "sun" in any case; both readers accept both spellings.
// - A clock time is "HH:MM", 00:00 to 23:59; "24:00" only as the end of a
//   span (the end of the day).
// - A DailySpan starts at `from_min` on each of its weekdays and ends at
//   `to_min` the same day, or the next day when `to_min` is at or before
//   `from_min` (a span past midnight; from == to is 24 hours). The start
//   minute is in the span, the end minute is not. The day a span starts on is
//   the one that counts: "Fri 22:00-06:00" covers Saturday 03:00 and not
//   Friday 03:00.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nb {

using WeekdayMask = unsigned;
inline constexpr WeekdayMask kEveryDay = 0x7F;
inline constexpr int kMinutesPerDay = 24 * 60;

// What a weekday may be written as, for messages.
inline constexpr const char* kWeekdaySpellings =
    "ISO weekday numbers 1 (Monday) to 7 (Sunday) or names \"mon\" to \"sun\"";

inline constexpr WeekdayMask WeekdayBit(int weekday) { return 1u << weekday; }

// 0 = Monday ... 6 = Sunday, for a proleptic Gregorian date.
int WeekdayOf(int year, int month, int day);
// The weekday of a std::tm's tm_wday (which counts from Sunday = 0).
inline constexpr int WeekdayFromTm(int tm_wday) { return (tm_wday + 6) % 7; }

// "mon".."sun" in any case → 0..6; ISO 1..7 → 0..6.
std::optional<int> WeekdayFromName(std::string_view name);
std::optional<int> WeekdayFromIsoNumber(long long number);
// "mon".."sun".
const char* WeekdayName(int weekday);

// Minutes after midnight of "HH:MM" ("24:00" = 1440 only when allow_24). On
// failure nullopt, and *why names the part that does not exist ("hour 25 does
// not exist: ...") or is empty when the text is not HH:MM at all.
std::optional<int> ParseClockTime(std::string_view text, bool allow_24, std::string* why);
// 450 → "07:30"; 1440 → "24:00".
std::string FormatClockTime(int minutes);

struct DailySpan {
  WeekdayMask weekdays = kEveryDay;  // the days it starts on
  int from_min = 0;                  // 0..1439
  int to_min = kMinutesPerDay;       // 1..1440; at or before from_min: ends the next day
  bool operator==(const DailySpan&) const = default;
};

// Whether minute `minute_of_day` (0..1439) of a day that is `weekday` falls
// in the span (started that day or, past midnight, the day before).
bool SpanCovers(const DailySpan& span, int weekday, int minute_of_day);

}  // namespace nb
