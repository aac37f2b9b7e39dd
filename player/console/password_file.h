// PasswordFile: who may log in to the web console, and with what password.
//
// Contract:
// - The file (config api.password_file, default
//   /etc/noticeboard/console-passwords) has one user per line,
//   "NAME:ROLE:HASH", where ROLE is "editor" or "approver" and HASH is
//   libsodium's crypto_pwhash_str() string (Argon2id, "$argon2id$..."). Lines
//   starting with '#' and blank lines are ignored. A missing file means no
//   user yet: the console then only says how to set a password.
// - Names are 1-32 characters of [A-Za-z0-9._-]; passwords at least 8
//   characters (UTF-8 allowed) and at most 1024 bytes. The password itself is
//   never stored nor logged.
// - SetUserPassword() adds the user or replaces its hash and role, keeping the
//   other lines, with one atomic write (temp file, fsync, rename): a crash
//   leaves the old file or the new one. The file is mode 0640; when run as
//   root and a group "noticeboard" exists, the group is set to it, so that
//   the player (user noticeboard) can read the hashes and nobody else can.
// - Every refusal is a sentence for a school's IT staff naming the file and,
//   for a bad line, its line number.
// - Hashing costs libsodium's "interactive" limits (a fraction of a second,
//   tens of MB, freed at once); it is done once per login, never per request.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/status.h"

namespace nb::console {

inline constexpr const char* kDefaultPasswordFile = "/etc/noticeboard/console-passwords";
inline constexpr std::size_t kMinPasswordChars = 8;

enum class Role { kEditor, kApprover };
const char* RoleName(Role role);  // "editor", "approver"
bool ParseRole(std::string_view text, Role* role);

struct ConsoleUser {
  std::string name;
  Role role = Role::kApprover;
  std::string hash;  // "$argon2id$..."
};

// Parses the file's text; `path` names it in messages.
Status ParsePasswordFile(std::string_view text, const std::string& path,
                         std::vector<ConsoleUser>* users);
// A missing file is not an error: *users is empty.
Status LoadPasswordFile(FileSystem& fs, const std::string& path, std::vector<ConsoleUser>* users);

// Why `name` / `password` cannot be used; ok when they can.
Status CheckUserName(std::string_view name);
Status CheckNewPassword(std::string_view password);

// crypto_pwhash_str with Argon2id at the interactive limits.
Status HashPassword(std::string_view password, std::string* hash);
// Constant-time in the password (libsodium's verification).
bool VerifyPassword(const std::string& hash, std::string_view password);

Status SetUserPassword(FileSystem& fs, const std::string& path, const std::string& name, Role role,
                       std::string_view password);
// Removes the user's line the same way; an error when there is none.
Status DeleteUser(FileSystem& fs, const std::string& path, const std::string& name);

}  // namespace nb::console
