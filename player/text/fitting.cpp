// Fitting and cutting: a binary search over whole-pixel sizes, headline
// steps that keep words whole, and cuts at clause ends or between words.
#include "text/fitting.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "base/unicode_classes.h"
#include "base/utf8.h"
#include "text/punctuation.h"

namespace nb::text {

namespace {

// The quotations and brackets open at a point of a text, innermost last.
class OpenMarks {
 public:
  enum class Step { kOpened, kClosed, kOther };

  // Takes the text's next character.
  Step Take(char32_t c) {
    if (IsOpeningMark(c, kClosedAfterCut)) {
      open_.push_back(c);
      return Step::kOpened;
    }
    if (!open_.empty() && ClosingMarkFor(open_.back(), kClosedAfterCut) == c) {
      open_.pop_back();
      return Step::kClosed;
    }
    return Step::kOther;
  }

  // Their closing marks, innermost first.
  std::string Closers() const {
    std::string s;
    for (auto it = open_.rbegin(); it != open_.rend(); ++it) {
      AppendUtf8(ClosingMarkFor(*it, kClosedAfterCut), &s);
    }
    return s;
  }

 private:
  std::u32string open_;
};

}  // namespace

int AllowedLines(const Style& style, float size) {
  int allowed = style.max_lines > 0 ? style.max_lines : std::numeric_limits<int>::max();
  if (style.box_height > 0.f) {
    int by_height =
        static_cast<int>(std::floor(style.box_height / (size * style.line_height) + 1e-3f));
    allowed = std::min(allowed, by_height);
  }
  return allowed;
}

std::vector<CutPoint> CutPoints(std::string_view text) {
  std::vector<CutPoint> out;
  OpenMarks marks;
  std::size_t i = 0;
  char32_t prev = 0;
  while (i < text.size()) {
    std::size_t at = i;
    char32_t c = NextCodePoint(text, &i);
    switch (marks.Take(c)) {
      case OpenMarks::Step::kOpened:
        break;
      case OpenMarks::Step::kClosed:
        if (prev == 0x3002 || prev == 0xFF01 || prev == 0xFF1F) {
          out.push_back({i, marks.Closers(), true});
        }
        break;
      case OpenMarks::Step::kOther:
        if (IsClauseEnd(c)) {
          // Drop a pause mark before the ellipsis; keep ！ and ？.
          bool keep = c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?';
          if (at > 0) out.push_back({keep ? i : at, marks.Closers(), true});
        }
        break;
    }
    prev = c;
  }
  return out;
}

std::string ClosersOpenAt(std::string_view text, std::size_t end) {
  OpenMarks marks;
  for (std::size_t i = 0; i < end && i < text.size();) marks.Take(NextCodePoint(text, &i));
  return marks.Closers();
}

Layout FitToBox(std::string_view utf8, const Style& style, SizedLayouter& layouter) {
  Style st = style;
  if (st.box_width <= 0.f) st.box_width = std::numeric_limits<float>::max() / 4;
  float lo = st.size_px, hi = st.size_px;
  if (st.min_size_px > 0.f && st.max_size_px >= st.min_size_px) {
    lo = st.min_size_px;
    hi = st.max_size_px;
  }
  if (hi <= 0.f) hi = lo = 16.f;
  bool fits = false;
  Layout layout = layouter.LayOutAtSize(utf8, st, hi, AllowedLines(st, hi), &fits);
  if (fits && !layout.splits_word) return layout;
  if (st.balance && lo < hi) {
    // A headline keeps its words whole before it keeps its size: step down
    // to the largest size that fits without splitting a word. Headlines are
    // short and already shaped, so each step only re-breaks.
    for (float size = hi - 1.f; size >= lo; size -= 1.f) {
      bool f = false;
      Layout l = layouter.LayOutAtSize(utf8, st, size, AllowedLines(st, size), &f);
      if (f && !l.splits_word) return l;
    }
  }
  if (fits) return layout;
  if (lo < hi) {
    // Largest whole-pixel step that fits; line counts grow as sizes grow.
    int steps = static_cast<int>(std::ceil(hi - lo));
    int good = -1;
    Layout best;
    int left = 1, right = steps;
    while (left <= right) {
      int mid = (left + right) / 2;
      float size = std::max(lo, hi - static_cast<float>(mid));
      bool f = false;
      Layout l = layouter.LayOutAtSize(utf8, st, size, AllowedLines(st, size), &f);
      if (f) {
        good = mid;
        best = std::move(l);
        right = mid - 1;
      } else {
        left = mid + 1;
      }
    }
    if (good >= 0) return best;
  }
  // Too long even at the smallest size: cut at the last sentence or clause
  // end that fits, close what is still open, and end with an ellipsis.
  const int allowed = AllowedLines(st, lo);
  Layout out;
  if (allowed > 0) {
    auto fits_cut = [&](const CutPoint& cut) {
      std::string text(utf8.substr(0, cut.end));
      text += "……";
      text += cut.closers;
      bool f = false;
      Layout l = layouter.LayOutAtSize(text, st, lo, allowed, &f);
      if (f && !l.lines.empty()) out = std::move(l);
      return f;
    };
    std::vector<CutPoint> cuts = CutPoints(utf8);
    // Clause ends past the visible text cannot fit; start near its end.
    Layout at_min = layouter.LayOutAtSize(utf8, st, lo, allowed, &fits);
    std::size_t visible = utf8.size();
    if (static_cast<int>(at_min.lines.size()) > allowed) {
      visible = at_min.lines[static_cast<std::size_t>(allowed - 1)].text_end;
    }
    bool done = false;
    for (auto it = cuts.rbegin(); it != cuts.rend() && !done; ++it) {
      if (it->end <= visible) done = fits_cut(*it);
    }
    if (!done) {
      // No clause end fits (one long clause): cut between words, where
      // ICU finds a word boundary that is also a line break opportunity.
      // Held by its own pointer: the fits_cut calls below shape more texts
      // and may empty the cache (found by tests/fuzz/text_layout_fuzz).
      std::shared_ptr<const ShapedText> shaped = layouter.ShapeWithWords(utf8, st);
      const auto& clusters = shaped->clusters;
      for (std::size_t u = clusters.size(); u-- > 1 && !done;) {
        const Cluster& cluster = clusters[u];
        if (cluster.begin > visible || !cluster.word_start || !cluster.can_break_before) continue;
        if (NoLineEnd(clusters[u - 1].last)) continue;
        CutPoint cut{cluster.begin, ClosersOpenAt(utf8, cluster.begin), false};
        done = fits_cut(cut);
      }
    }
  }
  out.truncated = true;
  if (out.lines.empty()) out.size_px = lo;
  return out;
}

}  // namespace nb::text
