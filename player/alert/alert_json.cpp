// Our alert format: parsing with every error at its JSON pointer, and writing.
#include "alert/alert_json.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>
#include <vector>

#include "alert/alert_text.h"
#include "base/json_check.h"
#include "base/time_format.h"

namespace nb::alert {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxReportedErrors = 20;
// No one means a year; the cap also keeps the arithmetic far from overflow.
constexpr long long kMaxDurationSeconds = 366LL * 86400;

// The units of a duration, largest first: the order they are written in.
constexpr struct {
  char unit;
  long long seconds;
} kDurationUnits[] = {{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};

const std::vector<std::string> kSeverityNames = {"info", "warning", "critical"};
const std::vector<std::string> kStatusNames = {"actual", "exercise", "test"};

class Reader {
 public:
  explicit Reader(std::vector<Diagnostic>* errors) : check_(errors, kMaxReportedErrors) {}

  std::size_t error_count() const { return check_.count(); }
  void Finish() { check_.AddCountOfUnreported(""); }

  std::optional<AlertMessage> Document(const Json& root) {
    AlertMessage message;
    if (!root.is_object()) {
      check_.Error("", std::string("expected an object: an alert {\"id\": ..., \"severity\": ..., "
                                   "\"title\": ...}, a cancel {\"cancel\": ...} or a feed "
                                   "{\"alerts\": [...]}; found ") +
                           JsonTypeName(root));
      return std::nullopt;
    }
    if (root.contains("alerts")) {
      check_.KnownFields(root, "", {"alerts"});
      message.whole_set = true;
      Feed(root["alerts"], &message);
    } else if (root.contains("cancel")) {
      check_.KnownFields(root, "", {"cancel"});
      Cancels(root["cancel"], "/cancel", &message.cancels);
    } else {
      Alert alert;
      if (OneAlert(root, "", &alert)) message.upserts.push_back(std::move(alert));
    }
    if (check_.count() > 0) return std::nullopt;
    return message;
  }

 private:
  void Feed(const Json& list, AlertMessage* message) {
    if (!list.is_array()) {
      check_.Error("/alerts",
                   std::string("expected a list of alerts, found ") + JsonTypeName(list));
      return;
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string where = JsonPointerTo("/alerts", i);
      Alert alert;
      if (!OneAlert(list[i], where, &alert)) continue;
      if (!ids.insert(alert.id).second) {
        check_.Error(where + "/id", "the id \"" + alert.id +
                                        "\" appears twice in the feed: expected each alert once");
        continue;
      }
      message->upserts.push_back(std::move(alert));
    }
  }

  void Cancels(const Json& value, const std::string& where, std::vector<std::string>* out) {
    if (value.is_string()) {
      Id(value, where, out);
      return;
    }
    if (!value.is_array() || value.empty()) {
      check_.Error(where, std::string("expected the id of the alert to cancel, or a non-empty list "
                                      "of ids; found ") +
                              (value.is_array() ? "an empty list" : JsonTypeName(value)));
      return;
    }
    for (std::size_t i = 0; i < value.size(); ++i) Id(value[i], JsonPointerTo(where, i), out);
  }

  bool Id(const Json& value, const std::string& where, std::vector<std::string>* out) {
    std::string id;
    if (!check_.ReadString(value, where, &id)) return false;
    if (std::string why = CheckAlertId(id); !why.empty()) {
      check_.Error(where, "the id \"" + id + "\" cannot be used: " + why);
      return false;
    }
    out->push_back(std::move(id));
    return true;
  }

  bool Text(const Json& object, const char* name, const std::string& where, bool multiline,
            std::string* out) {
    auto it = object.find(name);
    if (it == object.end()) return true;
    std::string where_field = JsonPointerTo(where, name), raw;
    if (!check_.ReadString(*it, where_field, &raw)) return false;
    std::string why;
    std::optional<std::string> clean = CleanText(raw, multiline, &why);
    if (!clean) {
      check_.Error(where_field, "cannot be shown: " + why);
      return false;
    }
    *out = std::move(*clean);
    return true;
  }

  std::optional<WallTime> Time(const Json& object, const char* name, const std::string& where) {
    auto it = object.find(name);
    if (it == object.end()) return std::nullopt;
    std::string where_field = JsonPointerTo(where, name), text;
    if (!check_.ReadString(*it, where_field, &text)) return std::nullopt;
    std::string why;
    auto time = ParseTimestamp(text, &why);
    if (!time) check_.Error(where_field, "\"" + text + "\" is not a time: " + why);
    return time;
  }

  bool OneAlert(const Json& object, const std::string& where, Alert* alert) {
    std::size_t errors_before = check_.count();
    if (!check_.IsObject(object, where, "an alert (an object)")) return false;
    check_.KnownFields(object, where,
                       {"id", "severity", "status", "title", "text", "source", "issued", "expires",
                        "for", "replaces"});
    for (const char* required : {"id", "severity", "title"}) {
      if (!object.contains(required)) {
        check_.Error(where.empty() ? "/" : where, std::string("\"") + required +
                                                      "\" is missing: an alert needs an id, a "
                                                      "severity and a title");
      }
    }
    if (auto it = object.find("id"); it != object.end()) {
      std::vector<std::string> id;
      if (Id(*it, JsonPointerTo(where, "id"), &id)) alert->id = id.front();
    }
    std::string choice;
    if (auto it = object.find("severity"); it != object.end()) {
      if (check_.ReadChoice(*it, JsonPointerTo(where, "severity"), kSeverityNames, &choice))
        alert->severity = *SeverityFromName(choice);
    }
    if (auto it = object.find("status"); it != object.end()) {
      if (check_.ReadChoice(*it, JsonPointerTo(where, "status"), kStatusNames, &choice)) {
        alert->status = choice == "exercise" ? AlertStatus::kExercise
                        : choice == "test"   ? AlertStatus::kTest
                                             : AlertStatus::kActual;
      }
    }
    if (Text(object, "title", where, false, &alert->title) && object.contains("title") &&
        alert->title.empty()) {
      check_.Error(JsonPointerTo(where, "title"), "is empty: an alert needs a title to show");
    }
    Text(object, "text", where, true, &alert->text);
    Text(object, "source", where, false, &alert->source);
    alert->issued = Time(object, "issued", where);
    alert->expires = Time(object, "expires", where);
    if (auto it = object.find("for"); it != object.end()) {
      std::string text, where_for = JsonPointerTo(where, "for");
      if (check_.ReadString(*it, where_for, &text)) {
        alert->duration = ParseDuration(text);
        if (!alert->duration) {
          check_.Error(where_for, "\"" + text +
                                      "\" is not a duration: expected a number and a unit such as "
                                      "\"90s\", \"30m\", \"2h\", \"1h30m\" or \"1d\" (at most a "
                                      "year)");
        }
      }
      if (object.contains("expires")) {
        check_.Error(where_for,
                     "an alert has \"expires\" or \"for\", not both: keep the one you mean");
      }
    }
    if (alert->issued && alert->expires && *alert->expires < *alert->issued) {
      check_.Error(JsonPointerTo(where, "expires"),
                   "\"" + object["expires"].get<std::string>() + "\" is before \"issued\" (" +
                       object["issued"].get<std::string>() +
                       "): an alert cannot end before it is issued");
    }
    if (auto it = object.find("replaces"); it != object.end()) {
      std::string where_replaces = JsonPointerTo(where, "replaces");
      if (!it->is_array()) {
        check_.Error(where_replaces,
                     std::string("expected a list of ids, found ") + JsonTypeName(*it));
      } else {
        for (std::size_t i = 0; i < it->size(); ++i)
          Id((*it)[i], JsonPointerTo(where_replaces, i), &alert->replaces);
      }
    }
    return check_.count() == errors_before;
  }

  JsonChecker check_;
};

}  // namespace

std::optional<AlertMessage> ParseAlertJson(std::string_view text, std::string* error) {
  if (text.size() > kMaxAlertDocumentBytes) {
    *error = "the alert document is " + std::to_string(text.size()) + " bytes long; at most " +
             std::to_string(kMaxAlertDocumentBytes) + " are read";
    return std::nullopt;
  }
  std::vector<Diagnostic> errors;
  Json root;
  JsonParseOptions options;
  options.reject_duplicate_keys = true;
  // The place of a syntax error is "<name>:line:column"; with no file name
  // it reads as ":3:5", said here in words.
  if (!ParseJson(text, "", options, &root, &errors)) {
    Diagnostic& d = errors.front();
    unsigned line = 0, column = 0;
    if (std::sscanf(d.where.c_str(), ":%u:%u", &line, &column) == 2) {
      d.where = "line " + std::to_string(line) + ", column " + std::to_string(column);
    }
    *error = d.ToString();
    return std::nullopt;
  }
  Reader reader(&errors);
  std::optional<AlertMessage> message = reader.Document(root);
  if (message) return message;
  reader.Finish();
  std::string joined;
  for (Diagnostic& d : errors) {
    if (d.where.empty()) d.where = "/";
    joined += (joined.empty() ? "" : "; ") + d.ToString();
  }
  *error = joined;
  return std::nullopt;
}

std::string AlertToJson(const Alert& alert) {
  nlohmann::ordered_json j;
  j["id"] = alert.id;
  j["severity"] = SeverityName(alert.severity);
  if (alert.status == AlertStatus::kExercise) j["status"] = "exercise";
  if (alert.status == AlertStatus::kTest) j["status"] = "test";
  j["title"] = alert.title;
  if (!alert.text.empty()) j["text"] = alert.text;
  if (!alert.source.empty()) j["source"] = alert.source;
  if (alert.issued) j["issued"] = UtcTimestamp(*alert.issued);
  if (alert.expires) {
    j["expires"] = UtcTimestamp(*alert.expires);
  } else if (alert.duration) {
    j["for"] = FormatDuration(*alert.duration);
  }
  if (!alert.replaces.empty()) j["replaces"] = alert.replaces;
  return j.dump();
}

std::optional<std::chrono::seconds> ParseDuration(std::string_view text) {
  long long total = 0;
  std::size_t next_unit = 0, at = 0;
  if (text.empty()) return std::nullopt;
  while (at < text.size()) {
    long long number = 0;
    std::size_t digits = 0;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits) {
      if (digits == 9) return std::nullopt;
      number = number * 10 + (text[at] - '0');
    }
    if (digits == 0 || at == text.size()) return std::nullopt;
    while (next_unit < std::size(kDurationUnits) && kDurationUnits[next_unit].unit != text[at])
      ++next_unit;
    if (next_unit == std::size(kDurationUnits))
      return std::nullopt;  // unknown, repeated or out of order
    total += number * kDurationUnits[next_unit].seconds;
    if (total > kMaxDurationSeconds) return std::nullopt;
    ++next_unit;
    ++at;
  }
  if (total == 0) return std::nullopt;
  return std::chrono::seconds(total);
}

std::string FormatDuration(std::chrono::seconds duration) {
  long long left = duration.count();
  if (left <= 0) return "0s";
  std::string out;
  for (const auto& [unit, seconds] : kDurationUnits) {
    if (left >= seconds) {
      out += std::to_string(left / seconds) + unit;
      left %= seconds;
    }
  }
  return out;
}

}  // namespace nb::alert
