// The one UTF-8 decoder: well-formed text decodes to its code points, and
// each ill-formed sequence to one U+FFFD per maximal subpart, always moving on.
#include "base/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nb {
namespace {

// Each code point with the offset after it.
using Steps = std::vector<std::pair<char32_t, std::size_t>>;

Steps Decode(std::string_view text) {
  Steps out;
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = NextCodePoint(text, &i);
    out.emplace_back(c, i);
  }
  return out;
}

TEST(Utf8Test, DecodesOneToFourByteSequences) {
  EXPECT_EQ(Decode("a中𠀀"), (Steps{{U'a', 1}, {U'中', 4}, {U'𠀀', 8}}));
  EXPECT_EQ(DecodeUtf8("使用DeepSeek，共15条。"), U"使用DeepSeek，共15条。");
}

TEST(Utf8Test, AStrayContinuationByteIsOneReplacement) {
  EXPECT_EQ(Decode("\x80"), (Steps{{0xFFFD, 1}}));
  EXPECT_EQ(DecodeUtf8("a\xBF"
                       "b"),
            U"a\uFFFDb");
}

TEST(Utf8Test, ATruncatedSequenceIsOneReplacementForWhatIsThere) {
  EXPECT_EQ(Decode("\xE4\xB8"), (Steps{{0xFFFD, 2}}));      // 中 without its last byte
  EXPECT_EQ(Decode("\xF0\x9F\x99"), (Steps{{0xFFFD, 3}}));  // an emoji cut short
  // A lead byte followed by ASCII: the ASCII is not swallowed.
  EXPECT_EQ(Decode("\xE4"
                   "AB"),
            (Steps{{0xFFFD, 1}, {U'A', 2}, {U'B', 3}}));
}

TEST(Utf8Test, OverlongSurrogateAndOutOfRangeFormsAreReplacedBytewise) {
  EXPECT_EQ(DecodeUtf8("\xC0\x80"), U"\uFFFD\uFFFD");                      // overlong NUL
  EXPECT_EQ(DecodeUtf8("\xED\xA0\x80"), U"\uFFFD\uFFFD\uFFFD");            // U+D800
  EXPECT_EQ(DecodeUtf8("\xF4\x90\x80\x80"), U"\uFFFD\uFFFD\uFFFD\uFFFD");  // past U+10FFFF
  EXPECT_EQ(DecodeUtf8("\xF7\xBF\xBF\xBF"), U"\uFFFD\uFFFD\uFFFD\uFFFD");  // no such lead byte
}

TEST(Utf8Test, EncodesAndRoundTrips) {
  const std::u32string text = U"a中𠀀（）……";
  EXPECT_EQ(DecodeUtf8(EncodeUtf8(text)), text);
  EXPECT_EQ(EncodeUtf8(U"中"), "\xE4\xB8\xAD");
  std::string out;
  AppendUtf8(0xD800, &out);    // a lone surrogate
  AppendUtf8(0x110000, &out);  // past the last code point
  EXPECT_EQ(out, "\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace nb
