// TlsIdentity: the certificate and key the API server (and so the web
// console) serves HTTPS with.
//
// Contract:
// - LoadOrCreateTlsIdentity() uses the configured certificate and key
//   (api.tls_cert, api.tls_key: PEM files) when both are set; they must load
//   and match, else an error naming the file. With neither set it uses
//   tls-cert.pem / tls-key.pem in the state folder, making them on the first
//   start: a self-signed certificate (ECDSA P-256, valid for ten years,
//   subject CN = the host name, subjectAltName DNS:<host name>,
//   DNS:<host name>.local, DNS:localhost, IP:127.0.0.1, IP:::1). The key is
//   written first, mode 0600; each file is written atomically, so a crash
//   never leaves half a key. One set without the other is an error.
// - The identity carries the certificate's SHA-256 fingerprint as browsers
//   show it ("AB:CD:...", 32 upper-case hex pairs), which the log, the
//   status page and `noticeboard console` print so that staff can check the
//   certificate their browser was given.
// - Compiled into the network module only (it uses OpenSSL).
#pragma once

#include <string>

#include "base/env.h"
#include "base/status.h"

namespace nb::update {

struct TlsIdentity {
  std::string cert_file;  // PEM
  std::string key_file;   // PEM
  std::string sha256_fingerprint;
  bool self_signed_here = false;  // made by this player (in the state folder)
};

// cert_file / key_file: the config's values (both empty: the state folder's).
Status LoadOrCreateTlsIdentity(FileSystem& fs, const std::string& state_dir,
                               const std::string& cert_file, const std::string& key_file,
                               TlsIdentity* out);

// The SHA-256 fingerprint of the first certificate in a PEM file.
Status CertificateFingerprint(const std::string& cert_file, std::string* fingerprint);

}  // namespace nb::update
