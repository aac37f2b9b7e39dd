#include "playlist/schedule.h"

#include <ctime>
#include <tuple>

namespace nb::playlist {

LocalDateTime ToLocalDateTime(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&secs, &tm);
  return LocalDateTime{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                       tm.tm_hour,        tm.tm_min,     tm.tm_sec};
}

bool ClockLooksUnset(const LocalDateTime& now) { return now.year < kFirstPlausibleYear; }

bool ScheduleCovers(const Schedule& schedule, const LocalDateTime& now) {
  if (schedule.from && now < *schedule.from) return false;
  if (schedule.until && now > *schedule.until) return false;
  DailySpan span{schedule.weekdays, 0, kMinutesPerDay};
  if (schedule.hours) std::tie(span.from_min, span.to_min) = *schedule.hours;
  return SpanCovers(span, WeekdayOf(now.year, now.month, now.day), now.hour * 60 + now.minute);
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
