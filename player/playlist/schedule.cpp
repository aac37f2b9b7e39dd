#include "playlist/schedule.h"

#include <ctime>

namespace nb::playlist {

LocalDateTime ToLocalDateTime(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&secs, &tm);
  return LocalDateTime{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                       tm.tm_hour,        tm.tm_min,     tm.tm_sec};
}

int WeekdayOf(int year, int month, int day) {
  std::chrono::year_month_day ymd{std::chrono::year(year),
                                  std::chrono::month(static_cast<unsigned>(month)),
                                  std::chrono::day(static_cast<unsigned>(day))};
  // iso_encoding(): Monday = 1 ... Sunday = 7.
  return static_cast<int>(std::chrono::weekday(std::chrono::sys_days(ymd)).iso_encoding()) - 1;
}

bool ClockLooksUnset(const LocalDateTime& now) { return now.year < kFirstPlausibleYear; }

bool ScheduleCovers(const Schedule& schedule, const LocalDateTime& now) {
  if (schedule.from && now < *schedule.from) return false;
  if (schedule.until && now > *schedule.until) return false;
  int weekday = WeekdayOf(now.year, now.month, now.day);
  if ((schedule.weekdays & (1u << weekday)) == 0) return false;
  if (schedule.hours) {
    auto [begin, end] = *schedule.hours;
    int minute = now.hour * 60 + now.minute;
    if (begin < end) {
      if (minute < begin || minute >= end) return false;
    } else if (end < begin) {  // spans midnight
      if (minute < begin && minute >= end) return false;
    }
    // begin == end: the whole day.
  }
  return true;
}

bool ItemPlaysAt(const Item& item, const LocalDateTime& now) {
  if (!item.enabled) return false;
  if (!item.schedule || ClockLooksUnset(now)) return true;
  return ScheduleCovers(*item.schedule, now);
}

std::vector<std::size_t> ItemsPlayingAt(const Playlist& playlist, const LocalDateTime& now) {
  std::vector<std::size_t> playing;
  for (std::size_t i = 0; i < playlist.items.size(); ++i) {
    if (ItemPlaysAt(playlist.items[i], now)) playing.push_back(i);
  }
  return playing;
}

std::vector<std::size_t> ItemsPlayingNow(const Playlist& playlist, const Clock& clock) {
  return ItemsPlayingAt(playlist, ToLocalDateTime(clock.WallNow()));
}

}  // namespace nb::playlist
