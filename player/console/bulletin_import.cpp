#include "console/bulletin_import.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include <memory>

#include "bulletin/bulletin.h"
#include "playlist/playlist.h"

namespace nb::console {
namespace {

// Said for every file that is not text in an encoding we can read: the
// usual cause is a file saved as "ANSI" on a non-Chinese Windows, or not a
// text file at all.
constexpr const char* kSaveAsUtf8 =
    "无法识别此文件的编码（不是 UTF-8、UTF-16 或 GBK/GB18030 文本）。请用 Windows "
    "记事本打开它，选择 文件 → 另存为，在“编码”中选 UTF-8，保存后重新上传。";

bool IsValidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

// Converts from `charset` to UTF-8, failing at the first byte sequence that
// is illegal or unmapped in it (ICU would otherwise substitute U+FFFD).
bool ConvertToUtf8(const char* charset, std::string_view bytes, std::string* out) {
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<UConverter, void (*)(UConverter*)> conv(ucnv_open(charset, &err), ucnv_close);
  if (U_FAILURE(err)) return false;
  ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
  if (U_FAILURE(err)) return false;
  // Every byte gives at most one UTF-16 unit in these charsets (a 4-byte
  // GB18030 sequence gives two).
  std::u16string utf16(bytes.size() + 1, u'\0');
  int32_t units = ucnv_toUChars(conv.get(), utf16.data(), static_cast<int32_t>(utf16.size()),
                                bytes.data(), static_cast<int32_t>(bytes.size()), &err);
  if (U_FAILURE(err)) return false;
  int32_t needed = 0;
  err = U_ZERO_ERROR;
  u_strToUTF8(nullptr, 0, &needed, utf16.data(), units, &err);
  if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) return false;
  out->assign(static_cast<std::size_t>(needed), '\0');
  err = U_ZERO_ERROR;
  u_strToUTF8(out->data(), needed, nullptr, utf16.data(), units, &err);
  return U_SUCCESS(err) || err == U_STRING_NOT_TERMINATED_WARNING;
}

// The text as UTF-8 and the name of what it was, or false.
bool Decode(std::string_view bytes, std::string* text, std::string* encoding) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  bool ok = false;
  if (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF") {
    const char* charset = bytes[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
    ok = ConvertToUtf8(charset, bytes.substr(2), text);
    *encoding = "UTF-16";
  } else if (IsValidUtf8(bytes)) {
    text->assign(bytes);
    *encoding = "UTF-8";
    ok = true;
  } else {
    ok = ConvertToUtf8("GB18030", bytes, text);
    *encoding = "GB18030";
  }
  // A NUL is in no text file: UTF-16 without a BOM (valid UTF-8 when its
  // text is ASCII) or binary data that happens to decode.
  return ok && text->find('\0') == std::string::npos;
}

void ImportPlaylist(const std::string& text, const std::string& source, ImportResult* r) {
  auto parsed = playlist::ParsePlaylist(text, source, &r->errors);
  if (!parsed) {
    std::size_t n = r->errors.size();
    r->message = source + ": " + (n == 1 ? std::string("1 error") : std::to_string(n) + " errors") +
                 " in the playlist; correct them and upload it again";
    return;
  }
  r->errors.clear();
  r->playlist_json = playlist::ToJson(*parsed);
  r->ok = true;
}

void ImportBulletin(const std::string& text, const std::string& source,
                    const std::string& generated_at, ImportResult* r) {
  bulletin::BuiltPlaylist built;
  Status s =
      bulletin::BuildPlaylistJson(text, source, bulletin::BuildOptions{}, generated_at, &built);
  r->warnings = std::move(built.warnings);
  if (!s.ok()) {
    r->message = s.message();
    r->errors = std::move(built.errors);
    return;
  }
  r->playlist_json = std::move(built.json);
  r->ok = true;
}

}  // namespace

ImportResult ImportFile(std::string_view bytes, const std::string& file_name,
                        const std::string& generated_at) {
  ImportResult r;
  const std::string source = file_name.empty() ? "pasted text" : file_name;
  std::string text;
  if (!Decode(bytes, &text, &r.encoding)) {
    r.encoding.clear();
    r.message = kSaveAsUtf8;
    return r;
  }
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') {
    r.format = "playlist";
    ImportPlaylist(text, source, &r);
  } else {
    r.format = "bulletin";
    ImportBulletin(text, source, generated_at, &r);
  }
  return r;
}

}  // namespace nb::console
