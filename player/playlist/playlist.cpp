// Playlist format v1: JSON parsing, validation and the canonical form.
#include "playlist/playlist.h"

#include "base/civil_time.h"
#include "base/names.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>

namespace nb::playlist {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr std::size_t kMaxReportedErrors = 100;
constexpr double kMaxDurationS = 86400;
constexpr int kMaxTransitionMs = 10000;

// JSON pointer escaping (RFC 6901): "~" → "~0", "/" → "~1".
std::string PointerToken(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

const char* TypeName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "true/false";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::array:
      return "a list";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "a number";
    default:
      return "something else";
  }
}

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
  explicit Validator(std::vector<Diagnostic>* errors) : errors_(errors) {}

  void Error(const std::string& pointer, const std::string& message) {
    ++count_;
    if (errors_->size() < kMaxReportedErrors) errors_->push_back({pointer, message});
  }
  std::size_t count() const { return count_; }

  // Reports fields not in `known` (and not "x-..."), with the nearest known name.
  void CheckFields(const Json& obj, const std::string& pointer,
                   std::initializer_list<const char*> known) {
    for (const auto& [key, value] : obj.items()) {
      if (key.rfind("x-", 0) == 0) continue;
      bool found = false;
      for (const char* k : known) found = found || key == k;
      if (found) continue;
      std::string best = NearestName(key, known);
      std::string list;
      for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
      std::string message = "unknown field \"" + key + "\"";
      message += best.empty() ? "" : "; did you mean \"" + best + "\"?";
      message += " Known fields here: " + list + " (fields starting with \"x-\" are ignored)";
      Error(pointer + "/" + PointerToken(key), message);
    }
  }

  const Json* Field(const Json& obj, const char* name) {
    auto it = obj.find(name);
    return it == obj.end() ? nullptr : &*it;
  }

  bool String(const Json& v, const std::string& pointer, std::string* out) {
    if (!v.is_string()) {
      Error(pointer, std::string("expected a string, found ") + TypeName(v));
      return false;
    }
    *out = v.get<std::string>();
    return true;
  }

  bool PositiveSeconds(const Json& v, const std::string& pointer, double* out) {
    if (!v.is_number()) {
      Error(pointer,
            std::string("expected a number of seconds greater than 0, found ") + TypeName(v));
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
      Error("", std::string("expected an object { \"version\": 1, ... }, found ") + TypeName(root));
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
      Error("/items", std::string("expected a list of items, found ") + TypeName(*items));
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
      Error("/defaults", std::string("expected an object, found ") + TypeName(d));
      return;
    }
    CheckFields(d, "/defaults", {"duration_s", "transition"});
    if (const Json* v = Field(d, "duration_s"))
      PositiveSeconds(*v, "/defaults/duration_s", &p->default_duration_s);
    const Json* t = Field(d, "transition");
    if (!t) return;
    if (!t->is_object()) {
      Error("/defaults/transition", std::string("expected an object, found ") + TypeName(*t));
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
      Error(pointer, std::string("expected an item object, found ") + TypeName(v));
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
        Error(pointer + "/enabled", std::string("expected true or false, found ") + TypeName(*e));
    }
    if (const Json* s = Field(v, "schedule")) {
      Schedule schedule;
      if (ParseSchedule(*s, pointer + "/schedule", &schedule)) item->schedule = schedule;
    }
  }

  bool ParseSchedule(const Json& v, const std::string& pointer, Schedule* s) {
    if (!v.is_object()) {
      Error(pointer, std::string("expected an object, found ") + TypeName(v));
      return false;
    }
    std::size_t before = count_;
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
    if (const Json* w = Field(v, "weekdays")) ParseWeekdays(*w, pointer + "/weekdays", s);
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
    return count_ == before;
  }

  void ParseWeekdays(const Json& w, const std::string& pointer, Schedule* s) {
    const std::string expected = std::string("expected a list of ") + kWeekdaySpellings;
    if (!w.is_array() || w.empty()) {
      Error(pointer, (w.is_array() ? std::string("empty list: ") : "") + expected);
      return;
    }
    std::uint8_t mask = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
      const Json& d = w[i];
      std::optional<int> day;
      if (d.is_number_integer()) day = WeekdayFromIsoNumber(d.get<long long>());
      if (d.is_string()) day = WeekdayFromName(d.get<std::string>());
      if (!day) {
        Error(pointer + "/" + std::to_string(i), "bad weekday " + d.dump() + ": " + expected);
        continue;
      }
      mask = static_cast<std::uint8_t>(mask | WeekdayBit(*day));
    }
    s->weekdays = mask;
  }

  std::vector<Diagnostic>* errors_;
  std::size_t count_ = 0;
};

// nlohmann keeps the last of two equal keys in an object without a word; in
// a hand-edited playlist that hides a typo ("duration_s" twice), so the
// parser's callback tracks the keys of each open object and reports the
// first repeat with its JSON pointer.
class DuplicateKeyFinder {
 public:
  bool operator()(int /*depth*/, Json::parse_event_t event, Json& parsed) {
    using E = Json::parse_event_t;
    switch (event) {
      case E::object_start:
        stack_.push_back({true, {}, 0, {}});
        break;
      case E::array_start:
        stack_.push_back({false, {}, 0, {}});
        break;
      case E::key: {
        Frame& f = stack_.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second && !found_) found_ = Pointer();
        break;
      }
      case E::object_end:
      case E::array_end:
        stack_.pop_back();
        NextElement();
        break;
      case E::value:
        NextElement();
        break;
    }
    return true;
  }
  const std::optional<std::string>& found() const { return found_; }

 private:
  struct Frame {
    bool object;
    std::set<std::string> keys;
    std::size_t index;
    std::string key;
  };
  void NextElement() {
    if (!stack_.empty() && !stack_.back().object) ++stack_.back().index;
  }
  std::string Pointer() const {
    std::string p;
    for (const Frame& f : stack_) {
      p += "/";
      if (!f.object) {
        p += std::to_string(f.index);
        continue;
      }
      for (char c : f.key)
        p += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    }
    return p;
  }
  std::vector<Frame> stack_;
  std::optional<std::string> found_;
};

// Line and column (1-based, columns in characters) of a byte offset.
std::pair<std::size_t, std::size_t> LineColumn(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;  // count characters, not UTF-8 continuation bytes
    }
  }
  return {line, column};
}

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
  DuplicateKeyFinder duplicates;
  try {
    root = Json::parse(json_text, std::ref(duplicates));
  } catch (const Json::parse_error& e) {
    // e.byte counts the bytes read: the position is the character where the
    // parser gave up (the end of an unexpected token), as nlohmann's own
    // message has it, but with the column in characters rather than bytes.
    std::string what = e.what();
    std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    auto [line, column] = LineColumn(json_text, offset);
    // Keep nlohmann's description, drop its own (byte-based) position prefix.
    if (auto p = what.find("syntax error"); p != std::string::npos)
      what = what.substr(p);
    else if (auto q = what.find(": "); q != std::string::npos)
      what = what.substr(q + 2);
    // nlohmann quotes everything it read of the bad token ("last read: '...'"),
    // which for an unclosed string is the rest of the file: keep its tail.
    if (auto r = what.find("last read: '"); r != std::string::npos) {
      std::size_t start = r + 12;
      std::size_t end = what.find("'; ", start);
      if (end == std::string::npos) end = what.size();
      std::string_view token(what.data() + start, end - start);
      if (token.size() > 40) {
        std::size_t cut = token.size() - 40;
        while (cut < token.size() && (static_cast<unsigned char>(token[cut]) & 0xC0) == 0x80) ++cut;
        what = what.substr(0, start) + "..." + std::string(token.substr(cut)) + what.substr(end);
      }
    }
    errors->push_back(
        {source_name + ":" + std::to_string(line) + ":" + std::to_string(column), "JSON " + what});
    return std::nullopt;
  }
  if (duplicates.found()) {
    const std::string& where = *duplicates.found();
    errors->push_back({where, "the key \"" + where.substr(where.rfind('/') + 1) +
                                  "\" appears twice in one object: expected each key once "
                                  "(the second would silently replace the first)"});
    return std::nullopt;
  }
  Playlist p;
  p.items.clear();
  Validator v(errors);
  v.ParseTopLevel(root, &p);
  if (v.count() > errors->size()) {
    errors->push_back(
        {source_name, "... and " + std::to_string(v.count() - errors->size()) + " more errors"});
  }
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
