#include "base/json_syntax.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace nb {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::size_t kMaxQuotedChars = 40;

// Length of the well-formed UTF-8 sequence at text[at] (its code point in
// *cp), or 0. Only for naming characters in messages: nb_base has no ICU.
std::size_t Utf8Length(std::string_view text, std::size_t at, char32_t* cp) {
  const auto c = static_cast<unsigned char>(text[at]);
  const std::size_t n = c < 0x80         ? 1
                        : (c >> 5) == 6  ? 2
                        : (c >> 4) == 14 ? 3
                        : (c >> 3) == 30 ? 4
                                         : 0;
  if (n == 0 || at + n > text.size()) return 0;
  char32_t value = n == 1 ? c : c & (0x7F >> n);
  for (std::size_t i = 1; i < n; ++i) {
    const auto d = static_cast<unsigned char>(text[at + i]);
    if ((d & 0xC0) != 0x80) return 0;
    value = (value << 6) | (d & 0x3F);
  }
  *cp = value;
  return n;
}

std::string ByteName(unsigned char byte) {
  char name[8];
  std::snprintf(name, sizeof name, "<0x%02X>", byte);
  return name;
}

// "text" in quotes, whole characters only, at most kMaxQuotedChars of them.
std::string Quote(std::string_view text) {
  std::string out = "\"";
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++chars) {
    if (chars == kMaxQuotedChars) {
      out += "…";
      break;
    }
    char32_t cp = 0;
    std::size_t n = Utf8Length(text, i, &cp);
    if (n == 0) {
      out += ByteName(static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    out += cp < 0x20 ? std::string_view(" ") : text.substr(i, n);
    i += n;
  }
  return out + "\"";
}

// A character a Chinese input method types where JSON needs an ASCII one.
struct LookAlike {
  char32_t cp;
  const char* name;  // "a full-width comma ，"
  const char* needs;
};
constexpr LookAlike kLookAlikes[] = {
    {U'\uFF0C', "a full-width comma ，", ","},
    {U'\u3001', "an enumeration comma 、", ","},
    {U'\uFF1A', "a full-width colon ：", ":"},
    {U'\u201C', "a curly quote “", "a straight quote \""},
    {U'\u201D', "a curly quote ”", "a straight quote \""},
    {U'\u2018', "a curly quote ‘", "a straight double quote \""},
    {U'\u2019', "a curly quote ’", "a straight double quote \""},
    {U'\uFF02', "a full-width quote ＂", "a straight quote \""},
    {U'\uFF5B', "a full-width brace ｛", "{"},
    {U'\uFF5D', "a full-width brace ｝", "}"},
    {U'\uFF3B', "a full-width bracket ［", "["},
    {U'\uFF3D', "a full-width bracket ］", "]"},
    {U'\u3010', "a bracket 【", "["},
    {U'\u3011', "a bracket 】", "]"},
    {U'\u3000', "a full-width space", "an ordinary space"},
};

const LookAlike* FindLookAlike(char32_t cp) {
  for (const LookAlike& l : kLookAlikes)
    if (l.cp == cp) return &l;
  return nullptr;
}

std::string LookAlikeMessage(const LookAlike& l) {
  return std::string(l.name) + " (typed with a Chinese input method) where JSON needs " + l.needs;
}

struct Token {
  enum Kind { kString, kWord, kPunct, kOther } kind;
  std::size_t start = 0, end = 0;
  bool closed = true;  // a string's closing quote was found on its line
};

bool IsWordChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' ||
         c == '-' || c == '.';
}

// The tokens that start at or before `limit`. Everything before the mistake
// is valid JSON, so these agree with nlohmann's up to the bad one.
std::vector<Token> Tokenize(std::string_view text, bool comments, std::size_t limit) {
  std::vector<Token> out;
  std::size_t i = text.substr(0, 3) == kBom ? 3 : 0;
  while (i < text.size() && i <= limit) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (comments && c == '/' && i + 1 < text.size() && (text[i + 1] == '/' || text[i + 1] == '*')) {
      std::size_t e = text[i + 1] == '/' ? text.find('\n', i) : text.find("*/", i + 2);
      i = e == std::string_view::npos ? text.size() : e + (text[i + 1] == '/' ? 0 : 2);
      continue;
    }
    Token t{Token::kOther, i, i + 1};
    if (c == '"') {
      t.kind = Token::kString;
      t.closed = false;
      std::size_t j = i + 1;
      while (j < text.size()) {
        const auto d = static_cast<unsigned char>(text[j]);
        if (d == '\\') {
          j += 2;
          continue;
        }
        if (d < 0x20) break;
        ++j;
        if (d == '"') {
          t.closed = true;
          break;
        }
      }
      t.end = std::min(j, text.size());
    } else if (std::string_view("{}[]:,").find(c) != std::string_view::npos) {
      t.kind = Token::kPunct;
    } else if (IsWordChar(c)) {
      t.kind = Token::kWord;
      while (t.end < text.size() && IsWordChar(text[t.end])) ++t.end;
    } else {
      char32_t cp = 0;
      t.end = i + std::max<std::size_t>(1, Utf8Length(text, i, &cp));
    }
    out.push_back(t);
    i = t.end;
  }
  return out;
}

// In a string that ran past its end: the curly quote that was meant to close
// it (one followed by , : } ] or the end of the line), or npos.
std::size_t CurlyCloseQuote(std::string_view text, const Token& s) {
  const std::size_t end = s.closed ? s.end - 1 : s.end;
  for (std::size_t i = s.start + 1; i < end;) {
    char32_t cp = 0;
    std::size_t n = std::max<std::size_t>(1, Utf8Length(text, i, &cp));
    if (cp == U'\u201C' || cp == U'\u201D') {
      std::size_t j = i + n;
      while (j < end && (text[j] == ' ' || text[j] == '\t')) ++j;
      if (j >= end || std::string_view(",:}]").find(text[j]) != std::string_view::npos) return i;
    }
    i += n;
  }
  return std::string_view::npos;
}

}  // namespace

std::pair<std::size_t, std::size_t> JsonLineColumn(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, column = 1;
  // A byte order mark is no character anyone sees.
  for (std::size_t i = text.substr(0, 3) == kBom && offset >= 3 ? 3 : 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;  // count characters, not UTF-8 continuation bytes
    }
  }
  return {line, column};
}

JsonSyntaxProblem DescribeJsonSyntaxError(std::string_view text, bool allow_comments,
                                          std::size_t bytes_read, std::string_view what) {
  auto has = [&](std::string_view s) { return what.find(s) != std::string_view::npos; };
  auto piece = [&](const Token& t) { return text.substr(t.start, t.end - t.start); };
  // A token as a message shows it: a string without its own quotes.
  auto shown = [&](const Token& t) {
    std::string_view p = piece(t);
    if (t.kind == Token::kString) p = p.substr(1, p.size() - (t.closed ? 2 : 1));
    return Quote(p);
  };
  auto line_of = [&](std::size_t offset) { return JsonLineColumn(text, offset).first; };
  auto problem = [](std::size_t offset, std::string message) {
    return JsonSyntaxProblem{offset, "JSON syntax error: " + std::move(message)};
  };

  // nlohmann stops just after the byte it could not use.
  std::size_t at = std::min(bytes_read > 0 ? bytes_read - 1 : 0, text.size());
  while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
  const std::vector<Token> tokens = Tokenize(text, allow_comments, at);
  const bool at_end = at >= text.size() || tokens.empty();
  const Token* bad = at_end ? nullptr : &tokens.back();
  const Token* prev = nullptr;
  if (bad && tokens.size() >= 2) prev = &tokens[tokens.size() - 2];
  if (at_end && !tokens.empty()) prev = &tokens.back();
  // A text whose closing quote never came runs to the end of the file.
  if (at_end && prev && prev->kind == Token::kString && !prev->closed) {
    bad = prev;
    prev = tokens.size() >= 2 ? &tokens[tokens.size() - 2] : nullptr;
  }
  // For "invalid literal" nlohmann may stop one past a bad word ("tru}").
  const Token* culprit = bad;
  if (bad && bad->kind == Token::kPunct && prev && prev->kind == Token::kWord &&
      prev->end == bad->start && has("invalid literal"))
    culprit = prev;

  if (culprit && culprit->kind == Token::kOther) {
    char32_t cp = 0;
    if (Utf8Length(text, culprit->start, &cp) == 0) {
      return problem(culprit->start,
                     "the file is not UTF-8 text (found the byte " +
                         ByteName(static_cast<unsigned char>(text[culprit->start])) +
                         "): save it again choosing the encoding UTF-8");
    }
    if (const LookAlike* l = FindLookAlike(cp))
      return problem(culprit->start, LookAlikeMessage(*l));
    if (cp == '\'')
      return problem(culprit->start,
                     "JSON needs straight double quotes \" around names and texts, not '");
  }
  const bool value_follows = bad && (bad->kind == Token::kString || bad->kind == Token::kWord ||
                                     text[bad->start] == '{' || text[bad->start] == '[');
  if (has("unexpected ") && (has("expected '}'") || has("expected ']'")) && value_follows && prev) {
    const std::size_t line = line_of(prev->end), next_line = line_of(bad->start);
    if (line != next_line)
      return problem(prev->end, "a comma , is missing at the end of line " + std::to_string(line) +
                                    " (before the next entry on line " + std::to_string(next_line) +
                                    ")");
    return problem(prev->end, "a comma , is missing before " + shown(*bad) +
                                  " (JSON needs , between two entries)");
  }
  if (bad && bad->kind == Token::kPunct && (text[bad->start] == '}' || text[bad->start] == ']') &&
      prev && text[prev->start] == ',') {
    return problem(prev->start, std::string("a comma after the last entry: JSON allows no , right "
                                            "before ") +
                                    text[bad->start] + " (remove this comma)");
  }
  if (has("expected ':'") && prev && prev->kind == Token::kString)
    return problem(prev->end, "a colon : is missing after the name " + shown(*prev));
  if (has("invalid literal") || has("invalid string") || has("missing closing quote")) {
    // A text opened with " but closed with a curly quote runs on.
    for (const Token* s : {bad, prev}) {
      if (!s || s->kind != Token::kString) continue;
      if (std::size_t q = CurlyCloseQuote(text, *s); q != std::string_view::npos) {
        char32_t cp = 0;
        Utf8Length(text, q, &cp);
        return problem(q, LookAlikeMessage(*FindLookAlike(cp)) + " to end the text");
      }
      if (s == bad) break;  // only a string right before a bad word ran on
    }
  }
  if (has("ill-formed UTF-8")) {
    // nlohmann stops at the byte that broke the sequence: name its start.
    char32_t cp = 0;
    for (std::size_t i = bad ? bad->start : at, n = 0; i < at; i += n) {
      if ((n = Utf8Length(text, i, &cp)) == 0) {
        at = i;
        break;
      }
    }
    if (at >= text.size() || text.size() - at < 4) {
      // A character whose last bytes are missing at the very end: a file
      // copied or downloaded only in part.
      auto lead = at < text.size() ? static_cast<unsigned char>(text[at]) : 0;
      std::size_t need = (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : (lead >> 3) == 30 ? 4 : 0;
      if (at >= text.size() || at + need > text.size())
        return problem(at,
                       "the file ends in the middle of a character: it was cut short (copy "
                       "or download it again)");
    }
    return problem(at, "the file is not UTF-8 text (found the byte " +
                           ByteName(static_cast<unsigned char>(text[at])) +
                           "): save it again choosing the encoding UTF-8");
  }
  if (culprit && culprit->kind == Token::kWord && has("invalid literal")) {
    if (has("object key"))
      return problem(culprit->start, "a name must be in straight double quotes: write \"" +
                                         std::string(piece(*culprit)) + "\" instead of " +
                                         std::string(piece(*culprit)));
    return problem(culprit->start,
                   shown(*culprit) +
                       " is not a JSON value: texts go in straight double quotes (\"like this\"); "
                       "true, false and null are written in lower case");
  }
  if (bad && bad->kind == Token::kString && !bad->closed) {
    if (bad->end < text.size())
      return problem(bad->start,
                     "a text in quotes is not closed on its line: add the closing \" (a line "
                     "break inside a text is written \\n)");
    return problem(bad->start, "a text in quotes is never closed: add the closing \"");
  }
  if (has("unexpected end of input")) {
    if (!prev) return problem(0, "the file is empty: expected JSON such as { ... }");
    return problem(prev->end,
                   "the file ends before the JSON is complete: a closing } or ] is missing, or "
                   "the file was cut short");
  }
  // Anything else: nlohmann's words without its "while parsing ..." and its
  // raw "last read" bytes.
  std::string rest(what);
  if (auto dash = rest.find(" - "); dash != std::string::npos) rest = rest.substr(dash + 3);
  if (auto read = rest.find("; last read: '"); read != std::string::npos) {
    auto expected = rest.rfind("; expected ");
    rest = rest.substr(0, read) +
           (expected != std::string::npos && expected > read ? rest.substr(expected) : "");
  }
  if (culprit) rest += " (at " + shown(*culprit) + ")";
  return problem(at, rest);
}

}  // namespace nb
