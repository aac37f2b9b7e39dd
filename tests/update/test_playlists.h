// Small valid playlists for the update tests.
#pragma once

#include <string>

#include "playlist/playlist.h"

namespace nb::testing_support {

inline playlist::Playlist SamplePlaylist(int items, const std::string& tag = "a") {
  playlist::Playlist p;
  p.title = "天津教育";
  p.generated_at = "2025-12-01T08:00:00Z";
  for (int i = 0; i < items; ++i) {
    playlist::Item item;
    item.id = tag + "-" + std::to_string(i);
    item.title = "通知 " + tag + " 第" + std::to_string(i + 1) + "条";
    item.summary = "摘要。";
    item.date = "2025-12-01";
    p.items.push_back(item);
  }
  return p;
}

inline std::string SampleJson(int items, const std::string& tag = "a") {
  return playlist::ToJson(SamplePlaylist(items, tag));
}

}  // namespace nb::testing_support
