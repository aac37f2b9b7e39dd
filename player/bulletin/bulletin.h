// Bulletin: the education bureau's news bulletin as plain text, turned into
// items (title, date, body), with the typographic clean-up and the summaries
// the lobby screens show.
//
// Contract:
// - ParseBulletin() reads the format of playlists/tianjin-education.txt:
//     source name            (first non-empty line, e.g. 天津教育)
//     -                      (optional, then)
//     ·                      (separator)
//     title                  (one line)
//     YYYY-MM-DD             (one line)
//     body ... -             (lines up to a line "-", a line ending in " -",
//     ·                       or a line "·"; then "·" starts the next item)
//   The last body may lack the " -"; it then ends at the first blank line.
//   Lines that belong to no item (a site footer such as 津公网安备 …号) are
//   returned in Bulletin::skipped so the caller reports them: never dropped
//   silently. But three such lines in a row (blank lines aside) that read as
//   a title, a date YYYY-MM-DD and a body are an item whose "·" line is
//   missing: that is an error naming the title's line, since a warning in
//   `build`'s output would let a news item vanish from the screens. UTF-8 with or without a BOM, CRLF or LF, leading/trailing
//   spaces and extra blank lines are accepted.
// - Bad input fails with one message "SOURCE:LINE: what is wrong": invalid
//   UTF-8 (with the byte offset in the file), an item without a title or
//   date, an impossible date such as 2025-13-40, an item without its "·"
//   line, a file without items.
// - NormalizeTypography() turns ASCII , ; : ? ! ( ) into their full-width
//   forms where a CJK character stands next to them, and leaves Latin and
//   numeric text (10.5%, 1+X+Y, 2025-12-01, 1,000, f(x)) alone. A pair of
//   parentheses is converted as a pair, never one half only. Then it drops
//   ASCII spaces that touch a full-width mark (“ ” · … included), stand
//   between two CJK characters, or stand between CJK and a Latin letter or
//   digit, where the text engine's autospace adds 1/8 em; a space between
//   Latin words, or next to any other character (# & + an ASCII mark), stays.
// - Summarize() gives the lead of a body: whole sentences (ICU sentence
//   breaks) within max_chars code points; if the first sentence alone is too
//   long, it is cut at the last clause mark (，；：、) that fits and ends in
//   "……"; if that mark leaves less than a third of the budget, the cut is at
//   the last word boundary (ICU word segmentation) instead. A summary never cuts a Latin word or a
//   number and never leaves a “ 《 （ 「 ‘ open. It is never longer than max_chars code points.
// - StableItemId() depends only on the date and the title as written in the
//   bulletin, so rebuilding the same bulletin gives the same ids.
// - BuildPlaylistJson() is the whole of `noticeboard build` on text in
//   memory (the command and the web console's import call it): parse, make
//   the playlist, write its JSON and parse that again, so that no caller
//   hands on a playlist the player would refuse.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "playlist/playlist.h"

namespace nb::bulletin {

struct BulletinItem {
  int line = 0;       // line of the title, 1-based
  std::string title;  // as written (trimmed), not normalized
  std::string date;   // YYYY-MM-DD, a real calendar date
  std::string body;   // paragraphs joined by "\n", not normalized
};

struct SkippedLine {
  int line = 0;
  std::string text;
};

struct Bulletin {
  std::string source;  // the first non-empty line
  std::vector<BulletinItem> items;
  std::vector<SkippedLine> skipped;
};

// source_name names the file in error messages ("tianjin-education.txt").
Status ParseBulletin(std::string_view text, const std::string& source_name, Bulletin* out);

std::string NormalizeTypography(std::string_view utf8);

inline constexpr int kDefaultSummaryChars = 100;
// max_chars must be at least 4 (room for one character and "……").
std::string Summarize(std::string_view body_utf8, int max_chars = kDefaultSummaryChars);

// "2025-12-01-3f9a2c1b": the date, then 8 hex digits of a hash of date and title.
std::string StableItemId(std::string_view date, std::string_view title);

struct BuildOptions {
  int summary_chars = kDefaultSummaryChars;
  bool normalize = true;
  double default_duration_s = 15.0;
  playlist::Transition transition;  // crossfade, 600 ms
};

// Items in bulletin order. Ids are StableItemId(); if two items share date and
// title, the later ones get "-2", "-3", ... so ids stay unique and stable.
playlist::Playlist MakePlaylist(const Bulletin& bulletin, const BuildOptions& options,
                                std::string generated_at);

struct BuiltPlaylist {
  std::string json;  // canonical playlist JSON, valid
  std::size_t items = 0;
  // One per skipped line: "SOURCE:LINE: skipped, not part of any item: TEXT".
  std::vector<std::string> warnings;
  // When the built playlist fails validation (more items than a playlist
  // holds, say): every problem, with its JSON pointer.
  std::vector<playlist::Diagnostic> errors;
};

// Fails with ParseBulletin's message, or with "built playlist is invalid"
// and *errors filled. Warnings are filled once the bulletin has parsed.
Status BuildPlaylistJson(std::string_view text, const std::string& source_name,
                         const BuildOptions& options, std::string generated_at, BuiltPlaylist* out);

}  // namespace nb::bulletin
