#include "update/update_pipeline.h"

#include <sodium.h>

#include "base/log.h"
#include "base/time_format.h"
#include "bulletin/bulletin.h"
#include "update/screen_notices.h"

namespace nb::update {
namespace {

// A playlist that is not JSON at all: ParseJson's one syntax error
// (base/json_check.h), as opposed to the checker's errors at JSON pointers.
bool IsSyntaxError(const std::vector<playlist::Diagnostic>& errors) {
  return errors.size() == 1 && errors[0].message.rfind("JSON ", 0) == 0;
}

}  // namespace

const char* SourceName(UpdateSource source) {
  switch (source) {
    case UpdateSource::kUsb:
      return "usb";
    case UpdateSource::kPull:
      return "pull";
    case UpdateSource::kPush:
      return "push";
    case UpdateSource::kFile:
      return "file";
    case UpdateSource::kConsole:
      return "console";
    case UpdateSource::kRollback:
      return "rollback";
  }
  return "";
}

bool ShowsNotice(NoticePolicy policy, NoticeKind kind) {
  switch (policy) {
    case NoticePolicy::kAll:
      return true;
    case NoticePolicy::kSuccess:
      return kind == NoticeKind::kSuccess;
    case NoticePolicy::kNone:
      return false;
  }
  return true;
}

std::string PlaylistHash(const playlist::Playlist& playlist) {
  InitSodium();
  std::string json = playlist::ToJson(playlist);
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(json.data()),
                     json.size(), nullptr, 0);
  char hex[sizeof hash * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

void PlaylistMailbox::Post(std::shared_ptr<const playlist::Playlist> playlist) {
  {
    std::lock_guard lock(mu_);
    playlist_ = std::move(playlist);
  }
  if (wake_) wake_();
}

void PlaylistMailbox::PostNotice(Notice notice) {
  {
    std::lock_guard lock(mu_);
    notice_ = std::move(notice);
  }
  if (wake_) wake_();
}

std::shared_ptr<const playlist::Playlist> PlaylistMailbox::TakePlaylist() {
  std::lock_guard lock(mu_);
  return std::exchange(playlist_, nullptr);
}

std::optional<Notice> PlaylistMailbox::TakeNotice() {
  std::lock_guard lock(mu_);
  return std::exchange(notice_, std::nullopt);
}

UpdatePipeline::UpdatePipeline(Env& env, PlaylistStore& store, std::vector<PublicKey> trusted_keys,
                               std::function<void()> wake)
    : env_(env), store_(store), trusted_keys_(std::move(trusted_keys)), mailbox_(std::move(wake)) {}

bool UpdatePipeline::signatures_required(UpdateSource source) const {
  // The watched file is edited on the screen itself by its administrator; a
  // rollback brings back a playlist the store took only after its checks.
  return !trusted_keys_.empty() && source != UpdateSource::kFile &&
         source != UpdateSource::kRollback;
}

void UpdatePipeline::RecordPullRound(const std::string& url, const std::string& error,
                                     const std::string& error_kind,
                                     std::chrono::milliseconds next_in) {
  auto now = env_.clock().WallNow();
  std::lock_guard lock(status_mu_);
  pull_.url = url;
  pull_.last_checked_at = UtcTimestamp(now);
  pull_.next_at = UtcTimestamp(now + next_in);
  pull_.last_error = error;
  if (error.empty()) {
    pull_.last_ok_at = pull_.last_checked_at;
  } else {
    ++pull_.network_failures;
    ++pull_.failures_by_kind[error_kind.empty() ? "other" : error_kind];
  }
}

PullStatus UpdatePipeline::pull_status() const {
  std::lock_guard lock(status_mu_);
  return pull_;
}

void UpdatePipeline::SetInitial(std::shared_ptr<const playlist::Playlist> playlist,
                                const std::string& source, const std::string& at) {
  std::lock_guard lock(status_mu_);
  if (!playlist) return;
  status_.playlist_title = playlist->title;
  status_.playlist_items = playlist->items.size();
  status_.playlist_hash.clear();
  current_ = playlist;
  unhashed_ = std::move(playlist);
  if (!at.empty()) status_.last_update_at = at;  // hashed when first asked for
  status_.last_update_source = source;
}

void UpdatePipeline::HashOnScreenLocked() const {
  if (!unhashed_) return;
  status_.playlist_hash = PlaylistHash(*unhashed_);
  unhashed_.reset();
}

std::shared_ptr<const playlist::Playlist> UpdatePipeline::current() const {
  std::lock_guard lock(status_mu_);
  return current_;
}

UpdateStatus UpdatePipeline::status() const {
  std::lock_guard lock(status_mu_);
  HashOnScreenLocked();
  return status_;
}

UpdateResult UpdatePipeline::Reject(const UpdateRequest& request, UpdateOutcome outcome,
                                    RefusalKind kind, std::string reason,
                                    std::vector<playlist::Diagnostic> errors, bool announce) {
  UpdateResult result;
  result.outcome = outcome;
  result.reason = std::move(reason);
  result.errors = std::move(errors);
  // The lobby gets a plain line; the staff get every reason in the log.
  result.notice = RefusalNotice(request.source, request.format, kind, CountErrors(result.errors));
  const std::string what =
      std::string(SourceName(request.source)) + " update from " + request.origin;
  LogWarning(what + " refused: " + result.reason);
  if (result.errors.size() > 1) {
    for (std::size_t i = 0; i < result.errors.size(); ++i) {
      LogWarning(what + ": error " + std::to_string(i + 1) + " of " +
                 std::to_string(result.errors.size()) + ": " + result.errors[i].ToString());
    }
  }
  // The notice is posted before the status counts the refusal: whoever
  // sees the count (a test, the console) finds the notice there too.
  if (announce) mailbox_.PostNotice({result.notice, NoticeKind::kRefused});
  {
    std::lock_guard lock(status_mu_);
    status_.last_error = result.reason;
    status_.last_error_at = UtcTimestamp(env_.clock().WallNow());
    status_.last_error_source = std::string(SourceName(request.source)) + ":" + request.origin;
    status_.last_errors = result.errors;
    ++status_.updates_rejected;
    ++status_.rejected_by_source[SourceName(request.source)];
    status_.last_error_unix = std::chrono::duration_cast<std::chrono::seconds>(
                                  env_.clock().WallNow().time_since_epoch())
                                  .count();
  }
  return result;
}

UpdateResult UpdatePipeline::ReportFailure(UpdateSource source, const std::string& origin,
                                           std::string reason, bool announce, RefusalKind kind) {
  UpdateRequest request;
  request.source = source;
  request.origin = origin;
  return Reject(request, UpdateOutcome::kRejected, kind, std::move(reason), {}, announce);
}

UpdateResult UpdatePipeline::Submit(const UpdateRequest& request) {
  std::lock_guard submit_lock(submit_mu_);
  const std::string& origin = request.origin;

  if (request.bytes.size() > kMaxUpdateBytes) {
    return Reject(request, UpdateOutcome::kRejected, RefusalKind::kTooLarge,
                  origin + ": " + std::to_string(request.bytes.size()) +
                      " bytes is over the limit of 4 MiB (4194304 bytes)");
  }
  if (signatures_required(request.source)) {
    if (!request.signature) {
      return Reject(request, UpdateOutcome::kRejected, RefusalKind::kUnsigned,
                    origin +
                        ": signature refused: no signature (.minisig) came with it, and "
                        "this screen accepts only signed playlists");
    }
    if (Status s = VerifySignature(request.bytes, *request.signature, trusted_keys_, origin);
        !s.ok()) {
      return Reject(request, UpdateOutcome::kRejected, RefusalKind::kBadSignature, s.message());
    }
  }

  std::string json_text;
  if (request.format == UpdateFormat::kBulletin) {
    bulletin::Bulletin parsed;
    if (Status s = bulletin::ParseBulletin(request.bytes, origin, &parsed); !s.ok())
      return Reject(request, UpdateOutcome::kRejected, RefusalKind::kFormat, s.message());
    for (const auto& skipped : parsed.skipped) {
      LogWarning(origin + ":" + std::to_string(skipped.line) +
                 ": skipped, not part of any item: " + skipped.text);
    }
    json_text = playlist::ToJson(bulletin::MakePlaylist(parsed, bulletin::BuildOptions{},
                                                        UtcTimestamp(env_.clock().WallNow())));
  } else {
    json_text = request.bytes;
  }

  std::vector<playlist::Diagnostic> errors;
  auto parsed = playlist::ParsePlaylist(json_text, origin, &errors);
  if (!parsed) {
    std::string reason = errors.empty() ? origin + ": invalid playlist" : errors[0].ToString();
    if (errors.size() > 1) reason += "（另有 " + std::to_string(errors.size() - 1) + " 处错误）";
    const RefusalKind kind = IsSyntaxError(errors) ? RefusalKind::kFormat : RefusalKind::kInvalid;
    return Reject(request, UpdateOutcome::kRejected, kind, reason, std::move(errors));
  }
  auto playlist = std::make_shared<const playlist::Playlist>(std::move(*parsed));

  std::string source = std::string(SourceName(request.source)) + ":" + origin;
  bool changed = false;
  if (Status s = store_.Commit(*playlist, source, &changed); !s.ok()) {
    return Reject(request, UpdateOutcome::kStoreFailed, RefusalKind::kStoreFailed, s.message());
  }

  // The screen may be playing something other than current.json (a file
  // given on the command line): then a stored-but-equal playlist still goes up.
  std::string hash = PlaylistHash(*playlist);
  bool on_screen;
  {
    std::lock_guard lock(status_mu_);
    HashOnScreenLocked();
    on_screen = status_.playlist_hash == hash;
  }
  UpdateResult result;
  result.playlist = playlist;
  if (!changed && on_screen) {
    result.outcome = UpdateOutcome::kUnchanged;
    // Someone who plugged in a stick wants to know it was read.
    if (request.source == UpdateSource::kUsb) {
      result.notice = UnchangedNotice(request.source, playlist->items.size());
      mailbox_.PostNotice({result.notice, NoticeKind::kSuccess});
    }
    LogInfo(std::string(SourceName(request.source)) + " update from " + origin + ": unchanged");
    return result;
  }
  result.outcome = UpdateOutcome::kApplied;
  result.notice = AppliedNotice(request.source, playlist->items.size());
  {
    std::lock_guard lock(status_mu_);
    status_.playlist_title = playlist->title;
    status_.playlist_items = playlist->items.size();
    status_.playlist_hash = hash;
    unhashed_.reset();
    current_ = playlist;
    status_.last_update_at = UtcTimestamp(env_.clock().WallNow());
    status_.last_update_source = source;
    ++status_.updates_applied;
    ++status_.applied_by_source[SourceName(request.source)];
    status_.last_update_unix = std::chrono::duration_cast<std::chrono::seconds>(
                                   env_.clock().WallNow().time_since_epoch())
                                   .count();
  }
  LogInfo(std::string(SourceName(request.source)) + " update from " + origin + ": " +
          std::to_string(playlist->items.size()) + " items stored in " + store_.location());
  mailbox_.Post(playlist);
  mailbox_.PostNotice({result.notice, NoticeKind::kSuccess});
  return result;
}

UpdateResult UpdatePipeline::RestorePrevious(UpdateSource source, const std::string& origin) {
  std::optional<playlist::Playlist> previous = store_.Previous();
  if (!previous) {
    return ReportFailure(source, origin,
                         "there is no previous playlist to restore (" + store_.location() +
                             " has kept none yet)",
                         /*announce=*/false);
  }
  UpdateRequest request;
  request.source = source;
  request.origin = origin;
  request.bytes = playlist::ToJson(*previous);
  return Submit(request);
}

}  // namespace nb::update
