// Fuzzes the config loader: it must accept or refuse with a reason, never
// crash, and an accepted listen address must split into a host and a port.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "update/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<nb::playlist::Diagnostic> errors;
  auto config = nb::update::ParseConfig(text, "fuzz-config.json", &errors);
  if (!config) {
    if (errors.empty()) {
      std::fprintf(stderr, "a refused config came without a reason\n");
      std::abort();
    }
    return 0;
  }
  // Also exercise the address splitter on arbitrary text.
  std::string host;
  int port = 0;
  if (nb::update::SplitListenAddress(std::string(text.substr(0, 64)), &host, &port) &&
      (port < 0 || port > 65535)) {
    std::fprintf(stderr, "listen address split into port %d\n", port);
    std::abort();
  }
  return 0;
}
