// UpdatePipeline: the one way a new playlist reaches the screen, whatever
// brought it (USB stick, network pull, push API, the watched file), with or
// without a state folder.
//
// Contract:
// - Submit() runs, in order: size limit → signature, when trusted keys
//   are configured and the source is USB, pull or push → build (a bulletin is
//   turned into a playlist with nb_bulletin) → ParsePlaylist → the store's
//   Commit (the state folder, or memory: playlist_store.h) → hand the
//   immutable playlist to the mailbox. Any failure stops the
//   chain: nothing is stored, the playlist on screen stays, and the result and
//   the notice say why. Submissions are serialised (one at a time, in order),
//   so the mailbox and current.json always agree on the newest playlist.
// - PlaylistMailbox is the hand-over to the frame thread: Post() from any
//   thread, TakePlaylist() from the frame loop at a slide boundary (only the
//   newest is kept: after 200 rapid updates the frame loop sees the last
//   valid one), TakeNotice() whenever it can show a line of text. `wake` is
//   called after each post so an idle loop can wake up.
// - Notices are for the people in the lobby: one plain Chinese line of a
//   kind (base/notice_kind.h), worded in update/screen_notices.h, e.g.
//   "已从U盘更新播放列表：15 条" (kSuccess) or
//   "U盘中的播放列表有 4 处错误，未更新；详见管理页面或日志" (kRefused). The
//   reason and every error go to the log (one line each), the result and
//   the status, never to the screen.
// - status() is a consistent snapshot: the playlist's title, items and hash,
//   the last update (time, source) and the last error (time, source, reason).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/notice_kind.h"
#include "playlist/playlist.h"
#include "update/playlist_store.h"
#include "update/signature.h"

namespace nb::update {

inline constexpr std::size_t kMaxUpdateBytes = playlist::kMaxFileBytes;  // 4 MiB

enum class UpdateSource { kUsb, kPull, kPush, kFile, kConsole };
// "usb", "pull", "push", "file", "console"
const char* SourceName(UpdateSource source);

enum class UpdateFormat { kPlaylist, kBulletin };

struct UpdateRequest {
  UpdateSource source = UpdateSource::kFile;
  std::string origin;  // where it came from, for messages: a path, a URL, a client
  std::string bytes;
  std::optional<std::string> signature;  // the .minisig file's text
  UpdateFormat format = UpdateFormat::kPlaylist;
};

enum class UpdateOutcome { kApplied, kUnchanged, kRejected, kStoreFailed };

// Why an update was refused, as far as the lobby is told (screen_notices.h).
enum class RefusalKind {
  kTooLarge,
  kUnsigned,      // signatures are required and none came with it
  kBadSignature,  // a signature that does not verify with a trusted key
  kFormat,        // not JSON (a syntax error), or a bulletin that does not read
  kInvalid,       // JSON, but not a valid playlist: N errors
  kStoreFailed,   // valid, but the state folder could not keep it
  kUnreadable,    // there was nothing to check: a read or a download failed
};

struct UpdateResult {
  UpdateOutcome outcome = UpdateOutcome::kRejected;
  std::shared_ptr<const playlist::Playlist> playlist;  // applied or unchanged
  std::vector<playlist::Diagnostic> errors;            // validation errors, all of them
  std::string reason;                                  // one line, when not applied
  std::string notice;  // the screen's line (screen_notices.h), posted or not; may be empty
  bool ok() const {
    return outcome == UpdateOutcome::kApplied || outcome == UpdateOutcome::kUnchanged;
  }
};

struct Notice {
  std::string text;
  NoticeKind kind = NoticeKind::kSuccess;
};

// Which update notices reach the screen: the config's "notices"
// ("all", "success", "none"). The log and the status get every one.
enum class NoticePolicy { kAll, kSuccess, kNone };
bool ShowsNotice(NoticePolicy policy, NoticeKind kind);

class PlaylistMailbox {
 public:
  explicit PlaylistMailbox(std::function<void()> wake = {}) : wake_(std::move(wake)) {}
  void Post(std::shared_ptr<const playlist::Playlist> playlist);
  void PostNotice(Notice notice);
  // The newest playlist posted since the last call, or null.
  std::shared_ptr<const playlist::Playlist> TakePlaylist();
  // The newest notice posted since the last call.
  std::optional<Notice> TakeNotice();

 private:
  std::function<void()> wake_;
  std::mutex mu_;
  std::shared_ptr<const playlist::Playlist> playlist_;
  std::optional<Notice> notice_;
};

// The frame loop's side of the mailbox, for anything with Offer(playlist)
// and Notice(text, kind) (render::Show): call it once per frame; Show swaps
// an offered playlist in at the next slide boundary, never mid-transition.
// A notice the policy keeps off the screen is taken and dropped.
// Returns true when something was delivered (the caller redraws).
template <class ShowLike>
bool DeliverUpdates(PlaylistMailbox& mailbox, ShowLike& show,
                    NoticePolicy policy = NoticePolicy::kAll) {
  bool delivered = false;
  if (auto playlist = mailbox.TakePlaylist()) {
    show.Offer(std::move(playlist));
    delivered = true;
  }
  if (auto notice = mailbox.TakeNotice(); notice && ShowsNotice(policy, notice->kind)) {
    show.Notice(std::move(notice->text), notice->kind);
    delivered = true;
  }
  return delivered;
}

struct UpdateStatus {
  std::string playlist_title;
  std::size_t playlist_items = 0;
  std::string playlist_hash;   // BLAKE2b-256 of the canonical JSON, hex
  std::string last_update_at;  // UTC ISO 8601; empty: none since start
  std::string last_update_source;
  std::string last_error;
  std::string last_error_at;
  std::string last_error_source;
  int updates_applied = 0;
  int updates_rejected = 0;
  std::vector<playlist::Diagnostic> last_errors;  // every error of the last refusal
};

// How the network pull fares, apart from refused playlists: a network that
// came back shows as such (last_error is cleared by the next good round).
struct PullStatus {
  std::string url;              // empty: pull is off
  std::string last_checked_at;  // UTC ISO 8601 of the last round
  std::string last_ok_at;       // of the last round that reached the server
  std::string next_at;          // of the next round
  std::string last_error;       // of the last round, when it failed
  int network_failures = 0;     // rounds that did not reach the server
};

class UpdatePipeline {
 public:
  UpdatePipeline(Env& env, PlaylistStore& store, std::vector<PublicKey> trusted_keys,
                 std::function<void()> wake = {});

  UpdateResult Submit(const UpdateRequest& request);

  // Records the playlist playing at start (from the store or a file) so that
  // status() and the "unchanged" check know it; does not post it.
  // `at` is when it was stored (StateStore's record; empty: unknown), so the
  // last update survives a restart in status().
  void SetInitial(std::shared_ptr<const playlist::Playlist> playlist, const std::string& source,
                  const std::string& at = "");

  // One pull round: `error` empty when the server answered (200 or 304).
  // Network trouble is counted here, not as a refused update.
  void RecordPullRound(const std::string& url, const std::string& error,
                       std::chrono::milliseconds next_in);
  PullStatus pull_status() const;

  // A failure before there was anything to submit (a stick pulled out while
  // reading, a network error, a file over the size limit): recorded and
  // announced like a rejection. `announce` false keeps it off the screen (a
  // network outage is not news for the lobby; it shows in status and the log).
  UpdateResult ReportFailure(UpdateSource source, const std::string& origin, std::string reason,
                             bool announce = true, RefusalKind kind = RefusalKind::kUnreadable);

  // Makes the store's previous playlist current again, through Submit (so
  // the same checks and the same signature policy apply): the console's
  // "restore the previous playlist". Rejected when the store has none.
  UpdateResult RestorePrevious(UpdateSource source, const std::string& origin);
  // What RestorePrevious would bring back (the console records its hash in
  // the audit log before restoring); nothing when the store kept none.
  std::optional<playlist::Playlist> previous() const { return store_.Previous(); }

  bool signatures_required(UpdateSource source) const;
  PlaylistMailbox& mailbox() { return mailbox_; }
  UpdateStatus status() const;
  // The newest playlist accepted (or recorded by SetInitial); null: none.
  std::shared_ptr<const playlist::Playlist> current() const;

 private:
  UpdateResult Reject(const UpdateRequest& request, UpdateOutcome outcome, RefusalKind kind,
                      std::string reason, std::vector<playlist::Diagnostic> errors = {},
                      bool announce = true);

  Env& env_;
  PlaylistStore& store_;
  std::vector<PublicKey> trusted_keys_;
  PlaylistMailbox mailbox_;
  std::mutex submit_mu_;  // one submission at a time
  // The hash of the playlist on screen at start is computed when first
  // needed: plain `play` may never need it (libsodium is then not started).
  void HashOnScreenLocked() const;

  mutable std::mutex status_mu_;
  mutable UpdateStatus status_;
  mutable std::shared_ptr<const playlist::Playlist> unhashed_;
  PullStatus pull_;
  std::shared_ptr<const playlist::Playlist> current_;
};

// BLAKE2b-256 of the canonical JSON, lowercase hex.
std::string PlaylistHash(const playlist::Playlist& playlist);

}  // namespace nb::update
