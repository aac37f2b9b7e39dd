// PlayUpdates: every way a new playlist reaches `noticeboard play` (edits of
// the playlist file, USB sticks, pull, the push API), all through the one
// UpdatePipeline, packaged so the frame loop needs a call per frame.
//
// Contract:
// - Create() takes the config (null: none given, so only edits of the file,
//   and USB off) and the state folder (--state-dir, overriding the config's).
//   With neither a config nor a state folder, accepted playlists are kept in
//   memory only; with either, in the state folder. It opens the store and
//   starts the configured paths (nullptr after logging why on a bad setting:
//   play exits 1 then). stored() is the playlist the state folder holds when
//   it is newer than the file on the command line (play starts with it
//   then), else null.
// - WatchFile() starts the file watch, whose edits are submitted to the
//   pipeline like any update; RequestReload() reads the file again now.
// - Frame() runs on the frame thread, once per loop: it offers a new playlist
//   to the Show (swapped in at the next slide boundary), puts notices on
//   screen (those the config's "notices" lets through; the pipeline has
//   logged and recorded every one already), carries out POST /api/v1/next,
//   and publishes what plays and the frame rate for GET /api/v1/status.
//   Urgent notices (update/alert_intake.h) are handed to the Show in the
//   same call: the frame drawn after an alert is accepted shows it.
//   Everything else runs on the service's own threads; the wake function
//   (called from them) makes the loop come round.
// - FrameDrawn() runs on the frame thread between drawing and presenting a
//   frame: it logs the alerts that frame shows first ("alert shown: ID",
//   with the wall clock, which bench/alert_latency.sh reads), and reads the
//   frame back when GET /api/v1/screenshot.png waits for
//   one (app/screenshot.h; the API thread encodes the PNG, 5 s timeout).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/screenshot.h"
#include "console/preview.h"
#include "render/show.h"
#include "update/file_watch.h"
#include "update/update_service.h"

namespace nb::app {

class PlayUpdates {
 public:
  // Called before the display is up, so that a bad config stops play at once.
  // `playlist_file` is the file on the command line (empty: none, only
  // updates): when it was changed after the last stored update (edited on
  // the screen), it wins.
  // `preview` draws the web console's previews (kept for the service's
  // life; null: the console has no preview).
  static std::unique_ptr<PlayUpdates> Create(
      const update::Config* config, const std::string& state_dir,
      const std::string& playlist_file,
      std::unique_ptr<console::PreviewRenderer> preview = nullptr);
  // The same, reading the config file first (empty path: none).
  static std::unique_ptr<PlayUpdates> Create(
      const std::string& config_path, const std::string& state_dir,
      const std::string& playlist_file,
      std::unique_ptr<console::PreviewRenderer> preview = nullptr);
  ~PlayUpdates();

  std::shared_ptr<const playlist::Playlist> stored() const { return stored_; }
  // Records the playlist the show starts with, if not the stored one.
  void SetInitial(std::shared_ptr<const playlist::Playlist> playlist, const std::string& source);
  // Watches `path` for edits; `current_text` is what plays now (an unchanged
  // file is not submitted). A watch that cannot start is an error to log:
  // the screen plays on without hot reload.
  Status WatchFile(const std::string& path, const std::string& current_text);
  void RequestReload();
  // How the service's threads wake the frame loop (e.g. push an SDL event);
  // set once the display is up. Until then results simply wait in the mailbox.
  void SetWake(std::function<void()> wake);
  // `frames` is the number of frames drawn so far.
  void Frame(render::Show& show, long frames);
  void FrameDrawn(SDL_Renderer* renderer);
  // What the status reports of the screen: the layout's size (after
  // rotation) and whether off hours have it off. Frame thread.
  void SetLayoutSize(int width, int height);
  void SetScreenOn(bool on);
  // play --rotate: how the picture is turned for the panel (0, 90, 180,
  // 270), so a screenshot ?as=viewed can be turned back upright.
  void SetRotation(int degrees) { rotation_ = degrees; }
  // The pipeline and the API's bound port (0: off), for bench/soak, which
  // submits reloads and sends API requests to a running player.
  update::UpdatePipeline& pipeline() { return service_->pipeline(); }
  update::AlertIntake& alerts() { return service_->alerts(); }
  int api_port() const { return service_->api_port(); }

 private:
  PlayUpdates() = default;
  void Wake();

  std::unique_ptr<console::PreviewRenderer> preview_;  // before service_: outlives it
  FrameGrabber grabber_;
  std::mutex wake_mu_;
  std::function<void()> wake_;
  std::unique_ptr<update::UpdateService> service_;
  std::unique_ptr<update::PlaylistReloader> reloader_;  // after service_: stops first
  std::shared_ptr<const playlist::Playlist> stored_;
  update::NoticePolicy notices_ = update::NoticePolicy::kAll;
  std::atomic<bool> next_requested_{false};
  std::atomic<int> rotation_{0};
  std::vector<std::string> shown_alerts_;  // on screen from the frame being drawn
  std::mutex status_mu_;
  update::PlayerStatus status_;
  long fps_frames_ = 0;
  std::chrono::steady_clock::time_point fps_since_ = std::chrono::steady_clock::now();
};

}  // namespace nb::app
