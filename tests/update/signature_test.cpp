// Interop: keys and signatures made by the real minisign CLI, verified here.
#include "update/signature.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "test_playlists.h"

namespace nb::update {
namespace {

namespace fs = std::filesystem;

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void WriteText(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

class SignatureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (std::system("command -v minisign >/dev/null 2>&1") != 0) return;
    dir_ = fs::temp_directory_path() / ("nb-sig-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const char* name : {"school", "other"}) {
      std::string cmd = "minisign -G -W -f -p " + (dir_ / (std::string(name) + ".pub")).string() +
                        " -s " + (dir_ / (std::string(name) + ".key")).string() +
                        " >/dev/null 2>&1";
      ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
    have_minisign_ = true;
  }
  static void TearDownTestSuite() {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  void SetUp() override {
    if (!have_minisign_) GTEST_SKIP() << "minisign is not installed (scripts/install-deps.sh)";
  }

  // Signs `file` with `key` ("school"/"other"); legacy adds -l.
  static void Sign(const fs::path& file, const char* key, bool legacy,
                   const std::string& trusted_comment = "lobby playlist") {
    std::string cmd = "minisign -S " + std::string(legacy ? "-l " : "") + "-s " +
                      (dir_ / (std::string(key) + ".key")).string() + " -t '" + trusted_comment +
                      "' -m " + file.string() + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  static PublicKey Key(const char* name) {
    PublicKey k;
    Status s = ParsePublicKey(ReadText(dir_ / (std::string(name) + ".pub")), &k);
    EXPECT_TRUE(s.ok()) << s.message();
    return k;
  }

  static inline fs::path dir_;
  static inline bool have_minisign_ = false;
};

// minisign prints a key id as a 64-bit number without leading zeros; the
// messages name it the same way (a generated key has a zero first digit one
// time in sixteen, which made the test below fail now and then).
TEST(KeyIdTest, PrintedAsMinisignPrintsIt) {
  PublicKey key;
  key.key_id = {0x9F, 0x39, 0x5F, 0x4E, 0x56, 0xD5, 0xE8, 0x0A};  // little-endian
  EXPECT_EQ(key.KeyIdHex(), "AE8D5564E5F399F");
  key.key_id = {0x01, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(key.KeyIdHex(), "1");
  key.key_id = {0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE};
  EXPECT_EQ(key.KeyIdHex(), "FEDCBA9876543210");
}

TEST_F(SignatureTest, PublicKeyLineAndFileBothParse) {
  std::string file = ReadText(dir_ / "school.pub");
  PublicKey from_file, from_line;
  ASSERT_TRUE(ParsePublicKey(file, &from_file).ok());
  std::string line = file.substr(file.find('\n') + 1);
  line = line.substr(0, line.find('\n'));
  ASSERT_EQ(line.substr(0, 2), "RW");
  ASSERT_TRUE(ParsePublicKey(line, &from_line).ok());
  EXPECT_EQ(from_file.key, from_line.key);
  // minisign names the key by its id in the comment line.
  EXPECT_NE(file.find(from_file.KeyIdHex()), std::string::npos) << file;
  PublicKey bad;
  EXPECT_FALSE(ParsePublicKey("hello", &bad).ok());
}

TEST_F(SignatureTest, PrehashedAndLegacySignaturesVerify) {
  for (bool legacy : {false, true}) {
    SCOPED_TRACE(legacy ? "legacy Ed" : "prehashed ED");
    fs::path file = dir_ / (legacy ? "legacy.json" : "prehashed.json");
    WriteText(file, testing_support::SampleJson(15));
    Sign(file, "school", legacy, "天津 lobby 2025-12-01");
    VerifiedSignature info;
    Status s = VerifySignature(ReadText(file), ReadText(file.string() + ".minisig"),
                               {Key("other"), Key("school")}, "playlist.json", &info);
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(info.prehashed, !legacy);
    EXPECT_EQ(info.trusted_comment, "天津 lobby 2025-12-01");
    EXPECT_EQ(info.key_id, Key("school").KeyIdHex());
  }
}

TEST_F(SignatureTest, TamperedFileIsRefused) {
  for (bool legacy : {false, true}) {
    fs::path file = dir_ / "tampered.json";
    std::string text = testing_support::SampleJson(3);
    WriteText(file, text);
    Sign(file, "school", legacy);
    std::string changed = text;
    changed[changed.find("第1条")] = 'X';
    Status s = VerifySignature(changed, ReadText(file.string() + ".minisig"), {Key("school")},
                               "playlist.json");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.message(),
              "playlist.json: signature refused: the file does not match its signature (changed "
              "after signing, or signed with another key)");
  }
}

TEST_F(SignatureTest, WrongKeyIsRefusedNamingTheKey) {
  fs::path file = dir_ / "other.json";
  WriteText(file, testing_support::SampleJson(3));
  Sign(file, "other", false);
  Status s = VerifySignature(ReadText(file), ReadText(file.string() + ".minisig"), {Key("school")},
                             "playlist.json");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("signed with key " + Key("other").KeyIdHex() +
                             ", which is not one of the trusted keys"),
            std::string::npos)
      << s.message();
}

TEST_F(SignatureTest, MissingOrDamagedSignatureIsRefused) {
  std::string text = testing_support::SampleJson(3);
  Status empty = VerifySignature(text, "", {Key("school")}, "playlist.json");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.message().find("empty"), std::string::npos);
  Status junk = VerifySignature(text, "not a signature\n", {Key("school")}, "playlist.json");
  ASSERT_FALSE(junk.ok());
  EXPECT_NE(junk.message().find("not a minisign signature file"), std::string::npos);
}

TEST_F(SignatureTest, ChangedTrustedCommentIsRefused) {
  fs::path file = dir_ / "comment.json";
  WriteText(file, testing_support::SampleJson(3));
  Sign(file, "school", false, "for lobby A");
  std::string sig = ReadText(file.string() + ".minisig");
  auto pos = sig.find("for lobby A");
  ASSERT_NE(pos, std::string::npos);
  sig.replace(pos, 11, "for lobby B");
  Status s = VerifySignature(ReadText(file), sig, {Key("school")}, "playlist.json");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("trusted comment was changed"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace nb::update

namespace nb::update {
namespace {

// Signing, as an approver's console does: with a key minisign made, what we
// sign is what the minisign tool accepts, and the other way round.
class SigningTest : public SignatureTest {};

TEST_F(SigningTest, WhatWeSignMinisignVerifiesAndSoDoWe) {
  SecretKey key;
  Status s = ParseSecretKey(ReadText(dir_ / "school.key"), "", "school.key", &key);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_FALSE(SecretKeyIsEncrypted(ReadText(dir_ / "school.key")));
  EXPECT_EQ(key.Public().key, Key("school").key);
  EXPECT_EQ(key.Public().key_id, Key("school").key_id);

  const std::string data = testing_support::SampleJson(3);
  std::string minisig = SignMinisig(data, key, "timestamp:1765000000\tfile:playlist.json");
  fs::path file = dir_ / "signed-here.json";
  WriteText(file, data);
  WriteText(dir_ / "signed-here.json.minisig", minisig);
  std::string cmd = "minisign -V -q -p " + (dir_ / "school.pub").string() + " -m " +
                    file.string() + " >/dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << minisig;

  VerifiedSignature v;
  s = VerifySignature(data, minisig, {Key("school")}, "playlist.json", &v);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(v.prehashed);
  EXPECT_EQ(v.trusted_comment, "timestamp:1765000000\tfile:playlist.json");
  // Another key's trust, or other bytes, refuse it.
  EXPECT_FALSE(VerifySignature(data, minisig, {Key("other")}, "playlist.json").ok());
  EXPECT_FALSE(VerifySignature(data + " ", minisig, {Key("school")}, "playlist.json").ok());
  // A line break cannot end the trusted comment early.
  std::string two_lines = SignMinisig(data, key, "a\nb");
  EXPECT_TRUE(VerifySignature(data, two_lines, {Key("school")}, "playlist.json").ok());
}

TEST_F(SigningTest, AnEncryptedKeyOpensWithItsPasswordOnly) {
  fs::path pub = dir_ / "enc.pub", sec = dir_ / "enc.key";
  // minisign reads the password from standard input when it is no terminal.
  std::string cmd = "printf 'approver-pass\\napprover-pass\\n' | minisign -G -f -p " +
                    pub.string() + " -s " + sec.string() + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string text = ReadText(sec);
  EXPECT_TRUE(SecretKeyIsEncrypted(text));
  SecretKey key;
  Status none = ParseSecretKey(text, "", "enc.key", &key);
  EXPECT_NE(none.message().find("password"), std::string::npos) << none.message();
  Status wrong = ParseSecretKey(text, "not-it", "enc.key", &key);
  EXPECT_NE(wrong.message().find("wrong password"), std::string::npos) << wrong.message();
  Status right = ParseSecretKey(text, "approver-pass", "enc.key", &key);
  ASSERT_TRUE(right.ok()) << right.message();
  PublicKey expected;
  ASSERT_TRUE(ParsePublicKey(ReadText(pub), &expected).ok());
  EXPECT_EQ(key.Public().key, expected.key);
}

TEST_F(SigningTest, ADamagedOrForeignFileIsRefusedPlainly) {
  SecretKey key;
  EXPECT_NE(ParseSecretKey("untrusted comment: x\nnot base64!\n", "", "k", &key)
                .message()
                .find("not a minisign secret key"),
            std::string::npos);
  // A public key is not a secret key.
  EXPECT_FALSE(ParseSecretKey(ReadText(dir_ / "school.pub"), "", "k", &key).ok());
  // One flipped bit in the secret part fails the checksum.
  std::string text = ReadText(dir_ / "school.key");
  auto nl = text.find('\n');
  text[nl + 100] = text[nl + 100] == 'A' ? 'B' : 'A';
  Status s = ParseSecretKey(text, "", "school.key", &key);
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace nb::update
