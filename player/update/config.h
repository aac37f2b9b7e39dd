// Config: /etc/noticeboard/config.json (or --config), the settings of a screen
// that the update paths need.
//
// Contract:
// - JSON with // and /* */ comments allowed (so the shipped default can
//   explain itself). Every key is optional; a missing key keeps the default
//   shown in deploy/config.json.
// - Checked as the playlist is (base/json_check.h): every problem is reported
//   (not only the first) with the file, its JSON pointer and what was
//   expected; an unknown field is an error with the nearest known name as a
//   hint. Fields starting with "x-" are ignored.
// - The settings of a component are that component's own options struct
//   (UsbWatch::Options, PullOptions), so each default is written once.
// - Trusted keys are minisign public keys, the base64 line starting "RW";
//   they are checked for form here (signature.h parses them).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alert/alert_set.h"
#include "base/civil_time.h"
#include "base/env.h"
#include "base/json_check.h"
#include "playlist/playlist.h"
#include "update/pull.h"
#include "update/update_pipeline.h"
#include "update/usb_watch.h"

namespace nb::update {

inline constexpr const char* kDefaultConfigPath = "/etc/noticeboard/config.json";

struct UsbConfig {
  bool enabled = true;
  UsbWatch::Options watch;  // "roots"; the defaults are UsbWatch's
};

struct ApiConfig {
  bool enabled = false;
  std::string listen = "127.0.0.1:8080";  // host:port
  std::string token_file = "/etc/noticeboard/api-token";
  // The web console at / (console/console_routes.h), on with the API.
  bool console = true;
  std::string password_file = "/etc/noticeboard/console-passwords";
  // HTTPS is used whenever listen is not a loopback address, with these PEM
  // files, or (both empty) a certificate the screen makes in its state
  // folder. plain_http opts out of HTTPS on a network address (a trusted
  // network only: passwords and tokens then travel in the clear).
  std::string tls_cert;
  std::string tls_key;
  bool plain_http = false;
  // A minisign secret key (made with minisign -G -W: a screen cannot ask for
  // a password) the console signs what it publishes and exports with.
  std::string signing_key;
  // GET /metrics for Prometheus (update/metrics.h): with a token file of its
  // own (read-only: never the push token), or, empty, for loopback only.
  bool metrics = true;
  std::string metrics_token_file;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

// Screen power: when the screen is off (nights, weekends) the player draws
// nothing and runs off_command / on_command at the edges (argv lists, run
// without a shell). A period is a daily span (base/civil_time.h): it belongs
// to the weekday it starts on.
using OffPeriod = DailySpan;

struct DisplayConfig {
  std::vector<OffPeriod> off_hours;
  std::vector<std::string> off_command;  // empty: none
  std::vector<std::string> on_command;
};

// Urgent notices (update/alert_intake.h): the fleet's feed, how long an alert
// without an expiry holds, whether drills show, and which severity wakes a
// screen in its off hours.
struct AlertsConfig {
  AlertsConfig() {
    feed.interval = std::chrono::seconds(15);
    feed.connect_timeout = std::chrono::seconds(5);
    feed.timeout = std::chrono::seconds(10);
    feed.max_bytes = 1 << 20;
  }
  PullOptions feed;  // "url" empty: no feed; "interval_s" 15, "timeout_s" 10 by default
  alert::AlertPolicy policy;
  // At or above it an alert turns the screen on in off hours; nullopt: never.
  std::optional<alert::Severity> wake_severity = alert::Severity::kCritical;
};

struct Config {
  // The screen's name in the fleet's view: the pull heartbeat and the
  // metrics. Empty: the host name (ScreenName()).
  std::string name;
  std::string playlist;  // a playlist file to play and watch; empty: the state store only
  std::string state_dir = "/var/lib/noticeboard";
  std::string theme;  // empty: the built-in theme
  UsbConfig usb;
  PullOptions pull;  // url empty: pull is off; the JSON gives the durations in seconds
  ApiConfig api;
  DisplayConfig display;
  AlertsConfig alerts;
  std::vector<std::string> trusted_keys;  // minisign public keys ("RW...")
  // Which update notices the screen shows: "all", "success" (no refusals)
  // or "none". The log and the status always have them all.
  NoticePolicy notices = NoticePolicy::kAll;
};

// config.name, else the host name.
std::string ScreenName(const Config& config);

// source_name names the file in messages.
std::optional<Config> ParseConfig(std::string_view json_text, const std::string& source_name,
                                  std::vector<Diagnostic>* errors);

std::optional<Config> LoadConfigFile(FileSystem& fs, const std::string& path,
                                     std::vector<Diagnostic>* errors);

// Splits "127.0.0.1:8080" / "[::1]:8080" into host and port.
bool SplitListenAddress(const std::string& listen, std::string* host, int* port);

}  // namespace nb::update
