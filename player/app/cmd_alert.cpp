// `noticeboard alert`: sends an urgent notice to a screen (POST
// /api/v1/alerts), cancels one (DELETE) or lists the active ones (GET), for
// scripts and for staff at a terminal.
#include <CLI/CLI.hpp>

#include <ctime>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "alert/alert_json.h"
#include "alert/cap.h"
#include "app/commands.h"
#include "base/env.h"
#include "base/log.h"
#include "app/screen_client.h"

namespace nb::app {
namespace {

struct AlertArgs {
  std::string url;
  std::string token_file;
  std::string title, text, severity = "warning", duration, id, source;
  std::string file;  // an alert document: our JSON or CAP (.xml)
  std::string cancel;
  bool list = false;
  std::string signature;
  std::string pin;
};

// "alert-20261208-0715": unique enough for one sender, readable in a log.
std::string NewId(const Clock& clock) {
  std::time_t t = std::chrono::system_clock::to_time_t(clock.WallNow());
  std::tm local{};
  localtime_r(&t, &local);
  char buf[40];
  std::strftime(buf, sizeof buf, "alert-%Y%m%d-%H%M%S", &local);
  return buf;
}

std::string Field(const nlohmann::json& answer, const char* key) {
  return answer.is_object() && answer.contains(key) && answer[key].is_string()
             ? answer[key].get<std::string>()
             : "";
}

// The request the arguments ask for; nullopt (after saying why) when they
// do not make one.
std::optional<update::ApiCall> BuildCall(const AlertArgs& args, Env& env) {
  update::ApiCall call;
  if (args.list) {
    call.method = "GET";
    call.path = "/api/v1/alerts";
    call.content_type.clear();
    return call;
  }
  if (!args.cancel.empty()) {
    call.method = "DELETE";
    call.path = "/api/v1/alerts/" + args.cancel;
    call.content_type.clear();
    return call;
  }
  call.method = "POST";
  call.path = "/api/v1/alerts";
  if (!args.file.empty()) {
    if (Status s = env.fs().ReadFile(args.file, &call.body, alert::kMaxAlertDocumentBytes);
        !s.ok()) {
      LogError(s.message());
      return std::nullopt;
    }
    const bool cap = args.file.size() > 4 && args.file.substr(args.file.size() - 4) == ".xml";
    call.content_type = cap ? "application/cap+xml" : "application/json";
  } else {
    if (args.title.empty()) {
      LogError("an alert needs --title (or --file with a whole alert, or --cancel, or --list)");
      return std::nullopt;
    }
    alert::Alert a;
    a.id = args.id.empty() ? NewId(env.clock()) : args.id;
    auto severity = alert::SeverityFromName(args.severity);
    if (!severity) {
      LogError("--severity " + args.severity + ": expected info (提示), warning (警示) or "
               "critical (紧急)");
      return std::nullopt;
    }
    a.severity = *severity;
    a.title = args.title;
    a.text = args.text;
    a.source = args.source;
    a.issued = env.clock().WallNow();
    if (!args.duration.empty()) {
      a.duration = alert::ParseDuration(args.duration);
      if (!a.duration) {
        LogError("--for " + args.duration + ": expected a duration such as 30m, 2h or 1h30m");
        return std::nullopt;
      }
    }
    call.body = alert::AlertToJson(a);
    call.content_type = "application/json";
  }
  // The screen's own checks, here first: no round trip for a typo.
  std::string error;
  if (!alert::ParseAlertDocument(call.body, call.content_type, &error)) {
    LogError((args.file.empty() ? std::string("the alert") : args.file) + ": " + error);
    LogError("not sent: the screen would refuse it");
    return std::nullopt;
  }
  return call;
}

int RunAlert(const AlertArgs& args) {
  Env& env = Env::Default();
  std::optional<update::ApiCall> call = BuildCall(args, env);
  if (!call) return kExitInvalidInput;
  int exit_code = kExitOk;
  std::optional<ScreenAnswer> reply =
      CallScreen({args.url, args.token_file, args.pin, args.signature}, *call, &exit_code);
  if (!reply) return exit_code;
  if (reply->http_status != 200) {
    LogRefusal(args.url, *reply);
    return kExitInvalidInput;
  }
  const nlohmann::json& answer = reply->body;
  if (args.list) {
    const nlohmann::json& list = answer.is_object() ? answer["alerts"] : nlohmann::json();
    if (!list.is_array() || list.empty()) {
      LogInfo("no urgent notice is active on " + args.url);
      return kExitOk;
    }
    for (const auto& a : list) {
      std::printf("%s\t%s\t%s\t至 %s\n", Field(a, "id").c_str(), Field(a, "label").c_str(),
                  Field(a, "title").c_str(), Field(a, "ends").c_str());
    }
    return kExitOk;
  }
  if (answer.is_object() && answer["events"].is_array()) {
    for (const auto& e : answer["events"]) {
      LogInfo(args.url + ": " + Field(e, "event") + " " + Field(e, "id") +
              (Field(e, "detail").empty() ? "" : " (" + Field(e, "detail") + ")"));
    }
  }
  if (!reply->Field("warning").empty()) LogWarning(args.url + ": " + reply->Field("warning"));
  return kExitOk;
}

}  // namespace

void RegisterAlertCommand(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<AlertArgs>();
  CLI::App* sub = app.add_subcommand(
      "alert", "Send an urgent notice (紧急通知) to a screen, cancel one, or list them");
  sub->add_option("URL", args->url,
                  "The screen, e.g. http://127.0.0.1:8080 or https://lobby-1:8080")
      ->required();
  sub->add_option("--token-file", args->token_file,
                  "File holding the screen's API token (its first line)")
      ->required();
  sub->add_option("--title", args->title, "The notice's title (one line)");
  sub->add_option("--text", args->text, "What to do, in a few sentences");
  sub->add_option("--severity", args->severity,
                  "info (提示, blue), warning (警示, amber) or critical (紧急, red)")
      ->capture_default_str();
  sub->add_option("--for", args->duration,
                  "How long it holds from now: 30m, 2h, 1h30m (default: the screen's, 2h)");
  sub->add_option("--id", args->id, "The notice's id; the same id later replaces it");
  sub->add_option("--source", args->source, "Who sends it, shown small (e.g. 校办)");
  sub->add_option("--file", args->file,
                  "Send this alert document instead: our JSON, or CAP 1.2 (a .xml file)");
  sub->add_option("--cancel", args->cancel, "End the notice with this id");
  sub->add_flag("--list", args->list, "List the active notices");
  sub->add_option("--signature", args->signature,
                  "The document's minisign signature, for screens that require signed updates "
                  "(with --file)");
  sub->add_option("--pin", args->pin,
                  "For https: the SHA-256 fingerprint of the screen's certificate (AB:CD:...)");
  registry.Add(sub, [args] { return RunAlert(*args); });
}

}  // namespace nb::app
