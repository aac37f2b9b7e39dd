// Fuzzes minisign parsing and verification. The input is split at its first
// NUL byte into a .minisig text and the signed data; a second NUL splits off a
// public key text. Property: random input is never accepted as signed by the
// fixed key below (its secret key is not known to anyone).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "update/signature.h"

namespace {
// A minisign public key (id 831249D02D6765C6) generated for this target; its secret key was
// discarded, so no input can carry a valid signature by it.
constexpr char kTrustedKey[] = "RWTGZWct0EkSg/U0cFlDzQvjlPz8keImMWIFPJ5uvt9tOjSa92Kf+bom";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t cut = input.find('\0');
  std::string_view minisig = input.substr(0, cut);
  std::string_view rest =
      cut == std::string_view::npos ? std::string_view() : input.substr(cut + 1);
  std::size_t key_cut = rest.find('\0');
  std::string_view signed_data = rest.substr(0, key_cut);
  std::string_view key_text =
      key_cut == std::string_view::npos ? std::string_view() : rest.substr(key_cut + 1);

  nb::update::PublicKey parsed;
  (void)nb::update::ParsePublicKey(key_text, &parsed);

  std::vector<nb::update::PublicKey> trusted(1);
  if (!nb::update::ParsePublicKey(kTrustedKey, &trusted[0]).ok()) std::abort();
  nb::update::VerifiedSignature verified;
  if (nb::update::VerifySignature(signed_data, minisig, trusted, "fuzz.json", &verified).ok()) {
    std::fprintf(stderr, "a fuzzed signature verified against a key nobody holds\n");
    std::abort();
  }
  return 0;
}
