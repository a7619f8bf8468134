// The staff PIN: 4–8 digits, kept only as an Argon2id hash (libsodium crypto_pwhash_str, interactive limits).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sync/model/expected.hpp"

namespace fk::kiosk::staff {

inline constexpr std::size_t kMinPinDigits = 4;
inline constexpr std::size_t kMaxPinDigits = 8;

// Ok for 4–8 ASCII digits; otherwise an Error saying what a PIN must be.
Expected<Ok> check_pin_format(std::string_view pin);
// An Argon2id hash string ("$argon2id$v=19$…", salt included). Refuses a malformed PIN.
Expected<std::string> hash_pin(std::string_view pin);
// True when `pin` matches `hash`; false for a wrong PIN, an empty or malformed hash.
bool pin_matches(const std::string& hash, std::string_view pin);

}  // namespace fk::kiosk::staff
