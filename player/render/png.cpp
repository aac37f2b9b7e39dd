#include "render/png.h"

#include <png.h>

#include <algorithm>
#include <cstring>

namespace nb::render {
namespace {

void AppendToString(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);
}

struct ReadCursor {
  std::string_view data;
  std::size_t pos;
};

void ReadFromString(png_structp png, png_bytep out, png_size_t length) {
  auto* cur = static_cast<ReadCursor*>(png_get_io_ptr(png));
  if (cur->pos + length > cur->data.size()) png_error(png, "truncated PNG");
  std::memcpy(out, cur->data.data() + cur->pos, length);
  cur->pos += length;
}

}  // namespace

Status EncodePng(const std::uint8_t* rgba, int width, int height, int stride, std::string* out) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (!png) return Status::Error("PNG: out of memory");
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return Status::Error("PNG: encoding failed");
  }
  out->clear();
  png_set_write_fn(png, out, AppendToString, nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8,
               PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  // Fast compression: previews and golden images are written often.
  png_set_compression_level(png, 3);
  png_write_info(png, info);
  for (int y = 0; y < height; ++y) {
    png_write_row(png, const_cast<png_bytep>(rgba + static_cast<std::size_t>(y) * stride));
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return Status();
}

Status EncodePng(const Image& image, std::string* out) {
  return EncodePng(image.rgba.data(), image.width, image.height, image.width * 4, out);
}

Status WritePng(FileSystem& fs, const std::string& path, const Image& image) {
  std::string encoded;
  Status s = EncodePng(image, &encoded);
  if (!s.ok()) return s.Prefix(path);
  return fs.WriteFileAtomic(path, encoded);
}

Status ReadPng(FileSystem& fs, const std::string& path, Image* image) {
  std::string data;
  Status s = fs.ReadFile(path, &data, 256u << 20);
  if (!s.ok()) return s;
  return DecodePng(data, path, image);
}

Status DecodePng(std::string_view data, const std::string& source_name, Image* image) {
  if (data.size() < 8 || png_sig_cmp(reinterpret_cast<png_const_bytep>(data.data()), 0, 8)) {
    return Status::Error(source_name + ": not a PNG file");
  }
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (!png) return Status::Error("PNG: out of memory");
  png_infop info = png_create_info_struct(png);
  // Declared before setjmp so longjmp cannot skip their construction.
  ReadCursor cursor{data, 0};
  std::vector<png_bytep> rows;
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return Status::Error(source_name + ": damaged PNG file");
  }
  png_set_read_fn(png, &cursor, ReadFromString);
  png_read_info(png, info);
  png_set_expand(png);
  png_set_strip_16(png);
  png_set_gray_to_rgb(png);
  png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
  png_read_update_info(png, info);
  image->width = static_cast<int>(png_get_image_width(png, info));
  image->height = static_cast<int>(png_get_image_height(png, info));
  image->rgba.assign(static_cast<std::size_t>(image->width) * image->height * 4, 0);
  rows.resize(static_cast<std::size_t>(image->height));
  for (int y = 0; y < image->height; ++y) {
    rows[static_cast<std::size_t>(y)] =
        image->rgba.data() + static_cast<std::size_t>(y) * image->width * 4;
  }
  png_read_image(png, rows.data());
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return Status();
}

Image TurnImage(const Image& in, int degrees) {
  degrees = ((degrees % 360) + 360) % 360;
  if (degrees != 90 && degrees != 180 && degrees != 270) return in;
  Image out;
  const bool swap = degrees != 180;
  out.width = swap ? in.height : in.width;
  out.height = swap ? in.width : in.height;
  out.rgba.resize(in.rgba.size());
  for (int y = 0; y < in.height; ++y) {
    for (int x = 0; x < in.width; ++x) {
      int ox = x, oy = y;
      if (degrees == 90) {
        ox = in.height - 1 - y;
        oy = x;
      } else if (degrees == 180) {
        ox = in.width - 1 - x;
        oy = in.height - 1 - y;
      } else {
        ox = y;
        oy = in.width - 1 - x;
      }
      const std::size_t from = (static_cast<std::size_t>(y) * in.width + x) * 4;
      const std::size_t to = (static_cast<std::size_t>(oy) * out.width + ox) * 4;
      std::copy_n(&in.rgba[from], 4, &out.rgba[to]);
    }
  }
  return out;
}

}  // namespace nb::render
