#include "base/civil_time.h"

#include <cctype>
#include <chrono>
#include <cstdio>

namespace nb {
namespace {

const char* const kWeekdayNames[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

int WeekdayOf(int year, int month, int day) {
  std::chrono::year_month_day ymd{std::chrono::year(year),
                                  std::chrono::month(static_cast<unsigned>(month)),
                                  std::chrono::day(static_cast<unsigned>(day))};
  // iso_encoding(): Monday = 1 ... Sunday = 7.
  return static_cast<int>(std::chrono::weekday(std::chrono::sys_days(ymd)).iso_encoding()) - 1;
}

std::optional<int> WeekdayFromName(std::string_view name) {
  if (name.size() != 3) return std::nullopt;
  for (int k = 0; k < 7; ++k) {
    bool same = true;
    for (int i = 0; i < 3; ++i)
      same = same && std::tolower(static_cast<unsigned char>(name[i])) == kWeekdayNames[k][i];
    if (same) return k;
  }
  return std::nullopt;
}

std::optional<int> WeekdayFromIsoNumber(long long number) {
  if (number < 1 || number > 7) return std::nullopt;
  return static_cast<int>(number) - 1;
}

const char* WeekdayName(int weekday) { return kWeekdayNames[weekday]; }

std::optional<int> ParseClockTime(std::string_view text, bool allow_24, std::string* why) {
  why->clear();
  if (text.size() != 5 || text[2] != ':' || !IsDigit(text[0]) || !IsDigit(text[1]) ||
      !IsDigit(text[3]) || !IsDigit(text[4])) {
    return std::nullopt;
  }
  int h = (text[0] - '0') * 10 + (text[1] - '0');
  int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (allow_24 && h == 24 && m == 0) return kMinutesPerDay;
  if (h > 23) {
    *why = "hour " + std::string(text.substr(0, 2)) +
           " does not exist: hours are 00-23 (24:00 only as the end)";
    return std::nullopt;
  }
  if (m > 59) {
    *why = "minute " + std::string(text.substr(3, 2)) + " does not exist: minutes are 00-59";
    return std::nullopt;
  }
  return h * 60 + m;
}

std::string FormatClockTime(int minutes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

bool SpanCovers(const DailySpan& span, int weekday, int minute_of_day) {
  bool starts_today = (span.weekdays & WeekdayBit(weekday)) != 0;
  if (span.to_min > span.from_min)
    return starts_today && minute_of_day >= span.from_min && minute_of_day < span.to_min;
  // Past midnight: today's evening part, or the morning part of a span that
  // started yesterday.
  if (starts_today && minute_of_day >= span.from_min) return true;
  bool started_yesterday = (span.weekdays & WeekdayBit((weekday + 6) % 7)) != 0;
  return started_yesterday && minute_of_day < span.to_min;
}

}  // namespace nb
