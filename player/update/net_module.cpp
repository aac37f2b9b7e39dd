// The inside of noticeboard-net.so: Puller and ApiServer behind NetModule.
#include "update/net_module.h"

#include "base/log.h"
#include "update/alert_feed.h"
#include "update/tls_identity.h"

namespace nb::update {
namespace {

class PullService final : public NetService {
 public:
  PullService(Env& env, UpdatePipeline& pipeline, const PullOptions& options)
      : puller_(env, pipeline, options) {
    puller_.Start();
  }
  void Stop() override { puller_.Stop(); }
  int port() const override { return 0; }

 private:
  Puller puller_;
};

class AlertFeedService final : public NetService {
 public:
  AlertFeedService(AlertIntake& intake, const PullOptions& options) : feed_(intake, options) {
    feed_.Start();
  }
  void Stop() override { feed_.Stop(); }
  int port() const override { return 0; }

 private:
  AlertFeed feed_;
};

class ApiService final : public NetService {
 public:
  ApiService(Env& env, UpdatePipeline& pipeline, const ApiOptions& options,
             const ApiCallbacks& callbacks)
      : server_(env, pipeline, options, callbacks) {}
  Status Start() { return server_.Start(); }
  void Stop() override { server_.Stop(); }
  int port() const override { return server_.port(); }

 private:
  ApiServer server_;
};

class NetModuleImpl final : public NetModule {
 public:
  std::unique_ptr<NetService> StartPuller(Env& env, UpdatePipeline& pipeline,
                                          const PullOptions& options) override {
    return std::make_unique<PullService>(env, pipeline, options);
  }
  std::unique_ptr<NetService> StartApiServer(Env& env, UpdatePipeline& pipeline,
                                             const ApiOptions& options,
                                             const ApiCallbacks& callbacks,
                                             Status* status) override {
    ApiOptions resolved = options;
    if (options.https) {
      // OpenSSL lives here, in the module: the certificate is resolved (or
      // made, on a first start) only when HTTPS is wanted.
      TlsIdentity id;
      *status = LoadOrCreateTlsIdentity(env.fs(), options.tls_state_dir, options.tls_cert_file,
                                        options.tls_key_file, &id);
      if (!status->ok()) return nullptr;
      resolved.tls_cert_file = id.cert_file;
      resolved.tls_key_file = id.key_file;
      resolved.console.https = true;
      resolved.console.tls_fingerprint = id.sha256_fingerprint;
      LogInfo(std::string("HTTPS with ") +
              (id.self_signed_here ? "this screen's own certificate " : "the certificate ") +
              id.cert_file + ", SHA-256 fingerprint " + id.sha256_fingerprint +
              " (compare it with what the browser shows; noticeboard push --pin takes it)");
    }
    auto service = std::make_unique<ApiService>(env, pipeline, resolved, callbacks);
    *status = service->Start();
    if (!status->ok()) return nullptr;
    return service;
  }
  std::unique_ptr<NetService> StartAlertFeed(Env&, AlertIntake& intake,
                                             const PullOptions& options) override {
    return std::make_unique<AlertFeedService>(intake, options);
  }
  PushResult Call(const std::string& url, const ApiCall& call, const std::string& token,
                  const std::optional<std::string>& minisig_text, std::chrono::milliseconds timeout,
                  const std::string& pin_sha256) override {
    return CallScreenApi(url, call, token, minisig_text, timeout, pin_sha256);
  }
  PushResult Push(const std::string& url, const std::string& body, const std::string& token,
                  const std::optional<std::string>& minisig_text, std::chrono::milliseconds timeout,
                  const std::string& pin_sha256) override {
    return PushPlaylist(url, body, token, minisig_text, timeout, pin_sha256);
  }
};

}  // namespace
}  // namespace nb::update

extern "C" __attribute__((visibility("default"))) nb::update::NetModule* nb_net_module_v1() {
  static nb::update::NetModuleImpl module;
  return &module;
}
