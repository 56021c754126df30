// Secrets the store keeps: users' passwords (argon2id hashes) and invitation tokens (SHA-256
// hashes). Neither a password nor a token is ever stored as given. libsodium underneath.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace shindan {

// An argon2id hash of `password` in the self-describing format of libsodium's crypto_pwhash_str
// ("$argon2id$v=19$m=65536,t=2,p=1$…"), salted with fresh random bytes: hashing the same password
// twice gives different strings. Takes about 0.1 s and 64 MiB (libsodium's "interactive" limits).
// Internal error only when the memory cannot be had.
Result<std::string> HashPassword(std::string_view password);

// Whether `password` matches `hash` (from HashPassword). False for a malformed hash.
bool VerifyPassword(std::string_view password, const std::string& hash);

// Whether `hash` was made with weaker limits than HashPassword uses now; rehash at the next login.
bool PasswordNeedsRehash(const std::string& hash);

// A new invitation token: 32 random bytes (libsodium's CSPRNG) in unpadded base64url, 43
// characters that are safe in a URL path; the first is a letter or digit, never '-' or '_'.
std::string NewToken();

// What the store keeps of a token: its SHA-256 in 64 lower-case hex digits.
std::string HashToken(std::string_view token);

}  // namespace shindan
