// Frames the render tests look at in more than one way (issue 16): the
// damage-limited frames against whole ones, and the GLES2 renderer against
// the software one. Each scene brings a Show to a fixed moment.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "alert/alert_set.h"
#include "base/manual_clock.h"
#include "render/show.h"
#include "render_test_support.h"

namespace nb::render::testing {

inline std::shared_ptr<const playlist::Playlist> ScenePlaylist() {
  return LoadTestPlaylist(NB_SOURCE_DIR "/playlists/tianjin-education.json");
}

inline alert::ActiveAlert SceneAlert(const Clock& clock, alert::Severity severity,
                                     const std::string& id = "storm") {
  alert::ActiveAlert a;
  a.alert.id = id;
  a.alert.severity = severity;
  a.alert.title = "今日停课";
  a.alert.text = "受暴雨影响，今日全天停课。请同学们留在家中，注意安全。";
  a.alert.source = "区教育局";
  a.origin = "api";
  a.received = clock.WallNow();
  a.ends = clock.WallNow() + std::chrono::hours(2);
  a.ends_monotonic = clock.MonotonicNow() + std::chrono::hours(2);
  return a;
}

inline std::shared_ptr<const alert::AlertSnapshot> SceneAlerts(
    std::uint64_t generation, std::vector<alert::ActiveAlert> alerts) {
  auto s = std::make_shared<alert::AlertSnapshot>();
  s->generation = generation;
  s->alerts = std::move(alerts);
  return s;
}

inline const char* const kNoticeText = "播放列表文件有 2 处错误，未更新；详见管理页面或日志";

// Names of the scenes SetUpScene knows.
inline std::vector<std::string> SceneNames() {
  return {"still", "crossfade", "ticker", "notice", "alert", "alert-fade"};
}

// Brings a fresh show (just made on `clock`) to the scene's moment.
inline void SetUpScene(const std::string& name, ManualClock& clock, Show& show) {
  using namespace std::chrono_literals;
  show.Tick();
  if (name == "crossfade") {
    show.Next();
    clock.Advance(300ms);
  } else if (name == "ticker") {
    clock.Advance(5300ms);
  } else if (name == "notice") {
    show.Notice(kNoticeText, NoticeKind::kRefused);
    clock.Advance(1200ms);
  } else if (name == "alert") {
    show.SetAlerts(SceneAlerts(1, {SceneAlert(clock, alert::Severity::kCritical)}));
    clock.Advance(2s);
  } else if (name == "alert-fade") {
    show.SetAlerts(SceneAlerts(1, {SceneAlert(clock, alert::Severity::kWarning)}));
    clock.Advance(200ms);
  }
  show.Tick();
}

}  // namespace nb::render::testing
