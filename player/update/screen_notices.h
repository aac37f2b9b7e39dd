// Screen notices: the one line the lobby reads about an update.
//
// Contract:
// - Plain Chinese for everyone walking past: what came from where, and
//   whether it is playing. Never a path, a URL, a JSON pointer, a line and
//   column, a parser's words or English (the log, the status and the
//   console have the full reasons, every error).
// - A refusal says what is wrong in a word or two (too large, no signature,
//   bad signature, format, how many errors, cannot be saved, cannot be read),
//   that nothing changed (未更新), and where to look (详见管理页面或日志), e.g.
//   「U盘中的播放列表有 4 处错误，未更新；详见管理页面或日志」.
// - Success: 「已从U盘更新播放列表：15 条」; the same stick again:
//   「U盘中的播放列表与正在播放的相同：15 条」.
#pragma once

#include <cstddef>
#include <string>

#include "update/update_pipeline.h"

namespace nb::update {

// U盘, 网络, 推送, 文件, 管理页面.
const char* SourceNameZh(UpdateSource source);

std::string AppliedNotice(UpdateSource source, std::size_t items);
std::string UnchangedNotice(UpdateSource source, std::size_t items);
// error_count is used by RefusalKind::kInvalid only (0: not known).
std::string RefusalNotice(UpdateSource source, UpdateFormat format, RefusalKind kind,
                          std::size_t error_count = 0);

}  // namespace nb::update
