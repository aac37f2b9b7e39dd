// ContactSheet: the slides of a playlist side by side on one picture, for a
// quick look at all of it (`noticeboard render`'s contact-sheet.png and the
// web console's preview of every item).
//
// Contract:
// - A grid of ceil(sqrt(count)) columns and as many rows as needed, in the
//   order the slides are added, on a dark grey ground with 16 px gaps. Each
//   slide is shrunk by a whole factor (a box filter: the mean of each square
//   of pixels) so that its longer side is about 480 px; slides smaller than
//   960 px are not shrunk.
// - Slides come one at a time and are shrunk as they come, so a caller need
//   not hold every full-size slide at once (fifteen at 1080p are 120 MB).
// - Every slide has the size given to the constructor; Add() refuses
//   (returns false) another size, or more than `count` slides. Places never
//   filled stay ground. With count 0 the sheet is empty (0 x 0).
#pragma once

#include "render/png.h"

namespace nb::render {

class ContactSheet {
 public:
  ContactSheet(int count, int slide_width, int slide_height);

  bool Add(const Image& slide);
  // The sheet; the object is empty afterwards.
  Image Take() { return std::move(sheet_); }

 private:
  int count_, slide_width_, slide_height_;
  int cols_ = 1, factor_ = 1, thumb_width_ = 0, thumb_height_ = 0;
  int added_ = 0;
  Image sheet_;
};

}  // namespace nb::render
