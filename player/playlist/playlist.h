// Playlist: the immutable model the player shows, its JSON form (format v1,
// documented in playlists/playlist.schema.json) and its validation.
//
// Contract:
// - ParsePlaylist() turns JSON text into a Playlist, or into a list of
//   Diagnostics: a syntax error as "file:line:column", a semantic error with
//   its JSON pointer ("/items/3/schedule/hours") and what was expected, in
//   the words of base/json_check.h. An unknown field is an error with a hint
//   (the nearest known name) unless it starts with "x-"; a key repeated in
//   one object is an error. Limits: 4 MiB of text, 10,000 items.
// - A Playlist that came out of ParsePlaylist is valid: ids unique, titles
//   non-empty, durations positive, schedules well-formed. The player relies on
//   that and never re-validates.
// - ToJson() writes the canonical form; ParsePlaylist(ToJson(p)) == p.
// - Times in schedules are the screen's local civil time (no time zone).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/json_check.h"

namespace nb::playlist {

inline constexpr int kFormatVersion = 1;
inline constexpr std::size_t kMaxFileBytes = 4 * 1024 * 1024;
inline constexpr std::size_t kMaxItems = 10000;

// A local civil date-time, compared field by field.
struct LocalDateTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  auto operator<=>(const LocalDateTime&) const = default;
};

struct Schedule {
  std::optional<LocalDateTime> from;   // inclusive
  std::optional<LocalDateTime> until;  // inclusive; a date alone means the end of that day
                                       // and is stored as 23:59:59 (a from date as 00:00:00)
  std::uint8_t weekdays = 0x7F;        // bit 0 = Monday ... bit 6 = Sunday (base/civil_time.h)
  // Minutes since midnight, [begin, end); end < begin spans midnight and
  // belongs to the weekday it starts on.
  std::optional<std::pair<int, int>> hours;
  bool operator==(const Schedule&) const = default;
};

enum class TransitionKind { kCrossfade, kCut };

struct Transition {
  TransitionKind kind = TransitionKind::kCrossfade;
  int ms = 600;
  bool operator==(const Transition&) const = default;
};

struct Item {
  std::string id;  // stable across rebuilds of the same bulletin item
  std::string title;
  std::string summary;
  std::string body;
  std::string date;  // YYYY-MM-DD
  std::optional<double> duration_s;
  std::optional<Schedule> schedule;
  bool enabled = true;
  bool operator==(const Item&) const = default;
};

struct Playlist {
  int version = kFormatVersion;
  std::string title;         // the bulletin's source name
  std::string generated_at;  // ISO 8601
  double default_duration_s = 15.0;
  Transition transition;
  std::vector<Item> items;
  bool operator==(const Playlist&) const = default;

  double DurationOf(const Item& item) const { return item.duration_s.value_or(default_duration_s); }
};

// Where and what (base/json_check.h): the playlist's errors are worded as
// the config's, the theme's and the fonts configuration's.
using Diagnostic = nb::Diagnostic;

// Parses and validates. On failure returns nullopt and fills *errors (all
// errors found, not only the first). source_name names the file in messages.
std::optional<Playlist> ParsePlaylist(std::string_view json_text, const std::string& source_name,
                                      std::vector<Diagnostic>* errors);

// Reads (at most kMaxFileBytes) and parses a playlist file.
std::optional<Playlist> LoadPlaylistFile(FileSystem& fs, const std::string& path,
                                         std::vector<Diagnostic>* errors);

// The canonical JSON form, pretty-printed, ending in a newline.
std::string ToJson(const Playlist& playlist);

}  // namespace nb::playlist
