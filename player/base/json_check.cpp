#include "base/json_check.h"

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>

#include "base/json_syntax.h"
#include "base/names.h"

namespace nb {
namespace {

// AddCountOfUnreported()'s last line, which CountErrors() reads back.
constexpr std::string_view kMoreErrors = "... and ", kMoreErrorsEnd = " more errors";

using Json = nlohmann::json;

// nlohmann keeps the last of two equal keys in an object without a word; in
// a hand-edited file that hides a typo ("duration_s" twice), so the parser's
// callback tracks the keys of each open object and remembers the first
// repeat with its JSON pointer.
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
        if (!f.keys.insert(f.key).second && !found_) found_ = {Pointer(), f.key};
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
  // The pointer and the key of the first repeat.
  const std::optional<std::pair<std::string, std::string>>& found() const { return found_; }

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
    for (const Frame& f : stack_)
      p = f.object ? JsonPointerTo(p, f.key) : JsonPointerTo(p, f.index);
    return p;
  }
  std::vector<Frame> stack_;
  std::optional<std::pair<std::string, std::string>> found_;
};

}  // namespace

std::string JoinDiagnostics(const std::string& source_name, const std::vector<Diagnostic>& errors) {
  std::string message = source_name;
  for (std::size_t i = 0; i < errors.size(); ++i)
    message += (i == 0 ? ": " : "; ") + errors[i].ToString();
  return message;
}

std::string JsonPointerToken(std::string_view key) {
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

std::string JsonPointerTo(const std::string& pointer, std::string_view key) {
  return pointer + "/" + JsonPointerToken(key);
}

std::string JsonPointerTo(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

const char* JsonTypeName(const Json& value) {
  switch (value.type()) {
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

bool ParseJson(std::string_view text, const std::string& source_name,
               const JsonParseOptions& options, Json* out, std::vector<Diagnostic>* errors) {
  DuplicateKeyFinder duplicates;
  Json::parser_callback_t callback = nullptr;
  if (options.reject_duplicate_keys) callback = std::ref(duplicates);
  try {
    *out = Json::parse(text, callback, /*allow_exceptions=*/true, options.allow_comments);
  } catch (const Json::parse_error& e) {
    // e.byte is where nlohmann gave up, often a token after the mistake:
    // DescribeJsonSyntaxError finds the place to edit and says it in words.
    JsonSyntaxProblem problem =
        DescribeJsonSyntaxError(text, options.allow_comments, e.byte, e.what());
    auto [line, column] = JsonLineColumn(text, problem.offset);
    errors->push_back({source_name + ":" + std::to_string(line) + ":" + std::to_string(column),
                       std::move(problem.message)});
    return false;
  } catch (const Json::out_of_range& e) {
    // A number past what a double holds (1E400): nlohmann names the number
    // but not its place, so look for it.
    std::string_view what = e.what();
    std::size_t open = what.find('\''), close = what.rfind('\'');
    std::string number(open < close ? what.substr(open + 1, close - open - 1) : "");
    std::size_t at = number.empty() ? std::string_view::npos : text.find(number);
    auto [line, column] = JsonLineColumn(text, at == std::string_view::npos ? 0 : at);
    errors->push_back({source_name + ":" + std::to_string(line) + ":" + std::to_string(column),
                       "the number " + number +
                           " is too large: expected a number of at most "
                           "about 1.8E308"});
    return false;
  }
  if (const auto& found = duplicates.found()) {
    errors->push_back({found->first, "the key \"" + found->second +
                                         "\" appears twice in one object: expected each key "
                                         "once (the second would silently replace the first)"});
    return false;
  }
  return true;
}

JsonChecker::JsonChecker(std::vector<Diagnostic>* errors, std::size_t max_reported)
    : errors_(errors), max_reported_(max_reported) {}

void JsonChecker::Error(const std::string& where, const std::string& message) {
  ++count_;
  if (errors_->size() < max_reported_) errors_->push_back({where, message});
}

void JsonChecker::AddCountOfUnreported(const std::string& where) {
  if (count_ > errors_->size()) {
    errors_->push_back({where, std::string(kMoreErrors) + std::to_string(count_ - errors_->size()) +
                                   std::string(kMoreErrorsEnd)});
  }
}

std::size_t CountErrors(const std::vector<Diagnostic>& errors) {
  if (errors.empty()) return 0;
  std::string_view last = errors.back().message;
  if (last.size() <= kMoreErrors.size() + kMoreErrorsEnd.size() ||
      last.substr(0, kMoreErrors.size()) != kMoreErrors ||
      last.substr(last.size() - kMoreErrorsEnd.size()) != kMoreErrorsEnd)
    return errors.size();
  std::string_view digits =
      last.substr(kMoreErrors.size(), last.size() - kMoreErrors.size() - kMoreErrorsEnd.size());
  std::size_t more = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return errors.size();
    more = more * 10 + static_cast<std::size_t>(c - '0');
  }
  return errors.size() - 1 + more;
}

void JsonChecker::KnownFields(const Json& object, const std::string& where,
                              const std::vector<std::string>& known) {
  for (const auto& item : object.items()) {
    const std::string& key = item.key();
    if (key.rfind("x-", 0) == 0) continue;
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string best = NearestName(key, known);
    std::string list;
    for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
    Error(JsonPointerTo(where, key), "unknown field \"" + key + "\"" +
                                         (best.empty() ? "" : "; did you mean \"" + best + "\"?") +
                                         " Known fields here: " + list +
                                         " (fields starting with \"x-\" are ignored)");
  }
}

void JsonChecker::KnownFields(const Json& object, const std::string& where,
                              std::initializer_list<const char*> known) {
  KnownFields(object, where, std::vector<std::string>(known.begin(), known.end()));
}

bool JsonChecker::IsObject(const Json& value, const std::string& where, const std::string& what) {
  if (value.is_object()) return true;
  Error(where, "expected " + what + ", found " + JsonTypeName(value));
  return false;
}

bool JsonChecker::ReadString(const Json& value, const std::string& where, std::string* out) {
  if (!value.is_string()) {
    Error(where, std::string("expected a string, found ") + JsonTypeName(value));
    return false;
  }
  *out = value.get<std::string>();
  return true;
}

bool JsonChecker::ReadBool(const Json& value, const std::string& where, bool* out) {
  if (!value.is_boolean()) {
    Error(where, std::string("expected true or false, found ") + JsonTypeName(value));
    return false;
  }
  *out = value.get<bool>();
  return true;
}

bool JsonChecker::ReadChoice(const Json& value, const std::string& where,
                             const std::vector<std::string>& choices, std::string* out) {
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "\"" : ", \"") + c + "\"";
  if (!value.is_string()) {
    Error(where, "expected one of " + list + ", found " + JsonTypeName(value));
    return false;
  }
  const std::string& text = value.get_ref<const std::string&>();
  if (std::find(choices.begin(), choices.end(), text) == choices.end()) {
    std::string best = NearestName(text, choices);
    Error(where, "expected one of " + list + ", found \"" + text + "\"" +
                     (best.empty() ? "" : "; did you mean \"" + best + "\"?"));
    return false;
  }
  *out = text;
  return true;
}

bool JsonChecker::ReadInt(const Json& value, const std::string& where, long long lo, long long hi,
                          long long* out) {
  std::string expected =
      "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (!value.is_number_integer()) {
    Error(where, expected + ", found " +
                     (value.is_number() ? value.dump() : std::string(JsonTypeName(value))));
    return false;
  }
  // A number_unsigned above LLONG_MAX reads as negative: out of range either way.
  long long n = value.get<long long>();
  if (n < lo || n > hi || (value.is_number_unsigned() && n < 0)) {
    Error(where, expected + ", found " + value.dump());
    return false;
  }
  *out = n;
  return true;
}

bool JsonChecker::ReadStringList(const Json& value, const std::string& where,
                                 std::vector<std::string>* out) {
  if (!value.is_array()) {
    Error(where, std::string("expected a list of strings, found ") + JsonTypeName(value));
    return false;
  }
  std::vector<std::string> items;
  bool ok = true;
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::string item;
    if (ReadString(value[i], JsonPointerTo(where, i), &item))
      items.push_back(std::move(item));
    else
      ok = false;
  }
  *out = std::move(items);
  return ok;
}

bool JsonChecker::ReadWeekdays(const Json& value, const std::string& where, WeekdayMask* out) {
  const std::string expected = std::string("expected a list of ") + kWeekdaySpellings;
  if (!value.is_array()) {
    Error(where, expected + ", found " + JsonTypeName(value));
    return false;
  }
  if (value.empty()) {
    Error(where,
          std::string("expected at least one day, e.g. [\"sat\", \"sun\"]: ") + kWeekdaySpellings);
    return false;
  }
  WeekdayMask mask = 0;
  bool ok = true;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const Json& d = value[i];
    std::optional<int> day;
    if (d.is_number_integer()) day = WeekdayFromIsoNumber(d.get<long long>());
    if (d.is_string()) day = WeekdayFromName(d.get<std::string>());
    if (!day) {
      Error(JsonPointerTo(where, i), "bad weekday " + d.dump() + ": " + expected);
      ok = false;
      continue;
    }
    mask |= WeekdayBit(*day);
  }
  if (ok) *out = mask;
  return ok;
}

}  // namespace nb
