// Alert layout: the full-screen slide of an urgent notice (alert/alert.h),
// for a screen size and theme. Pure layout, no SDL, as slide_layout.h is.
//
// Contract:
// - The whole screen but the ticker band (when the theme has one) is the
//   alert's, in its severity's colours (theme alert_*_background / _text).
// - From the top: the severity's label in a box of the text colour (紧急 /
//   警示 / 提示, with 演练 or 测试 for an exercise or a test), the position
//   ("1 / 2") when several alerts are active; the title, as large as fits
//   in up to three balanced lines; the text, fitted to the space left
//   (justified, cut only at a sentence end, with "……"); a footer with the
//   time it was issued, until when it holds and who sent it.
// - Times on screen are local wall-clock times: 发布 12月8日 07:00 ·
//   有效至 18:00 (the date is left out when it is today's).
#pragma once

#include "alert/alert_set.h"
#include "render/slide_layout.h"

namespace nb::render {

SlideLayout LayOutAlert(SlideLayouter& layouter, const alert::ActiveAlert& alert, int position,
                        int count, const playlist::LocalDateTime& now, int width, int height);

// The background and text colours of a severity.
std::uint32_t AlertBackground(const Theme& theme, alert::Severity severity);
std::uint32_t AlertText(const Theme& theme, alert::Severity severity);

}  // namespace nb::render
