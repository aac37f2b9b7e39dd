#include "update/api_token.h"

#include <cctype>

namespace nb::update {

Status LoadApiToken(FileSystem& fs, const std::string& path, std::string* token) {
  std::string text;
  if (Status s = fs.ReadFile(path, &text, 4096); !s.ok()) return s.Prefix("API token");
  std::string first = text.substr(0, text.find('\n'));
  while (!first.empty() && std::isspace(static_cast<unsigned char>(first.back()))) first.pop_back();
  std::size_t i = 0;
  while (i < first.size() && std::isspace(static_cast<unsigned char>(first[i]))) ++i;
  first = first.substr(i);
  if (first.size() < 16)
    return Status::Error(path +
                         ": the API token must be at least 16 characters (try: "
                         "openssl rand -hex 24 > " +
                         path + ")");
  *token = first;
  return Status();
}

}  // namespace nb::update
