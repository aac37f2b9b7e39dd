// PlaylistDiff: what an approver reviews (issue 22): a draft against what
// plays now, item by item, and the items about to expire.
//
// Contract:
// - DiffPlaylists() matches items by their id (stable across rebuilds of a
//   bulletin, playlist.h): an id only in the draft is "added", only in the
//   playing playlist "removed", in both with any field different "changed"
//   (with each field that differs), else "same". Items come in the draft's
//   order, each removed one after the item that preceded it on screen.
//   "moved" says a kept item changed its place among the kept ones.
// - Text fields (title, summary, body) come with a character-level diff:
//   Chinese has no spaces, so words would be whole sentences. Characters
//   are Unicode code points; the edit script is the shortest (dtl, Debian's
//   libdtl-dev, Wu's O(NP) algorithm). A text beyond kMaxDiffChars on either
//   side is shown as removed and added whole, so a huge body cannot stall
//   the console. Other fields (date, duration, schedule, enabled) come as
//   before/after strings.
// - ExpiringItems() lists the items whose schedule ends ("until") between
//   now and now + `days`, in the screen's local time: they come down by
//   themselves, and staff may want to renew them.
// - Pure functions; no I/O.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "playlist/playlist.h"

namespace nb::console {

inline constexpr std::size_t kMaxDiffChars = 20000;

struct TextSpan {
  enum class Op { kSame, kAdded, kRemoved };
  Op op = Op::kSame;
  std::string text;  // UTF-8
  bool operator==(const TextSpan&) const = default;
};

// The shortest edit from `before` to `after`, in runs of one kind.
std::vector<TextSpan> DiffText(std::string_view before, std::string_view after);

struct FieldChange {
  std::string field;  // "title", "summary", "body", "date", "duration_s", "schedule", "enabled"
  std::string before, after;
  std::vector<TextSpan> spans;  // text fields only
};

struct ItemDiff {
  enum class Kind { kSame, kAdded, kRemoved, kChanged };
  Kind kind = Kind::kSame;
  std::string id;
  std::string title;       // the draft's (the removed item's own)
  int draft_index = -1;    // -1 when removed
  int playing_index = -1;  // -1 when added
  bool moved = false;
  std::vector<FieldChange> fields;  // kChanged
};
const char* ItemDiffKindName(ItemDiff::Kind kind);  // "same", "added", "removed", "changed"

struct PlaylistDiff {
  std::vector<ItemDiff> items;
  std::vector<FieldChange> playlist_fields;  // title, default duration, transition
  int added = 0, removed = 0, changed = 0;
};

PlaylistDiff DiffPlaylists(const playlist::Playlist& playing, const playlist::Playlist& draft);

// The schedule in words for the diff ("from 2026-12-01 until 2026-12-31 ...").
std::string ScheduleText(const std::optional<playlist::Schedule>& schedule);

struct ExpiringItem {
  int index = 0;
  std::string id, title;
  std::string until;  // "YYYY-MM-DD HH:MM"
  bool enabled = true;
};
std::vector<ExpiringItem> ExpiringItems(const playlist::Playlist& playlist,
                                        std::chrono::system_clock::time_point now, int days = 7);

}  // namespace nb::console
