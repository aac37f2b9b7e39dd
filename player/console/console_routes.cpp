// The console's content endpoints: status, the playlist, check, import,
// preview, plan, publish and restore (console_routes.h). Each draft comes as
// playlist JSON in the body and is checked by the player's own checker.
#include "console/console_routes.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "base/log.h"
#include "base/time_format.h"
#include "console/bulletin_import.h"
#include "playlist/playlist.h"
#include "playlist/schedule.h"
#include "update/api_json.h"
#include "update/api_server.h"

namespace nb::console {
namespace {

using Json = nlohmann::json;
using update::ErrorsJson;
using update::OutcomeName;
using update::SetError;
using update::SetJson;

// The draft in a request body, validated; null with the answer set when not.
std::optional<playlist::Playlist> DraftOf(const httplib::Request& req, httplib::Response& res) {
  std::vector<Diagnostic> errors;
  auto parsed = playlist::ParsePlaylist(req.body, "draft", &errors);
  if (!parsed) {
    SetJson(res, 400,
            Json{{"ok", false},
                 {"error", "草稿有 " + std::to_string(errors.size()) + " 处错误"},
                 {"errors", ErrorsJson(errors)}});
  }
  return parsed;
}

int IntParam(const httplib::Request& req, const char* name, int fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string& v = req.get_param_value(name);
  char* end = nullptr;
  long n = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || n < -1 || n > 100000) return fallback;
  return static_cast<int>(n);
}

Json UpdateResultJson(const update::UpdateResult& result) {
  if (result.ok()) {
    return Json{{"ok", true},
                {"outcome", OutcomeName(result.outcome)},
                {"items", result.playlist->items.size()},
                {"title", result.playlist->title},
                {"hash", update::PlaylistHash(*result.playlist)},
                {"notice", result.notice}};
  }
  return Json{{"ok", false},
              {"outcome", OutcomeName(result.outcome)},
              {"error", result.reason},
              {"errors", ErrorsJson(result.errors)}};
}

}  // namespace

void ConsoleRoutes::GetStatus(const httplib::Request&, httplib::Response& res) {
  update::PlayerStatus player =
      hooks_.player_status ? hooks_.player_status() : update::PlayerStatus{};
  auto uptime =
      std::chrono::duration_cast<std::chrono::seconds>(env_.clock().MonotonicNow() - started_);
  Json body = update::StatusJson(pipeline_, player, uptime, env_.clock(), NB_CONSOLE_VERSION,
                                 hooks_.alerts);
  body["fingerprint"] = options_.tls_fingerprint;
  body["desktop_file"] = options_.desktop_file;
  SetJson(res, 200, body);
}

void ConsoleRoutes::GetScreen(const httplib::Request&, httplib::Response& res) {
  std::optional<std::string> png;
  if (hooks_.screenshot_png) png = hooks_.screenshot_png();
  if (!png) {
    res.set_header("Retry-After", "2");
    SetError(res, 503, "暂无画面（屏幕关闭中，或正在启动）");
    return;
  }
  res.set_content(*png, "image/png");
}

void ConsoleRoutes::GetPlaylist(const httplib::Request&, httplib::Response& res) {
  auto current = pipeline_.current();
  if (!current) {
    SetError(res, 404, "屏幕上还没有播放列表");
    return;
  }
  res.status = 200;
  res.set_content(playlist::ToJson(*current), "application/json");
}

void ConsoleRoutes::PostCheck(const httplib::Request& req, httplib::Response& res) {
  auto draft = DraftOf(req, res);
  if (!draft) return;
  SetJson(res, 200, Json{{"ok", true}, {"items", draft->items.size()}, {"errors", Json::array()}});
}

void ConsoleRoutes::PostImport(const httplib::Request& req, httplib::Response& res) {
  std::string name = httplib::detail::decode_url(req.get_header_value("X-File-Name"), false);
  ImportResult imported = ImportFile(req.body, name, UtcTimestamp(env_.clock().WallNow()));
  Json warnings = imported.warnings;
  if (!imported.ok) {
    SetJson(res, 400,
            Json{{"ok", false},
                 {"error", imported.message},
                 {"errors", ErrorsJson(imported.errors)},
                 {"warnings", warnings},
                 {"encoding", imported.encoding},
                 {"format", imported.format}});
    return;
  }
  Json playlist = Json::parse(imported.playlist_json, nullptr, false);
  SetJson(res, 200,
          Json{{"ok", true},
               {"format", imported.format},
               {"encoding", imported.encoding},
               {"warnings", warnings},
               {"playlist", playlist}});
}

void ConsoleRoutes::PostPreview(const httplib::Request& req, httplib::Response& res) {
  if (!hooks_.preview) {
    SetError(res, 503, "这台设备不能生成预览");
    return;
  }
  update::PlayerStatus player =
      hooks_.player_status ? hooks_.player_status() : update::PlayerStatus{};
  PreviewRequest request;
  request.playlist_json = req.body;
  request.item = IntParam(req, "item", -1);
  request.width = IntParam(req, "w", player.width > 0 ? player.width : 1920);
  request.height = IntParam(req, "h", player.height > 0 ? player.height : 1080);
  if (request.width < 160 || request.height < 160 || request.width > 7680 ||
      request.height > 7680) {
    SetError(res, 400, "preview size out of range: 160 to 7680 pixels a side");
    return;
  }
  PreviewResult result = hooks_.preview->Render(request);
  switch (result.kind) {
    case PreviewResult::Kind::kOk:
      res.set_content(result.png, "image/png");
      return;
    case PreviewResult::Kind::kBusy:
      res.set_header("Retry-After", "1");
      SetError(res, 503, "正在生成另一张预览，请稍候");
      return;
    case PreviewResult::Kind::kInvalid:
      SetJson(
          res, 400,
          Json{{"ok", false}, {"error", result.message}, {"errors", ErrorsJson(result.errors)}});
      return;
    case PreviewResult::Kind::kFailed:
      SetError(res, 500, result.message);
      return;
  }
}

void ConsoleRoutes::PostPlan(const httplib::Request& req, httplib::Response& res) {
  auto draft = DraftOf(req, res);
  if (!draft) return;
  Json items = Json::array();
  for (std::size_t i : playlist::ItemsPlayingNow(*draft, env_.clock())) {
    const playlist::Item& item = draft->items[i];
    items.push_back({{"index", i},
                     {"id", item.id},
                     {"title", item.title},
                     {"duration_s", draft->DurationOf(item)}});
  }
  SetJson(res, 200,
          Json{{"ok", true},
               {"items", items},
               {"transition",
                {{"kind",
                  draft->transition.kind == playlist::TransitionKind::kCut ? "cut" : "crossfade"},
                 {"ms", draft->transition.ms}}}});
}

std::string ConsoleRoutes::TrustedComment(const std::string& user) const {
  auto secs =
      std::chrono::duration_cast<std::chrono::seconds>(env_.clock().WallNow().time_since_epoch());
  return "timestamp:" + std::to_string(secs.count()) + "\tfile:playlist.json\tby:" + user;
}

std::string ConsoleRoutes::Origin(const Session& session, const httplib::Request& req) {
  return "console (" + session.user + " from " + req.remote_addr + ")";
}

// An approver's direct publish: recorded as both submit and approve.
void ConsoleRoutes::PostPublish(const httplib::Request& req, httplib::Response& res) {
  if (!HaveApproval(res)) return;
  auto session = SessionOf(req);
  if (!session) return SetError(res, 401, "请先登录");
  ApprovalOutcome out = approval_->Publish(session->user, req.body,
                                           req.has_param("note") ? req.get_param_value("note") : "",
                                           Origin(*session, req));
  if (out.published) return SetJson(res, out.http, UpdateResultJson(*out.published));
  SetJson(res, out.http,
          Json{{"ok", false}, {"error", out.error}, {"errors", ErrorsJson(out.errors)}});
}

void ConsoleRoutes::PostRestore(const httplib::Request& req, httplib::Response& res) {
  if (!HaveApproval(res)) return;
  auto session = SessionOf(req);
  if (!session) return SetError(res, 401, "请先登录");
  ApprovalOutcome out = approval_->Restore(
      session->user, "console restore (" + session->user + " from " + req.remote_addr + ")");
  if (out.published) return SetJson(res, out.http, UpdateResultJson(*out.published));
  SetJson(res, out.http, Json{{"ok", false}, {"error", out.error}});
}

void ConsoleRoutes::PostExport(const httplib::Request& req, httplib::Response& res) {
  auto draft = DraftOf(req, res);
  if (!draft) return;
  auto session = SessionOf(req);
  std::string text = playlist::ToJson(*draft);
  Json body{{"ok", true}, {"playlist", text}, {"minisig", nullptr}};
  // Only an approver's export carries the signature: an editor's stick
  // would otherwise get past the screens' approval (issue 22).
  if (options_.signing_key && session && session->role == Role::kApprover) {
    body["minisig"] = update::SignMinisig(text, *options_.signing_key,
                                          TrustedComment(session ? session->user : "?"));
    body["key_id"] = options_.signing_key->Public().KeyIdHex();
  }
  SetJson(res, 200, body);
}

}  // namespace nb::console
