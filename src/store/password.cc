// Password and token hashing with libsodium.
//
// crypto_pwhash_str_alg with crypto_pwhash_ALG_ARGON2ID13 names the algorithm explicitly rather
// than relying on the library's default; OPSLIMIT/MEMLIMIT_INTERACTIVE are libsodium's
// recommendation for online logins. Tokens are 256-bit random values, so a fast hash (SHA-256) is
// enough to keep a stolen database from yielding usable tokens: there is nothing to brute-force.
#include "store/password.h"

#include <sodium.h>

#include <cstdlib>

namespace shindan {

namespace {

// sodium_init() is idempotent and thread-safe; call it before any use.
void EnsureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) std::abort();  // no usable random source: nothing safe can be done
    return true;
  }();
  (void)ready;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("hash password: out of memory (argon2id needs 64 MiB)");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  EnsureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(const std::string& hash) {
  EnsureSodium();
  return crypto_pwhash_str_needs_rehash(hash.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

std::string NewToken() {
  EnsureSodium();
  unsigned char bytes[32];
  // A token is pasted after command-line flags (`invite --revoke TOKEN`), where a leading '-' reads
  // as an option and a leading '_' looks like a typo: the first character is always a letter or
  // digit. Redrawing costs 0.05 of 256 bits.
  do {
    randombytes_buf(bytes, sizeof bytes);
  } while ((bytes[0] >> 2) >= 62);
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  char out[sodium_base64_ENCODED_LEN(sizeof bytes, kVariant)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, kVariant);
  return out;
}

std::string HashToken(std::string_view token) {
  EnsureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace shindan
