// Break opportunities, the text engine's second stage: where a shaped text
// may break into lines, and where its words start. Internal to nb_text.
//
// Contract:
// - BreakFinder::FindLineBreaks sets Cluster::can_break_before from ICU's
//   line BreakIterator for zh, plus the clreq rules ICU misses: a break
//   before an opening Chinese quotation mark after Chinese text and after a
//   closing one before it (ICU treats them as ambiguous and never breaks
//   there), never before a mark that may not start a line or after one that
//   may not end it (punctuation.h), always after a newline.
// - BreakFinder::FindWords sets Cluster::word_start from ICU's word
//   BreakIterator for zh, and weak_word_start between two one-character Han
//   words; once per shaped text (ShapedText::words_done).
// - IsBetweenWords says whether a line that starts at a cluster starts
//   between words: at a word start, after punctuation or a space, or before
//   an opening mark.
#pragma once

#include <unicode/brkiter.h>

#include <cstddef>
#include <memory>
#include <vector>

#include "base/status.h"
#include "text/punctuation.h"
#include "text/shaping.h"

namespace nb::text {

class BreakFinder {
 public:
  // Fails when ICU has no line or word break rules (a broken ICU install).
  Status Init();

  // `decoded` is the decoded form of shaped->text.
  void FindLineBreaks(const DecodedText& decoded, ShapedText* shaped);
  void FindWords(ShapedText* shaped);

 private:
  std::unique_ptr<icu::BreakIterator> line_breaker_;
  std::unique_ptr<icu::BreakIterator> word_breaker_;
};

// `b`: a cluster index in (0, clusters.size()). Inline: balancing asks it in
// its innermost loop.
inline bool IsBetweenWords(const std::vector<Cluster>& clusters, std::size_t b) {
  return clusters[b].word_start || clusters[b - 1].punct != PunctKind::kNone ||
         clusters[b - 1].space || clusters[b].punct == PunctKind::kOpening;
}

}  // namespace nb::text
