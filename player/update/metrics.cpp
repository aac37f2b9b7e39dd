#include "update/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <fstream>
#include <sstream>

namespace nb::update {

std::string RenderMetrics(const MetricsInput& in) {
  using prometheus::BuildCounter;
  using prometheus::BuildGauge;
  prometheus::Registry registry;
  auto gauge = [&registry](const char* name, const char* help) -> prometheus::Family<prometheus::Gauge>& {
    return BuildGauge().Name(name).Help(help).Register(registry);
  };
  auto counter = [&registry](const char* name,
                             const char* help) -> prometheus::Family<prometheus::Counter>& {
    return BuildCounter().Name(name).Help(help).Register(registry);
  };

  gauge("noticeboard_build_info", "The player's version, source commit and architecture.")
      .Add({{"version", in.version}, {"commit", in.commit}, {"arch", in.arch}})
      .Set(1);
  gauge("noticeboard_screen_info", "The screen's name (config \"name\", else its host name).")
      .Add({{"name", in.screen_name}})
      .Set(1);
  gauge("noticeboard_uptime_seconds", "Seconds since the player started.").Add({}).Set(in.uptime_s);
  counter("noticeboard_frames_total", "Frames drawn since the player started.")
      .Add({})
      .Increment(static_cast<double>(in.frames));
  counter("noticeboard_slide_changes_total", "Slide changes since the player started.")
      .Add({})
      .Increment(static_cast<double>(in.slide_changes));
  gauge("noticeboard_fps", "Frames drawn per second over the last seconds.").Add({}).Set(in.fps);
  gauge("noticeboard_screen_on", "1 while the screen shows; 0 in off hours.")
      .Add({})
      .Set(in.screen_on ? 1 : 0);
  gauge("noticeboard_playlist_items", "Items in the playlist on screen.")
      .Add({})
      .Set(static_cast<double>(in.updates.playlist_items));
  gauge("noticeboard_playlist_info", "The playlist on screen: its hash and title.")
      .Add({{"hash", in.updates.playlist_hash}, {"title", in.updates.playlist_title}})
      .Set(1);
  gauge("noticeboard_last_update_timestamp_seconds",
        "When the last update was accepted (Unix time; 0: none since start).")
      .Add({})
      .Set(static_cast<double>(in.updates.last_update_unix));
  auto& updates = counter("noticeboard_updates_total",
                          "Updates since the player started, by source and outcome.");
  for (const auto& [source, n] : in.updates.applied_by_source)
    updates.Add({{"source", source}, {"outcome", "accepted"}}).Increment(static_cast<double>(n));
  for (const auto& [source, n] : in.updates.rejected_by_source)
    updates.Add({{"source", source}, {"outcome", "refused"}}).Increment(static_cast<double>(n));
  gauge("noticeboard_last_refusal_timestamp_seconds",
        "When the last update was refused (Unix time; 0: none since start).")
      .Add({})
      .Set(static_cast<double>(in.updates.last_error_unix));
  auto& pull_errors = counter("noticeboard_pull_errors_total",
                              "Pull rounds that did not reach the server, by kind.");
  for (const auto& [kind, n] : in.pull.failures_by_kind)
    pull_errors.Add({{"kind", kind}}).Increment(static_cast<double>(n));
  auto& alerts = gauge("noticeboard_alerts_active", "Urgent notices on screen, by severity.");
  for (const char* severity : {"info", "warning", "critical"}) {
    auto it = in.alerts_by_severity.find(severity);
    alerts.Add({{"severity", severity}})
        .Set(it == in.alerts_by_severity.end() ? 0 : it->second);
  }
  if (in.rss_bytes >= 0) {
    gauge("process_resident_memory_bytes", "Resident memory of the player, in bytes.")
        .Add({})
        .Set(static_cast<double>(in.rss_bytes));
  }
  if (in.pss_bytes >= 0) {
    gauge("noticeboard_process_pss_bytes",
          "Proportional set size of the player (shared pages divided among their users), in "
          "bytes.")
        .Add({})
        .Set(static_cast<double>(in.pss_bytes));
  }
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

ProcessMemory ReadProcessMemory(const std::string& smaps_rollup) {
  ProcessMemory out;
  std::ifstream in(smaps_rollup);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    long long kb = 0;
    if (!(fields >> key >> kb)) continue;
    if (key == "Rss:") out.rss_bytes = kb * 1024;
    if (key == "Pss:") out.pss_bytes = kb * 1024;
  }
  return out;
}

}  // namespace nb::update
