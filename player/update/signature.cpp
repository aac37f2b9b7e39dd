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

namespace {

constexpr std::size_t kKeynumBytes = 8 + 64 + 32;  // key id, secret key, checksum
constexpr std::size_t kSecretKeyFileBytes = 2 + 2 + 2 + 32 + 8 + 8 + kKeynumBytes;
constexpr std::uint64_t kMaxKdfMemory = 1ull << 30;  // what minisign itself uses, at most

std::uint64_t LittleEndian64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::string Base64(const std::uint8_t* data, std::size_t size) {
  std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// The key file's binary line (the one after the comment).
bool SecretKeyBytes(std::string_view text, std::vector<std::uint8_t>* bin) {
  for (std::string_view l : Lines(text)) {
    l = Trim(l);
    if (l.empty() || l.rfind("untrusted comment:", 0) == 0) continue;
    return DecodeBase64(l, bin) && bin->size() == kSecretKeyFileBytes;
  }
  return false;
}

}  // namespace

PublicKey SecretKey::Public() const {
  PublicKey pk;
  pk.key_id = key_id;
  std::memcpy(pk.key.data(), key.data() + 32, 32);  // the second half is the public key
  return pk;
}

bool SecretKeyIsEncrypted(std::string_view text) {
  InitSodium();
  std::vector<std::uint8_t> bin;
  return SecretKeyBytes(text, &bin) && bin[2] == 'S' && bin[3] == 'c';
}

Status ParseSecretKey(std::string_view text, std::string_view password, const std::string& what,
                      SecretKey* out) {
  InitSodium();
  std::vector<std::uint8_t> bin;
  if (!SecretKeyBytes(text, &bin))
    return Status::Error(what + ": not a minisign secret key (made by minisign -G)");
  if (bin[0] != 'E' || bin[1] != 'd' || bin[4] != 'B' || bin[5] != '2')
    return Status::Error(what + ": unsupported secret key (expected Ed25519 with a BLAKE2b "
                                "checksum, as minisign makes)");
  const std::uint8_t* salt = bin.data() + 6;
  std::uint64_t opslimit = LittleEndian64(bin.data() + 38);
  std::uint64_t memlimit = LittleEndian64(bin.data() + 46);
  std::uint8_t* keynum = bin.data() + 54;
  const bool encrypted = bin[2] == 'S' && bin[3] == 'c';
  if (!encrypted && !(bin[2] == 0 && bin[3] == 0))
    return Status::Error(what + ": unsupported key encryption (expected scrypt or none)");
  if (encrypted) {
    if (password.empty())
      return Status::Error(what + ": the key is protected by a password; none was given");
    if (memlimit > kMaxKdfMemory)
      return Status::Error(what + ": the key's password derivation asks for more memory than "
                                  "minisign itself uses");
    std::vector<std::uint8_t> stream(kKeynumBytes);
    if (crypto_pwhash_scryptsalsa208sha256(stream.data(), stream.size(), password.data(),
                                           password.size(), salt, opslimit,
                                           static_cast<std::size_t>(memlimit)) != 0)
      return Status::Error(what + ": not enough memory to open the key");
    for (std::size_t i = 0; i < kKeynumBytes; ++i) keynum[i] ^= stream[i];
    sodium_memzero(stream.data(), stream.size());
  }
  // checksum = BLAKE2b-256(signature algorithm || key id || secret key)
  std::uint8_t sum[32];
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, sizeof sum);
  crypto_generichash_update(&st, bin.data(), 2);
  crypto_generichash_update(&st, keynum, 8 + 64);
  crypto_generichash_final(&st, sum, sizeof sum);
  bool matches = sodium_memcmp(sum, keynum + 8 + 64, sizeof sum) == 0;
  if (!encrypted && sodium_is_zero(keynum + 8 + 64, 32)) {
    // minisign -W leaves the checksum out (zeros): check instead that the
    // public half is the one the secret seed makes.
    std::uint8_t pk[32], sk[64];
    crypto_sign_seed_keypair(pk, sk, keynum + 8);
    matches = sodium_memcmp(pk, keynum + 8 + 32, 32) == 0;
    sodium_memzero(sk, sizeof sk);
  }
  if (matches) {
    std::memcpy(out->key_id.data(), keynum, 8);
    std::memcpy(out->key.data(), keynum + 8, 64);
  }
  sodium_memzero(bin.data(), bin.size());
  if (!matches)
    return Status::Error(what + (encrypted ? ": wrong password for this key"
                                           : ": the key file is damaged (checksum mismatch)"));
  return Status();
}

std::string SignMinisig(std::string_view data, const SecretKey& key,
                        const std::string& comment) {
  InitSodium();
  // One line: a line break would end the trusted comment early.
  std::string trusted_comment = comment;
  for (char& c : trusted_comment) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::uint8_t hash[crypto_generichash_BYTES_MAX];  // BLAKE2b-512: the prehashed form
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const std::uint8_t*>(data.data()),
                     data.size(), nullptr, 0);
  std::uint8_t line[2 + 8 + kSignatureBytes] = {'E', 'D'};
  std::memcpy(line + 2, key.key_id.data(), 8);
  crypto_sign_detached(line + 10, nullptr, hash, sizeof hash, key.key.data());
  std::vector<std::uint8_t> signed_comment(line + 10, line + 10 + kSignatureBytes);
  signed_comment.insert(signed_comment.end(), trusted_comment.begin(), trusted_comment.end());
  std::uint8_t global[kSignatureBytes];
  crypto_sign_detached(global, nullptr, signed_comment.data(), signed_comment.size(),
                       key.key.data());
  return "untrusted comment: signature from minisign secret key\n" + Base64(line, sizeof line) +
         "\ntrusted comment: " + trusted_comment + "\n" + Base64(global, sizeof global) + "\n";
}

}  // namespace nb::update
