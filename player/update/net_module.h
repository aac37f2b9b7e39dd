// NetModule: the network half of the update paths (pull over libcurl, the
// push API over cpp-httplib, the push client over libcurl), kept in a shared
// module, noticeboard-net.so, so that a screen without network updates never
// maps libcurl, OpenSSL, gnutls or p11-kit (about 5 MB of PSS).
//
// Contract:
// - LoadNetModule() dlopens the module once per process (thread-safe) and
//   returns its one object, or null with a Status naming every file it tried
//   and why the first one failed. It is called only when a config enables
//   pull or the API, or by `noticeboard push`.
// - The module is looked for, in order: $NOTICEBOARD_NET_MODULE (exactly that
//   file); next to the executable (the build tree); ../lib/noticeboard/
//   relative to the executable (an installed package, any prefix); and
//   NB_NET_MODULE_DIR, the install location compiled in (/usr/lib/noticeboard).
// - The interface is this abstract class and one C function,
//   nb_net_module_v1(), that the module exports. The module's code calls back
//   into the executable (UpdatePipeline, logging), whose nb:: symbols are
//   exported for that; both are built from the same tree, so the versions
//   always match.
// - The services returned are running; Stop() (or destruction) stops them.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "base/env.h"
#include "base/status.h"
#include "update/alert_intake.h"
#include "update/api_server.h"
#include "update/pull.h"
#include "update/push_client.h"
#include "update/update_pipeline.h"

namespace nb::update {

inline constexpr const char* kNetModuleFile = "noticeboard-net.so";

// A running background service of the module (the puller, the API server).
class NetService {
 public:
  virtual ~NetService() = default;
  virtual void Stop() = 0;
  virtual int port() const = 0;  // the API's bound port; 0 for the puller
};

class NetModule {
 public:
  // Starts pulling options.url (Puller::Start).
  virtual std::unique_ptr<NetService> StartPuller(Env& env, UpdatePipeline& pipeline,
                                                  const PullOptions& options) = 0;
  // Binds and serves the push API; null with *status when it cannot listen.
  virtual std::unique_ptr<NetService> StartApiServer(Env& env, UpdatePipeline& pipeline,
                                                     const ApiOptions& options,
                                                     const ApiCallbacks& callbacks,
                                                     Status* status) = 0;
  // Reads the fleet's alert feed (update/alert_feed.h) into `intake`.
  virtual std::unique_ptr<NetService> StartAlertFeed(Env& env, AlertIntake& intake,
                                                     const PullOptions& options) = 0;
  // One request of a screen's API (update::CallScreenApi), for `noticeboard
  // alert`.
  virtual PushResult Call(const std::string& url, const ApiCall& call, const std::string& token,
                          const std::optional<std::string>& minisig_text,
                          std::chrono::milliseconds timeout, const std::string& pin_sha256) = 0;
  // The client of `noticeboard push` (update::PushPlaylist); pin_sha256
  // empty: the system's CAs check an https server.
  virtual PushResult Push(const std::string& url, const std::string& body, const std::string& token,
                          const std::optional<std::string>& minisig_text,
                          std::chrono::milliseconds timeout, const std::string& pin_sha256) = 0;

  virtual ~NetModule() = default;  // never called: the module stays for the process
};

// Null and *status set when the module cannot be found or loaded.
NetModule* LoadNetModule(Status* status);

// True once LoadNetModule() has loaded it in this process (for tests).
bool NetModuleLoaded();

}  // namespace nb::update

// The module's one exported function.
extern "C" nb::update::NetModule* nb_net_module_v1();
