// LoadNetModule: finds and dlopens noticeboard-net.so (see net_module.h).
#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <vector>

#include "base/log.h"
#include "update/net_module.h"

#ifndef NB_NET_MODULE_DIR
#define NB_NET_MODULE_DIR "/usr/lib/noticeboard"
#endif

namespace nb::update {
namespace {

std::mutex load_mu;
NetModule* loaded = nullptr;

std::string ExecutableDir() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string path(buf, static_cast<std::size_t>(n));
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::vector<std::string> Candidates() {
  if (const char* env = std::getenv("NOTICEBOARD_NET_MODULE"); env && *env) return {env};
  std::vector<std::string> paths;
  std::string dir = ExecutableDir();
  if (!dir.empty()) {
    paths.push_back(dir + "/" + kNetModuleFile);
    paths.push_back(dir + "/../lib/noticeboard/" + kNetModuleFile);
  }
  paths.push_back(std::string(NB_NET_MODULE_DIR) + "/" + kNetModuleFile);
  return paths;
}

}  // namespace

NetModule* LoadNetModule(Status* status) {
  std::lock_guard lock(load_mu);
  if (loaded) return loaded;
  std::vector<std::string> paths = Candidates();
  std::string first_error;
  for (const auto& path : paths) {
    if (::access(path.c_str(), F_OK) != 0) continue;
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      if (first_error.empty()) first_error = ::dlerror();
      continue;
    }
    using Factory = NetModule* (*)();
    auto factory = reinterpret_cast<Factory>(::dlsym(handle, "nb_net_module_v1"));
    if (!factory) {
      if (first_error.empty())
        first_error = path + ": no nb_net_module_v1 (not a noticeboard module)";
      ::dlclose(handle);
      continue;
    }
    loaded = factory();
    LogDebug("network module loaded from " + path);
    return loaded;
  }
  std::string tried;
  for (const auto& path : paths) tried += (tried.empty() ? "" : ", ") + path;
  *status = Status::Error(
      first_error.empty()
          ? std::string("the network module ") + kNetModuleFile +
                " is missing (pull, the alert feed, the push API, `noticeboard push` and `noticeboard alert` need it); looked for " +
                tried + "; reinstall the noticeboard package or set NOTICEBOARD_NET_MODULE"
          : std::string("the network module ") + kNetModuleFile +
                " cannot be loaded: " + first_error + " (looked for " + tried + ")");
  return nullptr;
}

bool NetModuleLoaded() {
  std::lock_guard lock(load_mu);
  return loaded != nullptr;
}

}  // namespace nb::update
