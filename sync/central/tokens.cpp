// Token generation and hashing on libsodium, and reading the Authorization header.
#include "sync/central/tokens.hpp"

#include <sodium.h>

#include <array>
#include <cstdlib>

#include "sync/model/response.hpp"

namespace fk::central {

std::string new_token() {
  // Safe to call from any thread and more than once; without it randombytes may not be seeded.
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();  // no trustworthy randomness: never hand out a guessable token
  std::array<unsigned char, kTokenBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, kTokenBytes * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  sodium_memzero(bytes.data(), bytes.size());
  return std::string(hex.data(), kTokenBytes * 2);
}

std::string token_hash(std::string_view token) {
  // The same SHA-256 the wire uses for payloads.
  return model::payload_hash(std::string(token));
}

std::optional<std::string> bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    const char c = authorization[i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != kScheme[i]) return std::nullopt;
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  // A token is printable ASCII with no spaces; anything else cannot be one of ours.
  if (token.empty() || token.size() > 256) return std::nullopt;
  for (char c : token) {
    if (c <= ' ' || c > '~') return std::nullopt;
  }
  return std::string(token);
}

}  // namespace fk::central
