#include "alert/alert_text.h"

#include <cstdio>

#include "base/utf8.h"

namespace nb::alert {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// "" when every character of `text` is well-formed UTF-8 and no control
// character other than tab, CR and LF; else what and where.
std::string FindBadCharacter(std::string_view text) {
  std::size_t at = 0;
  int line = 1;
  while (at < text.size()) {
    std::size_t start = at;
    char32_t c = NextCodePoint(text, &at);
    if (c == U'\uFFFD' && text.substr(start, at - start) != "\xEF\xBF\xBD") {
      return "it is not valid UTF-8 (byte " + std::to_string(start) + ")";
    }
    if (c == U'\n') ++line;
    bool control = c < 0x20 || (c >= 0x7F && c <= 0x9F);
    if (control && c != U'\n' && c != U'\r' && c != U'\t') {
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
      return std::string("it holds the control character ") + code + " (line " +
             std::to_string(line) + "), which cannot be shown";
    }
  }
  return "";
}

}  // namespace

std::optional<std::string> CleanText(std::string_view text, bool multiline, std::string* why) {
  if (std::string bad = FindBadCharacter(text); !bad.empty()) {
    *why = std::move(bad);
    return std::nullopt;
  }
  std::string out;
  if (!multiline) {
    bool space = false;
    for (char c : text) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        space = true;
        continue;
      }
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
    return out;
  }
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t end = text.find_first_of("\r\n", at);
    if (end == std::string_view::npos) end = text.size();
    std::string line(Trim(text.substr(at, end - at)));
    for (char& c : line) {
      if (c == '\t') c = ' ';
    }
    if (!line.empty()) out += (out.empty() ? "" : "\n") + line;
    // CR LF is one break.
    at = end + (end + 1 < text.size() && text[end] == '\r' && text[end + 1] == '\n' ? 2 : 1);
  }
  return out;
}

std::string CheckAlertId(std::string_view id) {
  if (id.empty()) return "it is empty";
  if (id.size() > kMaxAlertIdBytes) {
    return "it is " + std::to_string(id.size()) + " bytes long; at most " +
           std::to_string(kMaxAlertIdBytes);
  }
  if (std::string bad = FindBadCharacter(id); !bad.empty()) return bad;
  for (char c : id) {
    if (c == '\t' || c == '\n' || c == '\r') return "it holds a tab or a line break";
  }
  if (Trim(id).size() != id.size()) return "it starts or ends with a space";
  return "";
}

}  // namespace nb::alert
