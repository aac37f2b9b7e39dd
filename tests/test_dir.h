// FreshTestDir: an empty folder of the test's own under the temporary
// folder, <tmp>/<prefix>-<pid>-<test name>, so that tests running at once
// (ctest -j) never share files. Whatever an earlier run left there is
// removed first; the fixture removes it again in TearDown.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace nb::testing_support {

inline std::filesystem::path FreshTestDir(std::string_view prefix) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      (std::string(prefix) + "-" + std::to_string(::getpid()) + "-" +
       ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace nb::testing_support
