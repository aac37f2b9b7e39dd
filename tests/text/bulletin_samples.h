// The sample bulletin's titles and bodies, parsed simply for the text tests:
// a title is the line before a date line (YYYY-MM-DD), a body the line after
// it, without the trailing " -" separator.
#pragma once

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "base/utf8.h"

namespace nb::text::testing {

struct BulletinSamples {
  std::vector<std::string> titles;
  std::vector<std::string> bodies;
  std::vector<std::string> all_lines;
};

inline BulletinSamples LoadBulletinSamples() {
  BulletinSamples out;
  std::ifstream in(std::string(NB_SOURCE_DIR) + "/playlists/tianjin-education.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.all_lines.push_back(line);
  }
  static const std::regex kDate(R"(\d{4}-\d{2}-\d{2})");
  const auto& l = out.all_lines;
  for (std::size_t i = 1; i + 1 < l.size(); ++i) {
    if (!std::regex_match(l[i], kDate)) continue;
    out.titles.push_back(l[i - 1]);
    std::string body = l[i + 1];
    if (body.size() >= 2 && body.compare(body.size() - 2, 2, " -") == 0)
      body.resize(body.size() - 2);
    out.bodies.push_back(body);
  }
  return out;
}

// Code points of a UTF-8 string.
inline std::u32string Utf32(std::string_view s) { return DecodeUtf8(s); }

}  // namespace nb::text::testing
