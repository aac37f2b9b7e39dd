#include "text/fonts.h"

#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <hb-ft.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>

#include "base/json_check.h"
#include "base/log.h"

namespace nb::text {

namespace {

constexpr const char* kInstallHint =
    "no Chinese font found. Install the Debian package fonts-noto-cjk "
    "(sudo apt install fonts-noto-cjk) or name a font file in the theme";

bool FamilyMatches(FcPattern* pattern, const std::string& family) {
  FcChar8* value = nullptr;
  for (int i = 0; FcPatternGetString(pattern, FC_FAMILY, i, &value) == FcResultMatch; ++i) {
    if (FcStrCmpIgnoreCase(value, reinterpret_cast<const FcChar8*>(family.c_str())) == 0) {
      return true;
    }
  }
  return false;
}

// A FreeType stream that reads the font file with pread() instead of mapping
// it. FT_New_Face maps the whole file, so every page FreeType touches (the
// CJK collections are 16-20 MB) stays in the process's PSS; read through
// small transient buffers, the file lives in the page cache only.
struct FileStream {
  FT_StreamRec rec{};
  int fd = -1;
};

unsigned long ReadFileStream(FT_Stream stream, unsigned long offset, unsigned char* buffer,
                             unsigned long count) {
  auto* fs = static_cast<FileStream*>(stream->descriptor.pointer);
  if (count == 0) return offset <= stream->size ? 0 : 1;  // a seek: 0 means success
  unsigned long done = 0;
  while (done < count) {
    ssize_t n = pread(fs->fd, buffer + done, count - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<unsigned long>(n);
  }
  return done;
}

// FreeType calls this from FT_Done_Face, and when opening fails.
void CloseFileStream(FT_Stream stream) {
  auto* fs = static_cast<FileStream*>(stream->descriptor.pointer);
  close(fs->fd);
  delete fs;
}

FT_Error OpenFaceFromFile(FT_Library library, const std::string& path, long index, FT_Face* face) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FT_Err_Cannot_Open_Resource;
  struct stat st {};
  if (fstat(fd, &st) != 0 || st.st_size <= 0) {
    close(fd);
    return FT_Err_Cannot_Open_Resource;
  }
  auto* fs = new FileStream;
  fs->fd = fd;
  fs->rec.size = static_cast<unsigned long>(st.st_size);
  fs->rec.descriptor.pointer = fs;
  fs->rec.read = ReadFileStream;
  fs->rec.close = CloseFileStream;
  FT_Open_Args args{};
  args.flags = FT_OPEN_STREAM;
  args.stream = &fs->rec;
  return FT_Open_Face(library, &args, index, face);
}

}  // namespace

OpenFace::~OpenFace() {
  if (hb) hb_font_destroy(hb);
  if (ft) FT_Done_Face(ft);
}

// Finding fonts and letting fontconfig go never overlap: the web console's
// preview opens fonts on its thread while play may be releasing them.
std::mutex g_discovery;

Status FindFontFile(const std::string& family, bool bold, const char* lang, std::string* file,
                    int* index) {
  std::lock_guard lock(g_discovery);
  static bool initialised = FcInit();
  if (!initialised) return Status::Error("fontconfig could not be initialised");
  FcPattern* pattern = FcPatternCreate();
  FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
  FcPatternAddInteger(pattern, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
  FcPatternAddInteger(pattern, FC_SLANT, FC_SLANT_ROMAN);
  if (lang != nullptr) {
    FcLangSet* langs = FcLangSetCreate();
    FcLangSetAdd(langs, reinterpret_cast<const FcChar8*>(lang));
    FcPatternAddLangSet(pattern, FC_LANG, langs);
    FcLangSetDestroy(langs);
  }
  FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
  FcDefaultSubstitute(pattern);
  FcResult result = FcResultNoMatch;
  FcPattern* match = FcFontMatch(nullptr, pattern, &result);
  FcPatternDestroy(pattern);
  Status status;
  if (match == nullptr || !FamilyMatches(match, family)) {
    status = Status::Error("font family \"" + family + "\" is not installed");
  } else {
    FcChar8* path = nullptr;
    int face_index = 0;
    FcPatternGetString(match, FC_FILE, 0, &path);
    FcPatternGetInteger(match, FC_INDEX, 0, &face_index);
    *file = path ? reinterpret_cast<const char*>(path) : "";
    *index = face_index;
  }
  if (match) FcPatternDestroy(match);
  return status;
}

void ReleaseFontDiscovery() {
  std::lock_guard lock(g_discovery);
  FcFini();
}

FontSet::~FontSet() {
  owned_.clear();
  if (library_) FT_Done_FreeType(library_);
}

Status FontSet::OpenOne(const std::string& file, const std::string& family, bool bold,
                        bool pick_by_family, OpenFace** out) {
  int index = 0;
  std::string path = file;
  if (pick_by_family) {
    // An explicit file: in a collection, take the face named like the
    // configured family, else the Simplified Chinese one ("... SC").
    FT_Face probe = nullptr;
    if (OpenFaceFromFile(library_, path, -1, &probe) != 0) {
      return Status::Error("cannot open font file " + path);
    }
    long count = probe->num_faces;
    FT_Done_Face(probe);
    int best = -1, best_score = -1;
    for (long i = 0; i < count; ++i) {
      FT_Face f = nullptr;
      if (OpenFaceFromFile(library_, path, i, &f) != 0) continue;
      std::string name = f->family_name ? f->family_name : "";
      FT_Done_Face(f);
      int score = 0;
      if (name == family)
        score = 3;
      else if (name.size() > 3 && name.compare(name.size() - 3, 3, " SC") == 0)
        score = 2;
      else if (i == 0)
        score = 1;
      if (score > best_score) best = static_cast<int>(i), best_score = score;
    }
    if (best < 0) return Status::Error("font file " + path + " holds no usable face");
    index = best;
  } else {
    Status s = FindFontFile(family, bold, "zh-cn", &path, &index);
    if (!s.ok()) return s;
  }
  for (auto& f : owned_) {
    if (f->info.file == path && f->info.index == index) {
      *out = f.get();
      return Status();
    }
  }
  auto face = std::make_unique<OpenFace>();
  if (OpenFaceFromFile(library_, path, index, &face->ft) != 0) {
    return Status::Error("cannot open font " + path + " (face " + std::to_string(index) + ")");
  }
  face->info.file = path;
  face->info.index = index;
  face->info.family = face->ft->family_name ? face->ft->family_name : family;
  face->info.bold = (face->ft->style_flags & FT_STYLE_FLAG_BOLD) != 0;
  face->upem = face->ft->units_per_EM ? face->ft->units_per_EM : 1000.f;
  // Unhinted outlines scaled linearly: HarfBuzz shapes in font units.
  hb_face_t* hb_face = hb_ft_face_create_referenced(face->ft);
  face->hb = hb_font_create(hb_face);
  hb_face_destroy(hb_face);
  hb_font_set_scale(face->hb, static_cast<int>(face->upem), static_cast<int>(face->upem));
  face->ascender_em = face->ft->ascender / face->upem;
  face->descender_em = -face->ft->descender / face->upem;
  face->slot = static_cast<int>(owned_.size());
  *out = face.get();
  owned_.push_back(std::move(face));
  return Status();
}

Status FontSet::Open(const FontConfig& config) {
  if (FT_Init_FreeType(&library_) != 0) return Status::Error("FreeType could not be initialised");
  for (bool bold : {true, false}) {
    const std::string& file = bold ? config.headline_file : config.body_file;
    const std::string& family = bold ? config.headline_family : config.body_family;
    OpenFace* primary = nullptr;
    Status s = OpenOne(file, family, bold, !file.empty(), &primary);
    if (!s.ok()) {
      if (file.empty()) return Status::Error(std::string(kInstallHint) + " (" + s.message() + ")");
      return s;
    }
    // The primary face must really cover Chinese, or the screen shows tofu.
    if (FT_Get_Char_Index(primary->ft, U'中') == 0 || FT_Get_Char_Index(primary->ft, U'，') == 0) {
      return Status::Error(std::string(kInstallHint) + " (" + primary->info.file +
                           " has no Chinese characters)");
    }
    auto& chain = bold ? bold_ : regular_;
    chain.push_back(primary);
    for (const std::string& fallback : config.fallback_families) {
      OpenFace* face = nullptr;
      Status fs = OpenOne("", fallback, bold, false, &face);
      if (!fs.ok()) {
        LogWarning("fallback font skipped: " + fs.message());
        continue;
      }
      if (std::find(chain.begin(), chain.end(), face) == chain.end()) chain.push_back(face);
    }
  }
  return Status();
}

std::vector<const Face*> FontSet::faces() const {
  std::vector<const Face*> out;
  for (auto& f : owned_) out.push_back(&f->info);
  return out;
}

OpenFace* FontSet::Find(const Face* face) const {
  for (auto& f : owned_) {
    if (&f->info == face) return f.get();
  }
  return nullptr;
}

Status LoadFontConfig(FileSystem& fs, const std::string& path, FontConfig* config) {
  std::string text;
  if (Status s = fs.ReadFile(path, &text, kMaxFontConfigBytes); !s.ok())
    return s.Prefix("cannot read the font configuration");
  std::vector<Diagnostic> errors;
  nlohmann::json j;
  if (!ParseJson(text, path, {}, &j, &errors)) return Status::Error(errors[0].ToString());
  // Checked as the theme is; a role may name a family or a file.
  JsonChecker check(&errors);
  FontConfig read = *config;
  if (check.IsObject(j, "")) {
    check.KnownFields(j, "", {"comment", "roles", "fallback", "packages"});
    if (auto roles = j.find("roles"); roles != j.end() && check.IsObject(*roles, "/roles")) {
      check.KnownFields(*roles, "/roles", {"headline", "body"});
      auto role = [&](const char* name, std::string* family, std::string* file) {
        auto r = roles->find(name);
        std::string where = JsonPointerTo("/roles", name);
        if (r == roles->end() || !check.IsObject(*r, where)) return;
        check.KnownFields(*r, where, {"family", "file", "weight"});
        if (auto f = r->find("family"); f != r->end())
          check.ReadString(*f, where + "/family", family);
        if (auto f = r->find("file"); f != r->end()) check.ReadString(*f, where + "/file", file);
        std::string weight;
        if (auto w = r->find("weight"); w != r->end())
          check.ReadString(*w, where + "/weight", &weight);
      };
      role("headline", &read.headline_family, &read.headline_file);
      role("body", &read.body_family, &read.body_file);
    }
    if (auto f = j.find("fallback"); f != j.end())
      check.ReadStringList(*f, "/fallback", &read.fallback_families);
    if (auto p = j.find("packages"); p != j.end()) check.IsObject(*p, "/packages");
  }
  if (!errors.empty()) return Status::Error(JoinDiagnostics(path, errors));
  *config = std::move(read);
  return Status();
}

FontConfig DefaultFontConfig() {
  FontConfig config;
  std::vector<std::string> paths;
  if (const char* env = std::getenv("NOTICEBOARD_FONTS")) paths.push_back(env);
  paths.push_back(std::string(NB_SOURCE_DIR) + "/fonts/fonts.json");
  paths.push_back("/usr/share/noticeboard/fonts.json");
  for (const std::string& path : paths) {
    FileSystem& fs = Env::Default().fs();
    if (!fs.Exists(path)) continue;
    Status s = LoadFontConfig(fs, path, &config);
    if (!s.ok()) LogWarning(s.message() + "; using the built-in font defaults");
    break;
  }
  return config;
}

}  // namespace nb::text
