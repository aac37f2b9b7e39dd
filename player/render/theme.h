// Theme: the look of the slides, from a JSON file.
//
// Contract:
// - Colours are "#RRGGBB" or "#RRGGBBAA". Sizes and margins are fractions of
//   the screen height, given separately for landscape and portrait screens so
//   that a portrait screen gets its own proportions rather than a squeezed
//   landscape layout. Ticker speed is in screen heights per second.
// - Every field is optional: a theme file overrides the default theme
//   (player/render/default-theme.json, compiled in) field by field.
// - Checked as the playlist is (base/json_check.h): every unknown field,
//   wrong type or bad colour is reported, not only the first, each with the
//   JSON pointer, in one message naming the file. Fields starting with "x-"
//   are ignored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/env.h"
#include "base/status.h"

namespace nb::render {

struct Colors {
  std::uint32_t background, header_background, header_text, header_secondary, accent, headline,
      meta, summary, rule, ticker_background, ticker_text, ticker_marker, idle_background,
      idle_text;  // 0xRRGGBBAA
  // Notices by kind (base/notice_kind.h): an update applied is calm, one
  // refused amber. Red is kept for critical urgent notices (alert/alert.h),
  // the only thing on screen that may alarm.
  std::uint32_t notice_success_background, notice_success_text, notice_refused_background,
      notice_refused_text;
  // Urgent notices, one pair per severity: info calm blue, warning amber,
  // critical red.
  std::uint32_t alert_info_background, alert_info_text, alert_warning_background,
      alert_warning_text, alert_critical_background, alert_critical_text;
};

// Proportions for one orientation; all fractions of the screen height.
struct Proportions {
  float margin = 0, header_height = 0, header_text = 0, clock_text = 0, headline_max = 0,
        headline_min = 0, meta_text = 0, summary_max = 0, summary_min = 0, ticker_height = 0,
        ticker_text = 0;
  int headline_lines = 3;
  int max_line_chars = 44;  // the text column never gets wider than this many em
};

struct Theme {
  std::string name;  // replaces the bulletin's name in the header when not empty
  Colors colors{};
  std::string headline_font_file, body_font_file, headline_family, body_family;
  Proportions landscape, portrait;
  bool ticker = true;
  float ticker_speed = 0.1f;  // screen heights per second
  std::string ticker_marker = "◆";
  bool clock = true;
  float notice_seconds = 10.f;

  const Proportions& For(int width, int height) const {
    return height > width ? portrait : landscape;
  }
};

// The compiled-in default theme (never fails).
const Theme& DefaultTheme();
std::string_view DefaultThemeJson();

// Parses a theme on top of `base`. source_name names the file in messages.
Status ParseTheme(std::string_view json_text, const std::string& source_name, const Theme& base,
                  Theme* out);
Status LoadThemeFile(FileSystem& fs, const std::string& path, Theme* out);

// "#RRGGBB" or "#RRGGBBAA" to 0xRRGGBBAA.
bool ParseColor(std::string_view text, std::uint32_t* rgba);

}  // namespace nb::render
