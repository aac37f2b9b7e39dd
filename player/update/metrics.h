// Metrics: a screen's state in the Prometheus text exposition format, for
// GET /metrics (issue 19): a district's Prometheus scrapes every screen and
// its Grafana shows them (deploy/monitoring/).
//
// Contract:
// - RenderMetrics() writes the families below with prometheus-cpp's text
//   serializer (HELP and TYPE lines, label values escaped as the format
//   says). Counters carry totals since the player started, so they only go
//   up; a restart shows as uptime falling and counters starting again.
//     noticeboard_build_info{version,commit,arch}        gauge 1
//     noticeboard_screen_info{name}                      gauge 1
//     noticeboard_uptime_seconds                         gauge
//     noticeboard_frames_total, noticeboard_slide_changes_total   counters
//     noticeboard_fps                                    gauge
//     noticeboard_screen_on                              gauge 0/1 (0 in off hours)
//     noticeboard_playlist_items                         gauge
//     noticeboard_playlist_info{hash,title}              gauge 1
//     noticeboard_last_update_timestamp_seconds          gauge (0: none yet)
//     noticeboard_updates_total{source,outcome}          counter, outcome
//                                                        accepted or refused
//     noticeboard_last_refusal_timestamp_seconds         gauge (0: none)
//     noticeboard_pull_errors_total{kind}                counter
//     noticeboard_alerts_active{severity}                gauge, every severity
//     process_resident_memory_bytes, noticeboard_process_pss_bytes  gauges
//                                                        (absent when unknown)
// - ReadProcessMemory() reads /proc/self/smaps_rollup (Linux 4.14+).
// - Compiled into the network module: `play` without the API pays nothing.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "update/update_pipeline.h"

namespace nb::update {

struct MetricsInput {
  std::string version, commit, arch, screen_name;
  double uptime_s = 0;
  long frames = 0;
  long slide_changes = 0;
  double fps = 0;
  bool screen_on = true;
  UpdateStatus updates;
  PullStatus pull;
  std::map<std::string, int> alerts_by_severity;  // "info", "warning", "critical"
  std::int64_t rss_bytes = -1, pss_bytes = -1;    // -1: unknown
};

std::string RenderMetrics(const MetricsInput& input);

struct ProcessMemory {
  std::int64_t rss_bytes = -1, pss_bytes = -1;
};
ProcessMemory ReadProcessMemory(const std::string& smaps_rollup = "/proc/self/smaps_rollup");

}  // namespace nb::update
