// Status: the result of an operation that can fail with a message for people.
//
// Contract: a default-constructed Status is OK. An error Status carries one
// human-readable message that names what failed and where (a file, a line, a
// JSON pointer). Messages are shown on screen and in logs, so they are written
// for school IT staff, not for programmers.
#pragma once

#include <string>
#include <utility>

namespace nb {

class Status {
 public:
  Status() = default;
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

  // Prefixes the message with context ("playlist.json: ...").
  Status& Prefix(const std::string& context) {
    if (failed_) message_ = context + ": " + message_;
    return *this;
  }

 private:
  explicit Status(std::string message) : failed_(true), message_(std::move(message)) {}
  bool failed_ = false;
  std::string message_;
};

}  // namespace nb
