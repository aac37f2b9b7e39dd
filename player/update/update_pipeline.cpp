#include "update/update_pipeline.h"

#include <sodium.h>

#include "base/log.h"
#include "base/time_format.h"
#include "bulletin/bulletin.h"

namespace nb::update {
namespace {

const char* SourceNameZh(UpdateSource source) {
  switch (source) {
    case UpdateSource::kUsb:
      return "U盘";
    case UpdateSource::kPull:
      return "网络";
    case UpdateSource::kPush:
      return "推送";
    case UpdateSource::kFile:
      return "文件";
    case UpdateSource::kConsole:
      return "管理页面";
  }
  return "";
}

std::string AppliedNotice(UpdateSource source, std::size_t items) {
  std::string how =
      source == UpdateSource::kPush ? "已通过推送" : std::string("已从") + SourceNameZh(source);
  return how + "更新播放列表：" + std::to_string(items) + " 条";
}

// A notice is one line on a lobby screen: at most max_chars code points.
std::string ShortenForScreen(const std::string& text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (++chars > max_chars) return text.substr(0, i) + "……";
  }
  return text;
}

constexpr std::size_t kMaxNoticeChars = 160;

// On screen a file is named by its last component: the mount point or the
// server in front of it helps nobody in the lobby (the log has it all).
std::string ForScreen(std::string reason, const std::string& origin) {
  // A JSON syntax error quotes the bytes it last read, which can end in the
  // middle of a character (a tofu box on screen); the log keeps it.
  if (auto cut = reason.find("; last read"); cut != std::string::npos) reason.resize(cut);
  auto slash = origin.find_last_of('/');
  if (origin.empty() || slash == std::string::npos || slash + 1 >= origin.size()) return reason;
  const std::string name = origin.substr(slash + 1);
  for (auto pos = reason.find(origin); pos != std::string::npos;
       pos = reason.find(origin, pos + name.size())) {
    reason.replace(pos, origin.size(), name);
  }
  return reason;
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
  }
  return "";
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
  // The watched file is edited on the screen itself by its administrator.
  return !trusted_keys_.empty() && source != UpdateSource::kFile;
}

void UpdatePipeline::SetInitial(std::shared_ptr<const playlist::Playlist> playlist,
                                const std::string& source) {
  std::lock_guard lock(status_mu_);
  if (!playlist) return;
  status_.playlist_title = playlist->title;
  status_.playlist_items = playlist->items.size();
  status_.playlist_hash.clear();
  current_ = playlist;
  unhashed_ = std::move(playlist);  // hashed when first asked for
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
                                    std::string reason, std::vector<playlist::Diagnostic> errors,
                                    bool announce) {
  UpdateResult result;
  result.outcome = outcome;
  result.reason = std::move(reason);
  result.errors = std::move(errors);
  result.notice = ShortenForScreen(std::string(SourceNameZh(request.source)) +
                                       "更新失败，继续播放原播放列表：" +
                                       ForScreen(result.reason, request.origin),
                                   kMaxNoticeChars);
  LogWarning(std::string(SourceName(request.source)) + " update from " + request.origin +
             " refused: " + result.reason);
  // The notice is posted before the status counts the refusal: whoever
  // sees the count (a test, the console) finds the notice there too.
  if (announce) mailbox_.PostNotice({result.notice, true});
  {
    std::lock_guard lock(status_mu_);
    status_.last_error = result.reason;
    status_.last_error_at = UtcTimestamp(env_.clock().WallNow());
    status_.last_error_source = std::string(SourceName(request.source)) + ":" + request.origin;
    status_.last_errors = result.errors;
    ++status_.updates_rejected;
  }

  return result;
}

UpdateResult UpdatePipeline::ReportFailure(UpdateSource source, const std::string& origin,
                                           std::string reason, bool announce) {
  UpdateRequest request;
  request.source = source;
  request.origin = origin;
  return Reject(request, UpdateOutcome::kRejected, std::move(reason), {}, announce);
}

UpdateResult UpdatePipeline::Submit(const UpdateRequest& request) {
  std::lock_guard submit_lock(submit_mu_);
  const std::string& origin = request.origin;

  if (request.bytes.size() > kMaxUpdateBytes) {
    return Reject(request, UpdateOutcome::kRejected,
                  origin + ": " + std::to_string(request.bytes.size()) +
                      " bytes is over the limit of 4 MiB (4194304 bytes)");
  }
  if (signatures_required(request.source)) {
    if (!request.signature) {
      return Reject(request, UpdateOutcome::kRejected,
                    origin +
                        ": signature refused: no signature (.minisig) came with it, and "
                        "this screen accepts only signed playlists");
    }
    if (Status s = VerifySignature(request.bytes, *request.signature, trusted_keys_, origin);
        !s.ok()) {
      return Reject(request, UpdateOutcome::kRejected, s.message());
    }
  }

  std::string json_text;
  if (request.format == UpdateFormat::kBulletin) {
    bulletin::Bulletin parsed;
    if (Status s = bulletin::ParseBulletin(request.bytes, origin, &parsed); !s.ok())
      return Reject(request, UpdateOutcome::kRejected, s.message());
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
    return Reject(request, UpdateOutcome::kRejected, reason, std::move(errors));
  }
  auto playlist = std::make_shared<const playlist::Playlist>(std::move(*parsed));

  std::string source = std::string(SourceName(request.source)) + ":" + origin;
  bool changed = false;
  if (Status s = store_.Commit(*playlist, source, &changed); !s.ok()) {
    return Reject(request, UpdateOutcome::kStoreFailed, s.message());
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
      result.notice =
          "U盘中的播放列表与正在播放的相同：" + std::to_string(playlist->items.size()) + " 条";
      mailbox_.PostNotice({result.notice, false});
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
  }
  LogInfo(std::string(SourceName(request.source)) + " update from " + origin + ": " +
          std::to_string(playlist->items.size()) + " items stored in " + store_.location());
  mailbox_.Post(playlist);
  mailbox_.PostNotice({result.notice, false});
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
