// PNG files: encode RGBA pixels with libpng and write them atomically.
//
// Contract: pixels are 8-bit RGBA, row-major, `stride` bytes per row. The file
// is written through FileSystem::WriteFileAtomic, so a failure leaves any old
// file untouched. EncodePng and DecodePng work in memory (the screenshot and
// the console's preview answer with PNG bytes). ReadPng and DecodePng decode
// any PNG into 8-bit RGBA (for golden tests).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"

namespace nb::render {

struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;  // width * height * 4 bytes
};

// `image` turned clockwise by 90, 180 or 270 degrees (any other: a copy).
Image TurnImage(const Image& image, int degrees);

Status EncodePng(const std::uint8_t* rgba, int width, int height, int stride, std::string* out);
Status EncodePng(const Image& image, std::string* out);
// source_name names the data in messages.
Status DecodePng(std::string_view data, const std::string& source_name, Image* image);
Status WritePng(FileSystem& fs, const std::string& path, const Image& image);
Status ReadPng(FileSystem& fs, const std::string& path, Image* image);

}  // namespace nb::render
