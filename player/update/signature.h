// Signature: minisign signatures (https://jedisct1.github.io/minisign/),
// verified with libsodium, so a school can sign a playlist with the `minisign`
// tool and the screen accepts only what a trusted key signed.
//
// Contract:
// - ParsePublicKey() takes the base64 line of minisign.pub ("RW...") or the
//   whole file: algorithm "Ed", an 8-byte key id and the Ed25519 key.
// - Verify() checks a .minisig file against the data and a set of trusted
//   keys: both the legacy form ("Ed", the signature is over the data) and the
//   prehashed form ("ED", over BLAKE2b-512 of the data, the default of
//   minisign 0.10 and later); the key id must be one of the trusted keys; the
//   global signature over signature + trusted comment must hold too, so the
//   trusted comment cannot be swapped. Every refusal says why in one line.
// - Signing (an approver's console, issue 14 and 22): ParseSecretKey() reads
//   a minisign secret key file (minisign -G; encrypted with a password, "Sc",
//   or not, "-W"), checking its checksum so that a wrong password is told
//   apart from a damaged file. SignMinisig() writes what `minisign -S` writes:
//   the prehashed form ("ED"), a trusted comment, and the global signature,
//   which VerifySignature() and the minisign tool both accept.
// - Thread-safe; libsodium is started once, by InitSodium(), on first use:
//   a screen that never checks a signature or hashes a playlist does not
//   start it (its start-up touches much of the library: memory).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace nb::update {

// Starts libsodium (once; thread-safe). Call before any libsodium function.
void InitSodium();

struct PublicKey {
  std::array<std::uint8_t, 8> key_id{};
  std::array<std::uint8_t, 32> key{};
  std::string KeyIdHex() const;  // as minisign prints it (big-endian hex)
};

Status ParsePublicKey(std::string_view text, PublicKey* out);

struct VerifiedSignature {
  std::string trusted_comment;
  std::string key_id;  // hex
  bool prehashed = false;
};

struct SecretKey {
  std::array<std::uint8_t, 8> key_id{};
  std::array<std::uint8_t, 64> key{};  // libsodium's Ed25519 secret key (seed + public key)
  PublicKey Public() const;
};

// True when the key file is encrypted and so needs its password.
bool SecretKeyIsEncrypted(std::string_view text);
// `password` is ignored for a key without one. `what` names the file.
Status ParseSecretKey(std::string_view text, std::string_view password, const std::string& what,
                      SecretKey* out);
// The .minisig file's text for `data`.
std::string SignMinisig(std::string_view data, const SecretKey& key,
                        const std::string& trusted_comment);

// `what` names the signed file in messages ("playlist.json").
Status VerifySignature(std::string_view data, std::string_view minisig_text,
                       const std::vector<PublicKey>& trusted_keys, const std::string& what,
                       VerifiedSignature* out = nullptr);

}  // namespace nb::update
