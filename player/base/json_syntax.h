// JSON syntax errors in plain words, at the place a person has to edit
// (ParseJson in base/json_check.h is the one caller).
//
// Contract:
// - DescribeJsonSyntaxError() takes the text, nlohmann's message and its
//   count of bytes read, and returns the byte offset of the place to fix and
//   a message that starts "JSON syntax error: ". It reads the text itself
//   (comments too when allowed) rather than trusting nlohmann's position,
//   which is the end of the token after the mistake.
// - The common mistakes get their own words and place:
//   a comma missing between two entries: the end of the first entry (so for
//     a comma forgotten at the end of a line, that line, not the next);
//   a comma after the last entry of a list or object: that comma;
//   a character typed with a Chinese input method where JSON needs its
//     ASCII twin (， 、 ： “ ” ‘ ’ ＂ ｛ ｝ ［ ］ 【 】 and the full-width
//     space), also a curly quote that was meant to close a text: that
//     character, named in words ("a full-width comma ， (typed with a Chinese
//     input method) where JSON needs ,");
//   a missing colon, a name without quotes, a misspelt true/false/null, a
//   text in quotes not closed on its line, a file cut short, a file that is
//   not UTF-8.
//   Anything else keeps nlohmann's words at the character where it stopped.
// - A message quotes at most 40 characters of the file, whole characters
//   only (never half of a UTF-8 sequence); bytes that are not UTF-8 are
//   written as <0xCC>.
// - JsonLineColumn() gives the 1-based line and column of a byte offset,
//   columns counting characters (the same count for playlists, the config,
//   the theme and the fonts file).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace nb {

struct JsonSyntaxProblem {
  std::size_t offset = 0;  // byte offset in the text of the place to fix
  std::string message;     // "JSON syntax error: ..."
};

JsonSyntaxProblem DescribeJsonSyntaxError(std::string_view text, bool allow_comments,
                                          std::size_t bytes_read, std::string_view nlohmann_what);

std::pair<std::size_t, std::size_t> JsonLineColumn(std::string_view text, std::size_t offset);

}  // namespace nb
