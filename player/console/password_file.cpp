#include "console/password_file.h"

#include <grp.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>

#include "update/signature.h"

namespace nb::console {
namespace {

constexpr std::size_t kMaxNameChars = 32;
constexpr std::size_t kMaxPasswordBytes = 1024;
// The file holds a line per person who runs the screens: far below this.
constexpr std::size_t kMaxFileBytes = 1024 * 1024;
constexpr const char* kPlayerGroup = "noticeboard";

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// Code points, not bytes: a Chinese password of 8 characters is 24 bytes.
std::size_t CountChars(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string FormatLine(const ConsoleUser& user) {
  return user.name + ":" + RoleName(user.role) + ":" + user.hash + "\n";
}

// The group the player runs as, when this process may give files to it.
long PlayerGroupId() {
  if (::geteuid() != 0) return -1;
  group g{};
  group* found = nullptr;
  char buf[4096];
  if (::getgrnam_r(kPlayerGroup, &g, buf, sizeof buf, &found) != 0 || !found) return -1;
  return static_cast<long>(found->gr_gid);
}

// Rewrites the file with `name`'s line replaced by `line` ("": removed; a
// new name is appended), every other line kept as it was, in one atomic
// write readable by the owner and the player's group only (whoever reads
// the hashes can attack them offline). A file that does not parse is left
// alone: writing it back would keep its mistake or lose a user.
Status ReplaceLine(FileSystem& fs, const std::string& path, const std::string& name,
                   const std::string& line, bool* found) {
  std::string old_text;
  if (fs.Exists(path)) {
    if (Status s = fs.ReadFile(path, &old_text, kMaxFileBytes); !s.ok())
      return Status::Error(s.message() + "; nothing was changed");
  }
  std::vector<ConsoleUser> users;
  if (Status s = ParsePasswordFile(old_text, path, &users); !s.ok())
    return Status::Error(s.message() + "; nothing was changed");
  std::string text;
  bool replaced = false;
  std::string_view rest = old_text;
  const std::string prefix = name + ":";
  while (!rest.empty()) {
    std::size_t end = rest.find('\n');
    std::string_view current = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (current.rfind(prefix, 0) == 0) {  // parsed: names are unique, no comment starts so
      text += line;
      replaced = true;
    } else {
      text.append(current);
      text += '\n';
    }
  }
  if (found) *found = replaced;
  if (!replaced) {
    if (line.empty()) return Status();
    if (old_text.empty()) text = "# Web console users, NAME:ROLE:HASH (`noticeboard passwd`)\n";
    text += line;
  }
  return fs.WriteFileAtomicWithMode(path, text, 0640, PlayerGroupId());
}

}  // namespace

const char* RoleName(Role role) { return role == Role::kEditor ? "editor" : "approver"; }

bool ParseRole(std::string_view text, Role* role) {
  if (text == "editor") {
    *role = Role::kEditor;
  } else if (text == "approver") {
    *role = Role::kApprover;
  } else {
    return false;
  }
  return true;
}

Status CheckUserName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameChars ||
      !std::all_of(name.begin(), name.end(), IsNameChar)) {
    return Status::Error("\"" + std::string(name) +
                         "\" cannot be a user name: use 1 to 32 letters, digits, '.', '_' or '-'");
  }
  return Status();
}

Status CheckNewPassword(std::string_view password) {
  if (password.size() > kMaxPasswordBytes)
    return Status::Error("the password is too long (over 1024 bytes)");
  if (CountChars(password) < kMinPasswordChars)
    return Status::Error("the password is too short: use at least 8 characters");
  return Status();
}

Status ParsePasswordFile(std::string_view text, const std::string& path,
                         std::vector<ConsoleUser>* users) {
  std::vector<ConsoleUser> parsed;
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // edited on Windows
    if (line.empty() || line.front() == '#') continue;
    auto where = [&] { return path + ":" + std::to_string(line_no) + ": "; };
    std::size_t a = line.find(':');
    std::size_t b = a == std::string_view::npos ? a : line.find(':', a + 1);
    if (b == std::string_view::npos) {
      return Status::Error(where() +
                           "expected NAME:ROLE:HASH (set passwords with `noticeboard passwd`)");
    }
    ConsoleUser user;
    user.name = std::string(line.substr(0, a));
    std::string_view role = line.substr(a + 1, b - a - 1);
    user.hash = std::string(line.substr(b + 1));
    if (Status s = CheckUserName(user.name); !s.ok()) return Status::Error(where() + s.message());
    if (!ParseRole(role, &user.role)) {
      return Status::Error(where() + "the role is \"" + std::string(role) +
                           "\"; it must be editor or approver");
    }
    if (user.hash.rfind(crypto_pwhash_argon2id_STRPREFIX, 0) != 0 ||
        user.hash.size() >= crypto_pwhash_STRBYTES) {
      return Status::Error(where() + "the password hash of " + user.name +
                           " is not one `noticeboard passwd` writes; set it again with it");
    }
    for (const ConsoleUser& other : parsed) {
      if (other.name == user.name)
        return Status::Error(where() + user.name + " is listed twice; keep one line");
    }
    parsed.push_back(std::move(user));
  }
  *users = std::move(parsed);
  return Status();
}

Status LoadPasswordFile(FileSystem& fs, const std::string& path, std::vector<ConsoleUser>* users) {
  if (!fs.Exists(path)) {
    users->clear();
    return Status();
  }
  std::string text;
  if (Status s = fs.ReadFile(path, &text, kMaxFileBytes); !s.ok()) return s;
  return ParsePasswordFile(text, path, users);
}

Status HashPassword(std::string_view password, std::string* hash) {
  if (Status s = CheckNewPassword(password); !s.ok()) return s;
  update::InitSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Error("cannot hash the password: not enough memory (it needs 64 MB)");
  }
  *hash = out;
  return Status();
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  if (password.size() > kMaxPasswordBytes || hash.size() >= crypto_pwhash_STRBYTES) return false;
  update::InitSodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Status SetUserPassword(FileSystem& fs, const std::string& path, const std::string& name, Role role,
                       std::string_view password) {
  if (Status s = CheckUserName(name); !s.ok()) return s;
  ConsoleUser user{name, role, ""};
  if (Status s = HashPassword(password, &user.hash); !s.ok()) return s;
  return ReplaceLine(fs, path, name, FormatLine(user), nullptr);
}

Status DeleteUser(FileSystem& fs, const std::string& path, const std::string& name) {
  bool found = false;
  if (Status s = ReplaceLine(fs, path, name, "", &found); !s.ok()) return s;
  if (!found) return Status::Error("there is no user " + name + " in " + path);
  return Status();
}

}  // namespace nb::console
