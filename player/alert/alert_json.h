// Our alert format (playlists/alert.schema.json): JSON, one alert, a cancel,
// or a feed's whole set.
//
//   {"id": "rain-1208", "severity": "critical", "title": "今日停课",
//    "text": "…", "issued": "2026-12-08T07:00:00+08:00",
//    "expires": "2026-12-08T18:00:00+08:00", "source": "区教育局"}
//   {"id": "rain-1208", "severity": "warning", "title": "…", "for": "2h"}
//   {"cancel": "rain-1208"}            or {"cancel": ["a", "b"]}
//   {"alerts": [ {…}, {…} ]}           a feed: exactly the active set
//
// Optional per alert besides: "status" ("actual", the default; "exercise",
// "test": shown only where the config allows, marked 演练 / 测试) and
// "replaces" (a list of ids this alert takes the place of), so that every
// field of an Alert can be written and read back. Fields starting with "x-"
// are free for people's notes, as in playlists.
//
// Contract:
// - ParseAlertJson reads a document of at most kMaxAlertDocumentBytes. On
//   any error it returns nullopt and *error names what and where for school
//   IT staff, by JSON pointer ("/alerts/1/severity: must be one of info,
//   warning, critical"), with base/json_syntax.h's words for syntax errors.
// - Required per alert: id, severity, title. Times are ISO 8601 with an
//   offset or Z. "for" is a duration: "90s", "30m", "2h", "1h30m", "1d".
//   "expires" and "for" together are an error; so is an expiry before the
//   issue time, and an unknown key (a typo must not silently drop a field).
// - A feed document yields whole_set = true, even when "alerts" is empty; an
//   id twice in one feed is an error.
// - Text fields follow alert/alert.h: a title or source with a line break
//   gets a space for it; another control character, or text that is not
//   UTF-8, is an error.
// - AlertToJson writes one alert back in this format (the CLI and the
//   console build their requests with it; parsing it gives it back for any
//   alert a parser made: one with both an expiry and a duration, which no
//   parser makes, is written with the expiry alone). Times are written in
//   UTC, durations as FormatDuration does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "alert/alert.h"

namespace nb::alert {

inline constexpr std::size_t kMaxAlertDocumentBytes = 1 << 20;

std::optional<AlertMessage> ParseAlertJson(std::string_view text, std::string* error);
std::string AlertToJson(const Alert& alert);

// "2h" → 7200 s; nullopt when it is not a duration as above (or is zero).
// The units from days down, each at most once and in that order.
std::optional<std::chrono::seconds> ParseDuration(std::string_view text);
// 5400 s → "1h30m", 86400 s → "1d", 0 → "0s": what ParseDuration reads.
std::string FormatDuration(std::chrono::seconds duration);

}  // namespace nb::alert
