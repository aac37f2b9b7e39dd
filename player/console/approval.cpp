// Submit, return, approve, publish and restore with their audit entries
// (approval.h).
#include "console/approval.h"

#include <signal.h>

#include <cstdlib>
#include <cstring>

#include "base/log.h"
#include "base/time_format.h"

namespace nb::console {
namespace {

// The crash test's hook (approval.h): a real SIGKILL at a chosen step.
void CrashPoint(const char* step) {
  const char* at = std::getenv("NB_CONSOLE_CRASH_AT");
  if (at && std::strcmp(at, step) == 0) {
    LogWarning(std::string("console: NB_CONSOLE_CRASH_AT=") + step + ": killing myself (test)");
    ::raise(SIGKILL);
  }
}

ApprovalOutcome Fail(int http, std::string error) {
  ApprovalOutcome o;
  o.http = http;
  o.error = std::move(error);
  return o;
}

int HttpOf(DraftError e) {
  switch (e) {
    case DraftError::kNone:
      return 200;
    case DraftError::kNotFound:
      return 404;
    case DraftError::kForbidden:
      return 403;
    case DraftError::kConflict:
      return 409;
    case DraftError::kStorage:
      return 500;
  }
  return 500;
}

ApprovalOutcome FromDraft(DraftResult r) {
  ApprovalOutcome o;
  o.http = HttpOf(r.error);
  o.error = std::move(r.message);
  o.draft = std::move(r.draft);
  return o;
}

// The draft, checked as the screen will check it; null with the outcome set.
std::optional<playlist::Playlist> Checked(const std::string& json, ApprovalOutcome* out) {
  std::vector<playlist::Diagnostic> errors;
  auto parsed = playlist::ParsePlaylist(json, "draft", &errors);
  if (!parsed) {
    *out = Fail(400, "草稿有 " + std::to_string(errors.size()) + " 处错误，请改正后再提交");
    out->errors = std::move(errors);
  }
  return parsed;
}

}  // namespace

Approval::Approval(Env& env, update::UpdatePipeline& pipeline, std::string state_folder,
                   std::optional<update::SecretKey> signing_key)
    : env_(env),
      pipeline_(pipeline),
      signing_key_(std::move(signing_key)),
      drafts_(env, state_folder + "/drafts"),
      audit_(env.fs(), state_folder) {}

AuditEntry Approval::Entry(const std::string& user, const char* action, const playlist::Playlist& p,
                           const std::string& hash) const {
  AuditEntry e;
  e.at = UtcTimestamp(env_.clock().WallNow());
  e.user = user;
  e.action = action;
  e.hash = hash;
  e.title = p.title;
  e.items = p.items.size();
  return e;
}

Recovery Approval::Recover() {
  std::lock_guard lock(mu_);
  auto current = pipeline_.current();
  std::vector<AuditEntry> recovered;
  Recovery r = audit_.Recover(current ? update::PlaylistHash(*current) : "", &recovered);
  for (const AuditEntry& e : recovered) {
    if (e.action == "approve" && !e.draft_id.empty()) drafts_.MarkApproved(e.draft_id, e.user);
  }
  return r;
}

ApprovalOutcome Approval::Submit(const std::string& user, const std::string& playlist_json,
                                 const std::string& note, const std::string& resubmit_id) {
  ApprovalOutcome out;
  auto draft = Checked(playlist_json, &out);
  if (!draft) return out;
  std::lock_guard lock(mu_);
  const std::string canonical = playlist::ToJson(*draft);
  const std::string hash = update::PlaylistHash(*draft);
  out = FromDraft(
      drafts_.Submit(user, canonical, draft->title, draft->items.size(), hash, note, resubmit_id));
  if (!out.ok()) return out;
  AuditEntry e = Entry(user, out.draft.version == 1 ? "submit" : "resubmit", *draft, hash);
  e.draft_id = out.draft.id;
  e.version = out.draft.version;
  e.note = note;
  if (Status s = audit_.Append({e}); !s.ok()) LogError("audit log: " + s.message());
  LogInfo("console: " + user + " submitted draft " + out.draft.id + " version " +
          std::to_string(out.draft.version));
  return out;
}

ApprovalOutcome Approval::Return(const std::string& user, const std::string& id, int version,
                                 const std::string& comment) {
  std::lock_guard lock(mu_);
  ApprovalOutcome out = FromDraft(drafts_.Return(id, version, user, comment));
  if (!out.ok()) return out;
  AuditEntry e;
  e.at = UtcTimestamp(env_.clock().WallNow());
  e.user = user;
  e.action = "return";
  e.draft_id = id;
  e.version = version;
  e.hash = out.draft.hash;
  e.title = out.draft.title;
  e.items = out.draft.items;
  e.note = comment;
  if (Status s = audit_.Append({e}); !s.ok()) LogError("audit log: " + s.message());
  LogInfo("console: " + user + " returned draft " + id + " to " + out.draft.author);
  return out;
}

ApprovalOutcome Approval::PublishLocked(const std::string& user, const playlist::Playlist& p,
                                        std::vector<AuditEntry> entries,
                                        const std::string& draft_id, const std::string& origin) {
  update::UpdateRequest request;
  request.source = update::UpdateSource::kConsole;
  request.origin = origin;
  // The canonical form is what every store writes: a signature over it holds
  // for the file on any screen or server.
  request.bytes = playlist::ToJson(p);
  if (signing_key_) {
    auto secs =
        std::chrono::duration_cast<std::chrono::seconds>(env_.clock().WallNow().time_since_epoch());
    request.signature = update::SignMinisig(
        request.bytes, *signing_key_,
        "timestamp:" + std::to_string(secs.count()) + "\tfile:playlist.json\tby:" + user);
  }
  if (Status s = audit_.BeginPending(entries); !s.ok()) {
    LogError("audit log: " + s.message());
    return Fail(500, "没有发布：审核记录无法写入（屏幕的存储出错）：" + s.message());
  }
  CrashPoint("after-pending");
  update::UpdateResult result = pipeline_.Submit(request);
  ApprovalOutcome out;
  out.published = result;
  if (!result.ok()) {
    audit_.DropPending();
    out.http = result.outcome == update::UpdateOutcome::kStoreFailed ? 500 : 400;
    out.error = result.reason;
    out.errors = result.errors;
    return out;
  }
  CrashPoint("after-publish");
  if (Status s = audit_.CommitPending(); !s.ok()) {
    // Published; the pending file stays and the next start appends it.
    LogError("audit log: " + s.message());
  }
  if (!draft_id.empty()) {
    DraftResult marked = drafts_.MarkApproved(draft_id, user);
    out.draft = marked.draft;
  }
  return out;
}

ApprovalOutcome Approval::Approve(const std::string& user, const std::string& id, int version,
                                  const std::string& origin) {
  std::lock_guard lock(mu_);
  DraftResult checked = drafts_.CheckApprovable(id, version);
  if (!checked.ok()) return FromDraft(std::move(checked));
  const Draft& d = checked.draft;
  ApprovalOutcome out;
  auto p = Checked(d.playlist_json, &out);
  if (!p) return out;
  AuditEntry e = Entry(user, "approve", *p, update::PlaylistHash(*p));
  e.draft_id = id;
  e.version = version;
  e.note = d.note;
  out = PublishLocked(user, *p, {e}, id, origin);
  if (out.ok()) LogInfo("console: " + user + " approved draft " + id + " of " + d.author);
  return out;
}

ApprovalOutcome Approval::Publish(const std::string& user, const std::string& playlist_json,
                                  const std::string& note, const std::string& origin) {
  ApprovalOutcome out;
  auto p = Checked(playlist_json, &out);
  if (!p) return out;
  std::lock_guard lock(mu_);
  const std::string hash = update::PlaylistHash(*p);
  AuditEntry submit = Entry(user, "submit", *p, hash);
  submit.note = note;
  AuditEntry approve = submit;
  approve.action = "approve";
  return PublishLocked(user, *p, {submit, approve}, "", origin);
}

ApprovalOutcome Approval::Restore(const std::string& user, const std::string& origin) {
  std::lock_guard lock(mu_);
  std::optional<playlist::Playlist> previous = pipeline_.previous();
  if (!previous) {
    return Fail(400, "没有可以恢复的上一个播放列表（no previous playlist kept yet）");
  }
  AuditEntry e = Entry(user, "restore", *previous, update::PlaylistHash(*previous));
  return PublishLocked(user, *previous, {e}, "", origin);
}

}  // namespace nb::console
