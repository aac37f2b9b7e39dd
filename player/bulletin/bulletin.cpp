// Bulletin parsing, stable ids and the bulletin → playlist mapping.
#include "bulletin/bulletin.h"

#include <unicode/utf8.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <utility>

namespace nb::bulletin {
namespace {

struct Line {
  int number = 0;
  std::string text;  // trimmed
};

bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// Trims ASCII whitespace, NBSP (U+00A0) and the ideographic space (U+3000),
// which Chinese text uses to indent paragraphs.
std::string Trim(std::string_view s) {
  auto starts_ws = [](std::string_view v) -> std::size_t {
    if (!v.empty() && IsAsciiSpace(static_cast<unsigned char>(v[0]))) return 1;
    if (v.substr(0, 3) == "\u3000") return 3;
    if (v.substr(0, 2) == "\u00a0") return 2;
    return 0;
  };
  auto ends_ws = [](std::string_view v) -> std::size_t {
    if (!v.empty() && IsAsciiSpace(static_cast<unsigned char>(v.back()))) return 1;
    if (v.size() >= 3 && v.substr(v.size() - 3) == "\u3000") return 3;
    if (v.size() >= 2 && v.substr(v.size() - 2) == "\u00a0") return 2;
    return 0;
  };
  for (std::size_t n; (n = starts_ws(s)) > 0;) s.remove_prefix(n);
  for (std::size_t n; (n = ends_ws(s)) > 0;) s.remove_suffix(n);
  return std::string(s);
}

// Checks the whole text with ICU's decoder; reports the first bad sequence.
Status CheckUtf8(std::string_view text, const std::string& source) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  int line = 1;
  for (int32_t i = 0; i < length;) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02X", s[start]);
      return Status::Error(source + ":" + std::to_string(line) + ": invalid UTF-8 at byte offset " +
                           std::to_string(start) + " (byte " + byte +
                           "); save the bulletin as UTF-8 text");
    }
    if (c == '\n') ++line;
  }
  return Status();
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Looks like a date line: digits-digits-digits with a 4-digit year.
bool LooksLikeDate(std::string_view s) {
  auto d1 = s.find('-');
  if (d1 != 4) return false;
  auto d2 = s.find('-', d1 + 1);
  if (d2 == std::string_view::npos) return false;
  auto month = s.substr(d1 + 1, d2 - d1 - 1), day = s.substr(d2 + 1);
  return IsDigits(s.substr(0, 4)) && IsDigits(month) && IsDigits(day) && month.size() <= 2 &&
         day.size() <= 2;
}

// Returns an empty string if the date line is a real YYYY-MM-DD date, else why not.
std::string DateProblem(std::string_view s) {
  int y = std::stoi(std::string(s.substr(0, 4)));
  auto d2 = s.find('-', 5);
  auto month_text = s.substr(5, d2 - 5), day_text = s.substr(d2 + 1);
  if (month_text.size() != 2 || day_text.size() != 2)
    return "expected YYYY-MM-DD with two-digit month and day";
  unsigned m = static_cast<unsigned>(std::stoi(std::string(month_text)));
  unsigned d = static_cast<unsigned>(std::stoi(std::string(day_text)));
  using namespace std::chrono;
  if (!month{m}.ok()) return "there is no month " + std::string(month_text);
  year_month_day ymd{year{y}, month{m}, day{d}};
  if (!ymd.ok()) {
    return "day " + std::string(day_text) + " does not exist in " + std::string(s.substr(0, 7));
  }
  return "";
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  out.append(s);
  out += '"';
  return out;
}

bool EndsWithDashMarker(std::string_view s) {
  return s.size() >= 2 && s.back() == '-' &&
         IsAsciiSpace(static_cast<unsigned char>(s[s.size() - 2]));
}

class Parser {
 public:
  Parser(std::vector<Line> lines, std::string source)
      : lines_(std::move(lines)), source_(std::move(source)) {}

  Status Run(Bulletin* out) {
    SkipBlank();
    if (AtEnd()) return Error(lines_.empty() ? 1 : lines_.back().number, "the bulletin is empty");
    const Line& name = lines_[pos_];
    if (name.text == "-" || name.text == "\u00b7" || LooksLikeDate(name.text)) {
      return Error(name.number,
                   "expected the source's name (such as 天津教育) on the first line, found " +
                       Quote(name.text));
    }
    out->source = name.text;
    ++pos_;
    // The header's separators are optional.
    SkipBlank();
    if (!AtEnd() && lines_[pos_].text == "-") ++pos_;
    SkipBlank();
    if (!AtEnd() && lines_[pos_].text == "\u00b7") ++pos_;

    for (;;) {
      SkipBlank();
      if (AtEnd()) break;
      const Line& first = lines_[pos_];
      if (first.text == "\u00b7" || first.text == "-") {  // a doubled separator carries no text
        ++pos_;
        continue;
      }
      if (LooksLikeDate(first.text)) {
        return Error(first.number, "item without a title: the date " + first.text +
                                       " must follow a title line, but follows a separator");
      }
      BulletinItem item;
      item.line = first.number;
      item.title = first.text;
      ++pos_;
      SkipBlank();
      if (AtEnd()) {
        return Error(first.number, "item " + Quote(item.title) +
                                       " has no date: expected a line YYYY-MM-DD after the title, "
                                       "but the file ends");
      }
      const Line& date = lines_[pos_];
      if (!LooksLikeDate(date.text)) {
        return Error(date.number, "item " + Quote(item.title) + " (line " +
                                      std::to_string(first.number) +
                                      ") has no date: expected a line YYYY-MM-DD after the title, "
                                      "found " +
                                      Quote(date.text));
      }
      if (std::string why = DateProblem(date.text); !why.empty()) {
        return Error(date.number, "impossible date " + date.text + " for item " +
                                      Quote(item.title) + ": " + why);
      }
      item.date = date.text;
      ++pos_;
      BodyEnd end = ReadBody(&item, out);
      out->items.push_back(std::move(item));
      if (end == BodyEnd::kMarker) SkipToSeparator(out);
    }
    if (Status s = CheckSkippedLines(*out); !s.ok()) return s;
    if (out->items.empty()) {
      return Error(name.number,
                   "no items found: expected a title line, a date line YYYY-MM-DD "
                   "and a body after the source's name");
    }
    return Status();
  }

 private:
  bool AtEnd() const { return pos_ >= lines_.size(); }
  void SkipBlank() {
    while (!AtEnd() && lines_[pos_].text.empty()) ++pos_;
  }
  Status Error(int line, const std::string& message) const {
    return Status::Error(source_ + ":" + std::to_string(line) + ": " + message);
  }

  enum class BodyEnd { kMarker, kSeparator, kEndOfFile };

  // Reads body lines up to the end marker (" -" or "-"), a separator "·" or
  // the end of the file.
  BodyEnd ReadBody(BulletinItem* item, Bulletin* out) {
    std::vector<std::string> paragraphs;
    std::size_t first_blank_after_text = 0;  // position of the first blank line after some text
    std::size_t start = pos_;
    while (!AtEnd()) {
      const std::string& t = lines_[pos_].text;
      if (t == "\u00b7") {  // separator: the next item follows directly
        item->body = Join(paragraphs);
        return BodyEnd::kSeparator;
      }
      if (t == "-") {
        ++pos_;
        item->body = Join(paragraphs);
        return BodyEnd::kMarker;
      }
      if (EndsWithDashMarker(t)) {
        paragraphs.push_back(Trim(std::string_view(t).substr(0, t.size() - 1)));
        ++pos_;
        item->body = Join(paragraphs);
        return BodyEnd::kMarker;
      }
      if (t.empty()) {
        if (!paragraphs.empty() && first_blank_after_text == 0) first_blank_after_text = pos_;
      } else {
        paragraphs.push_back(t);
      }
      ++pos_;
    }
    // The file ended without a marker: the body is the first block of lines;
    // whatever follows a blank line is not part of it.
    paragraphs.clear();
    std::size_t end = first_blank_after_text ? first_blank_after_text : pos_;
    for (std::size_t i = start; i < end; ++i)
      if (!lines_[i].text.empty()) paragraphs.push_back(lines_[i].text);
    for (std::size_t i = end; i < lines_.size(); ++i)
      if (!lines_[i].text.empty()) out->skipped.push_back({lines_[i].number, lines_[i].text});
    item->body = Join(paragraphs);
    return BodyEnd::kEndOfFile;
  }

  // After a terminated body: expect "·"; lines before it belong to no item.
  void SkipToSeparator(Bulletin* out) {
    for (; !AtEnd(); ++pos_) {
      const Line& l = lines_[pos_];
      if (l.text.empty()) continue;
      if (l.text == "\u00b7") {
        ++pos_;
        return;
      }
      out->skipped.push_back({l.number, l.text});
    }
  }

  // Only blank lines between lines a and b (1-based numbers, a < b).
  bool Adjacent(int a, int b) const {
    for (int n = a + 1; n < b; ++n)
      if (!lines_[static_cast<std::size_t>(n - 1)].text.empty()) return false;
    return true;
  }

  // Skipped lines that read as a title, a date and a body are an item whose
  // "·" line is missing: dropping them would lose news without a word.
  Status CheckSkippedLines(const Bulletin& b) const {
    const std::vector<SkippedLine>& s = b.skipped;
    for (std::size_t i = 0; i + 2 < s.size(); ++i) {
      const SkippedLine &title = s[i], &date = s[i + 1], &body = s[i + 2];
      if (LooksLikeDate(title.text) || !LooksLikeDate(date.text) || LooksLikeDate(body.text) ||
          !Adjacent(title.line, date.line) || !Adjacent(date.line, body.line))
        continue;
      return Error(title.line, "the lines from here look like an item (the title " +
                                   Quote(title.text) + ", the date " + date.text +
                                   " and its text), but no line \"\u00b7\" comes before them, so "
                                   "the item would be left out: add a line with only \"\u00b7\" "
                                   "above line " +
                                   std::to_string(title.line));
    }
    return Status();
  }

  static std::string Join(const std::vector<std::string>& paragraphs) {
    std::string s;
    for (const auto& p : paragraphs) {
      if (!s.empty()) s += '\n';
      s += p;
    }
    return s;
  }

  std::vector<Line> lines_;
  std::string source_;
  std::size_t pos_ = 0;
};

// FNV-1a, 64 bit: tiny, stable across platforms and releases, good enough to
// tell a few thousand bulletin items apart.
uint64_t Fnv1a64(std::string_view data) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

Status ParseBulletin(std::string_view text, const std::string& source_name, Bulletin* out) {
  *out = Bulletin();
  if (Status s = CheckUtf8(text, source_name); !s.ok()) return s;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<Line> lines;
  int number = 1;
  for (std::size_t begin = 0; begin <= text.size();) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back({number++, Trim(text.substr(begin, end - begin))});
    begin = end + 1;
  }
  Parser parser(std::move(lines), source_name);
  return parser.Run(out);
}

std::string StableItemId(std::string_view date, std::string_view title) {
  std::string key = std::string(date) + "\n" + std::string(title);
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(Fnv1a64(key) >> 32));
  return std::string(date) + "-" + hex;
}

playlist::Playlist MakePlaylist(const Bulletin& bulletin, const BuildOptions& options,
                                std::string generated_at) {
  playlist::Playlist p;
  p.title = options.normalize ? NormalizeTypography(bulletin.source) : bulletin.source;
  p.generated_at = std::move(generated_at);
  p.default_duration_s = options.default_duration_s;
  p.transition = options.transition;
  std::map<std::string, int> seen;
  for (const BulletinItem& b : bulletin.items) {
    playlist::Item item;
    item.id = StableItemId(b.date, b.title);
    if (int n = ++seen[item.id]; n > 1) item.id.append("-").append(std::to_string(n));
    item.title = options.normalize ? NormalizeTypography(b.title) : b.title;
    item.body = options.normalize ? NormalizeTypography(b.body) : b.body;
    item.summary = Summarize(item.body, options.summary_chars);
    item.date = b.date;
    p.items.push_back(std::move(item));
  }
  return p;
}

Status BuildPlaylistJson(std::string_view text, const std::string& source_name,
                         const BuildOptions& options, std::string generated_at,
                         BuiltPlaylist* out) {
  *out = BuiltPlaylist();
  Bulletin parsed;
  if (Status s = ParseBulletin(text, source_name, &parsed); !s.ok()) return s;
  for (const SkippedLine& skipped : parsed.skipped) {
    out->warnings.push_back(source_name + ":" + std::to_string(skipped.line) +
                            ": skipped, not part of any item: " + skipped.text);
  }
  out->items = parsed.items.size();
  out->json = playlist::ToJson(MakePlaylist(parsed, options, std::move(generated_at)));
  if (!playlist::ParsePlaylist(out->json, source_name, &out->errors)) {
    out->json.clear();
    return Status::Error(source_name + ": built playlist is invalid");
  }
  return Status();
}

}  // namespace nb::bulletin
