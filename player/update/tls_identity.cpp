#include "update/tls_identity.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>

namespace nb::update {
namespace {

constexpr const char* kStateCertFile = "tls-cert.pem";
constexpr const char* kStateKeyFile = "tls-key.pem";
constexpr std::size_t kMaxPemBytes = 1024 * 1024;
constexpr long kValidDays = 3650;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;

std::string Join(const std::string& dir, const char* name) {
  return (std::filesystem::path(dir) / name).string();
}

// The host name as a DNS name can carry it; anything else (an underscore, an
// empty name) would make a certificate no browser accepts for it anyway.
std::string HostName() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "noticeboard";
  std::string host = buf;
  bool usable = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
  return usable ? host : "noticeboard";
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

std::string Fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len) != 1) return "";
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    if (i > 0) out += ':';
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

bool AddExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// A self-signed ECDSA P-256 certificate for this host, as PEM texts.
bool MakeSelfSigned(std::string* cert_pem, std::string* key_pem) {
  KeyPtr key(EVP_EC_gen("P-256"));
  CertPtr cert(X509_new());
  if (!key || !cert) return false;
  const std::string host = HostName();
  BnPtr serial(BN_new());
  X509_NAME* name = X509_get_subject_name(cert.get());
  bool ok =
      serial && BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) &&
      X509_set_version(cert.get(), 2) == 1 &&
      // A day back: a screen whose clock is a little behind still
      // accepts its own certificate, and so do browsers.
      X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24 * 3600) &&
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), kValidDays, 0, nullptr) &&
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(host.c_str()), -1, -1,
                                 0) == 1 &&
      X509_set_issuer_name(cert.get(), name) == 1 && X509_set_pubkey(cert.get(), key.get()) == 1 &&
      AddExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") &&
      AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature") &&
      AddExtension(cert.get(), NID_ext_key_usage, "serverAuth") &&
      AddExtension(cert.get(), NID_subject_key_identifier, "hash") &&
      AddExtension(cert.get(), NID_subject_alt_name,
                   "DNS:" + host + ",DNS:" + host + ".local,DNS:localhost,IP:127.0.0.1,IP:::1") &&
      X509_sign(cert.get(), key.get(), EVP_sha256()) > 0;
  if (!ok) return false;
  BioPtr key_bio(BIO_new(BIO_s_mem())), cert_bio(BIO_new(BIO_s_mem()));
  if (!key_bio || !cert_bio ||
      PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1 ||
      PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1) {
    return false;
  }
  *key_pem = BioText(key_bio.get());
  *cert_pem = BioText(cert_bio.get());
  return true;
}

Status ReadCertificate(FileSystem& fs, const std::string& path, CertPtr* cert) {
  std::string pem;
  if (Status s = fs.ReadFile(path, &pem, kMaxPemBytes); !s.ok()) return s;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  cert->reset(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!*cert)
    return Status::Error(path + ": not a PEM certificate (\"-----BEGIN CERTIFICATE-----\")");
  return Status();
}

Status ReadKey(FileSystem& fs, const std::string& path, KeyPtr* key) {
  std::string pem;
  if (Status s = fs.ReadFile(path, &pem, kMaxPemBytes); !s.ok()) return s;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  key->reset(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  std::fill(pem.begin(), pem.end(), '\0');
  if (!*key) {
    return Status::Error(path +
                         ": not a PEM private key without a passphrase (\"-----BEGIN PRIVATE "
                         "KEY-----\")");
  }
  return Status();
}

// Loads a pair and checks that the key is the certificate's.
Status LoadPair(FileSystem& fs, const std::string& cert_file, const std::string& key_file,
                TlsIdentity* out) {
  CertPtr cert;
  KeyPtr key;
  if (Status s = ReadCertificate(fs, cert_file, &cert); !s.ok()) return s;
  if (Status s = ReadKey(fs, key_file, &key); !s.ok()) return s;
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return Status::Error(key_file + ": this key does not belong to the certificate " + cert_file +
                         "; give the key the certificate was made for");
  }
  out->cert_file = cert_file;
  out->key_file = key_file;
  out->sha256_fingerprint = Fingerprint(cert.get());
  return Status();
}

}  // namespace

Status LoadOrCreateTlsIdentity(FileSystem& fs, const std::string& state_dir,
                               const std::string& cert_file, const std::string& key_file,
                               TlsIdentity* out) {
  if (!cert_file.empty() || !key_file.empty()) {
    if (cert_file.empty() || key_file.empty()) {
      return Status::Error(
          "the API's certificate and key go together: set both api.tls_cert and api.tls_key "
          "(PEM files), or neither for a certificate this screen makes itself");
    }
    *out = TlsIdentity{};
    return LoadPair(fs, cert_file, key_file, out);
  }
  const std::string cert_path = Join(state_dir, kStateCertFile);
  const std::string key_path = Join(state_dir, kStateKeyFile);
  *out = TlsIdentity{};
  out->self_signed_here = true;
  // The key is written first, then the certificate: a crash between the
  // two leaves a key without its certificate, and both are made again.
  if (!fs.Exists(cert_path)) {
    std::string cert_pem, key_pem;
    if (!MakeSelfSigned(&cert_pem, &key_pem))
      return Status::Error("cannot make a certificate for HTTPS (OpenSSL failed)");
    if (Status s = fs.CreateFolder(state_dir); !s.ok()) return s;
    Status s = fs.WriteFileAtomicWithMode(key_path, key_pem, 0600, -1);
    std::fill(key_pem.begin(), key_pem.end(), '\0');
    if (!s.ok()) return s;
    if (s = fs.WriteFileAtomic(cert_path, cert_pem); !s.ok()) return s;
  }
  Status s = LoadPair(fs, cert_path, key_path, out);
  if (!s.ok()) {
    return Status::Error(s.message() + " (to make a new certificate, delete " + cert_path +
                         " and " + key_path + " and restart the player)");
  }
  return Status();
}

Status CertificateFingerprint(const std::string& cert_file, std::string* fingerprint) {
  BioPtr bio(BIO_new_file(cert_file.c_str(), "r"));
  if (!bio) return Status::Error(cert_file + ": cannot open");
  CertPtr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return Status::Error(cert_file + ": not a PEM certificate");
  *fingerprint = Fingerprint(cert.get());
  return Status();
}

}  // namespace nb::update
