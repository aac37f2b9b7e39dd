#include "base/utf8.h"

#include <unicode/utf8.h>

#include <cstdint>

namespace nb {

char32_t NextCodePoint(std::string_view text, std::size_t* at) {
  const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
  // ICU's offsets are 32-bit: decode from a window that starts at *at.
  const std::size_t left = text.size() - *at;
  const auto length = static_cast<std::int32_t>(left < 4 ? left : 4);
  std::int32_t i = 0;
  UChar32 c = 0;
  U8_NEXT_OR_FFFD(s + *at, i, length, c);
  *at += static_cast<std::size_t>(i);
  return static_cast<char32_t>(c);
}

std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  for (std::size_t i = 0; i < text.size();) out.push_back(NextCodePoint(text, &i));
  return out;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
  std::uint8_t buf[U8_MAX_LENGTH];
  std::int32_t n = 0;
  U8_APPEND_UNSAFE(buf, n, static_cast<UChar32>(c));
  out->append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t c : text) AppendUtf8(c, &out);
  return out;
}

}  // namespace nb
