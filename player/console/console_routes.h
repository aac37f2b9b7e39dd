// ConsoleRoutes: the web console (issue 14), served by the API server at /
// for school staff in a browser: status, the playlist, import, preview and
// publish. The pages are static files compiled into the network module
// (console_assets.h); everything they show comes from /console/api/.
//
// Contract:
// - Nothing but the login page's own files (/, /console.css, /console.js)
//   and GET /console/api/session answers without a session. Until the
//   password file holds a user, the session answer says how to set one
//   (`sudo noticeboard passwd`) and login refuses.
// - POST /console/api/login {"user","password"} checks the password file
//   (re-read at each login, so `noticeboard passwd` needs no restart). A
//   wrong name or password is one answer, 401, logged with the client
//   address and never the password; failures are limited per address
//   (LoginLimiter: 429 with Retry-After). Success sets the session cookie
//   (HttpOnly, SameSite=Strict, Path=/, Secure over HTTPS) and answers the
//   CSRF token. POST /console/api/logout ends the session.
// - Every other /console/api/ request needs a live session (401 without),
//   refused before its body is read. Every POST needs the session's CSRF
//   token in X-CSRF-Token (403) and an Origin header equal to this server's
//   own origin (403); login needs the Origin too. The API token is not a
//   password here: a Bearer header gets nothing from the console.
// - The content endpoints (console_routes.cpp) take and give playlist JSON:
//   GET playlist (what plays), POST check (the checker's errors with their
//   JSON pointers), POST import (console/bulletin_import.h), POST preview
//   (PNG from console/preview.h; 503 with Retry-After while another renders),
//   POST plan (the items that play now, with durations and the transition),
//   POST publish (UpdatePipeline::Submit, source "console"), POST restore
//   (UpdatePipeline::RestorePrevious), POST export (the draft's canonical
//   playlist.json and, with a signing key, its .minisig), GET status,
//   GET screen.png.
// - Every answer carries Content-Security-Policy default-src 'self' (no
//   inline script, no other origin), frame-ancestors 'none', nosniff and no
//   referrer; API answers are not cached.
// - Roles (issue 22): every route is added with AddRoute() and the Access
//   it needs, and RefuseEarly() checks that Access for every request, before
//   its body is read: no route can forget it. kSignedIn is any user (an
//   editor or an approver), kApprover approvers only; an editor gets 403 with
//   a plain Chinese sentence. Editors may: status, screen.png, playlist,
//   check, import, preview, plan, export (unsigned: only an approver's
//   export carries the signature), drafts/submit, their own drafts, audit,
//   audit.csv, expiring. Approvers may everything, also publish, restore,
//   draft/diff, drafts/approve and drafts/return.
//   A new route declares its role where it is added, in Install():
//     AddRoute(svr, "POST", "/console/api/alerts/send", Access::kApprover,
//              &ConsoleRoutes::PostAlertSend);
//   and an /console/api/ path that was not added answers 404.
// - Approval (console/approval.h): drafts/submit {"playlist", "note", "id"
//   (to resubmit)}; GET drafts (an editor's own; an approver's all, waiting
//   first); GET draft?id= (with the playlist); GET draft/diff?id= (against
//   what plays now, console/playlist_diff.h); drafts/approve {"id",
//   "version"}; drafts/return {"id", "version", "comment"}. publish (an
//   approver's direct publish, ?note=) and restore are recorded too. GET
//   audit?page=&per_page= (newest first), GET audit.csv (a download; no
//   route edits or deletes entries). GET expiring (what plays) and POST
//   expiring (a draft): items whose "until" falls in the next 7 days.
//   Drafts and the log live in ConsoleOptions::state_dir; without one they
//   answer 503. When the routes are made, an approval a crash interrupted
//   is finished or dropped (Approval::Recover).
// - Urgent notices (issue 15): the status carries the active ones under
//   "alerts" for everyone; POST alerts/send {"title", "text", "severity",
//   "for", "id"?} and POST alerts/cancel {"id"} are approvers' only, go
//   through the screen's AlertIntake (source console: no signature asked)
//   and are recorded in the audit log (actions alert, alert-cancel).
// - Compiled into the network module (it includes httplib); the session
//   table and the password file are the executable's (console/sessions.h).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/env.h"
#include "console/approval.h"
#include "console/preview.h"
#include "console/sessions.h"
#include "update/signature.h"
#include "update/update_pipeline.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace nb::update {
struct PlayerStatus;
class AlertIntake;
}

namespace nb::console {

inline constexpr const char* kSessionCookie = "nb_session";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

struct ConsoleOptions {
  bool enabled = false;
  std::string password_file = kDefaultPasswordFile;
  bool https = false;               // cookies get Secure; the origin is https://
  std::string tls_fingerprint;      // shown on the status page
  std::chrono::seconds idle_timeout{30 * 60};
  // `noticeboard console` on a desktop: publishing writes this file, and
  // there is no lobby screen to show.
  std::string desktop_file;
  int login_failures_per_minute = 5;
  // An approver's minisign key (issue 22's approval as a signature): when
  // set, publish signs what it submits and export hands out the .minisig,
  // so screens with trusted_keys accept the console's playlists.
  std::optional<update::SecretKey> signing_key;
  // Drafts (<state_dir>/drafts/) and the audit log (<state_dir>/audit.log):
  // the screen's state folder, or the desktop console's own folder.
  std::string state_dir;
};

// Who may use a route (see the contract).
enum class Access { kPublic, kSignedIn, kApprover };

struct RouteInfo {
  std::string method, path;
  Access access = Access::kSignedIn;
};

struct ConsoleHooks {
  std::function<update::PlayerStatus()> player_status;
  std::function<std::optional<std::string>()> screenshot_png;
  PreviewRenderer* preview = nullptr;  // null: preview unavailable (503)
  update::AlertIntake* alerts = nullptr;  // urgent notices; null: 503 (a desktop console)
};

class ConsoleRoutes {
 public:
  ConsoleRoutes(Env& env, update::UpdatePipeline& pipeline, ConsoleOptions options,
                ConsoleHooks hooks);
  ~ConsoleRoutes();

  // Adds the pages and /console/api/ to the server.
  void Install(httplib::Server& server);
  // True when `req` is the console's (not /api/v1/).
  static bool Handles(const httplib::Request& req);
  // The checks made on the headers alone (session, CSRF, Origin, login rate);
  // true when refused, with `res` holding the answer.
  bool RefuseEarly(const httplib::Request& req, httplib::Response& res);
  // Headers every console answer carries.
  static void AddSecurityHeaders(httplib::Response& res);

  SessionTable& sessions() { return sessions_; }
  // Every route added, with its Access (the role tests loop over them).
  std::vector<RouteInfo> routes() const;
  // Null without a state folder.
  Approval* approval() { return approval_.get(); }

 private:
  using Handler = void (ConsoleRoutes::*)(const httplib::Request&, httplib::Response&);
  // The one way a route is added: its handler and the Access it needs.
  void AddRoute(httplib::Server& svr, const char* method, const char* path, Access access,
                Handler handler);
  // 403 for an editor on an approver's route (true when refused).
  bool RefuseRole(const httplib::Request& req, const Session& session, httplib::Response& res);
  std::optional<Session> SessionOf(const httplib::Request& req);
  bool OriginMatches(const httplib::Request& req) const;
  // Auth (console_auth.cpp).
  void GetSession(const httplib::Request& req, httplib::Response& res);
  void PostLogin(const httplib::Request& req, httplib::Response& res);
  void PostLogout(const httplib::Request& req, httplib::Response& res);
  void GetAsset(const httplib::Request& req, httplib::Response& res);
  // Content (console_routes.cpp).
  void GetStatus(const httplib::Request& req, httplib::Response& res);
  void GetScreen(const httplib::Request& req, httplib::Response& res);
  void GetPlaylist(const httplib::Request& req, httplib::Response& res);
  void PostCheck(const httplib::Request& req, httplib::Response& res);
  void PostImport(const httplib::Request& req, httplib::Response& res);
  void PostPreview(const httplib::Request& req, httplib::Response& res);
  void PostPlan(const httplib::Request& req, httplib::Response& res);
  void PostPublish(const httplib::Request& req, httplib::Response& res);
  void PostRestore(const httplib::Request& req, httplib::Response& res);
  void PostExport(const httplib::Request& req, httplib::Response& res);
  // Approval (console_approval_routes.cpp).
  void PostSubmit(const httplib::Request& req, httplib::Response& res);
  void GetDrafts(const httplib::Request& req, httplib::Response& res);
  void GetDraft(const httplib::Request& req, httplib::Response& res);
  void GetDraftDiff(const httplib::Request& req, httplib::Response& res);
  void PostApprove(const httplib::Request& req, httplib::Response& res);
  void PostReturn(const httplib::Request& req, httplib::Response& res);
  void GetAudit(const httplib::Request& req, httplib::Response& res);
  void GetAuditCsv(const httplib::Request& req, httplib::Response& res);
  void GetExpiring(const httplib::Request& req, httplib::Response& res);
  void PostExpiring(const httplib::Request& req, httplib::Response& res);
  // False (with 503 answered) when there is no state folder.
  bool HaveApproval(httplib::Response& res);
  // Urgent notices (console_alert_routes.cpp).
  void PostAlertSend(const httplib::Request& req, httplib::Response& res);
  void PostAlertCancel(const httplib::Request& req, httplib::Response& res);
  bool HaveAlerts(httplib::Response& res);
  void RecordAlert(const std::string& user, const char* action, const std::string& note);
  // "console (NAME from ADDR)", for the pipeline's log.
  static std::string Origin(const Session& session, const httplib::Request& req);
  // "timestamp:…\tfile:playlist.json\tby:NAME", the signature's trusted comment.
  std::string TrustedComment(const std::string& user) const;

  Env& env_;
  update::UpdatePipeline& pipeline_;
  ConsoleOptions options_;
  ConsoleHooks hooks_;
  SessionTable sessions_;
  LoginLimiter limiter_;
  std::chrono::steady_clock::time_point started_;
  std::unique_ptr<Approval> approval_;
  std::map<std::pair<std::string, std::string>, Access> access_;  // (method, path)
};

}  // namespace nb::console
