// The crossfade rule, shared by the presenter tests and bench/soak: a frame
// of a fade from still A to still B holds, in each colour channel of each
// pixel, a value between A's and B's, give or take rounding. A frame with a
// value outside is half-drawn (a slide missing, a stale texture); one all of
// background is blank.
#pragma once

#include <algorithm>

namespace nb::testing_support {

// How far blending may round past either slide's value.
inline constexpr int kCrossfadeSlack = 3;

// `fade` is one channel of a fade frame; `a` and `b` the same channel of the
// stills it fades between.
inline bool WithinCrossfade(int a, int fade, int b) {
  return fade >= std::min(a, b) - kCrossfadeSlack && fade <= std::max(a, b) + kCrossfadeSlack;
}

}  // namespace nb::testing_support
