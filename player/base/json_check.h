// JSON checking: the one way the playlist, the config, the theme and the
// fonts configuration say what is wrong with a file.
//
// Contract:
// - A Diagnostic says where (a JSON pointer such as "/items/3/schedule/hours",
//   or "file:line:column" for a syntax error) and what is wrong and what was
//   expected. Pointer tokens escape "~" as "~0" and "/" as "~1" (RFC 6901).
// - ParseJson() reports a syntax error in plain words at the place to edit
//   (base/json_syntax.h: a missing comma at the end of its line, a comma
//   after the last entry, a full-width ， typed with a Chinese input method),
//   as "file:line:column" with columns counting characters, not bytes. It
//   may allow // and /* */ comments, and may reject a key repeated in one
//   object (the second would silently replace the first).
// - JsonChecker collects every problem, not only the first. Types are named
//   in the same words everywhere: "a string", "a number", "true/false",
//   "a list", "an object", "null". A field that is not a known one is
//   `unknown field "titel"; did you mean "title"? Known fields here: ...`;
//   fields starting with "x-" are free for people's notes and never checked.
//   A string that must be one of a few values gets the same hint.
// - A checker made with a limit keeps that many errors and counts the rest;
//   AddCountOfUnreported() then says how many more there were, and
//   CountErrors() adds them up again.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <limits>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/civil_time.h"

namespace nb {

struct Diagnostic {
  std::string where;    // "playlist.json:12:5" or "/items/3/schedule/hours"
  std::string message;  // what is wrong and what was expected
  std::string ToString() const { return where + ": " + message; }
};

// How many errors `errors` stands for: the ones listed, plus those a
// checker's limit left out and summed up in its last "... and N more errors".
std::size_t CountErrors(const std::vector<Diagnostic>& errors);

// For a Status: "school.json: /a: what; /b: what".
std::string JoinDiagnostics(const std::string& source_name, const std::vector<Diagnostic>& errors);

// RFC 6901: "a/b~c" → "a~1b~0c".
std::string JsonPointerToken(std::string_view key);
// pointer + "/" + the escaped key, or the index.
std::string JsonPointerTo(const std::string& pointer, std::string_view key);
std::string JsonPointerTo(const std::string& pointer, std::size_t index);

// "a string", "a number", "true/false", "a list", "an object", "null".
const char* JsonTypeName(const nlohmann::json& value);

struct JsonParseOptions {
  bool allow_comments = false;
  bool reject_duplicate_keys = false;
};

// Parses `text` into *out. On a syntax error (or a repeated key) appends one
// Diagnostic and returns false; source_name names the file in it.
bool ParseJson(std::string_view text, const std::string& source_name,
               const JsonParseOptions& options, nlohmann::json* out,
               std::vector<Diagnostic>* errors);

class JsonChecker {
 public:
  explicit JsonChecker(std::vector<Diagnostic>* errors,
                       std::size_t max_reported = std::numeric_limits<std::size_t>::max());

  void Error(const std::string& where, const std::string& message);
  // Errors found, reported or not.
  std::size_t count() const { return count_; }
  // Appends "... and N more errors" at `where` when some were not kept
  // (CountErrors() reads it back).
  void AddCountOfUnreported(const std::string& where);

  // Reports each field of `object` not in `known` and not starting with "x-",
  // with the nearest known name as a hint.
  void KnownFields(const nlohmann::json& object, const std::string& where,
                   const std::vector<std::string>& known);
  void KnownFields(const nlohmann::json& object, const std::string& where,
                   std::initializer_list<const char*> known);

  // Each reports "expected <what>, found <type>" and returns false when
  // `value` has another type; *out is only written on success.
  bool IsObject(const nlohmann::json& value, const std::string& where,
                const std::string& what = "an object");
  bool ReadString(const nlohmann::json& value, const std::string& where, std::string* out);
  bool ReadBool(const nlohmann::json& value, const std::string& where, bool* out);
  // One of `choices` (a string, case as written); anything else is reported
  // with the choices and, for a near miss, "did you mean ...?".
  bool ReadChoice(const nlohmann::json& value, const std::string& where,
                  const std::vector<std::string>& choices, std::string* out);
  // A whole number from lo to hi.
  bool ReadInt(const nlohmann::json& value, const std::string& where, long long lo, long long hi,
               long long* out);
  // A list of strings; every element that is not one is reported, and *out
  // gets the ones that are (so they can be checked further).
  bool ReadStringList(const nlohmann::json& value, const std::string& where,
                      std::vector<std::string>* out);
  // A non-empty list of weekdays (base/civil_time.h spellings), as a mask.
  bool ReadWeekdays(const nlohmann::json& value, const std::string& where, WeekdayMask* out);

 private:
  std::vector<Diagnostic>* errors_;
  std::size_t max_reported_;
  std::size_t count_ = 0;
};

}  // namespace nb
