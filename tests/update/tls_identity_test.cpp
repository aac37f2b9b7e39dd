#include "update/tls_identity.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "state_folder_fixture.h"
#include "test_dir.h"

namespace nb::update {
namespace {

namespace fs = std::filesystem;
using testing_support::ReadText;

class TlsIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing_support::FreshTestDir("nb-tls-id"); }
  void TearDown() override { fs::remove_all(dir_); }

  TlsIdentity Make(const std::string& state_dir) {
    TlsIdentity id;
    Status s = LoadOrCreateTlsIdentity(fs_, state_dir, "", "", &id);
    EXPECT_TRUE(s.ok()) << s.message();
    return id;
  }

  fs::path dir_;
  PosixFileSystem fs_;
};

TEST_F(TlsIdentityTest, MakesItsOwnPairOnceAndReusesIt) {
  std::string state = (dir_ / "state").string();
  TlsIdentity first = Make(state);
  EXPECT_EQ(first.cert_file, state + "/tls-cert.pem");
  EXPECT_EQ(first.key_file, state + "/tls-key.pem");
  EXPECT_TRUE(first.self_signed_here);
  EXPECT_TRUE(
      std::regex_match(first.sha256_fingerprint, std::regex("([0-9A-F]{2}:){31}[0-9A-F]{2}")))
      << first.sha256_fingerprint;
  std::string cert = ReadText(first.cert_file), key = ReadText(first.key_file);
  EXPECT_EQ(cert.rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
  EXPECT_EQ(key.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);

  TlsIdentity second = Make(state);
  EXPECT_EQ(second.sha256_fingerprint, first.sha256_fingerprint);
  EXPECT_EQ(ReadText(second.cert_file), cert);
  EXPECT_EQ(ReadText(second.key_file), key);
  std::string fingerprint;
  ASSERT_TRUE(CertificateFingerprint(first.cert_file, &fingerprint).ok());
  EXPECT_EQ(fingerprint, first.sha256_fingerprint);
}

TEST_F(TlsIdentityTest, KeyFileIsReadableByItsOwnerOnly) {
  ::umask(0);
  TlsIdentity id = Make(dir_.string());
  ::umask(022);
  struct stat st {};
  ASSERT_EQ(::stat(id.key_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(TlsIdentityTest, CertificateIsP256ForThisHostForTenYears) {
  TlsIdentity id = Make(dir_.string());
  FILE* f = std::fopen(id.cert_file.c_str(), "r");
  ASSERT_TRUE(f);
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  ASSERT_TRUE(cert);
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  EXPECT_EQ(X509_check_host(cert, host, 0, 0, nullptr), 1) << host;
  EXPECT_EQ(X509_check_host(cert, (std::string(host) + ".local").c_str(), 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(cert, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "::1", 0), 1);
  EXPECT_EQ(X509_check_host(cert, "example.com", 0, 0, nullptr), 0);
  EVP_PKEY* key = X509_get0_pubkey(cert);
  ASSERT_TRUE(key);
  EXPECT_TRUE(EVP_PKEY_is_a(key, "EC"));
  char group[64] = {0};
  ASSERT_EQ(EVP_PKEY_get_group_name(key, group, sizeof group, nullptr), 1);
  EXPECT_STREQ(group, "prime256v1");
  // Valid now, still in nine years, no longer in eleven.
  time_t now = std::time(nullptr);
  time_t nine = now + 9L * 365 * 24 * 3600, eleven = now + 11L * 365 * 24 * 3600;
  EXPECT_LT(X509_cmp_time(X509_get0_notBefore(cert), &now), 0);
  EXPECT_GT(X509_cmp_time(X509_get0_notAfter(cert), &nine), 0);
  EXPECT_LT(X509_cmp_time(X509_get0_notAfter(cert), &eleven), 0);
  X509_free(cert);
}

TEST_F(TlsIdentityTest, KeyWithoutItsCertificateIsMadeAgain) {
  // A crash between the two writes leaves the key alone.
  TlsIdentity first = Make(dir_.string());
  fs::remove(first.cert_file);
  TlsIdentity again = Make(dir_.string());
  EXPECT_NE(again.sha256_fingerprint, first.sha256_fingerprint);
  EXPECT_TRUE(fs::exists(again.cert_file));
}

TEST_F(TlsIdentityTest, ConfiguredPairIsUsedAsGiven) {
  TlsIdentity made = Make((dir_ / "a").string());
  TlsIdentity id;
  Status s =
      LoadOrCreateTlsIdentity(fs_, (dir_ / "state").string(), made.cert_file, made.key_file, &id);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_FALSE(id.self_signed_here);
  EXPECT_EQ(id.cert_file, made.cert_file);
  EXPECT_EQ(id.sha256_fingerprint, made.sha256_fingerprint);
  EXPECT_FALSE(fs::exists(dir_ / "state" / "tls-cert.pem"));
}

TEST_F(TlsIdentityTest, ConfiguredPairThatDoesNotMatchIsAnErrorNamingTheFiles) {
  TlsIdentity a = Make((dir_ / "a").string());
  TlsIdentity b = Make((dir_ / "b").string());
  TlsIdentity id;
  Status s = LoadOrCreateTlsIdentity(fs_, dir_.string(), a.cert_file, b.key_file, &id);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(
      s.message().find(b.key_file + ": this key does not belong to the certificate " + a.cert_file),
      std::string::npos)
      << s.message();
}

TEST_F(TlsIdentityTest, OneOfThePairOrAFileThatIsNoPemIsAnError) {
  TlsIdentity a = Make((dir_ / "a").string());
  TlsIdentity id;
  Status s = LoadOrCreateTlsIdentity(fs_, dir_.string(), a.cert_file, "", &id);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("set both api.tls_cert and api.tls_key"), std::string::npos)
      << s.message();
  std::string junk = (dir_ / "junk.pem").string();
  std::ofstream(junk) << "not a certificate\n";
  s = LoadOrCreateTlsIdentity(fs_, dir_.string(), junk, a.key_file, &id);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(junk + ": not a PEM certificate"), std::string::npos) << s.message();
  s = LoadOrCreateTlsIdentity(fs_, dir_.string(), a.cert_file, junk, &id);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(junk + ": not a PEM private key"), std::string::npos) << s.message();
  s = LoadOrCreateTlsIdentity(fs_, dir_.string(), a.cert_file, (dir_ / "missing.pem").string(),
                              &id);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("missing.pem"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace nb::update
