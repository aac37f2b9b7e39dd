#include "render/theme.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string_view>
#include <vector>

#include "base/json_check.h"
#include "render/default_theme.h"

namespace nb::render {
namespace {

using nlohmann::json;

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Walks one JSON object, applying the fields it is asked for; Finish()
// reports the fields nobody asked for. Every error goes to the checker.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string pointer, JsonChecker* check)
      : object_(object), pointer_(std::move(pointer)), check_(*check) {}

  void Color(const char* key, std::uint32_t* out) {
    Field(key, [&](const json& v, const std::string& where) {
      if (!v.is_string() || !ParseColor(v.get<std::string>(), out)) {
        check_.Error(where, "expected a colour as \"#RRGGBB\" or \"#RRGGBBAA\", found " + Found(v));
      }
    });
  }
  void Fraction(const char* key, float* out, float max = 1.f) {
    Field(key, [&](const json& v, const std::string& where) {
      if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > max) {
        check_.Error(where, "expected a number from 0 to " + Trim(max) +
                                " (a fraction of the screen height), found " + Found(v));
      } else {
        *out = v.get<float>();
      }
    });
  }
  void Int(const char* key, int* out, int min, int max) {
    Field(key, [&](const json& v, const std::string& where) {
      long long n = 0;
      if (check_.ReadInt(v, where, min, max, &n)) *out = static_cast<int>(n);
    });
  }
  void Bool(const char* key, bool* out) {
    Field(key, [&](const json& v, const std::string& where) { check_.ReadBool(v, where, out); });
  }
  void String(const char* key, std::string* out) {
    Field(key, [&](const json& v, const std::string& where) { check_.ReadString(v, where, out); });
  }
  void Object(const char* key, const std::function<void(ObjectReader&)>& read) {
    Field(key, [&](const json& v, const std::string& where) {
      if (!check_.IsObject(v, where)) return;
      ObjectReader inner(v, where, &check_);
      read(inner);
      inner.Finish();
    });
  }
  // Reports every field nobody asked for.
  void Finish() { check_.KnownFields(object_, pointer_, known_); }

 private:
  static std::string Trim(float v) {
    std::string s = std::to_string(v);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  // A string or a number as written, else its type.
  static std::string Found(const json& v) {
    return v.is_string() || v.is_number() ? v.dump() : JsonTypeName(v);
  }
  void Field(const char* key, const std::function<void(const json&, const std::string&)>& apply) {
    known_.push_back(key);
    auto it = object_.find(key);
    if (it != object_.end()) apply(*it, JsonPointerTo(pointer_, key));
  }

  const json& object_;
  std::string pointer_;
  JsonChecker& check_;
  std::vector<std::string> known_;
};

void ReadProportions(ObjectReader& r, Proportions* p) {
  r.Fraction("margin", &p->margin, 0.4f);
  r.Fraction("header_height", &p->header_height, 0.4f);
  r.Fraction("header_text", &p->header_text, 0.3f);
  r.Fraction("clock_text", &p->clock_text, 0.3f);
  r.Fraction("headline_max", &p->headline_max, 0.3f);
  r.Fraction("headline_min", &p->headline_min, 0.3f);
  r.Int("headline_lines", &p->headline_lines, 1, 6);
  r.Fraction("meta_text", &p->meta_text, 0.3f);
  r.Fraction("summary_max", &p->summary_max, 0.3f);
  r.Fraction("summary_min", &p->summary_min, 0.3f);
  r.Fraction("ticker_height", &p->ticker_height, 0.4f);
  r.Fraction("ticker_text", &p->ticker_text, 0.3f);
  r.Int("max_line_chars", &p->max_line_chars, 8, 200);
}

}  // namespace

bool ParseColor(std::string_view text, std::uint32_t* rgba) {
  if ((text.size() != 7 && text.size() != 9) || text[0] != '#') return false;
  for (char c : text.substr(1)) {
    if (!IsHex(c)) return false;
  }
  std::uint32_t value =
      static_cast<std::uint32_t>(std::stoul(std::string(text.substr(1)), nullptr, 16));
  *rgba = text.size() == 7 ? (value << 8) | 0xFF : value;
  return true;
}

std::string_view DefaultThemeJson() { return generated::kDefaultThemeJson; }

const Theme& DefaultTheme() {
  static const Theme theme = [] {
    Theme t;
    Status s = ParseTheme(DefaultThemeJson(), "default-theme.json", Theme{}, &t);
    if (!s.ok()) std::abort();  // a build error: the test suite parses it too
    return t;
  }();
  return theme;
}

Status ParseTheme(std::string_view json_text, const std::string& source_name, const Theme& base,
                  Theme* out) {
  std::vector<Diagnostic> errors;
  json doc;
  if (!ParseJson(json_text, source_name, {}, &doc, &errors))
    return Status::Error(errors[0].ToString());
  JsonChecker check(&errors);
  if (!check.IsObject(doc, "")) return Status::Error(source_name + ": " + errors[0].message);

  Theme t = base;
  ObjectReader root(doc, "", &check);
  root.String("name", &t.name);
  root.Object("colors", [&](ObjectReader& r) {
    Colors& c = t.colors;
    r.Color("background", &c.background);
    r.Color("header_background", &c.header_background);
    r.Color("header_text", &c.header_text);
    r.Color("header_secondary", &c.header_secondary);
    r.Color("accent", &c.accent);
    r.Color("headline", &c.headline);
    r.Color("meta", &c.meta);
    r.Color("summary", &c.summary);
    r.Color("rule", &c.rule);
    r.Color("ticker_background", &c.ticker_background);
    r.Color("ticker_text", &c.ticker_text);
    r.Color("ticker_marker", &c.ticker_marker);
    r.Color("notice_success_background", &c.notice_success_background);
    r.Color("notice_success_text", &c.notice_success_text);
    r.Color("notice_refused_background", &c.notice_refused_background);
    r.Color("notice_refused_text", &c.notice_refused_text);
    r.Color("alert_info_background", &c.alert_info_background);
    r.Color("alert_info_text", &c.alert_info_text);
    r.Color("alert_warning_background", &c.alert_warning_background);
    r.Color("alert_warning_text", &c.alert_warning_text);
    r.Color("alert_critical_background", &c.alert_critical_background);
    r.Color("alert_critical_text", &c.alert_critical_text);
    r.Color("idle_background", &c.idle_background);
    r.Color("idle_text", &c.idle_text);
  });
  root.Object("fonts", [&](ObjectReader& r) {
    r.String("headline_file", &t.headline_font_file);
    r.String("body_file", &t.body_font_file);
    r.String("headline_family", &t.headline_family);
    r.String("body_family", &t.body_family);
  });
  root.Object("landscape", [&](ObjectReader& r) { ReadProportions(r, &t.landscape); });
  root.Object("portrait", [&](ObjectReader& r) { ReadProportions(r, &t.portrait); });
  root.Object("ticker", [&](ObjectReader& r) {
    r.Bool("enabled", &t.ticker);
    r.Fraction("speed", &t.ticker_speed, 2.f);
    r.String("marker", &t.ticker_marker);
  });
  root.Object("clock", [&](ObjectReader& r) { r.Bool("enabled", &t.clock); });
  root.Fraction("notice_seconds", &t.notice_seconds, 600.f);
  root.Finish();
  for (const char* orientation : {"landscape", "portrait"}) {
    const Proportions& p = std::string_view(orientation) == "landscape" ? t.landscape : t.portrait;
    std::string pointer = JsonPointerTo("", orientation);
    if (p.headline_min > p.headline_max)
      check.Error(pointer + "/headline_min", "headline_min is larger than headline_max");
    if (p.summary_min > p.summary_max)
      check.Error(pointer + "/summary_min", "summary_min is larger than summary_max");
  }
  if (!errors.empty()) return Status::Error(JoinDiagnostics(source_name, errors));
  *out = std::move(t);
  return Status();
}

Status LoadThemeFile(FileSystem& fs, const std::string& path, Theme* out) {
  std::string text;
  Status s = fs.ReadFile(path, &text, 1 << 20);
  if (!s.ok()) return s;
  return ParseTheme(text, path, DefaultTheme(), out);
}

}  // namespace nb::render
