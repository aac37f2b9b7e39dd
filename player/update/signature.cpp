#include "update/signature.h"

#include <sodium.h>

#include <cstring>
#include <mutex>

namespace nb::update {

void InitSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no usable random source: nothing can work
  });
}
namespace {

constexpr std::size_t kSignatureBytes = crypto_sign_BYTES;  // 64

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' '))
    s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  while (!lines.empty() && Trim(lines.back()).empty()) lines.pop_back();
  return lines;
}

bool DecodeBase64(std::string_view b64, std::vector<std::uint8_t>* out) {
  // An empty line decodes to nothing we could use, and libsodium must not be
  // handed the null data() of an empty vector (found by tests/fuzz).
  if (b64.empty()) return false;
  out->assign(b64.size(), 0);
  std::size_t len = 0;
  if (sodium_base642bin(out->data(), out->size(), b64.data(), b64.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return false;
  out->resize(len);
  return true;
}

std::string HexId(const std::uint8_t* id) {
  // minisign prints the little-endian 64-bit id as a number ("%" PRIX64):
  // upper case, without leading zeros, so one key in sixteen has 15 digits.
  static const char kHex[] = "0123456789ABCDEF";
  std::string s;
  for (int i = 7; i >= 0; --i) {
    s += kHex[id[i] >> 4];
    s += kHex[id[i] & 15];
  }
  std::size_t first = s.find_first_not_of('0');
  return first == std::string::npos ? "0" : s.substr(first);
}

}  // namespace

std::string PublicKey::KeyIdHex() const { return HexId(key_id.data()); }

Status ParsePublicKey(std::string_view text, PublicKey* out) {
  InitSodium();
  std::string_view line;
  for (std::string_view l : Lines(text)) {
    l = Trim(l);
    if (l.empty() || l.rfind("untrusted comment:", 0) == 0) continue;
    line = l;
    break;
  }
  std::vector<std::uint8_t> bin;
  if (line.empty() || !DecodeBase64(line, &bin))
    return Status::Error("not a minisign public key (expected the base64 line starting \"RW\")");
  if (bin.size() != 2 + 8 + 32)
    return Status::Error("not a minisign public key: " + std::to_string(bin.size()) +
                         " bytes instead of 42");
  if (bin[0] != 'E' || bin[1] != 'd')
    return Status::Error("unsupported public key algorithm (expected Ed25519, \"Ed\")");
  std::memcpy(out->key_id.data(), bin.data() + 2, 8);
  std::memcpy(out->key.data(), bin.data() + 10, 32);
  return Status();
}

Status VerifySignature(std::string_view data, std::string_view minisig_text,
                       const std::vector<PublicKey>& trusted_keys, const std::string& what,
                       VerifiedSignature* out) {
  InitSodium();
  auto refuse = [&](const std::string& why) {
    return Status::Error(what + ": signature refused: " + why);
  };
  std::vector<std::string_view> lines = Lines(minisig_text);
  if (lines.empty()) return refuse("the signature file is empty");
  if (lines.size() != 4 || lines[0].rfind("untrusted comment:", 0) != 0 ||
      lines[2].rfind("trusted comment: ", 0) != 0)
    return refuse(
        "not a minisign signature file (expected 4 lines: untrusted comment, signature, trusted "
        "comment, global signature)");

  std::vector<std::uint8_t> sig;
  if (!DecodeBase64(Trim(lines[1]), &sig) || sig.size() != 2 + 8 + kSignatureBytes)
    return refuse("the signature line is damaged");
  bool prehashed;
  if (sig[0] == 'E' && sig[1] == 'd')
    prehashed = false;
  else if (sig[0] == 'E' && sig[1] == 'D')
    prehashed = true;
  else
    return refuse("unsupported signature algorithm (expected Ed or ED)");

  const PublicKey* key = nullptr;
  for (const PublicKey& k : trusted_keys) {
    if (std::memcmp(k.key_id.data(), sig.data() + 2, 8) == 0) key = &k;
  }
  if (!key)
    return refuse("signed with key " + HexId(sig.data() + 2) +
                  ", which is not one of the trusted keys");

  const std::uint8_t* signature = sig.data() + 10;
  int ok;
  if (prehashed) {
    std::uint8_t hash[crypto_generichash_BYTES_MAX];  // BLAKE2b-512
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const std::uint8_t*>(data.data()),
                       data.size(), nullptr, 0);
    ok = crypto_sign_verify_detached(signature, hash, sizeof hash, key->key.data());
  } else {
    ok = crypto_sign_verify_detached(signature, reinterpret_cast<const std::uint8_t*>(data.data()),
                                     data.size(), key->key.data());
  }
  if (ok != 0)
    return refuse(
        "the file does not match its signature (changed after signing, or signed "
        "with another key)");

  std::string_view trusted_comment = lines[2].substr(std::strlen("trusted comment: "));
  std::vector<std::uint8_t> global;
  if (!DecodeBase64(Trim(lines[3]), &global) || global.size() != kSignatureBytes)
    return refuse("the global signature line is damaged");
  std::vector<std::uint8_t> signed_comment(signature, signature + kSignatureBytes);
  signed_comment.insert(signed_comment.end(), trusted_comment.begin(), trusted_comment.end());
  if (crypto_sign_verify_detached(global.data(), signed_comment.data(), signed_comment.size(),
                                  key->key.data()) != 0)
    return refuse("the trusted comment was changed after signing");

  if (out) {
    out->trusted_comment = std::string(trusted_comment);
    out->key_id = key->KeyIdHex();
    out->prehashed = prehashed;
  }
  return Status();
}

}  // namespace nb::update
