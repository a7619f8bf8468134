#include "kiosk/staff/pin.hpp"

#include <sodium.h>

namespace fk::kiosk::staff {
namespace {

bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;  // idempotent and thread-safe; once per process
  return ready;
}

}  // namespace

Expected<Ok> check_pin_format(std::string_view pin) {
  if (pin.size() < kMinPinDigits || pin.size() > kMaxPinDigits) {
    return Error{"a staff PIN is " + std::to_string(kMinPinDigits) + " to " + std::to_string(kMaxPinDigits) +
                 " digits; this one has " + std::to_string(pin.size()) + " characters"};
  }
  for (char c : pin) {
    if (c < '0' || c > '9') return Error{"a staff PIN is digits only (0-9)"};
  }
  return Ok{};
}

Expected<std::string> hash_pin(std::string_view pin) {
  if (auto ok = check_pin_format(pin); !ok) return ok.error();
  if (!sodium_ready()) return Error{"libsodium could not be initialised"};
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error{"not enough memory to hash the PIN"};
  }
  return std::string(out);
}

bool pin_matches(const std::string& hash, std::string_view pin) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES || !sodium_ready()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;
}

}  // namespace fk::kiosk::staff
