// The console's doors: sessions, login, logout, the Origin and CSRF checks,
// the security headers and the static pages (console_routes.h).
#include <httplib.h>
#include <sodium.h>

#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string_view>

#include "base/log.h"
#include "console/console_assets.h"
#include "console/console_routes.h"
#include "console/password_file.h"
#include "update/api_json.h"
#include "update/api_server.h"
#include "update/connection_guard.h"

namespace nb::console {
namespace {

using Json = nlohmann::json;
using update::SetError;
using update::SetJson;

constexpr std::size_t kMaxLoginBody = 4096;

std::string CookieValue(const httplib::Request& req, const std::string& name) {
  // "a=1; nb_session=abc; b=2" (several Cookie headers are allowed too).
  std::size_t n = req.get_header_value_count("Cookie");
  for (std::size_t k = 0; k < n; ++k) {
    std::string header = req.get_header_value("Cookie", k);
    std::size_t pos = 0;
    while (pos < header.size()) {
      std::size_t end = header.find(';', pos);
      if (end == std::string::npos) end = header.size();
      std::string pair = header.substr(pos, end - pos);
      std::size_t b = pair.find_first_not_of(' ');
      if (b != std::string::npos) pair = pair.substr(b);
      if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
      pos = end + 1;
    }
  }
  return "";
}

// Logins run one at a time: each Argon2id check takes tens of MB for a
// moment, and a burst of them must not take the screen's memory.
std::mutex& LoginMutex() {
  static std::mutex mu;
  return mu;
}

// Verified when the user is unknown, so that a wrong name costs the same
// time as a wrong password (no probing for names).
const std::string& DummyHash() {
  static const std::string hash = [] {
    std::string h;
    HashPassword("not a password of anyone", &h);
    return h;
  }();
  return hash;
}

bool IsStateChanging(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace

ConsoleRoutes::ConsoleRoutes(Env& env, update::UpdatePipeline& pipeline, ConsoleOptions options,
                             ConsoleHooks hooks)
    : env_(env),
      pipeline_(pipeline),
      options_(std::move(options)),
      hooks_(std::move(hooks)),
      sessions_(env.clock(), options_.idle_timeout),
      limiter_(env.clock(), options_.login_failures_per_minute),
      started_(env.clock().MonotonicNow()) {
  if (!options_.state_dir.empty()) {
    approval_ =
        std::make_unique<Approval>(env_, pipeline_, options_.state_dir, options_.signing_key);
    // An approval a crash interrupted: finished or dropped, before anyone
    // can log in and see the log.
    approval_->Recover();
  }
}

ConsoleRoutes::~ConsoleRoutes() = default;

bool ConsoleRoutes::Handles(const httplib::Request& req) { return req.path.rfind("/api/", 0) != 0; }

void ConsoleRoutes::AddSecurityHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' blob: data:; frame-ancestors 'none'; "
                 "form-action 'self'; base-uri 'none'; object-src 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
}

std::optional<Session> ConsoleRoutes::SessionOf(const httplib::Request& req) {
  std::string id = CookieValue(req, kSessionCookie);
  if (id.empty()) return std::nullopt;
  return sessions_.Find(id);
}

bool ConsoleRoutes::OriginMatches(const httplib::Request& req) const {
  std::string origin = req.get_header_value("Origin");
  std::string host = req.get_header_value("Host");
  if (origin.empty() || host.empty()) return false;
  return origin == std::string(options_.https ? "https://" : "http://") + host;
}

bool ConsoleRoutes::RefuseEarly(const httplib::Request& req, httplib::Response& res) {
  auto refuse = [&res](int status, const std::string& message) {
    update::MarkHandling();
    res.set_header("Connection", "close");
    AddSecurityHeaders(res);
    res.set_header("Cache-Control", "no-store");
    SetError(res, status, message);
    return true;
  };
  update::MarkHeadersDone();
  if (req.path.rfind("/console/api/", 0) != 0) {
    // The pages themselves: no body is ever wanted.
    if (IsStateChanging(req.method)) return refuse(405, "the pages are read-only");
    return false;
  }
  const bool changing = IsStateChanging(req.method);
  if (changing && !OriginMatches(req)) {
    return refuse(403,
                  "request refused: it did not come from this console's own page (the Origin "
                  "header is missing or names another site)");
  }
  if (req.path == "/console/api/login") {
    if (auto wait = limiter_.RetryAfter(req.remote_addr); wait.count() > 0) {
      res.set_header("Retry-After", std::to_string(wait.count()));
      LogWarning("console: login from " + req.remote_addr + " refused: too many failures");
      return refuse(429, "登录失败次数过多，请 " + std::to_string(wait.count()) + " 秒后再试");
    }
    const std::string& length = req.get_header_value("Content-Length");
    if (!length.empty() && std::strtoull(length.c_str(), nullptr, 10) > kMaxLoginBody)
      return refuse(413, "a login is a name and a password, not " + length + " bytes");
    return false;
  }
  if (req.path == "/console/api/session" && req.method == "GET") return false;
  std::optional<Session> session = SessionOf(req);
  if (!session) {
    return refuse(401, "请先登录（未登录，或长时间未操作已自动退出）");
  }
  if (changing) {
    std::string token = req.get_header_value(kCsrfHeader);
    if (token.size() != session->csrf.size() ||
        sodium_memcmp(token.data(), session->csrf.data(), token.size()) != 0) {
      return refuse(403,
                    "request refused: the page's security token is missing or old; reload "
                    "the page");
    }
  }
  return RefuseRole(req, *session, res);
}

bool ConsoleRoutes::RefuseRole(const httplib::Request& req, const Session& session,
                               httplib::Response& res) {
  auto found = access_.find({req.method == "HEAD" ? "GET" : req.method, req.path});
  auto refuse = [&res](int status, const std::string& message) {
    update::MarkHandling();
    res.set_header("Connection", "close");
    AddSecurityHeaders(res);
    res.set_header("Cache-Control", "no-store");
    SetError(res, status, message);
    return true;
  };
  if (found == access_.end()) return refuse(404, "没有这个功能（no such console endpoint）");
  if (found->second == Access::kApprover && session.role != Role::kApprover) {
    LogWarning("console: " + session.user + " (editor) was refused " + req.method + " " + req.path +
               ": approvers only");
    return refuse(403,
                  "您的账号是编辑（editor），只能提交审核；发布、恢复、批准和退回需要审核人"
                  "（approver）的账号。");
  }
  return false;
}

void ConsoleRoutes::AddRoute(httplib::Server& svr, const char* method, const char* path,
                             Access access, Handler handler) {
  access_[{method, path}] = access;
  auto wrapped = [this, handler](const httplib::Request& req, httplib::Response& res) {
    update::MarkHandling();
    AddSecurityHeaders(res);
    if (req.path.rfind("/console/api/", 0) == 0) res.set_header("Cache-Control", "no-store");
    (this->*handler)(req, res);
  };
  if (std::string_view(method) == "GET") {
    svr.Get(path, wrapped);
  } else {
    svr.Post(path, wrapped);
  }
}

std::vector<RouteInfo> ConsoleRoutes::routes() const {
  std::vector<RouteInfo> out;
  for (const auto& [key, access] : access_) out.push_back({key.first, key.second, access});
  return out;
}

void ConsoleRoutes::GetSession(const httplib::Request& req, httplib::Response& res) {
  std::vector<ConsoleUser> users;
  Status loaded = LoadPasswordFile(env_.fs(), options_.password_file, &users);
  Json body{{"password_set", loaded.ok() && !users.empty()},
            {"password_file", options_.password_file},
            {"https", options_.https},
            {"fingerprint", options_.tls_fingerprint},
            {"desktop", !options_.desktop_file.empty()},
            {"signing_key",
             options_.signing_key ? options_.signing_key->Public().KeyIdHex() : std::string()}};
  if (!loaded.ok()) body["password_error"] = loaded.message();
  if (auto session = SessionOf(req)) {
    body["logged_in"] = true;
    body["user"] = session->user;
    body["role"] = RoleName(session->role);
    body["csrf"] = session->csrf;
    body["idle_timeout_s"] = sessions_.idle_timeout().count();
  } else {
    body["logged_in"] = false;
  }
  SetJson(res, 200, body);
}

void ConsoleRoutes::PostLogin(const httplib::Request& req, httplib::Response& res) {
  Json in = Json::parse(req.body, nullptr, false);
  if (!in.is_object() || !in.contains("password") || !in["password"].is_string()) {
    SetError(res, 400, "expected {\"user\": \"...\", \"password\": \"...\"}");
    return;
  }
  std::string user = in.value("user", std::string("admin"));
  if (user.empty()) user = "admin";
  const std::string password = in["password"].get<std::string>();

  std::vector<ConsoleUser> users;
  if (Status s = LoadPasswordFile(env_.fs(), options_.password_file, &users); !s.ok()) {
    LogError("console: " + s.message());
    SetError(res, 503, "密码文件无法读取，请联系管理员：" + s.message());
    return;
  }
  if (users.empty()) {
    SetError(res, 403,
             "尚未设置管理密码。请在屏幕主机上运行 sudo noticeboard passwd 设置密码后再登录。");
    return;
  }
  const ConsoleUser* match = nullptr;
  for (const auto& u : users) {
    if (u.name == user) match = &u;
  }
  bool ok;
  {
    std::lock_guard lock(LoginMutex());
    ok = VerifyPassword(match ? match->hash : DummyHash(), password) && match;
  }
  if (!ok) {
    limiter_.RecordFailure(req.remote_addr);
    LogWarning("console: failed login for \"" + user + "\" from " + req.remote_addr);
    SetError(res, 401, "用户名或密码不正确");
    return;
  }
  limiter_.RecordSuccess(req.remote_addr);
  Session session = sessions_.Create(match->name, match->role);
  std::string cookie = std::string(kSessionCookie) + "=" + session.id +
                       "; Path=/; HttpOnly; SameSite=Strict" + (options_.https ? "; Secure" : "");
  res.set_header("Set-Cookie", cookie);
  LogInfo("console: " + match->name + " logged in from " + req.remote_addr);
  SetJson(res, 200,
          Json{{"ok", true},
               {"user", session.user},
               {"role", RoleName(session.role)},
               {"csrf", session.csrf}});
}

void ConsoleRoutes::PostLogout(const httplib::Request& req, httplib::Response& res) {
  if (auto session = SessionOf(req)) {
    sessions_.Remove(session->id);
    LogInfo("console: " + session->user + " logged out");
  }
  res.set_header("Set-Cookie", std::string(kSessionCookie) +
                                   "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
                                   (options_.https ? "; Secure" : ""));
  SetJson(res, 200, Json{{"ok", true}});
}

void ConsoleRoutes::GetAsset(const httplib::Request& req, httplib::Response& res) {
  const ConsoleAsset* asset = FindConsoleAsset(req.path == "/" ? "/index.html" : req.path);
  if (!asset) {
    SetError(res, 404, "no such page");
    return;
  }
  res.set_header("Cache-Control", "no-cache");
  res.set_content(std::string(asset->data), asset->mime_type);
}

void ConsoleRoutes::Install(httplib::Server& svr) {
  // Every route, with who may use it (console_routes.h: Access).
  for (const ConsoleAsset& asset : ConsoleAssets())
    AddRoute(svr, "GET", asset.path, Access::kPublic, &ConsoleRoutes::GetAsset);
  AddRoute(svr, "GET", "/", Access::kPublic, &ConsoleRoutes::GetAsset);
  AddRoute(svr, "GET", "/console/api/session", Access::kPublic, &ConsoleRoutes::GetSession);
  AddRoute(svr, "POST", "/console/api/login", Access::kPublic, &ConsoleRoutes::PostLogin);
  AddRoute(svr, "POST", "/console/api/logout", Access::kSignedIn, &ConsoleRoutes::PostLogout);
  // What editors and approvers both do.
  const Access any = Access::kSignedIn;
  AddRoute(svr, "GET", "/console/api/status", any, &ConsoleRoutes::GetStatus);
  AddRoute(svr, "GET", "/console/api/screen.png", any, &ConsoleRoutes::GetScreen);
  AddRoute(svr, "GET", "/console/api/playlist", any, &ConsoleRoutes::GetPlaylist);
  AddRoute(svr, "POST", "/console/api/check", any, &ConsoleRoutes::PostCheck);
  AddRoute(svr, "POST", "/console/api/import", any, &ConsoleRoutes::PostImport);
  AddRoute(svr, "POST", "/console/api/preview", any, &ConsoleRoutes::PostPreview);
  AddRoute(svr, "POST", "/console/api/plan", any, &ConsoleRoutes::PostPlan);
  AddRoute(svr, "POST", "/console/api/export", any, &ConsoleRoutes::PostExport);
  AddRoute(svr, "POST", "/console/api/drafts/submit", any, &ConsoleRoutes::PostSubmit);
  AddRoute(svr, "GET", "/console/api/drafts", any, &ConsoleRoutes::GetDrafts);
  AddRoute(svr, "GET", "/console/api/draft", any, &ConsoleRoutes::GetDraft);
  AddRoute(svr, "GET", "/console/api/audit", any, &ConsoleRoutes::GetAudit);
  AddRoute(svr, "GET", "/console/api/audit.csv", any, &ConsoleRoutes::GetAuditCsv);
  AddRoute(svr, "GET", "/console/api/expiring", any, &ConsoleRoutes::GetExpiring);
  AddRoute(svr, "POST", "/console/api/expiring", any, &ConsoleRoutes::PostExpiring);
  // What changes the screen, or decides on a draft: approvers only.
  const Access approver = Access::kApprover;
  AddRoute(svr, "POST", "/console/api/publish", approver, &ConsoleRoutes::PostPublish);
  AddRoute(svr, "POST", "/console/api/restore", approver, &ConsoleRoutes::PostRestore);
  AddRoute(svr, "GET", "/console/api/draft/diff", approver, &ConsoleRoutes::GetDraftDiff);
  AddRoute(svr, "POST", "/console/api/drafts/approve", approver, &ConsoleRoutes::PostApprove);
  AddRoute(svr, "POST", "/console/api/drafts/return", approver, &ConsoleRoutes::PostReturn);
  AddRoute(svr, "POST", "/console/api/alerts/send", approver, &ConsoleRoutes::PostAlertSend);
  AddRoute(svr, "POST", "/console/api/alerts/cancel", approver, &ConsoleRoutes::PostAlertCancel);
}

}  // namespace nb::console
