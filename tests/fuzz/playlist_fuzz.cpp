// Fuzzes the playlist loader. Properties: an accepted playlist survives a
// round trip through its canonical JSON unchanged, and a refusal always says
// why.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "playlist/playlist.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<nb::playlist::Diagnostic> errors;
  auto playlist = nb::playlist::ParsePlaylist(text, "fuzz.json", &errors);
  if (!playlist) {
    if (errors.empty()) {
      std::fprintf(stderr, "a refused playlist came without a reason\n");
      std::abort();
    }
    return 0;
  }
  std::string canonical = nb::playlist::ToJson(*playlist);
  std::vector<nb::playlist::Diagnostic> again_errors;
  auto again = nb::playlist::ParsePlaylist(canonical, "canonical.json", &again_errors);
  if (!again || nb::playlist::ToJson(*again) != canonical) {
    for (const auto& e : again_errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
    std::fprintf(stderr, "the canonical form of an accepted playlist does not round-trip:\n%s\n",
                 canonical.c_str());
    std::abort();
  }
  return 0;
}
