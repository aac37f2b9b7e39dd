// BulletinImport: a file staff upload or paste in the web console, turned
// into a playlist draft with the same builder as `noticeboard build`.
//
// Contract:
// - ImportFile() takes the bytes and the file's name (may be empty for
//   pasted text). A playlist (JSON: the first non-blank character is '{')
//   is validated as `noticeboard check` does; anything else is a bulletin,
//   built as `noticeboard build` builds it (typography normalised, summaries
//   cut at the default length, stable ids).
// - Encodings: UTF-8 (a BOM is dropped) is taken as is. Text that is not
//   valid UTF-8 but is valid GB18030 (a superset of GBK and GB2312: what
//   Windows Notepad saves as "ANSI" on a Chinese Windows) is converted, and
//   the result says so (encoding "GB18030"). UTF-16 with a BOM is converted
//   too. Anything else is refused with a message, in Chinese, that says how
//   to save the file as UTF-8 in Notepad (文件 → 另存为 → 编码 → UTF-8);
//   so is text with a NUL character in it (UTF-16 without a BOM, or binary
//   data that happens to decode), which no text file holds.
// - Messages name the file, or "pasted text" when file_name is empty.
// - The result carries the draft as canonical playlist JSON, the warnings
//   `build` would print (lines outside any item, with their line numbers),
//   and on refusal every Diagnostic (playlist errors with JSON pointers).
// - Pure: no files, no clock but the one given for "generated_at".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/json_check.h"

namespace nb::console {

struct ImportResult {
  bool ok = false;
  std::string format;    // "bulletin" or "playlist"
  std::string encoding;  // "UTF-8", "GB18030", "UTF-16"
  std::string playlist_json;           // ok: the draft (canonical JSON)
  std::vector<std::string> warnings;   // ok or not
  std::string message;                 // not ok: one line, what to do
  std::vector<Diagnostic> errors;      // not ok: every problem found
};

// generated_at: UTC ISO 8601 for a built bulletin's "generated_at".
ImportResult ImportFile(std::string_view bytes, const std::string& file_name,
                        const std::string& generated_at);

}  // namespace nb::console
