// Fuzzes the bulletin parser. Property: whatever the parser accepts builds a
// playlist that the playlist loader accepts too (`build` never writes a
// playlist that `play` would refuse).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "bulletin/bulletin.h"
#include "playlist/playlist.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nb::bulletin::Bulletin bulletin;
  if (!nb::bulletin::ParseBulletin(text, "fuzz.txt", &bulletin).ok()) return 0;

  nb::bulletin::BuildOptions options;
  options.summary_chars = 4 + static_cast<int>(size % 120);
  nb::playlist::Playlist built =
      nb::bulletin::MakePlaylist(bulletin, options, "2026-11-28T00:00:00Z");
  std::string json = nb::playlist::ToJson(built);
  std::vector<nb::playlist::Diagnostic> errors;
  if (!nb::playlist::ParsePlaylist(json, "built.json", &errors)) {
    for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
    std::fprintf(stderr, "a parsed bulletin built a playlist the loader refuses\n");
    std::abort();
  }
  return 0;
}
