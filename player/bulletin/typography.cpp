// Typographic normalization and summaries of bulletin text.
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/unicode_classes.h"
#include "base/utf8.h"
#include "bulletin/bulletin.h"

namespace nb::bulletin {
namespace {

// A character that makes its neighbourhood Chinese (or Japanese, Korean):
// ideographs and kana, and anything East Asian Width calls wide or full-width
// (CJK punctuation such as 。、《》). Curly quotes, the middle dot and the
// ellipsis are "ambiguous" width; in this text they are Chinese punctuation.
bool IsCjk(char32_t c) {
  if (c == 0) return false;
  UChar32 u = static_cast<UChar32>(c);
  UErrorCode err = U_ZERO_ERROR;
  UScriptCode script = uscript_getScript(u, &err);
  if (U_SUCCESS(err) &&
      (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
       script == USCRIPT_HANGUL || script == USCRIPT_BOPOMOFO)) {
    return true;
  }
  int width = u_getIntPropertyValue(u, UCHAR_EAST_ASIAN_WIDTH);
  if (width == U_EA_WIDE || width == U_EA_FULLWIDTH) return true;
  return width == U_EA_AMBIGUOUS && u_ispunct(u);
}

bool IsAsciiAlnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }

char32_t FullWidth(char32_t c) { return c - 0x21 + 0xFF01; }  // ! → ！ ... ) → ）

// Ideographs and kana: what the text engine's autospace (1/8 em) sets apart
// from Latin letters and digits.
bool IsHanOrKana(char32_t c) {
  UErrorCode err = U_ZERO_ERROR;
  UScriptCode script = uscript_getScript(static_cast<UChar32>(c), &err);
  return U_SUCCESS(err) &&
         (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA);
}

// Letters and digits the engine's autospace applies to (text/punctuation.h,
// IsLatinOrDigit): ASCII, Latin-1 and Latin Extended, Greek, Cyrillic, and %.
bool TakesAutospace(char32_t c) {
  return IsAsciiAlnum(c) || c == U'%' || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
         (c >= 0x370 && c <= 0x3FF) || (c >= 0x400 && c <= 0x4FF);
}

// Full-width punctuation, with the ambiguous-width marks of Chinese text
// (“ ” · …): a mark that carries its own blank half.
bool IsFullWidthMark(char32_t c) { return IsCjk(c) && u_ispunct(static_cast<UChar32>(c)); }

// ASCII spaces go where Chinese typesetting has its own spacing: next to a
// full-width mark (its blank half is the space; with both, a hole of about
// 1.5 em), between two CJK characters, and between CJK and a Latin letter or
// digit (autospace adds 1/8 em there). A space next to anything else (#, &,
// an ASCII mark) stays, and so do spaces between Latin words.
std::u32string DropSpacesByCjk(const std::u32string& t) {
  std::u32string out;
  out.reserve(t.size());
  for (std::size_t i = 0; i < t.size();) {
    if (t[i] != U' ') {
      out.push_back(t[i++]);
      continue;
    }
    std::size_t end = i;
    while (end < t.size() && t[end] == U' ') ++end;
    const char32_t prev = i > 0 ? t[i - 1] : 0, next = end < t.size() ? t[end] : 0;
    const bool drop =
        prev != 0 && next != 0 &&
        (IsFullWidthMark(prev) || IsFullWidthMark(next) ||
         (IsHanOrKana(prev) && IsHanOrKana(next)) || (IsHanOrKana(prev) && TakesAutospace(next)) ||
         (TakesAutospace(prev) && IsHanOrKana(next)));
    if (!drop) out.append(t, i, end - i);
    i = end;
  }
  return out;
}

}  // namespace

std::string NormalizeTypography(std::string_view utf8) {
  std::u32string t = DecodeUtf8(utf8);
  auto at = [&](std::size_t i) -> char32_t { return i < t.size() ? t[i] : 0; };
  auto before = [&](std::size_t i) -> char32_t { return i > 0 ? t[i - 1] : 0; };

  // Parentheses go as pairs: the pair is full-width if its content is
  // Chinese, or if it stands in Chinese text without being attached to a
  // Latin word ("四年(3)班" → "四年（3）班", but "函数f(x)的" stays).
  std::vector<char> convert(t.size(), 0);
  std::vector<std::size_t> open;
  std::vector<bool> paired(t.size(), false);
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == U'(') {
      open.push_back(i);
    } else if (t[i] == U')' && !open.empty()) {
      std::size_t o = open.back();
      open.pop_back();
      bool cjk_inside = false;
      for (std::size_t k = o + 1; k < i && !cjk_inside; ++k) cjk_inside = IsCjk(t[k]);
      bool cjk_outside = IsCjk(before(o)) || IsCjk(at(i + 1));
      bool attached_to_latin = IsAsciiAlnum(before(o));
      bool full = cjk_inside || (cjk_outside && !attached_to_latin);
      convert[o] = convert[i] = full;
      paired[o] = paired[i] = true;
    }
  }
  for (std::size_t i = 0; i < t.size(); ++i) {
    char32_t c = t[i];
    bool candidate = c == U',' || c == U';' || c == U':' || c == U'?' || c == U'!' ||
                     ((c == U'(' || c == U')') && !paired[i]);
    if (candidate) {
      bool between_digits = IsAsciiDigit(before(i)) && IsAsciiDigit(at(i + 1));  // 1,000 and 07:30
      convert[i] = !between_digits && (IsCjk(before(i)) || IsCjk(at(i + 1)));
    }
  }
  for (std::size_t i = 0; i < t.size(); ++i)
    if (convert[i]) t[i] = FullWidth(t[i]);
  return EncodeUtf8(DropSpacesByCjk(t));
}

namespace {

// Opening and closing marks a summary must not leave open.
constexpr auto kPairs = PairsFor<kKeptWholeBySummary>();

bool IsClauseMark(const std::u32string& t, std::size_t i) {
  char32_t c = t[i];
  if (c == U'，' || c == U'；' || c == U'：' || c == U'、') return true;
  // Without normalization the ASCII forms mark clauses too, but not in numbers.
  if (c == U',' || c == U';' || c == U':') {
    char32_t prev = i > 0 ? t[i - 1] : 0, next = i + 1 < t.size() ? t[i + 1] : 0;
    return !(IsAsciiDigit(prev) && IsAsciiDigit(next));
  }
  return false;
}

bool IsSpace(char32_t c) { return c == U' ' || c == U'\n' || c == U'\t' || c == U'\u3000'; }

std::u32string TrimEnd(std::u32string s) {
  while (!s.empty() && IsSpace(s.back())) s.pop_back();
  return s;
}

// Boundaries of `text` (code point indices) from an ICU break iterator.
std::vector<std::size_t> Boundaries(const std::u32string& text, bool sentences) {
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(
      sentences ? icu::BreakIterator::createSentenceInstance(icu::Locale::getChinese(), err)
                : icu::BreakIterator::createWordInstance(icu::Locale::getChinese(), err));
  std::vector<std::size_t> out;
  if (U_FAILURE(err) || !it) return out;
  icu::UnicodeString u = icu::UnicodeString::fromUTF32(
      reinterpret_cast<const UChar32*>(text.data()), static_cast<int32_t>(text.size()));
  it->setText(u);
  for (int32_t b = it->first(); b != icu::BreakIterator::DONE; b = it->next()) {
    out.push_back(static_cast<std::size_t>(u.countChar32(0, b)));
  }
  return out;
}

}  // namespace

std::string Summarize(std::string_view body_utf8, int max_chars) {
  if (max_chars < 4) max_chars = 4;
  const std::size_t budget = static_cast<std::size_t>(max_chars);
  // One paragraph: the summary is a lead, shown as running text.
  std::u32string t;
  for (char32_t c : DecodeUtf8(body_utf8)) {
    if (c != U'\n') {
      t.push_back(c);
    } else if (!t.empty() && t.back() < 0x80) {
      t.push_back(U' ');  // Latin paragraphs need a space; Chinese ones none
    }
  }
  while (!t.empty() && IsSpace(t.front())) t.erase(t.begin());
  t = TrimEnd(t);
  if (t.size() <= budget) return EncodeUtf8(t);

  // open_at[i]: how many marks are open before position i.
  std::vector<int> open_at(t.size() + 1, 0);
  std::array<int, kPairs.size()> depth{};
  for (std::size_t i = 0; i < t.size(); ++i) {
    int total = 0;
    for (int d : depth) total += d;
    open_at[i] = total;
    for (std::size_t k = 0; k < kPairs.size(); ++k) {
      if (t[i] == kPairs[k].open) ++depth[k];
      if (t[i] == kPairs[k].close && depth[k] > 0) --depth[k];
    }
  }
  {
    int total = 0;
    for (int d : depth) total += d;
    open_at[t.size()] = total;
  }

  // Whole sentences, ending only where no quote or title mark is open.
  std::size_t best = 0, first_sentence_end = t.size();
  for (std::size_t b : Boundaries(t, true)) {
    if (b == 0 || open_at[b] != 0) continue;
    std::size_t len = TrimEnd(t.substr(0, b)).size();
    if (first_sentence_end == t.size()) first_sentence_end = b;
    if (len > budget) break;
    best = b;
  }
  if (best > 0) return EncodeUtf8(TrimEnd(t.substr(0, best)));

  // The first sentence is too long: cut it at its last clause mark that
  // leaves room for "……", with nothing open.
  // A head shorter than a third of the budget ("日前……") says nothing, so
  // such a clause mark counts as not fitting.
  const std::size_t room = budget - 2;
  const std::size_t shortest = std::max<std::size_t>(1, budget / 3);
  for (std::size_t i = std::min(first_sentence_end, room + 1); i-- > shortest;) {
    if (IsClauseMark(t, i) && i <= room && open_at[i] == 0) {
      return EncodeUtf8(TrimEnd(t.substr(0, i))) + "……";
    }
  }
  // No clause mark fits: cut at the last word boundary (ICU's dictionary
  // segments Chinese into words; a Latin word or a number is one word) and
  // close whatever is still open.
  std::vector<std::size_t> word_breaks = Boundaries(t, false);
  for (auto it = word_breaks.rbegin(); it != word_breaks.rend(); ++it) {
    std::size_t b = *it;
    if (b == 0 || b > room) continue;
    std::u32string head = TrimEnd(t.substr(0, b));
    std::u32string closers;
    std::array<int, kPairs.size()> d{};
    for (char32_t c : head) {
      for (std::size_t k = 0; k < kPairs.size(); ++k) {
        if (c == kPairs[k].open) ++d[k];
        if (c == kPairs[k].close && d[k] > 0) --d[k];
      }
    }
    // Close the most recently opened mark first.
    for (auto h = head.rbegin(); h != head.rend(); ++h) {
      for (std::size_t k = 0; k < kPairs.size(); ++k) {
        if (*h == kPairs[k].open && d[k] > 0) {
          closers += kPairs[k].close;
          --d[k];
        }
      }
    }
    if (head.empty() || head.size() + closers.size() > room) continue;
    return EncodeUtf8(head + closers) + "……";
  }
  return EncodeUtf8(t.substr(0, room)) + "……";
}

}  // namespace nb::bulletin
