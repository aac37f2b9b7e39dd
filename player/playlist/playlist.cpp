// Playlist format v1: JSON parsing, validation and the canonical form.
#include "playlist/playlist.h"

#include "base/civil_time.h"
#include "base/json_check.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

namespace nb::playlist {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr std::size_t kMaxReportedErrors = 100;
constexpr double kMaxDurationS = 86400;
constexpr int kMaxTransitionMs = 10000;

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool RealDate(int y, int m, int d) {
  using namespace std::chrono;
  return year_month_day{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}}
      .ok();
}

// "YYYY-MM-DD" → date; empty string on success, else what was wrong.
std::string ParseDate(std::string_view s, LocalDateTime* out) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !IsDigits(s.substr(0, 4)) ||
      !IsDigits(s.substr(5, 2)) || !IsDigits(s.substr(8, 2))) {
    return "expected a date YYYY-MM-DD";
  }
  out->year = ToInt(s.substr(0, 4));
  out->month = ToInt(s.substr(5, 2));
  out->day = ToInt(s.substr(8, 2));
  if (out->month < 1 || out->month > 12) return "there is no month " + std::string(s.substr(5, 2));
  if (!RealDate(out->year, out->month, out->day)) {
    return "day " + std::string(s.substr(8, 2)) + " does not exist in " +
           std::string(s.substr(0, 7));
  }
  return "";
}

// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]". A date alone is the start of the
// day, or its end (23:59:59) when end_of_day is set.
std::string ParseDateOrDateTime(std::string_view s, bool end_of_day, LocalDateTime* out) {
  const std::string expected =
      "expected a date YYYY-MM-DD or a date-time YYYY-MM-DDTHH:MM[:SS] (local time)";
  if (s.size() != 10 && s.size() != 16 && s.size() != 19) return expected;
  if (std::string why = ParseDate(s.substr(0, 10), out); !why.empty()) {
    return why == "expected a date YYYY-MM-DD" ? expected : why;
  }
  if (s.size() == 10) {
    if (end_of_day) out->hour = 23, out->minute = 59, out->second = 59;
    return "";
  }
  if (s[10] != 'T' || s[13] != ':' || !IsDigits(s.substr(11, 2)) || !IsDigits(s.substr(14, 2)))
    return expected;
  out->hour = ToInt(s.substr(11, 2));
  out->minute = ToInt(s.substr(14, 2));
  if (s.size() == 19) {
    if (s[16] != ':' || !IsDigits(s.substr(17, 2))) return expected;
    out->second = ToInt(s.substr(17, 2));
  }
  if (out->hour > 23 || out->minute > 59 || out->second > 59)
    return "time out of range: expected hours 00-23, minutes and seconds 00-59";
  return "";
}

// One end of "HH:MM-HH:MM"; returns minutes or -1 with *why set.
int ParseClock(std::string_view s, bool is_end, std::string* why) {
  std::optional<int> minutes = ParseClockTime(s, is_end, why);
  if (minutes) return *minutes;
  if (why->empty()) *why = "expected \"HH:MM-HH:MM\" such as \"07:30-18:00\"";
  return -1;
}

std::string FormatDateTime(const LocalDateTime& t, bool end_of_day) {
  char buf[80];
  bool date_only = end_of_day ? (t.hour == 23 && t.minute == 59 && t.second == 59)
                              : (t.hour == 0 && t.minute == 0 && t.second == 0);
  if (date_only) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.year, t.month, t.day);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour,
                  t.minute, t.second);
  }
  return buf;
}

class Validator {
 public:
  explicit Validator(JsonChecker* check) : check_(*check) {}

  void Error(const std::string& pointer, const std::string& message) {
    check_.Error(pointer, message);
  }
  void CheckFields(const Json& obj, const std::string& pointer,
                   std::initializer_list<const char*> known) {
    check_.KnownFields(obj, pointer, known);
  }

  const Json* Field(const Json& obj, const char* name) {
    auto it = obj.find(name);
    return it == obj.end() ? nullptr : &*it;
  }

  bool String(const Json& v, const std::string& pointer, std::string* out) {
    return check_.ReadString(v, pointer, out);
  }

  bool PositiveSeconds(const Json& v, const std::string& pointer, double* out) {
    if (!v.is_number()) {
      Error(pointer,
            std::string("expected a number of seconds greater than 0, found ") + JsonTypeName(v));
      return false;
    }
    double d = v.get<double>();
    if (!(d > 0) || d > kMaxDurationS) {
      Error(pointer, "duration " + v.dump() +
                         " is not allowed: expected a number of seconds greater than 0 and at "
                         "most 86400");
      return false;
    }
    *out = d;
    return true;
  }

  void ParseTopLevel(const Json& root, Playlist* p) {
    if (!root.is_object()) {
      Error("",
            std::string("expected an object { \"version\": 1, ... }, found ") + JsonTypeName(root));
      return;
    }
    CheckFields(root, "", {"version", "title", "generated_at", "defaults", "items"});
    if (const Json* v = Field(root, "version")) {
      if (!v->is_number_integer() || v->get<long long>() != kFormatVersion) {
        Error("/version",
              "unsupported format version " + v->dump() + ": this player reads version 1");
      }
    } else {
      Error("/version", "missing: expected \"version\": 1");
    }
    if (const Json* v = Field(root, "title")) {
      String(*v, "/title", &p->title);
    } else {
      Error("/title", "missing: expected the source's name as a string");
    }
    if (const Json* v = Field(root, "generated_at")) String(*v, "/generated_at", &p->generated_at);
    if (const Json* d = Field(root, "defaults")) ParseDefaults(*d, p);

    const Json* items = Field(root, "items");
    if (!items) {
      Error("/items", "missing: expected a list of items");
      return;
    }
    if (!items->is_array()) {
      Error("/items", std::string("expected a list of items, found ") + JsonTypeName(*items));
      return;
    }
    if (items->size() > kMaxItems) {
      Error("/items", "has " + std::to_string(items->size()) +
                          " items: a playlist holds at most 10000 items");
      return;
    }
    std::map<std::string, std::size_t> ids;
    for (std::size_t i = 0; i < items->size(); ++i) {
      std::string pointer = "/items/" + std::to_string(i);
      Item item;
      ParseItem((*items)[i], pointer, &item);
      if (!item.id.empty()) {
        auto [it, inserted] = ids.emplace(item.id, i);
        if (!inserted) {
          Error(pointer + "/id", "duplicate id \"" + item.id + "\" (also /items/" +
                                     std::to_string(it->second) +
                                     "/id): expected every id to be unique");
        }
      }
      p->items.push_back(std::move(item));
    }
  }

 private:
  void ParseDefaults(const Json& d, Playlist* p) {
    if (!d.is_object()) {
      Error("/defaults", std::string("expected an object, found ") + JsonTypeName(d));
      return;
    }
    CheckFields(d, "/defaults", {"duration_s", "transition"});
    if (const Json* v = Field(d, "duration_s"))
      PositiveSeconds(*v, "/defaults/duration_s", &p->default_duration_s);
    const Json* t = Field(d, "transition");
    if (!t) return;
    if (!t->is_object()) {
      Error("/defaults/transition", std::string("expected an object, found ") + JsonTypeName(*t));
      return;
    }
    CheckFields(*t, "/defaults/transition", {"kind", "ms"});
    if (const Json* k = Field(*t, "kind")) {
      std::string kind;
      if (String(*k, "/defaults/transition/kind", &kind)) {
        if (kind == "crossfade")
          p->transition.kind = TransitionKind::kCrossfade;
        else if (kind == "cut")
          p->transition.kind = TransitionKind::kCut;
        else
          Error("/defaults/transition/kind",
                "unknown transition \"" + kind + "\": expected \"crossfade\" or \"cut\"");
      }
    }
    if (const Json* ms = Field(*t, "ms")) {
      if (!ms->is_number_integer() || ms->get<long long>() < 0 ||
          ms->get<long long>() > kMaxTransitionMs) {
        Error("/defaults/transition/ms",
              "expected a whole number of milliseconds from 0 to 10000, found " + ms->dump());
      } else {
        p->transition.ms = static_cast<int>(ms->get<long long>());
      }
    }
  }

  void ParseItem(const Json& v, const std::string& pointer, Item* item) {
    if (!v.is_object()) {
      Error(pointer, std::string("expected an item object, found ") + JsonTypeName(v));
      return;
    }
    CheckFields(v, pointer,
                {"id", "title", "summary", "body", "date", "duration_s", "schedule", "enabled"});
    if (const Json* id = Field(v, "id")) {
      if (String(*id, pointer + "/id", &item->id) && item->id.empty())
        Error(pointer + "/id", "empty id: expected a non-empty, unique string");
    } else {
      Error(pointer + "/id", "missing: expected a unique id string");
    }
    if (const Json* t = Field(v, "title")) {
      if (String(*t, pointer + "/title", &item->title) &&
          item->title.find_first_not_of(" \t\r\n") == std::string::npos) {
        Error(pointer + "/title", "empty title: expected the headline the screen shows");
      }
    } else {
      Error(pointer + "/title", "missing: expected the headline the screen shows");
    }
    if (const Json* s = Field(v, "summary")) String(*s, pointer + "/summary", &item->summary);
    if (const Json* b = Field(v, "body")) String(*b, pointer + "/body", &item->body);
    if (const Json* d = Field(v, "date")) {
      if (String(*d, pointer + "/date", &item->date)) {
        LocalDateTime ignored;
        if (std::string why = ParseDate(item->date, &ignored); !why.empty())
          Error(pointer + "/date", "bad date \"" + item->date + "\": " + why);
      }
    }
    if (const Json* d = Field(v, "duration_s")) {
      double s = 0;
      if (PositiveSeconds(*d, pointer + "/duration_s", &s)) item->duration_s = s;
    }
    if (const Json* e = Field(v, "enabled")) {
      if (e->is_boolean())
        item->enabled = e->get<bool>();
      else
        Error(pointer + "/enabled",
              std::string("expected true or false, found ") + JsonTypeName(*e));
    }
    if (const Json* s = Field(v, "schedule")) {
      Schedule schedule;
      if (ParseSchedule(*s, pointer + "/schedule", &schedule)) item->schedule = schedule;
    }
  }

  bool ParseSchedule(const Json& v, const std::string& pointer, Schedule* s) {
    if (!v.is_object()) {
      Error(pointer, std::string("expected an object, found ") + JsonTypeName(v));
      return false;
    }
    std::size_t before = check_.count();
    CheckFields(v, pointer, {"from", "until", "weekdays", "hours"});
    for (const char* name : {"from", "until"}) {
      const Json* f = Field(v, name);
      if (!f) continue;
      std::string text, p = pointer + "/" + name;
      if (!String(*f, p, &text)) continue;
      LocalDateTime t;
      bool is_until = std::string_view(name) == "until";
      if (std::string why = ParseDateOrDateTime(text, is_until, &t); !why.empty()) {
        Error(p, "bad date \"" + text + "\": " + why);
        continue;
      }
      (is_until ? s->until : s->from) = t;
    }
    if (s->from && s->until && *s->from > *s->until) {
      Error(pointer + "/from",
            "\"from\" (" + Field(v, "from")->get<std::string>() + ") is after \"until\" (" +
                Field(v, "until")->get<std::string>() + "): expected from <= until");
    }
    if (const Json* w = Field(v, "weekdays")) {
      WeekdayMask mask = 0;
      if (check_.ReadWeekdays(*w, pointer + "/weekdays", &mask))
        s->weekdays = static_cast<std::uint8_t>(mask);
    }
    if (const Json* h = Field(v, "hours")) {
      std::string text, p = pointer + "/hours";
      if (String(*h, p, &text)) {
        std::string why;
        auto dash = text.find('-');
        int begin = -1, end = -1;
        if (dash == std::string::npos) {
          why = "expected \"HH:MM-HH:MM\" such as \"07:30-18:00\"";
        } else {
          begin = ParseClock(std::string_view(text).substr(0, dash), false, &why);
          if (begin >= 0) end = ParseClock(std::string_view(text).substr(dash + 1), true, &why);
        }
        if (begin >= 0 && end >= 0 && begin == end) {
          why = "start and end are the same: expected a non-empty span such as \"07:30-18:00\"";
        }
        if (!why.empty())
          Error(p, "bad hours \"" + text + "\": " + why);
        else
          s->hours = std::make_pair(begin, end);
      }
    }
    return check_.count() == before;
  }

  JsonChecker& check_;
};

}  // namespace

std::optional<Playlist> ParsePlaylist(std::string_view json_text, const std::string& source_name,
                                      std::vector<Diagnostic>* errors) {
  errors->clear();
  if (json_text.size() > kMaxFileBytes) {
    errors->push_back({source_name, "the file has " + std::to_string(json_text.size()) +
                                        " bytes: a playlist may be at most 4 MiB (4194304 bytes)"});
    return std::nullopt;
  }
  Json root;
  if (!ParseJson(json_text, source_name, {.reject_duplicate_keys = true}, &root, errors))
    return std::nullopt;
  Playlist p;
  p.items.clear();
  JsonChecker check(errors, kMaxReportedErrors);
  Validator(&check).ParseTopLevel(root, &p);
  check.AddCountOfUnreported(source_name);
  if (!errors->empty()) return std::nullopt;
  return p;
}

std::optional<Playlist> LoadPlaylistFile(FileSystem& fs, const std::string& path,
                                         std::vector<Diagnostic>* errors) {
  errors->clear();
  std::string text;
  Status s = fs.ReadFile(path, &text, kMaxFileBytes);
  if (!s.ok()) {
    errors->push_back({path, s.message().rfind(path + ": ", 0) == 0
                                 ? s.message().substr(path.size() + 2)
                                 : s.message()});
    return std::nullopt;
  }
  return ParsePlaylist(text, path, errors);
}

std::string ToJson(const Playlist& playlist) {
  OrderedJson root;
  root["version"] = playlist.version;
  root["title"] = playlist.title;
  root["generated_at"] = playlist.generated_at;
  root["defaults"]["duration_s"] = playlist.default_duration_s;
  root["defaults"]["transition"]["kind"] =
      playlist.transition.kind == TransitionKind::kCut ? "cut" : "crossfade";
  root["defaults"]["transition"]["ms"] = playlist.transition.ms;
  OrderedJson items = OrderedJson::array();
  for (const Item& item : playlist.items) {
    OrderedJson j;
    j["id"] = item.id;
    j["title"] = item.title;
    if (!item.date.empty()) j["date"] = item.date;
    j["summary"] = item.summary;
    j["body"] = item.body;
    if (item.duration_s) j["duration_s"] = *item.duration_s;
    if (item.schedule) {
      const Schedule& s = *item.schedule;
      OrderedJson sj = OrderedJson::object();
      if (s.from) sj["from"] = FormatDateTime(*s.from, false);
      if (s.until) sj["until"] = FormatDateTime(*s.until, true);
      if (s.weekdays != 0x7F) {
        OrderedJson days = OrderedJson::array();
        for (int k = 0; k < 7; ++k)
          if (s.weekdays & WeekdayBit(k)) days.push_back(WeekdayName(k));
        sj["weekdays"] = days;
      }
      if (s.hours)
        sj["hours"] = FormatClockTime(s.hours->first) + "-" + FormatClockTime(s.hours->second);
      j["schedule"] = sj;
    }
    j["enabled"] = item.enabled;
    items.push_back(std::move(j));
  }
  root["items"] = std::move(items);
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::strict) + "\n";
}

}  // namespace nb::playlist
