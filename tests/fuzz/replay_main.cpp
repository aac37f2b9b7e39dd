// The main() of the fuzz targets in ordinary builds (g++, the dev and asan
// presets): it feeds every file named on the command line, or found in a
// named folder, to LLVMFuzzerTestOneInput once. ctest runs it over the seed
// corpora and the crash reproducers in tests/fuzz/regressions/, so a crash
// fixed once stays fixed without a fuzzing toolchain.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void CollectInputs(const std::filesystem::path& path, std::vector<std::filesystem::path>* out) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path, error)) {
      if (entry.is_regular_file()) found.push_back(entry.path());
    }
    std::sort(found.begin(), found.end());
    out->insert(out->end(), found.begin(), found.end());
  } else if (std::filesystem::is_regular_file(path, error)) {
    out->push_back(path);
  } else {
    std::fprintf(stderr, "replay: %s: no such file or folder\n", path.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> inputs;
  for (int i = 1; i < argc; ++i) CollectInputs(argv[i], &inputs);
  if (inputs.empty()) {
    std::fprintf(stderr, "replay: no inputs found\n");
    return 1;
  }
  for (const auto& input : inputs) {
    std::ifstream file(input, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(file)),
                            std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("replay: %zu inputs ran without a failure\n", inputs.size());
  return 0;
}
