#include "update/push_client.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sodium.h>

#include <cctype>
#include <cstring>
#include <mutex>

#include "update/api_server.h"

namespace nb::update {
namespace {

std::size_t CollectBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() > 1024 * 1024) return 0;  // answers are small
  out->append(data, size * count);
  return size * count;
}

// What the pinned handshake compares and saw.
struct PinCheck {
  std::string pin;   // 64 upper-case hex digits
  std::string seen;  // the server's fingerprint, "AB:CD:..."
  bool refused = false;
};

// Replaces OpenSSL's chain verification for this transfer: the peer is
// accepted when its leaf certificate's SHA-256 is the pin, and only then.
int VerifyPinned(X509_STORE_CTX* store, void* arg) {
  auto* check = static_cast<PinCheck*>(arg);
  X509* leaf = X509_STORE_CTX_get0_cert(store);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::string hex;
  if (leaf && X509_digest(leaf, EVP_sha256(), md, &len) == 1) {
    static const char kHex[] = "0123456789ABCDEF";
    for (unsigned int i = 0; i < len; ++i) {
      if (i > 0) check->seen += ':';
      check->seen += kHex[md[i] >> 4];
      check->seen += kHex[md[i] & 15];
      hex += kHex[md[i] >> 4];
      hex += kHex[md[i] & 15];
    }
  }
  if (hex.empty() || hex != check->pin) {
    check->refused = true;
    X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
    return 0;
  }
  return 1;
}

CURLcode InstallPin(CURL*, void* ssl_ctx, void* arg) {
  SSL_CTX_set_cert_verify_callback(static_cast<SSL_CTX*>(ssl_ctx), VerifyPinned, arg);
  return CURLE_OK;
}

std::string WithColons(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    if (i > 0) out += ':';
    out += hex.substr(i, 2);
  }
  return out;
}

bool IsHttps(const std::string& url) {
  std::string scheme = url.substr(0, 8);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return scheme == "https://";
}

}  // namespace

PushResult PushPlaylist(const std::string& url, const std::string& body, const std::string& token,
                        const std::optional<std::string>& minisig_text,
                        std::chrono::milliseconds timeout, const std::string& pin_sha256) {
  return CallScreenApi(url, ApiCall{"PUT", kApiPlaylistPath, "application/json", body}, token,
                       minisig_text, timeout, pin_sha256);
}

PushResult CallScreenApi(const std::string& url, const ApiCall& call, const std::string& token,
                         const std::optional<std::string>& minisig_text,
                         std::chrono::milliseconds timeout, const std::string& pin_sha256) {
  const std::string& body = call.body;
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  PushResult result;
  PinCheck pin;
  if (!pin_sha256.empty()) {
    if (!NormalizeFingerprint(pin_sha256, &pin.pin)) {
      result.error = "the pinned fingerprint \"" + pin_sha256 +
                     "\" is not a SHA-256 fingerprint (32 pairs of hex digits, AB:CD:...)";
      return result;
    }
    if (!IsHttps(url)) {
      result.error = url + ": a pinned certificate needs an https:// address";
      return result;
    }
  }
  std::string target = url;
  if (target.find("/api/v1/") == std::string::npos) {
    while (!target.empty() && target.back() == '/') target.pop_back();
    target += call.path;
  }
  CURL* curl = curl_easy_init();
  if (!curl) {
    result.error = "cannot start a transfer (libcurl)";
    return result;
  }
  curl_slist* headers = nullptr;
  if (!call.content_type.empty())
    headers = curl_slist_append(headers, ("Content-Type: " + call.content_type).c_str());
  headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  if (minisig_text) {
    std::string b64(sodium_base64_ENCODED_LEN(minisig_text->size(), sodium_base64_VARIANT_ORIGINAL),
                    '\0');
    sodium_bin2base64(b64.data(), b64.size(),
                      reinterpret_cast<const unsigned char*>(minisig_text->data()),
                      minisig_text->size(), sodium_base64_VARIANT_ORIGINAL);
    b64.resize(std::strlen(b64.c_str()));
    headers = curl_slist_append(headers, (std::string(kApiSignatureHeader) + ": " + b64).c_str());
  }
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, target.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, call.method.c_str());
  if (call.method != "GET" && call.method != "DELETE") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CollectBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  CURLcode code = CURLE_OK;
  if (!pin.pin.empty()) {
    // The pin replaces the CAs and the host name (a screen's certificate is
    // its own, reached by any of its addresses); no session is reused, so
    // every connection shows its certificate to the check.
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(curl, CURLOPT_CAINFO, nullptr);
    curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);
    curl_easy_setopt(curl, CURLOPT_SSL_SESSIONID_CACHE, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, &pin);
    code = curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, InstallPin);
    if (code != CURLE_OK)
      result.error = "this libcurl cannot check a pinned certificate (it is not built on OpenSSL)";
  }
  if (code == CURLE_OK) code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.http_status);
  if (pin.refused) {
    result.http_status = 0;
    result.error = target + ": the screen's certificate has the fingerprint " +
                   (pin.seen.empty() ? "(none)" : pin.seen) + ", not the pinned " +
                   WithColons(pin.pin) +
                   "; nothing was sent (is it another screen, or was its certificate made anew?)";
  } else if (code != CURLE_OK && result.http_status == 0 && result.error.empty()) {
    result.error = target + ": " + (errbuf[0] ? errbuf : curl_easy_strerror(code));
    if (code == CURLE_PEER_FAILED_VERIFICATION) {
      result.error +=
          "; a screen's own certificate is one no authority vouches for: pass the SHA-256 "
          "fingerprint the screen shows (its status page, its log) with --pin";
    }
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return result;
}

}  // namespace nb::update
