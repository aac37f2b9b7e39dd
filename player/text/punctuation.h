// Character classes for Chinese line breaking and punctuation spacing
// (W3C clreq, GB/T 15834). Internal to nb_text.
//
// Contract: pure functions of one code point, no tables to initialise; the
// paired marks come from base/unicode_classes.h.
// - NoLineStart: marks that must never begin a line (closing and pause marks,
//   their ASCII forms, and the clreq additions ICU misses: ～ · ／ — …).
// - NoLineEnd: marks that must never end a line (opening marks, / and ／).
// - Punct kinds say which half of a full-width mark is blank, for
//   compression and trimming.
#pragma once

#include <cstdint>

#include "base/unicode_classes.h"

namespace nb::text {

enum class PunctKind : std::uint8_t {
  kNone,
  kOpening,  // blank left half: （《「『“‘【 and the other full-width openings
  kClosing,  // blank right half: ）》」』”’】 and the like, and 、，。．：；！？
};

// Letters and digits that take autospace next to Han (and % after a number).
inline bool IsLatinOrDigit(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x3FF) ||
         (c >= 0x400 && c <= 0x4FF) || c == '%';
}

inline bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == 0xA0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200A);
}

inline PunctKind FullWidthPunctKind(char32_t c) {
  if (IsOpeningMark(c, kFullWidthPair)) return PunctKind::kOpening;
  if (IsClosingMark(c, kFullWidthPair)) return PunctKind::kClosing;
  switch (c) {  // pause and stop marks: 、，。．：；！？
    case 0x3001:
    case 0xFF0C:
    case 0x3002:
    case 0xFF0E:
    case 0xFF1A:
    case 0xFF1B:
    case 0xFF01:
    case 0xFF1F:
      return PunctKind::kClosing;
    default:
      return PunctKind::kNone;
  }
}

inline bool NoLineStart(char32_t c) {
  if (FullWidthPunctKind(c) == PunctKind::kClosing) return true;
  switch (c) {
    case ',':
    case '.':
    case ':':
    case ';':
    case '!':
    case '?':
    case ')':
    case ']':
    case '}':
    case '%':
    case 0x2030:
    case 0x2103:
    case 0x00B0:  // ‰ ℃ °
    case 0xFF5E:
    case 0x301C:  // ～ 〜
    case 0x00B7:
    case 0x30FB:
    case 0x2027:
    case 0x2022:  // · ・ ‧ •
    case 0xFF0F:  // ／
    case 0x2014:
    case 0x2015:
    case 0x2E3A:  // — ― ⸺
    case 0x2026:
    case 0x2025:  // … ‥
    case 0x3005:
    case 0x309D:
    case 0x309E:
    case 0x30FC:
    case 0x30FD:
    case 0x30FE:
    case 0xFF05:  // ％
      return true;
    default:
      return false;
  }
}

inline bool NoLineEnd(char32_t c) {
  if (FullWidthPunctKind(c) == PunctKind::kOpening) return true;
  switch (c) {
    case '(':
    case '[':
    case '{':
    case '/':
    case 0xFF0F:
    case 0xFFE5:
    case '$':
      return true;
    default:
      return false;
  }
}

// Where a cut text may end: after a sentence or clause mark.
inline bool IsClauseEnd(char32_t c) {
  switch (c) {
    case 0x3002:
    case 0xFF01:
    case 0xFF1F:
    case 0xFF1B:
    case 0xFF0C:
    case 0x3001:
    case 0xFF1A:
    case '.':
    case '!':
    case '?':
    case ';':
    case ',':
    case ':':
      return true;
    default:
      return false;
  }
}

}  // namespace nb::text
