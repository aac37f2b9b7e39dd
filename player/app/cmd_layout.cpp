// `noticeboard layout`: lays out text with the text engine and prints the
// lines (or JSON), for theme designers, tests and side-by-side checks.
// --png draws the result with the glyph atlas into a PNG, to look at.
#include <SDL.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "base/env.h"
#include "base/log.h"
#include "render/glyph_atlas.h"
#include "render/png.h"
#include "text/text.h"

namespace nb::app {

namespace {

struct LayoutOptions {
  std::string text;
  std::string text_file;
  float width = 0.f;
  float size = 48.f;
  bool bold = false;
  int max_lines = 0;
  float height = 0.f;
  bool json = false;
  std::string png;
};

// Draws the layouts one below the other, black on white, into a PNG.
Status WriteLayoutsPng(text::TextEngine& engine, const std::vector<text::Layout>& layouts,
                       float width, const std::string& path) {
  const int margin = 16;
  float total = 0.f;
  for (const auto& l : layouts) total += l.height + static_cast<float>(margin);
  int w = static_cast<int>(width) + 2 * margin;
  int h = static_cast<int>(total) + margin;
  SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ABGR8888);
  if (surface == nullptr) return Status::Error(std::string("cannot draw: ") + SDL_GetError());
  SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(surface);
  SDL_SetRenderDrawColor(renderer, 255, 255, 255, 255);
  SDL_RenderClear(renderer);
  {
    auto atlas = render::GlyphAtlas::Create(renderer, engine, 1024, 2);
    float y = static_cast<float>(margin);
    for (const auto& l : layouts) {
      // A faint box edge shows where the line width ends.
      SDL_SetRenderDrawColor(renderer, 220, 220, 235, 255);
      SDL_FRect box{static_cast<float>(margin), y, width, l.height};
      SDL_RenderDrawRectF(renderer, &box);
      atlas->Draw(l, static_cast<float>(margin), y, 0x202020FFu);
      y += l.height + static_cast<float>(margin);
    }
  }
  SDL_RenderPresent(renderer);
  render::Image image;
  image.width = w;
  image.height = h;
  image.rgba.resize(static_cast<std::size_t>(w) * h * 4);
  SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_ABGR8888, image.rgba.data(), w * 4);
  SDL_DestroyRenderer(renderer);
  SDL_FreeSurface(surface);
  return render::WritePng(Env::Default().fs(), path, image);
}

int RunLayout(const LayoutOptions& o) {
  std::vector<std::string> paragraphs;
  if (!o.text_file.empty()) {
    std::string data;
    Status s = Env::Default().fs().ReadFile(o.text_file, &data, 16u << 20);
    if (!s.ok()) {
      PrintError("noticeboard layout: " + s.message());
      return kExitInvalidInput;
    }
    std::size_t start = 0;
    while (start <= data.size()) {
      std::size_t end = data.find('\n', start);
      if (end == std::string::npos) end = data.size();
      std::string line = data.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) paragraphs.push_back(line);
      start = end + 1;
    }
  } else {
    paragraphs.push_back(o.text);
  }
  Status status;
  auto engine = text::TextEngine::Create(text::DefaultFontConfig(), &status);
  if (!engine) {
    PrintError("noticeboard layout: " + status.message());
    return kExitInvalidInput;
  }
  text::Style style;
  style.role = o.bold ? text::FontRole::kHeadline : text::FontRole::kBody;
  style.size_px = o.size;
  style.box_width = o.width;
  style.box_height = o.height;
  style.max_lines = o.max_lines;
  style.balance = o.bold;
  style.align = o.bold ? text::Align::kStart : text::Align::kJustify;
  std::vector<text::Layout> layouts;
  for (const std::string& p : paragraphs) {
    text::Layout layout = engine->LayOut(p, style);
    if (o.json) {
      nlohmann::json j;
      j["size"] = layout.size_px;
      j["truncated"] = layout.truncated;
      j["lines"] = nlohmann::json::array();
      // The paragraph's lone last line (孤字): "no", "mended", or the rule
      // that kept it; of a text with several paragraphs, the worst.
      text::LoneLine lone = text::LoneLine::kNo;
      for (const auto& line : layout.lines) {
        nlohmann::json xs = nlohmann::json::array();
        for (const auto& g : line.glyphs) xs.push_back(std::round(g.x * 100) / 100);
        nlohmann::json row = {{"text", std::string(layout.LineText(line))},
                              {"width", std::round(line.width * 100) / 100},
                              {"glyphs", line.glyphs.size()},
                              {"x", xs},
                              {"gap_em", std::round(line.gap_em * 1000) / 1000},
                              {"compressed",
                               {{"marks", line.marks_compressed},
                                {"em", std::round(line.compressed_em * 1000) / 1000}}}};
        if (line.paragraph_end) {
          row["lone"] = text::LoneLineName(line.lone);
          if (line.lone > lone) lone = line.lone;
        }
        j["lines"].push_back(std::move(row));
      }
      j["lone_last_line"] = text::LoneLineName(lone);
      std::cout << j.dump() << "\n";
    } else {
      for (const auto& line : layout.lines) std::cout << layout.LineText(line) << "\n";
      if (paragraphs.size() > 1) std::cout << "\n";
    }
    if (!o.png.empty()) layouts.push_back(std::move(layout));
  }
  if (!o.png.empty()) {
    Status s = WriteLayoutsPng(*engine, layouts, o.width, o.png);
    if (!s.ok()) {
      PrintError("noticeboard layout: " + s.message());
      return kExitInvalidInput;
    }
  }
  return kExitOk;
}

}  // namespace

void RegisterLayoutCommand(CLI::App& app, CommandRegistry& registry) {
  auto options = std::make_shared<LayoutOptions>();
  CLI::App* sub = app.add_subcommand("layout", "Lay out Chinese text and print its lines");
  auto* text = sub->add_option("--text", options->text, "The text to lay out");
  auto* file = sub->add_option("--text-file", options->text_file,
                               "A UTF-8 file; each non-empty line is a paragraph")
                   ->check(CLI::ExistingFile);
  text->excludes(file);
  file->excludes(text);
  sub->add_option("--width", options->width, "Line width in pixels")
      ->required()
      ->check(CLI::PositiveNumber);
  sub->add_option("--size", options->size, "Font size in pixels")
      ->required()
      ->check(CLI::PositiveNumber);
  sub->add_flag("--bold", options->bold, "Headline role (bold, balanced lines)");
  sub->add_option("--max-lines", options->max_lines, "Maximum lines; longer text is cut with ……")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--height", options->height, "Box height in pixels; longer text is cut")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--json", options->json, "One JSON object per paragraph");
  sub->add_option("--png", options->png, "Also draw the layout into this PNG file");
  registry.Add(sub, [options, text, file]() {
    if (text->count() == 0 && file->count() == 0) {
      PrintError("noticeboard layout: give --text or --text-file");
      return kExitUsage;
    }
    return RunLayout(*options);
  });
}

}  // namespace nb::app
