#include "text/break_opportunities.h"

#include <unicode/locid.h>
#include <unicode/utext.h>

#include <cstdint>
#include <string>

#include "text/punctuation.h"

namespace nb::text {

Status BreakFinder::Init() {
  UErrorCode err = U_ZERO_ERROR;
  line_breaker_.reset(icu::BreakIterator::createLineInstance(icu::Locale("zh"), err));
  if (U_FAILURE(err)) return Status::Error("ICU line breaking is unavailable");
  word_breaker_.reset(icu::BreakIterator::createWordInstance(icu::Locale("zh"), err));
  if (U_FAILURE(err)) return Status::Error("ICU word breaking is unavailable");
  return Status();
}

void BreakFinder::FindLineBreaks(const DecodedText& decoded, ShapedText* shaped_text) {
  ShapedText& shaped = *shaped_text;
  auto& clusters = shaped.clusters;
  if (clusters.empty()) return;
  // ICU breaks UTF-16 faster than UTF-8 UText: convert once, keeping the
  // byte offset of each UTF-16 index.
  thread_local std::u16string u16;
  thread_local std::vector<std::uint32_t> byte_at;
  u16.clear();
  byte_at.clear();
  u16.reserve(decoded.code_points.size());
  byte_at.reserve(decoded.code_points.size() + 1);
  for (std::size_t k = 0; k < decoded.code_points.size(); ++k) {
    const std::size_t from = decoded.byte_offsets[k];
    char32_t c = decoded.code_points[k];
    if (c >= 0x10000) {
      u16.push_back(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)));
      byte_at.push_back(static_cast<std::uint32_t>(from));
      c = 0xDC00 + ((c - 0x10000) & 0x3FF);
    }
    u16.push_back(static_cast<char16_t>(c));
    byte_at.push_back(static_cast<std::uint32_t>(from));
  }
  byte_at.push_back(static_cast<std::uint32_t>(shaped.text.size()));
  UErrorCode err = U_ZERO_ERROR;
  UText* ut = utext_openUChars(nullptr, u16.data(), static_cast<int64_t>(u16.size()), &err);
  line_breaker_->setText(ut, err);
  // ICU's positions and the clusters both run forward: merge them.
  std::size_t at = 0;
  for (int32_t p = line_breaker_->next(); p != icu::BreakIterator::DONE;
       p = line_breaker_->next()) {
    const std::uint32_t byte = byte_at[static_cast<std::size_t>(p)];
    while (at < clusters.size() && clusters[at].begin < byte) ++at;
    if (at < clusters.size() && clusters[at].begin == byte) clusters[at].can_break_before = true;
  }
  utext_close(ut);
  // clreq rules ICU misses, and Chinese quotation marks, which ICU treats as
  // ambiguous (QU) and never breaks around.
  for (std::size_t u = 1; u < clusters.size(); ++u) {
    char32_t prev = clusters[u - 1].last, next = clusters[u].first;
    bool& brk = clusters[u].can_break_before;
    bool prev_cjk = IsHan(prev) || clusters[u - 1].punct == PunctKind::kClosing;
    bool next_cjk = IsHan(next) || clusters[u].punct == PunctKind::kOpening;
    if ((next == 0x201C || next == 0x2018) && prev_cjk) brk = true;
    if ((prev == 0x201D || prev == 0x2019) && next_cjk) brk = true;
    if (NoLineStart(next) || NoLineEnd(prev)) brk = false;
    if (clusters[u - 1].newline) brk = true;
  }
}

void BreakFinder::FindWords(ShapedText* shaped_text) {
  ShapedText& shaped = *shaped_text;
  if (shaped.words_done) return;
  shaped.words_done = true;
  auto& clusters = shaped.clusters;
  std::vector<std::int32_t> cluster_at(shaped.text.size() + 1, -1);
  for (std::size_t u = 0; u < clusters.size(); ++u)
    cluster_at[clusters[u].begin] = static_cast<std::int32_t>(u);
  UErrorCode err = U_ZERO_ERROR;
  UText* ut =
      utext_openUTF8(nullptr, shaped.text.data(), static_cast<int64_t>(shaped.text.size()), &err);
  word_breaker_->setText(ut, err);
  for (int32_t p = word_breaker_->first(); p != icu::BreakIterator::DONE;
       p = word_breaker_->next()) {
    if (static_cast<std::size_t>(p) < shaped.text.size() && cluster_at[p] >= 0) {
      clusters[cluster_at[p]].word_start = true;
    }
  }
  utext_close(ut);
  // One-character Han words on both sides of a boundary: the word before
  // starts at u - 1 and the one after ends at u + 1.
  for (std::size_t u = 1; u + 1 < clusters.size(); ++u) {
    const bool single_before = clusters[u - 1].word_start || u == 1;
    const bool single_after = clusters[u + 1].word_start;
    if (clusters[u].word_start && single_before && single_after && IsHan(clusters[u - 1].last) &&
        IsHan(clusters[u].first)) {
      clusters[u].weak_word_start = true;
    }
  }
}

}  // namespace nb::text
