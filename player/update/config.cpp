#include "update/config.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include "base/civil_time.h"
#include "base/json_check.h"

namespace nb::update {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxConfigBytes = 256 * 1024;

// The field `key` of `object`, or null when it is not there.
const Json* Find(const Json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool IsBase64(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
  });
}

// A whole number of seconds from lo to hi, into a duration.
void ReadSeconds(JsonChecker& c, const Json& object, const char* key, const std::string& where,
                 long long lo, long long hi, std::chrono::milliseconds* out) {
  long long n = 0;
  if (const Json* v = Find(object, key); v && c.ReadInt(*v, JsonPointerTo(where, key), lo, hi, &n))
    *out = std::chrono::seconds(n);
}

void ReadOffPeriod(JsonChecker& c, const Json& p, const std::string& here, OffPeriod* period) {
  c.KnownFields(p, here, {"weekdays", "from", "to"});
  if (const Json* days = Find(p, "weekdays"))
    c.ReadWeekdays(*days, here + "/weekdays", &period->weekdays);
  for (const char* key : {"from", "to"}) {
    std::string where = JsonPointerTo(here, key), text;
    const Json* v = Find(p, key);
    if (!v) {
      c.Error(where, std::string("missing \"") + key + "\": a time of day such as \"19:00\"");
      continue;
    }
    if (!c.ReadString(*v, where, &text)) continue;
    bool is_to = std::string_view(key) == "to";
    std::string why;
    std::optional<int> minutes = ParseClockTime(text, is_to, &why);
    if (!minutes) {
      c.Error(where, std::string("expected a time of day HH:MM (00:00 to ") +
                         (is_to ? "24:00" : "23:59") + "), found \"" + text + "\"" +
                         (why.empty() ? "" : ": " + why));
      continue;
    }
    (is_to ? period->to_min : period->from_min) = *minutes;
  }
}

void ReadDisplay(JsonChecker& c, const Json& display, DisplayConfig* out) {
  c.KnownFields(display, "/display", {"off_hours", "off_command", "on_command"});
  if (const Json* list = Find(display, "off_hours")) {
    if (!list->is_array()) {
      c.Error("/display/off_hours",
              std::string("expected a list of {\"weekdays\", \"from\", \"to\"}, found ") +
                  JsonTypeName(*list));
    } else {
      for (std::size_t i = 0; i < list->size(); ++i) {
        std::string here = JsonPointerTo("/display/off_hours", i);
        if (!c.IsObject((*list)[i], here)) continue;
        OffPeriod period;
        ReadOffPeriod(c, (*list)[i], here, &period);
        out->off_hours.push_back(period);
      }
    }
  }
  for (const char* key : {"off_command", "on_command"}) {
    auto& argv = std::string_view(key) == "off_command" ? out->off_command : out->on_command;
    std::string where = JsonPointerTo("/display", key);
    if (const Json* v = Find(display, key)) c.ReadStringList(*v, where, &argv);
    if (!argv.empty() && argv[0].empty())
      c.Error(where + "/0", "expected a program name, found \"\"");
  }
}

void ReadUsb(JsonChecker& c, const Json& usb, UsbConfig* out) {
  c.KnownFields(usb, "/usb", {"enabled", "roots"});
  if (const Json* v = Find(usb, "enabled")) c.ReadBool(*v, "/usb/enabled", &out->enabled);
  std::vector<std::string>& roots = out->watch.roots;
  if (const Json* v = Find(usb, "roots")) c.ReadStringList(*v, "/usb/roots", &roots);
  for (std::size_t i = 0; i < roots.size(); ++i) {
    if (roots[i].empty() || roots[i][0] != '/')
      c.Error(JsonPointerTo("/usb/roots", i),
              "expected an absolute folder such as \"/media\", found \"" + roots[i] + "\"");
  }
}

void ReadPull(JsonChecker& c, const Json& pull, PullOptions* out) {
  c.KnownFields(pull, "/pull", {"url", "interval_s", "connect_timeout_s", "timeout_s"});
  if (const Json* v = Find(pull, "url")) c.ReadString(*v, "/pull/url", &out->url);
  const std::string& url = out->url;
  if (!url.empty() && url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
    c.Error("/pull/url", "expected an http:// or https:// address, found \"" + url + "\"");
  ReadSeconds(c, pull, "interval_s", "/pull", 10, 7 * 86400, &out->interval);
  ReadSeconds(c, pull, "connect_timeout_s", "/pull", 1, 600, &out->connect_timeout);
  ReadSeconds(c, pull, "timeout_s", "/pull", 1, 3600, &out->timeout);
}

void ReadApi(JsonChecker& c, const Json& api, ApiConfig* out) {
  c.KnownFields(api, "/api",
                {"enabled", "listen", "token_file", "console", "password_file", "tls_cert",
                 "tls_key", "plain_http", "signing_key", "metrics", "metrics_token_file"});
  if (const Json* v = Find(api, "enabled")) c.ReadBool(*v, "/api/enabled", &out->enabled);
  if (const Json* v = Find(api, "console")) c.ReadBool(*v, "/api/console", &out->console);
  if (const Json* v = Find(api, "plain_http")) c.ReadBool(*v, "/api/plain_http", &out->plain_http);
  if (const Json* v = Find(api, "metrics")) c.ReadBool(*v, "/api/metrics", &out->metrics);
  for (auto [key, field] : {std::pair{"password_file", &out->password_file},
                            std::pair{"tls_cert", &out->tls_cert},
                            std::pair{"tls_key", &out->tls_key},
                            std::pair{"signing_key", &out->signing_key},
                            std::pair{"metrics_token_file", &out->metrics_token_file}}) {
    if (const Json* v = Find(api, key)) c.ReadString(*v, JsonPointerTo("/api", key), field);
  }
  if (out->tls_cert.empty() != out->tls_key.empty()) {
    c.Error(out->tls_cert.empty() ? "/api/tls_cert" : "/api/tls_key",
            "tls_cert and tls_key go together: set both (your certificate and its key, PEM "
            "files), or neither (the screen then makes its own certificate)");
  }
  if (const Json* v = Find(api, "listen")) c.ReadString(*v, "/api/listen", &out->listen);
  std::string host;
  int port = 0;
  if (!SplitListenAddress(out->listen, &host, &port))
    c.Error("/api/listen",
            "expected host:port such as \"127.0.0.1:8080\", found \"" + out->listen + "\"");
  if (const Json* v = Find(api, "token_file"))
    c.ReadString(*v, "/api/token_file", &out->token_file);
  if (out->enabled && out->token_file.empty())
    c.Error("/api/token_file", "the API needs a token file when enabled");
}

void ReadAlerts(JsonChecker& c, const Json& alerts, AlertsConfig* out) {
  c.KnownFields(alerts, "/alerts",
                {"url", "interval_s", "timeout_s", "default_duration_s", "max_duration_s",
                 "show_exercises", "wake_severity"});
  if (const Json* v = Find(alerts, "url")) c.ReadString(*v, "/alerts/url", &out->feed.url);
  const std::string& url = out->feed.url;
  if (!url.empty() && url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
    c.Error("/alerts/url", "expected an http:// or https:// address, found \"" + url + "\"");
  ReadSeconds(c, alerts, "interval_s", "/alerts", 5, 3600, &out->feed.interval);
  ReadSeconds(c, alerts, "timeout_s", "/alerts", 1, 600, &out->feed.timeout);
  out->feed.connect_timeout = std::min(out->feed.connect_timeout, out->feed.timeout);
  long long n = 0;
  if (const Json* v = Find(alerts, "default_duration_s");
      v && c.ReadInt(*v, "/alerts/default_duration_s", 60, 7 * 86400, &n))
    out->policy.default_duration = std::chrono::seconds(n);
  if (const Json* v = Find(alerts, "max_duration_s");
      v && c.ReadInt(*v, "/alerts/max_duration_s", 60, 30 * 86400, &n))
    out->policy.max_duration = std::chrono::seconds(n);
  if (out->policy.default_duration > out->policy.max_duration)
    c.Error("/alerts/default_duration_s",
            "is longer than max_duration_s: an alert without an expiry would be cut to the "
            "maximum anyway");
  if (const Json* v = Find(alerts, "show_exercises"))
    c.ReadBool(*v, "/alerts/show_exercises", &out->policy.show_exercises);
  std::string choice;
  if (const Json* v = Find(alerts, "wake_severity");
      v && c.ReadChoice(*v, "/alerts/wake_severity", {"info", "warning", "critical", "never"},
                        &choice)) {
    out->wake_severity = choice == "never" ? std::nullopt : alert::SeverityFromName(choice);
  }
}

void ReadTrustedKeys(JsonChecker& c, const Json& list, std::vector<std::string>* out) {
  c.ReadStringList(list, "/trusted_keys", out);
  for (std::size_t i = 0; i < out->size(); ++i) {
    const std::string& k = (*out)[i];
    // A minisign public key is 42 bytes: 56 base64 characters starting "RW".
    if (k.size() != 56 || k.rfind("RW", 0) != 0 || !IsBase64(k))
      c.Error(JsonPointerTo("/trusted_keys", i),
              "expected a minisign public key (the 56-character line starting \"RW\" in "
              "minisign.pub), found \"" +
                  k + "\"");
  }
}

void ReadNotices(JsonChecker& c, const Json& value, NoticePolicy* out) {
  std::string choice;
  if (!c.ReadChoice(value, "/notices", {"all", "success", "none"}, &choice)) return;
  *out = choice == "all"       ? NoticePolicy::kAll
         : choice == "success" ? NoticePolicy::kSuccess
                               : NoticePolicy::kNone;
}

}  // namespace

std::string ScreenName(const Config& config) {
  if (!config.name.empty()) return config.name;
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0 || !host[0]) return "screen";
  return host;
}

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

bool SplitListenAddress(const std::string& listen, std::string* host, int* port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= listen.size()) return false;
  std::string h = listen.substr(0, colon), p = listen.substr(colon + 1);
  if (h.front() == '[') {
    if (h.back() != ']' || h.size() < 3) return false;
    h = h.substr(1, h.size() - 2);
  }
  if (!std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; }) || p.size() > 5)
    return false;
  int n = std::stoi(p);
  if (n < 1 || n > 65535) return false;
  *host = h;
  *port = n;
  return true;
}

std::optional<Config> ParseConfig(std::string_view json_text, const std::string& source_name,
                                  std::vector<Diagnostic>* errors) {
  Json doc;
  if (!ParseJson(json_text, source_name, {.allow_comments = true}, &doc, errors))
    return std::nullopt;
  std::vector<Diagnostic> found;
  JsonChecker c(&found);
  Config config;
  if (c.IsObject(doc, "")) {
    c.KnownFields(doc, "",
                  {"name", "playlist", "state_dir", "theme", "usb", "pull", "api", "display",
                   "alerts", "trusted_keys", "notices"});
    if (const Json* v = Find(doc, "name")) c.ReadString(*v, "/name", &config.name);
    if (const Json* v = Find(doc, "playlist")) c.ReadString(*v, "/playlist", &config.playlist);
    if (const Json* v = Find(doc, "state_dir")) {
      if (c.ReadString(*v, "/state_dir", &config.state_dir) && config.state_dir.empty())
        c.Error("/state_dir", "expected a folder, found an empty string");
    }
    if (const Json* v = Find(doc, "theme")) c.ReadString(*v, "/theme", &config.theme);
    if (const Json* v = Find(doc, "usb"); v && c.IsObject(*v, "/usb")) ReadUsb(c, *v, &config.usb);
    if (const Json* v = Find(doc, "pull"); v && c.IsObject(*v, "/pull"))
      ReadPull(c, *v, &config.pull);
    if (const Json* v = Find(doc, "api"); v && c.IsObject(*v, "/api")) ReadApi(c, *v, &config.api);
    if (const Json* v = Find(doc, "display"); v && c.IsObject(*v, "/display"))
      ReadDisplay(c, *v, &config.display);
    if (const Json* v = Find(doc, "alerts"); v && c.IsObject(*v, "/alerts"))
      ReadAlerts(c, *v, &config.alerts);
    if (const Json* v = Find(doc, "trusted_keys")) ReadTrustedKeys(c, *v, &config.trusted_keys);
    if (const Json* v = Find(doc, "notices")) ReadNotices(c, *v, &config.notices);
  }
  if (found.empty()) return config;
  // The config's messages name the file too: "config.json: /usb/roots/0: ...".
  for (auto& d : found) d.where = source_name + ": " + (d.where.empty() ? "/" : d.where);
  errors->insert(errors->end(), found.begin(), found.end());
  return std::nullopt;
}

std::optional<Config> LoadConfigFile(FileSystem& fs, const std::string& path,
                                     std::vector<Diagnostic>* errors) {
  std::string text;
  if (Status s = fs.ReadFile(path, &text, kMaxConfigBytes); !s.ok()) {
    errors->push_back({path, s.message()});
    return std::nullopt;
  }
  return ParseConfig(text, path, errors);
}

}  // namespace nb::update
