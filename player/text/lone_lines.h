// Lone last lines (孤字), a pass of the line-breaking stage: after greedy
// breaking and the evening-out of loose lines, a paragraph of two or more
// lines whose last line holds one CJK character (punctuation aside) is
// re-broken so that it does not. Internal to nb_text.
//
// Contract (widths and autospace in ems, as in line_breaking.h):
// - MendLoneLastLines re-breaks the end of each such paragraph with
//   RebreakParagraph, forbidding a lone last line: a paragraph of up to 6
//   lines whole; of a longer one, its last 2 lines, else its last 4, 8, ...
//   up to the whole paragraph, the lines above kept as they are (so the pass
//   costs little more than a scan of last lines). The
//   tail takes no more lines than it had (a paragraph may come out a line
//   shorter, its marks compressed), only at break
//   opportunities (no new line-rule violation, no Latin word or number
//   split), and, for justified text, without a gap wider than the paragraph
//   already had or the loose-line limit kLooseLineLimitEm (0.15 em),
//   whichever is wider.
//   Other paragraphs are left exactly as they are (a paragraph that fits
//   exactly too). The mended paragraph's last line says LoneLine::kMended;
//   where no such break exists the lone line stays and says which rule gave
//   way: kLooseGap, kLines or kBreaks.
// - MarkLoneLastLines only says so, for lines chosen elsewhere (balanced
//   headlines, which avoid lone last lines themselves and take one more
//   line where the box allows): kLines.
#pragma once

#include <vector>

#include "text/line_breaking.h"
#include "text/shaping.h"

namespace nb::text {

void MendLoneLastLines(const ShapedText& shaped, float width_em, float autospace, bool justify,
                       std::vector<LineSpan>* spans);
void MarkLoneLastLines(const ShapedText& shaped, std::vector<LineSpan>* spans);

}  // namespace nb::text
