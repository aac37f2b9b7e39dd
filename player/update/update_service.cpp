#include "update/update_service.h"
#include "update/state_store.h"

#include "base/log.h"
#include "update/api_token.h"

namespace nb::update {

UpdateService::UpdateService(Env& env, Config config, ApiCallbacks callbacks,
                             std::function<void()> wake)
    : env_(env),
      config_(std::move(config)),
      callbacks_(std::move(callbacks)),
      wake_(std::move(wake)) {}

UpdateService::~UpdateService() { Stop(); }

Status UpdateService::Open(std::optional<StoredPlaylist>* initial) {
  keys_.clear();
  for (std::size_t i = 0; i < config_.trusted_keys.size(); ++i) {
    PublicKey key;
    if (Status s = ParsePublicKey(config_.trusted_keys[i], &key); !s.ok())
      return s.Prefix("config /trusted_keys/" + std::to_string(i));
    keys_.push_back(key);
  }
  if (config_.api.enabled) {
    if (Status s = LoadApiToken(env_.fs(), config_.api.token_file, &token_); !s.ok()) {
      // Only the API needs the token: the screen plays on with its other
      // paths rather than stop (under Restart=always, a black screen
      // restarting every 5 s).
      const std::string& file = config_.api.token_file;
      LogError(s.message() +
               ". The push API is off until this is fixed; everything else goes on. " +
               "The player runs as the user noticeboard, so the file must exist and be " +
               "readable by its group: sudo chown root:noticeboard " + file +
               " && sudo chmod 640 " + file + " (to make one: sudo sh -c 'openssl rand -hex 24 > " +
               file + "'), then sudo systemctl restart noticeboard");
      // The web console has passwords of its own and stays.
      config_.api.enabled = config_.api.console;
      token_.clear();
    }
  }
  if (config_.api.enabled && config_.api.console && !config_.api.signing_key.empty()) {
    // Like the token: a key that cannot be used turns signing off, not the
    // screen or the console.
    const std::string& file = config_.api.signing_key;
    std::string text;
    SecretKey key;
    Status s = env_.fs().ReadFile(file, &text, 4096);
    if (s.ok() && SecretKeyIsEncrypted(text)) {
      s = Status::Error(file + ": the key is protected by a password, which a screen cannot "
                               "type; make one without (minisign -G -W) for the screen");
    } else if (s.ok()) {
      s = ParseSecretKey(text, "", file, &key);
    }
    if (s.ok()) {
      signing_key_ = key;
      LogInfo("the console signs with key " + key.Public().KeyIdHex() + " (" + file + ")");
    } else {
      LogError(s.message() + ". The console publishes unsigned until this is fixed.");
    }
  }
  initial->reset();
  if (config_.state_dir.empty()) {
    store_ = std::make_unique<MemoryPlaylistStore>();
  } else {
    auto folder = std::make_unique<StateStore>(env_, config_.state_dir);
    if (Status s = folder->Open(); !s.ok()) return s;
    std::vector<std::string> warnings;
    *initial = folder->Load(&warnings);
    for (const auto& w : warnings) LogWarning(w);
    store_ = std::move(folder);
  }
  pipeline_ = std::make_unique<UpdatePipeline>(env_, *store_, keys_, wake_);
  alerts_ = std::make_unique<AlertIntake>(env_, keys_, config_.alerts.policy, config_.state_dir);
  alerts_->SetWake(wake_);
  alerts_->Open();
  callbacks_.alerts = alerts_.get();
  if (*initial) {
    pipeline_->SetInitial(std::make_shared<const playlist::Playlist>((*initial)->playlist),
                          (*initial)->source, (*initial)->committed_at);
  }
  if (!keys_.empty())
    LogInfo(std::to_string(keys_.size()) +
            " trusted key(s): playlists from USB, pull and push must be signed");
  return Status();
}

void UpdateService::Start() {
  if (!pipeline_) return;
  if (config_.usb.enabled) {
    usb_ = std::make_unique<UsbWatch>(env_.fs(), *pipeline_, config_.usb.watch, alerts_.get());
    if (Status s = usb_->Start(); !s.ok()) {
      LogWarning("USB import is off: " + s.message());
      usb_.reset();
    }
  }
  NetModule* net = nullptr;
  if (!config_.pull.url.empty() || config_.api.enabled || !config_.alerts.feed.url.empty()) {
    Status loaded;
    net = LoadNetModule(&loaded);
    if (!net) LogError("pull, the alert feed and the push API are off: " + loaded.message());
  }
  if (net && !config_.pull.url.empty()) {
    PullOptions pull = config_.pull;
    if (!config_.state_dir.empty()) pull.validators_file = config_.state_dir + "/pull-validators.json";
    puller_ = net->StartPuller(env_, *pipeline_, pull);
    auto every = std::chrono::duration_cast<std::chrono::seconds>(config_.pull.interval);
    LogInfo("pulling " + config_.pull.url + " every " + std::to_string(every.count()) + " s");
  }
  if (net && !config_.alerts.feed.url.empty()) {
    PullOptions feed = config_.alerts.feed;
    if (!config_.state_dir.empty()) feed.validators_file = config_.state_dir + "/alert-feed-validators.json";
    alert_feed_ = net->StartAlertFeed(env_, *alerts_, feed);
    auto every = std::chrono::duration_cast<std::chrono::seconds>(feed.interval);
    LogInfo("urgent notices: reading the feed " + feed.url + " every " +
            std::to_string(every.count()) + " s");
  }
  if (net && config_.api.enabled) {
    ApiOptions options;
    SplitListenAddress(config_.api.listen, &options.host, &options.port);  // validated
    options.token = token_;
    options.console.enabled = config_.api.console;
    options.console.password_file = config_.api.password_file;
    options.console.signing_key = signing_key_;
    options.console.state_dir = config_.state_dir;  // drafts and the audit log (issue 22)
    options.https = !IsLoopbackHost(options.host) && !config_.api.plain_http;
    options.tls_cert_file = config_.api.tls_cert;
    options.tls_key_file = config_.api.tls_key;
    options.tls_state_dir = config_.state_dir;
    Status s;
    api_ = net->StartApiServer(env_, *pipeline_, options, callbacks_, &s);
    if (!api_) LogWarning("push API is off: " + s.message());
  }
}

void UpdateService::Stop() {
  if (api_) api_->Stop();
  if (puller_) puller_->Stop();
  if (alert_feed_) alert_feed_->Stop();
  if (usb_) usb_->Stop();
  api_.reset();
  puller_.reset();
  alert_feed_.reset();
  usb_.reset();
}

}  // namespace nb::update
