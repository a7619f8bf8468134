// The PIN's format and its Argon2id hash: right PINs match, wrong ones and damaged hashes do not.
#include "kiosk/staff/pin.hpp"

#include <catch2/catch.hpp>
#include <chrono>

using namespace fk::kiosk::staff;

TEST_CASE("a staff PIN is 4 to 8 digits") {
  CHECK(check_pin_format("1234").ok());
  CHECK(check_pin_format("12345678").ok());
  CHECK_FALSE(check_pin_format("123").ok());
  CHECK_FALSE(check_pin_format("123456789").ok());
  CHECK_FALSE(check_pin_format("12a4").ok());
  CHECK_FALSE(check_pin_format("12 34").ok());
  CHECK_FALSE(hash_pin("12").ok());
}

TEST_CASE("a PIN is stored as an Argon2id hash that only the same PIN matches") {
  auto hash = hash_pin("2468");
  REQUIRE(hash.ok());
  CHECK(hash->rfind("$argon2id$", 0) == 0);
  CHECK(hash->find("2468") == std::string::npos);
  CHECK(*hash != *hash_pin("2468"));  // salted: the same PIN hashes differently each time

  const auto start = std::chrono::steady_clock::now();
  CHECK(pin_matches(*hash, "2468"));
  const auto took = std::chrono::steady_clock::now() - start;
  WARN("one Argon2id verification took "
       << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
  CHECK_FALSE(pin_matches(*hash, "2469"));
  CHECK_FALSE(pin_matches(*hash, ""));
  CHECK_FALSE(pin_matches("", "2468"));
  CHECK_FALSE(pin_matches("$argon2id$garbage", "2468"));
}
