// Private to nb_alert: the text rules of alert/alert.h, shared by the JSON
// and the CAP reader so that both make fields the same way.
//
// Contract:
// - CleanText returns the text trimmed, valid UTF-8 or nullopt with *why.
//   A one-line field (a title, a source) gets its line breaks and tabs as
//   spaces, runs of spaces as one; a multi-line one (the text) gets CR LF
//   and CR as '\n', each line trimmed, empty lines dropped. Any other
//   control character is refused (it would draw as a box).
// - CheckAlertId returns "" for a usable id (1 to kMaxAlertIdBytes bytes, no
//   control characters, no spaces at its ends), else why not.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nb::alert {

inline constexpr std::size_t kMaxAlertIdBytes = 200;

std::optional<std::string> CleanText(std::string_view text, bool multiline, std::string* why);
std::string CheckAlertId(std::string_view id);

}  // namespace nb::alert
