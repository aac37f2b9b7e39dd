// ConsoleAssets: the web console's static files (player/console/web/),
// compiled into the network module by embed_assets.cmake, so that a screen
// needs no files installed beside it and no other server, and an offline
// screen has every byte its pages use.
//
// Contract: paths start with "/" ("/index.html", "/console.js"); the MIME
// type follows the extension; the data lives as long as the module.
#pragma once

#include <string_view>
#include <vector>

namespace nb::console {

struct ConsoleAsset {
  const char* path;
  const char* mime_type;
  std::string_view data;
};

const std::vector<ConsoleAsset>& ConsoleAssets();
// Null when no file has that path.
const ConsoleAsset* FindConsoleAsset(std::string_view path);

}  // namespace nb::console
