// Paired marks and character classes of Chinese text (W3C clreq, GB/T
// 15834): one table for the text engine and the bulletin reader.
//
// Contract: constexpr, no tables to initialise, no ICU.
// - kBracketPairs lists every pair of opening and closing marks the player
//   knows (quotation, title, bracket and parenthesis marks), each with the
//   uses that take it. A use that takes only some pairs names them there, so
//   that each list of pairs is written once; the lookups take a use.
// - IsHan: ideographs, kana and the iteration and zero marks 々 〇.
// - IsCjkPunctuation: the CJK symbol and full-width form blocks, curly
//   quotes and the dashes, dots and ellipsis of Chinese text.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace nb {

// What a pair of marks is used for (bits; a pair can serve several).
enum BracketUse : std::uint8_t {
  // A full-width pair: the opening mark's left half and the closing mark's
  // right half are blank, which punctuation compression and line-edge
  // trimming take away; every such opening mark nests a headline's quotation.
  kFullWidthPair = 1 << 0,
  // A headline's quotation depth drops at the closing mark: the seven pairs
  // the headline balancer was written with (every full-width opening mark
  // deepens it). Kept so that balanced headlines keep their line breaks.
  kEndsHeadlineQuotation = 1 << 1,
  // A text cut to fit is closed with the closing mark after "……": the ten
  // full-width pairs of news text and ASCII parentheses, as written for it.
  kClosedAfterCut = 1 << 2,
  // A bulletin summary ends only where none of these is open: the quotation,
  // title and parenthesis marks of bureau bulletins. Kept to the five that
  // summaries were written with: with more, a summary could end elsewhere,
  // and a playlist rebuilt from the same bulletin should read the same.
  kKeptWholeBySummary = 1 << 3,
};

struct BracketPair {
  char32_t open;
  char32_t close;
  std::uint8_t uses;  // BracketUse bits
};

inline constexpr std::uint8_t kEveryBracketUse =
    kFullWidthPair | kEndsHeadlineQuotation | kClosedAfterCut | kKeptWholeBySummary;

inline constexpr std::array<BracketPair, 16> kBracketPairs = {{
    {U'“', U'”', kEveryBracketUse},
    {U'‘', U'’', kEveryBracketUse},
    {U'《', U'》', kEveryBracketUse},
    {U'（', U'）', kEveryBracketUse},
    {U'「', U'」', kEveryBracketUse},
    {U'『', U'』', kFullWidthPair | kEndsHeadlineQuotation | kClosedAfterCut},
    {U'【', U'】', kFullWidthPair | kEndsHeadlineQuotation | kClosedAfterCut},
    {U'〔', U'〕', kFullWidthPair | kClosedAfterCut},
    {U'〖', U'〗', kFullWidthPair | kClosedAfterCut},
    {U'〈', U'〉', kFullWidthPair | kClosedAfterCut},
    {U'［', U'］', kFullWidthPair},
    {U'｛', U'｝', kFullWidthPair},
    {U'〘', U'〙', kFullWidthPair},
    {U'〚', U'〛', kFullWidthPair},
    {U'｟', U'｠', kFullWidthPair},
    {U'(', U')', kClosedAfterCut},
}};

// Ideographs and kana hold no paired mark: lookups skip them at once.
constexpr bool InMarkFreeBlock(char32_t c) { return c >= 0x3040 && c < 0xFF00; }
static_assert([] {
  for (const BracketPair& p : kBracketPairs) {
    if (InMarkFreeBlock(p.open) || InMarkFreeBlock(p.close)) return false;
  }
  return true;
}());

// The closing mark of the pair that `open` opens among the pairs of `use`,
// or 0 when `open` opens none of them.
constexpr char32_t ClosingMarkFor(char32_t open, BracketUse use) {
  if (InMarkFreeBlock(open)) return 0;
  for (const BracketPair& p : kBracketPairs) {
    if (p.open == open && (p.uses & use)) return p.close;
  }
  return 0;
}

constexpr bool IsOpeningMark(char32_t c, BracketUse use) { return ClosingMarkFor(c, use) != 0; }

constexpr bool IsClosingMark(char32_t c, BracketUse use) {
  if (InMarkFreeBlock(c)) return false;
  for (const BracketPair& p : kBracketPairs) {
    if (p.close == c && (p.uses & use)) return true;
  }
  return false;
}

constexpr std::size_t CountPairs(BracketUse use) {
  std::size_t n = 0;
  for (const BracketPair& p : kBracketPairs) n += (p.uses & use) ? 1 : 0;
  return n;
}

// The pairs of one use, in table order, for code that keeps a count per pair.
template <BracketUse kUse>
constexpr std::array<BracketPair, CountPairs(kUse)> PairsFor() {
  std::array<BracketPair, CountPairs(kUse)> out{};
  std::size_t n = 0;
  for (const BracketPair& p : kBracketPairs) {
    if (p.uses & kUse) out[n++] = p;
  }
  return out;
}

constexpr bool IsHan(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F) ||
         (c >= 0x3040 && c <= 0x30FF && c != 0x30FB) || c == 0x3005 || c == 0x3007;
}

constexpr bool IsCjkPunctuation(char32_t c) {
  return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) ||
         (c >= 0x2018 && c <= 0x201F) || c == 0x2014 || c == 0x2026 || c == 0x00B7 || c == 0x2022 ||
         c == 0x2027;
}

}  // namespace nb
