#include "base/time_format.h"

#include <ctime>
#include <utility>

namespace nb {
namespace {

// The number in text[at, at + digits), or -1 when those are not all digits.
int Digits(std::string_view text, std::size_t at, std::size_t digits) {
  if (at + digits > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool Fail(std::string* why, std::string message) {
  if (why) *why = std::move(message);
  return false;
}

}  // namespace

std::string UtcTimestamp(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string LocalTimestamp(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &tm);  // ...+0800
  std::string s = buf;
  if (s.size() >= 5) s.insert(s.size() - 2, ":");
  return s;
}

std::optional<std::chrono::system_clock::time_point> ParseTimestamp(std::string_view text,
                                                                    std::string* why) {
  using namespace std::chrono;
  const std::string expected =
      "expected a date and time with its time zone, such as 2026-12-08T07:00:00+08:00";
  auto fail = [&](std::string message) {
    Fail(why, std::move(message));
    return std::nullopt;
  };
  int y = Digits(text, 0, 4), mo = Digits(text, 5, 2), d = Digits(text, 8, 2);
  int h = Digits(text, 11, 2), mi = Digits(text, 14, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || text[4] != '-' || text[7] != '-' ||
      text[10] != 'T' || text[13] != ':') {
    return fail(expected);
  }
  std::size_t at = 16;
  int s = 0;
  if (at < text.size() && text[at] == ':') {
    s = Digits(text, at + 1, 2);
    if (s < 0) return fail(expected);
    at += 3;
    if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
      std::size_t end = at + 1;
      while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
      if (end == at + 1) return fail(expected);
      at = end;  // a fraction of a second: dropped
    }
  }
  // The clock's nanoseconds reach 2262; a sender's time outside these years
  // is a mistake anyway.
  if (y < 1970 || y > 2199) return fail("year " + std::to_string(y) + " is out of range 1970-2199");
  if (mo < 1 || mo > 12) return fail("month " + std::to_string(mo) + " does not exist");
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) {
    return fail("day " + std::to_string(d) + " does not exist in " +
                std::string(text.substr(0, 7)));
  }
  if (h > 23 || mi > 59 || s > 59) {
    return fail("time out of range: expected hours 00-23, minutes and seconds 00-59");
  }
  seconds offset{0};
  std::string_view zone = text.substr(at);
  if (zone.empty()) return fail("it has no time zone: add Z or an offset such as +08:00");
  if (zone != "Z") {
    int oh = Digits(zone, 1, 2), om = -1;
    if (zone.size() == 6 && zone[3] == ':') om = Digits(zone, 4, 2);
    if (zone.size() == 5) om = Digits(zone, 3, 2);
    if ((zone[0] != '+' && zone[0] != '-') || oh < 0 || om < 0) {
      return fail("\"" + std::string(zone) + "\" is not a time zone: " + expected);
    }
    if (oh > 18 || om > 59) return fail("offset " + std::string(zone) + " is out of range");
    offset = hours(oh) + minutes(om);
    if (zone[0] == '-') offset = -offset;
  }
  return sys_days(date) + hours(h) + minutes(mi) + seconds(s) - offset;
}

}  // namespace nb
