// UTF-8 decoding and encoding: one decoder for the whole player (ICU's).
//
// Contract:
// - NextCodePoint decodes the code point that starts at byte *at of `text`
//   (*at < text.size()) and moves *at past it. An ill-formed sequence (a
//   stray continuation byte, a truncated or overlong sequence, a surrogate,
//   a value past U+10FFFF) decodes as U+FFFD and *at moves past its longest
//   ill-formed beginning (the Unicode standard's "maximal subpart"), so
//   decoding always advances, and stays in step with other decoders.
// - DecodeUtf8 decodes a whole text that way.
// - AppendUtf8 and EncodeUtf8 write code points as UTF-8; a surrogate or a
//   value past U+10FFFF is written as U+FFFD.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nb {

char32_t NextCodePoint(std::string_view text, std::size_t* at);
std::u32string DecodeUtf8(std::string_view text);

void AppendUtf8(char32_t c, std::string* out);
std::string EncodeUtf8(std::u32string_view text);

}  // namespace nb
