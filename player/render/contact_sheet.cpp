#include "render/contact_sheet.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace nb::render {
namespace {

constexpr int kGap = 16;
constexpr std::uint8_t kGround = 0x30;

}  // namespace

ContactSheet::ContactSheet(int count, int slide_width, int slide_height)
    : count_(std::max(0, count)), slide_width_(slide_width), slide_height_(slide_height) {
  if (count_ == 0 || slide_width <= 0 || slide_height <= 0) {
    count_ = 0;
    return;
  }
  cols_ = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(count_))));
  int rows = (count_ + cols_ - 1) / cols_;
  factor_ = std::max(1, std::max(slide_width, slide_height) / 480);
  thumb_width_ = slide_width / factor_;
  thumb_height_ = slide_height / factor_;
  sheet_.width = cols_ * thumb_width_ + (cols_ + 1) * kGap;
  sheet_.height = rows * thumb_height_ + (rows + 1) * kGap;
  sheet_.rgba.assign(static_cast<std::size_t>(sheet_.width) * sheet_.height * 4, kGround);
  for (std::size_t i = 3; i < sheet_.rgba.size(); i += 4) sheet_.rgba[i] = 0xFF;
}

bool ContactSheet::Add(const Image& s) {
  if (added_ >= count_ || s.width != slide_width_ || s.height != slide_height_ ||
      s.rgba.size() != static_cast<std::size_t>(s.width) * s.height * 4) {
    return false;
  }
  const int n = added_++;
  const int ox = kGap + n % cols_ * (thumb_width_ + kGap);
  const int oy = kGap + n / cols_ * (thumb_height_ + kGap);
  const int f = factor_;
  for (int y = 0; y < thumb_height_; ++y) {
    for (int x = 0; x < thumb_width_; ++x) {
      unsigned sum[4] = {0, 0, 0, 0};
      for (int dy = 0; dy < f; ++dy) {
        const std::uint8_t* row =
            &s.rgba[(static_cast<std::size_t>(y * f + dy) * s.width + x * f) * 4];
        for (int dx = 0; dx < f; ++dx) {
          for (int c = 0; c < 4; ++c) sum[c] += row[dx * 4 + c];
        }
      }
      std::uint8_t* dst =
          &sheet_.rgba[(static_cast<std::size_t>(oy + y) * sheet_.width + ox + x) * 4];
      for (int c = 0; c < 4; ++c) dst[c] = static_cast<std::uint8_t>(sum[c] / (f * f));
    }
  }
  return true;
}

}  // namespace nb::render
