#include "app/screen_client.h"

#include "app/commands.h"
#include "base/env.h"
#include "base/log.h"
#include "update/api_token.h"
#include "update/net_module.h"

namespace nb::app {

std::string ScreenAnswer::Field(const char* key) const {
  return body.is_object() && body.contains(key) && body[key].is_string()
             ? body[key].get<std::string>()
             : "";
}

std::optional<ScreenAnswer> CallScreen(const ScreenClientArgs& args, const update::ApiCall& call,
                                       int* exit_code) {
  std::string pin;
  if (!args.pin.empty() && !update::NormalizeFingerprint(args.pin, &pin)) {
    LogError(
        "--pin " + args.pin +
        ": not a SHA-256 fingerprint; copy the one the screen shows (32 pairs like AB:CD:...)");
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  Env& env = Env::Default();
  std::string token;
  if (Status s = update::LoadApiToken(env.fs(), args.token_file, &token); !s.ok()) {
    LogError(s.message());
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  std::optional<std::string> signature;
  if (!args.signature_file.empty()) {
    std::string sig;
    if (Status s = env.fs().ReadFile(args.signature_file, &sig, 64 * 1024); !s.ok()) {
      LogError(s.message());
      *exit_code = kExitInvalidInput;
      return std::nullopt;
    }
    signature = std::move(sig);
  }
  Status loaded;
  update::NetModule* net = update::LoadNetModule(&loaded);
  if (!net) {
    LogError("cannot send: " + loaded.message());
    *exit_code = kExitInvalidInput;
    return std::nullopt;
  }
  update::PushResult r =
      net->Call(args.url, call, token, signature, std::chrono::seconds(30), args.pin);
  if (r.http_status == 0) {
    LogError("could not reach the screen: " + r.error);
    *exit_code = kExitInvalidInput;
    return std::nullopt;
  }
  ScreenAnswer answer;
  answer.http_status = r.http_status;
  answer.raw = std::move(r.body);
  answer.body = nlohmann::json::parse(answer.raw, nullptr, false);
  return answer;
}

void LogRefusal(const std::string& url, const ScreenAnswer& answer) {
  const std::string why = answer.Field("error").empty() ? answer.raw : answer.Field("error");
  LogError(url + " answered HTTP " + std::to_string(answer.http_status) + ": " + why);
  const nlohmann::json& body = answer.body;
  if (body.is_object() && body.contains("errors") && body["errors"].is_array()) {
    for (const auto& e : body["errors"]) {
      if (e.is_object() && e.contains("where") && e.contains("message") && e["where"].is_string() &&
          e["message"].is_string())
        LogError("  " + e["where"].get<std::string>() + ": " + e["message"].get<std::string>());
    }
  }
  if (answer.http_status == 401 || (answer.http_status == 403 && why == "wrong token"))
    LogError("check --token-file");
}

}  // namespace nb::app
