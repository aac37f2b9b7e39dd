// The console's approval endpoints (issue 22): drafts, the approver's diff,
// approve and return, the audit log and its CSV, the expiring items
// (console_routes.h). Who may call each is declared in Install().
#include <httplib.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/log.h"
#include "console/console_routes.h"
#include "console/playlist_diff.h"
#include "update/api_json.h"
#include "update/api_server.h"

namespace nb::console {
namespace {

using Json = nlohmann::json;
using update::ErrorsJson;
using update::SetError;
using update::SetJson;

constexpr int kExpiringDays = 7;

Json DraftJson(const Draft& d, bool with_playlist) {
  Json j = DraftFieldsJson(d);
  if (with_playlist) j["playlist"] = Json::parse(d.playlist_json, nullptr, false);
  return j;
}

Json SpansJson(const std::vector<TextSpan>& spans) {
  Json out = Json::array();
  for (const TextSpan& s : spans) {
    out.push_back({{"op", s.op == TextSpan::Op::kSame    ? "same"
                          : s.op == TextSpan::Op::kAdded ? "added"
                                                         : "removed"},
                   {"text", s.text}});
  }
  return out;
}

Json FieldsJson(const std::vector<FieldChange>& fields) {
  Json out = Json::array();
  for (const FieldChange& f : fields) {
    Json j{{"field", f.field}, {"before", f.before}, {"after", f.after}};
    if (!f.spans.empty()) j["spans"] = SpansJson(f.spans);
    out.push_back(j);
  }
  return out;
}

Json ExpiringJson(const playlist::Playlist& p, std::chrono::system_clock::time_point now) {
  Json out = Json::array();
  for (const ExpiringItem& e : ExpiringItems(p, now, kExpiringDays)) {
    out.push_back({{"index", e.index},
                   {"id", e.id},
                   {"title", e.title},
                   {"until", e.until},
                   {"enabled", e.enabled}});
  }
  return out;
}

Json OutcomeJson(const ApprovalOutcome& out) {
  Json j{{"ok", out.ok()}};
  if (!out.ok()) {
    j["error"] = out.error;
    j["errors"] = ErrorsJson(out.errors);
  }
  if (!out.draft.id.empty()) j["draft"] = DraftJson(out.draft, false);
  if (out.published && out.published->ok()) {
    j["outcome"] = update::OutcomeName(out.published->outcome);
    j["items"] = out.published->playlist->items.size();
    j["title"] = out.published->playlist->title;
    j["hash"] = update::PlaylistHash(*out.published->playlist);
  }
  return j;
}

// The body of approve and return: {"id", "version", ...}; null when wrong.
std::optional<Json> DecisionBody(const httplib::Request& req, httplib::Response& res) {
  Json in = Json::parse(req.body, nullptr, false);
  if (!in.is_object() || !in.contains("id") || !in["id"].is_string() || !in.contains("version") ||
      !in["version"].is_number_integer()) {
    SetError(res, 400, "expected {\"id\": \"...\", \"version\": N}");
    return std::nullopt;
  }
  return in;
}

std::string StringField(const Json& in, const char* name) {
  auto it = in.find(name);
  return it != in.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

bool ConsoleRoutes::HaveApproval(httplib::Response& res) {
  if (approval_) return true;
  SetError(res, 503,
           "审核功能需要状态文件夹（配置中的 state_dir），这台设备没有设置，请联系管理员");
  return false;
}

void ConsoleRoutes::PostSubmit(const httplib::Request& req, httplib::Response& res) {
  if (!HaveApproval(res)) return;
  auto session = SessionOf(req);
  if (!session) return SetError(res, 401, "请先登录");
  Json in = Json::parse(req.body, nullptr, false);
  if (!in.is_object() || !in.contains("playlist")) {
    return SetError(res, 400, "expected {\"playlist\": {...}, \"note\": \"...\"}");
  }
  const Json& p = in["playlist"];
  std::string playlist_json = p.is_string() ? p.get<std::string>() : p.dump();
  ApprovalOutcome out = approval_->Submit(session->user, playlist_json, StringField(in, "note"),
                                          StringField(in, "id"));
  SetJson(res, out.http, OutcomeJson(out));
}

void ConsoleRoutes::GetDrafts(const httplib::Request& req, httplib::Response& res) {
  if (!HaveApproval(res)) return;
  auto session = SessionOf(req);
  if (!session) return SetError(res, 401, "请先登录");
  std::vector<Draft> drafts;
  if (Status s = approval_->drafts().List(&drafts); !s.ok()) {
    LogError("drafts: " + s.message());
    return SetError(res, 500, "草稿无法读取：" + s.message());
  }
  const bool approver = session->role == Role::kApprover;
  // Waiting drafts first (the approver's work), each group newest first.
  std::stable_partition(drafts.begin(), drafts.end(), [](const Draft& d) { return d.waiting(); });
  Json list = Json::array();
  for (const Draft& d : drafts) {
    if (approver || d.author == session->user) list.push_back(DraftJson(d, false));
  }
  SetJson(res, 200, Json{{"ok", true}, {"drafts", list}});
}

void ConsoleRoutes::GetDraft(const httplib::Request& req, httplib::Response& res) {
  if (!HaveApproval(res)) return;
  auto session = SessionOf(req);
  if (!session) return SetError(res, 401, "请先登录");
  DraftResult found = approval_->drafts().Get(req.get_param_value("id"));
  if (!found.ok())
    return SetError(res, found.error == DraftError::kNotFound ? 404 : 500, found.message);
  if (session->role != Role::kApprover && found.draft.author != session->user)
    return SetError(res, 403, "这份草稿不是您提交的");
  SetJson(res, 200, Json{{"ok", true}, {"draft", DraftJson(found.draft, true)}});
}

void ConsoleRoutes::GetDraftDiff(const httplib::Request& req, httplib::Response& res) {
  if (!HaveApproval(res)) return;
  DraftResult found = approval_->drafts().Get(req.get_param_value("id"));
  if (!found.ok())
    return SetError(res, found.error == DraftError::kNotFound ? 404 : 500, found.message);
  std::vector<Diagnostic> errors;
  auto draft = playlist::ParsePlaylist(found.draft.playlist_json, "draft", &errors);
  if (!draft) return SetError(res, 500, "草稿中的播放列表已损坏");
  auto playing = pipeline_.current();
  PlaylistDiff diff = DiffPlaylists(playing ? *playing : playlist::Playlist{}, *draft);
  Json items = Json::array();
  for (const ItemDiff& x : diff.items) {
    items.push_back({{"kind", ItemDiffKindName(x.kind)},
                     {"id", x.id},
                     {"title", x.title},
                     {"draft_index", x.draft_index},
                     {"playing_index", x.playing_index},
                     {"moved", x.moved},
                     {"fields", FieldsJson(x.fields)}});
  }
  const auto now = env_.clock().WallNow();
  SetJson(res, 200,
          Json{{"ok", true},
               {"draft", DraftJson(found.draft, true)},
               {"playing",
                {{"title", playing ? playing->title : ""},
                 {"items", playing ? playing->items.size() : 0},
                 {"hash", playing ? update::PlaylistHash(*playing) : ""}}},
               {"added", diff.added},
               {"removed", diff.removed},
               {"changed", diff.changed},
               {"playlist_fields", FieldsJson(diff.playlist_fields)},
               {"items", items},
               {"expiring", ExpiringJson(*draft, now)}});
}

void ConsoleRoutes::PostApprove(const httplib::Request& req, httplib::Response& res) {
  if (!HaveApproval(res)) return;
  auto session = SessionOf(req);
  if (!session) return SetError(res, 401, "请先登录");
  auto in = DecisionBody(req, res);
  if (!in) return;
  ApprovalOutcome out = approval_->Approve(session->user, (*in)["id"].get<std::string>(),
                                           (*in)["version"].get<int>(), Origin(*session, req));
  SetJson(res, out.http, OutcomeJson(out));
}

void ConsoleRoutes::PostReturn(const httplib::Request& req, httplib::Response& res) {
  if (!HaveApproval(res)) return;
  auto session = SessionOf(req);
  if (!session) return SetError(res, 401, "请先登录");
  auto in = DecisionBody(req, res);
  if (!in) return;
  std::string comment = StringField(*in, "comment");
  if (comment.find_first_not_of(" \t\r\n") == std::string::npos)
    return SetError(res, 400, "请写明退回的原因，提交人会看到它");
  ApprovalOutcome out = approval_->Return(session->user, (*in)["id"].get<std::string>(),
                                          (*in)["version"].get<int>(), comment);
  SetJson(res, out.http, OutcomeJson(out));
}

void ConsoleRoutes::GetAudit(const httplib::Request& req, httplib::Response& res) {
  if (!HaveApproval(res)) return;
  std::vector<AuditEntry> entries;
  if (Status s = approval_->audit().Read(&entries); !s.ok()) {
    LogError("audit log: " + s.message());
    return SetError(res, 500, "审核记录无法读取：" + s.message());
  }
  std::reverse(entries.begin(), entries.end());  // newest first
  auto number = [&req](const char* name, long fallback, long max) {
    if (!req.has_param(name)) return fallback;
    char* end = nullptr;
    const std::string v = req.get_param_value(name);
    long n = std::strtol(v.c_str(), &end, 10);
    return v.empty() || *end || n < 0 ? fallback : std::min(n, max);
  };
  const long per_page = std::max(1L, number("per_page", 50, 500));
  const long page = number("page", 0, 1000000);
  Json list = Json::array();
  for (std::size_t i = static_cast<std::size_t>(page * per_page);
       i < entries.size() && i < static_cast<std::size_t>((page + 1) * per_page); ++i) {
    const AuditEntry& e = entries[i];
    list.push_back({{"at", e.at},
                    {"user", e.user},
                    {"action", e.action},
                    {"draft", e.draft_id},
                    {"version", e.version},
                    {"hash", e.hash},
                    {"title", e.title},
                    {"items", e.items},
                    {"note", e.note}});
  }
  SetJson(res, 200,
          Json{{"ok", true},
               {"total", entries.size()},
               {"page", page},
               {"per_page", per_page},
               {"entries", list}});
}

void ConsoleRoutes::GetAuditCsv(const httplib::Request&, httplib::Response& res) {
  if (!HaveApproval(res)) return;
  std::vector<AuditEntry> entries;
  if (Status s = approval_->audit().Read(&entries); !s.ok())
    return SetError(res, 500, "审核记录无法读取：" + s.message());
  std::reverse(entries.begin(), entries.end());
  res.set_header("Content-Disposition", "attachment; filename=\"noticeboard-audit.csv\"");
  res.set_content(AuditCsv(entries), "text/csv; charset=utf-8");
}

void ConsoleRoutes::GetExpiring(const httplib::Request&, httplib::Response& res) {
  auto playing = pipeline_.current();
  SetJson(
      res, 200,
      Json{{"ok", true},
           {"days", kExpiringDays},
           {"items", playing ? ExpiringJson(*playing, env_.clock().WallNow()) : Json::array()}});
}

void ConsoleRoutes::PostExpiring(const httplib::Request& req, httplib::Response& res) {
  std::vector<Diagnostic> errors;
  auto draft = playlist::ParsePlaylist(req.body, "draft", &errors);
  if (!draft) {
    return SetJson(res, 400,
                   Json{{"ok", false},
                        {"error", "草稿有 " + std::to_string(errors.size()) + " 处错误"},
                        {"errors", ErrorsJson(errors)}});
  }
  SetJson(res, 200,
          Json{{"ok", true},
               {"days", kExpiringDays},
               {"items", ExpiringJson(*draft, env_.clock().WallNow())}});
}

}  // namespace nb::console
