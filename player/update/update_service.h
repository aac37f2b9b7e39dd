// UpdateService: every update path of a screen, wired from its Config: the
// state store, the pipeline, the USB watch, the network pull and the push API.
// The one object `noticeboard play` (and the headless `noticeboard receive`)
// holds.
//
// Contract:
// - Open() opens the state folder and parses the trusted keys (any problem is
//   an error naming the setting, before anything starts) and returns the
//   playlist to start with: current.json, else previous.json, else nothing
//   (then the caller plays its own file and calls SetInitial).
// - A token file that cannot be read or holds no usable token turns the API
//   off, not the screen: Open() logs an error naming the file and the fix;
//   push_api_on() is false from then on (the web console, which has
//   passwords of its own, stays on when configured).
//   A config whose state_dir is empty (only code makes one: a config file
//   cannot) keeps accepted playlists in memory only (MemoryPlaylistStore):
//   `play` without a state folder, whose file edits still take the pipeline.
// - Start() starts the paths the config enables (USB when usb.enabled, pull
//   when pull.url is set, the API when api.enabled); Stop() stops them all
//   and is safe to call twice. A path that cannot start (e.g. the API port in
//   use, or the network module noticeboard-net.so missing) is logged and left
//   off: the screen plays on. Pull, the alert feed and the API live in the
//   network module, which is loaded here only when one of them is enabled
//   (net_module.h).
// - alerts() is the screen's one AlertIntake (update/alert_intake.h), made
//   by Open() with the stored alerts restored; the API, the console, USB and
//   the feed (alerts.url) all hand it what they receive.
// - Results reach the frame thread through pipeline().mailbox(): take the
//   playlist at a slide boundary, the notice whenever.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/env.h"
#include "update/alert_intake.h"
#include "update/api_server.h"
#include "update/config.h"
#include "update/net_module.h"
#include "update/pull.h"
#include "update/state_store.h"
#include "update/update_pipeline.h"
#include "update/usb_watch.h"

namespace nb::update {

class UpdateService {
 public:
  // `wake` is called after each mailbox post (e.g. push an SDL event).
  UpdateService(Env& env, Config config, ApiCallbacks callbacks = {},
                std::function<void()> wake = {});
  ~UpdateService();

  Status Open(std::optional<StoredPlaylist>* initial);
  void Start();
  void Stop();

  UpdatePipeline& pipeline() { return *pipeline_; }
  PlaylistStore& store() { return *store_; }
  AlertIntake& alerts() { return *alerts_; }
  const Config& config() const { return config_; }
  int api_port() const { return api_ ? api_->port() : 0; }
  // The push API proper (/api/v1/): on, and with a usable token. The web
  // console may serve without it.
  bool push_api_on() const { return config_.api.enabled && !token_.empty(); }

 private:
  Env& env_;
  Config config_;
  ApiCallbacks callbacks_;
  std::function<void()> wake_;
  std::vector<PublicKey> keys_;
  std::string token_;
  std::optional<SecretKey> signing_key_;  // the console's (config api.signing_key)
  std::unique_ptr<PlaylistStore> store_;
  std::unique_ptr<UpdatePipeline> pipeline_;
  std::unique_ptr<AlertIntake> alerts_;
  std::unique_ptr<UsbWatch> usb_;
  std::unique_ptr<NetService> puller_;
  std::unique_ptr<NetService> alert_feed_;
  std::unique_ptr<NetService> api_;
};

}  // namespace nb::update
