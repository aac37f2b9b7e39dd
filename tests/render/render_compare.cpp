// render_compare REFERENCE_DIR ACTUAL_DIR: compares every PNG of the reference
// folder with the PNG of the same name in the other one, at half size, with the
// golden-test tolerance. Used by cross/compare-render.sh to check that a cross
// build (run under qemu) draws what the x86-64 build draws. Exit 0 when all
// match, 1 when one differs or is missing, 2 on bad arguments.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "render_test_support.h"

namespace fs = std::filesystem;
using nb::PosixFileSystem;
using nb::render::Image;
using nb::render::ReadPng;
namespace support = nb::render::testing;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: render_compare REFERENCE_DIR ACTUAL_DIR\n");
    return 2;
  }
  const fs::path reference = argv[1], actual = argv[2];
  std::error_code ec;
  std::vector<fs::path> names;
  for (const auto& entry : fs::directory_iterator(reference, ec)) {
    if (entry.path().extension() == ".png") names.push_back(entry.path().filename());
  }
  if (ec || names.empty()) {
    std::fprintf(stderr, "render_compare: no PNG files in %s\n", reference.c_str());
    return 2;
  }
  std::sort(names.begin(), names.end());
  PosixFileSystem files;
  int failed = 0;
  for (const auto& name : names) {
    Image a, b;
    nb::Status s = ReadPng(files, (reference / name).string(), &a);
    if (s.ok()) s = ReadPng(files, (actual / name).string(), &b);
    if (!s.ok()) {
      std::printf("FAIL %s: %s\n", name.c_str(), s.message().c_str());
      ++failed;
      continue;
    }
    if (a.width != b.width || a.height != b.height) {
      std::printf("FAIL %s: %dx%d against %dx%d\n", name.c_str(), b.width, b.height, a.width,
                  a.height);
      ++failed;
      continue;
    }
    support::Diff d = support::Compare(support::Downscale(a, 2), support::Downscale(b, 2));
    bool ok = support::WithinGoldenTolerance(d);
    std::printf("%s %s: %.4f%% of pixels differ, mean %.4f\n", ok ? "ok  " : "FAIL", name.c_str(),
                d.differing_fraction * 100, d.mean_abs);
    if (!ok) ++failed;
  }
  std::printf("%zu pictures, %d differ beyond the golden-test tolerance\n", names.size(), failed);
  return failed == 0 ? 0 : 1;
}
