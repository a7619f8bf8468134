// Bearer tokens for kiosks and users: 32 random bytes, shown once as hex, kept only as their SHA-256.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fk::central {

inline constexpr std::size_t kTokenBytes = 32;

// 64 lower-case hex characters from libsodium's CSPRNG.
std::string new_token();

// Lower-case hex SHA-256 of the token. 256 random bits need no slow password hash: nobody can guess a
// preimage, so a fast hash lookup is both safe and cheap per request.
std::string token_hash(std::string_view token);

// The token in an `Authorization: Bearer <token>` header value; nothing when the header is missing or
// malformed. The scheme is case-insensitive (RFC 7235); the token is not.
std::optional<std::string> bearer_token(std::string_view authorization);

}  // namespace fk::central
