// LoadApiToken: the push API's token, read from its file.
//
// Contract:
// - The token is the file's first line, trimmed. An empty or short token
//   (fewer than 16 characters) is refused, with a command that makes a good
//   one, so that a screen is never open by accident.
// - In nb_update, not in the network module: the config is checked, token
//   included, before anything starts or loads.
#pragma once

#include <string>

#include "base/env.h"
#include "base/status.h"

namespace nb::update {

Status LoadApiToken(FileSystem& fs, const std::string& path, std::string* token);

}  // namespace nb::update
