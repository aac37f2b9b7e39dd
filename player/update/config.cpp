#include "update/config.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "base/civil_time.h"
#include "base/names.h"

namespace nb::update {
namespace {

using Json = nlohmann::json;
using playlist::Diagnostic;

constexpr std::size_t kMaxConfigBytes = 256 * 1024;

class Checker {
 public:
  explicit Checker(std::vector<Diagnostic>* errors) : errors_(errors) {}

  void Error(const std::string& where, const std::string& message) {
    errors_->push_back({where.empty() ? "/" : where, message});
  }
  bool failed() const { return !errors_->empty(); }

  bool Object(const Json& v, const std::string& where) {
    if (v.is_object()) return true;
    Error(where, std::string("expected an object, found ") + v.type_name());
    return false;
  }

  void KnownKeys(const Json& obj, const std::string& where,
                 std::initializer_list<const char*> known) {
    for (const auto& item : obj.items()) {
      // A plain reference, not a structured binding: clang 14 (the fuzz
      // preset) cannot capture bindings in a lambda.
      const std::string& key = item.key();
      if (key.rfind("x-", 0) == 0) continue;
      if (std::any_of(known.begin(), known.end(), [&](const char* k) { return key == k; }))
        continue;
      std::string best = NearestName(key, known);
      std::string list;
      for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      Error(where + "/" + key, "unknown key \"" + key + "\"" +
                                   (best.empty() ? "" : "; did you mean \"" + best + "\"?") +
                                   " Known keys here: " + list);
    }
  }

  void String(const Json& obj, const char* key, const std::string& where, std::string* out) {
    if (!obj.contains(key)) return;
    const Json& v = obj[key];
    if (!v.is_string()) {
      Error(where + "/" + key, std::string("expected a string, found ") + v.type_name());
      return;
    }
    *out = v.get<std::string>();
  }

  void Bool(const Json& obj, const char* key, const std::string& where, bool* out) {
    if (!obj.contains(key)) return;
    const Json& v = obj[key];
    if (!v.is_boolean()) {
      Error(where + "/" + key, std::string("expected true or false, found ") + v.type_name());
      return;
    }
    *out = v.get<bool>();
  }

  void Int(const Json& obj, const char* key, const std::string& where, int lo, int hi, int* out) {
    if (!obj.contains(key)) return;
    const Json& v = obj[key];
    if (!v.is_number_integer() && !v.is_number_unsigned()) {
      Error(where + "/" + key, std::string("expected a whole number, found ") + v.type_name());
      return;
    }
    long long n = v.get<long long>();
    if (n < lo || n > hi) {
      Error(where + "/" + key, "expected a number from " + std::to_string(lo) + " to " +
                                   std::to_string(hi) + ", found " + std::to_string(n));
      return;
    }
    *out = static_cast<int>(n);
  }

  void StringList(const Json& obj, const char* key, const std::string& where,
                  std::vector<std::string>* out) {
    if (!obj.contains(key)) return;
    const Json& v = obj[key];
    std::string here = where + "/" + key;
    if (!v.is_array()) {
      Error(here, std::string("expected a list of strings, found ") + v.type_name());
      return;
    }
    std::vector<std::string> items;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) {
        Error(here + "/" + std::to_string(i),
              std::string("expected a string, found ") + v[i].type_name());
        continue;
      }
      items.push_back(v[i].get<std::string>());
    }
    *out = std::move(items);
  }

 private:
  std::vector<Diagnostic>* errors_;
};

bool IsBase64(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
  });
}

void ParseDisplay(const Json& display, Checker& c, DisplayConfig* out) {
  c.KnownKeys(display, "/display", {"off_hours", "off_command", "on_command"});
  if (display.contains("off_hours")) {
    const Json& list = display["off_hours"];
    if (!list.is_array()) {
      c.Error("/display/off_hours",
              std::string("expected a list of {\"weekdays\", \"from\", \"to\"}, found ") +
                  list.type_name());
    } else {
      for (std::size_t i = 0; i < list.size(); ++i) {
        std::string here = "/display/off_hours/" + std::to_string(i);
        if (!c.Object(list[i], here)) continue;
        const Json& p = list[i];
        c.KnownKeys(p, here, {"weekdays", "from", "to"});
        OffPeriod period;
        if (p.contains("weekdays")) {
          const Json& days = p["weekdays"];
          std::string where = here + "/weekdays";
          if (!days.is_array()) {
            c.Error(where, std::string("expected a list of days, found ") + days.type_name());
          } else if (days.empty()) {
            c.Error(where, "expected at least one day, e.g. [\"sat\", \"sun\"]");
          }
          period.weekdays = 0;
          for (std::size_t d = 0; days.is_array() && d < days.size(); ++d) {
            std::optional<int> day;
            if (days[d].is_number_integer()) day = WeekdayFromIsoNumber(days[d].get<long long>());
            if (days[d].is_string()) day = WeekdayFromName(days[d].get<std::string>());
            if (!day) {
              c.Error(where + "/" + std::to_string(d),
                      std::string("expected a day: mon, tue, wed, thu, fri, sat or sun (or ") +
                          "1 for Monday to 7 for Sunday), found " + days[d].dump());
              continue;
            }
            period.weekdays |= WeekdayBit(*day);
          }
        }
        for (const char* key : {"from", "to"}) {
          std::string text;
          if (!p.contains(key)) {
            c.Error(here + "/" + key,
                    std::string("missing \"") + key + "\": a time of day such as \"19:00\"");
            continue;
          }
          c.String(p, key, here, &text);
          if (!p[key].is_string()) continue;
          bool is_to = std::string_view(key) == "to";
          std::string why;
          std::optional<int> minutes = ParseClockTime(text, is_to, &why);
          if (!minutes) {
            c.Error(here + "/" + key, std::string("expected a time of day HH:MM (00:00 to ") +
                                          (is_to ? "24:00" : "23:59") + "), found \"" + text +
                                          "\"" + (why.empty() ? "" : ": " + why));
            continue;
          }
          (is_to ? period.to_min : period.from_min) = *minutes;
        }
        out->off_hours.push_back(period);
      }
    }
  }
  c.StringList(display, "off_command", "/display", &out->off_command);
  c.StringList(display, "on_command", "/display", &out->on_command);
  for (const char* key : {"off_command", "on_command"}) {
    const auto& argv = std::string_view(key) == "off_command" ? out->off_command : out->on_command;
    if (!argv.empty() && argv[0].empty())
      c.Error(std::string("/display/") + key + "/0", "expected a program name, found \"\"");
  }
}

}  // namespace

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
  try {
    doc = Json::parse(json_text, nullptr, true, /*ignore_comments=*/true);
  } catch (const Json::parse_error& e) {
    // Byte offset → line and column for people.
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < json_text.size(); ++i) {
      if (json_text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    auto pos = what.find("syntax error");
    errors->push_back({source_name + ":" + std::to_string(line) + ":" + std::to_string(col),
                       "not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos))});
    return std::nullopt;
  }

  std::vector<Diagnostic> found;
  Checker c(&found);
  Config config;
  if (!c.Object(doc, "")) {
    for (auto& d : found) d.where = source_name + ": " + d.where;
    errors->insert(errors->end(), found.begin(), found.end());
    return std::nullopt;
  }
  c.KnownKeys(doc, "",
              {"playlist", "state_dir", "theme", "usb", "pull", "api", "display", "trusted_keys"});
  c.String(doc, "playlist", "", &config.playlist);
  c.String(doc, "state_dir", "", &config.state_dir);
  if (doc.contains("state_dir") && config.state_dir.empty())
    c.Error("/state_dir", "expected a folder, found an empty string");
  c.String(doc, "theme", "", &config.theme);

  if (doc.contains("usb") && c.Object(doc["usb"], "/usb")) {
    const Json& usb = doc["usb"];
    c.KnownKeys(usb, "/usb", {"enabled", "roots"});
    c.Bool(usb, "enabled", "/usb", &config.usb.enabled);
    c.StringList(usb, "roots", "/usb", &config.usb.roots);
    for (std::size_t i = 0; i < config.usb.roots.size(); ++i) {
      if (config.usb.roots[i].empty() || config.usb.roots[i][0] != '/')
        c.Error("/usb/roots/" + std::to_string(i),
                "expected an absolute folder such as \"/media\", found \"" + config.usb.roots[i] +
                    "\"");
    }
  }
  if (doc.contains("pull") && c.Object(doc["pull"], "/pull")) {
    const Json& pull = doc["pull"];
    c.KnownKeys(pull, "/pull", {"url", "interval_s", "connect_timeout_s", "timeout_s"});
    c.String(pull, "url", "/pull", &config.pull.url);
    const std::string& url = config.pull.url;
    if (!url.empty() && url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
      c.Error("/pull/url", "expected an http:// or https:// address, found \"" + url + "\"");
    c.Int(pull, "interval_s", "/pull", 10, 7 * 86400, &config.pull.interval_s);
    c.Int(pull, "connect_timeout_s", "/pull", 1, 600, &config.pull.connect_timeout_s);
    c.Int(pull, "timeout_s", "/pull", 1, 3600, &config.pull.timeout_s);
  }
  if (doc.contains("api") && c.Object(doc["api"], "/api")) {
    const Json& api = doc["api"];
    c.KnownKeys(api, "/api", {"enabled", "listen", "token_file"});
    c.Bool(api, "enabled", "/api", &config.api.enabled);
    c.String(api, "listen", "/api", &config.api.listen);
    std::string host;
    int port = 0;
    if (!SplitListenAddress(config.api.listen, &host, &port))
      c.Error("/api/listen",
              "expected host:port such as \"127.0.0.1:8080\", found \"" + config.api.listen + "\"");
    c.String(api, "token_file", "/api", &config.api.token_file);
    if (config.api.enabled && config.api.token_file.empty())
      c.Error("/api/token_file", "the API needs a token file when enabled");
  }
  if (doc.contains("display") && c.Object(doc["display"], "/display"))
    ParseDisplay(doc["display"], c, &config.display);
  c.StringList(doc, "trusted_keys", "", &config.trusted_keys);
  for (std::size_t i = 0; i < config.trusted_keys.size(); ++i) {
    const std::string& k = config.trusted_keys[i];
    // A minisign public key is 42 bytes: 56 base64 characters starting "RW".
    if (k.size() != 56 || k.rfind("RW", 0) != 0 || !IsBase64(k))
      c.Error("/trusted_keys/" + std::to_string(i),
              "expected a minisign public key (the 56-character line starting \"RW\" in "
              "minisign.pub), found \"" +
                  k + "\"");
  }

  if (!found.empty()) {
    for (auto& d : found) d.where = source_name + ": " + d.where;
    errors->insert(errors->end(), found.begin(), found.end());
    return std::nullopt;
  }
  return config;
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
