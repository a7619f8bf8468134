// Small pieces of sync/central: tokens, the Authorization header, the rate limiter, --listen parsing.
#include <catch2/catch.hpp>
#include <set>

#include "sync/central/commands.hpp"
#include "sync/central/rate_limiter.hpp"
#include "sync/central/tokens.hpp"

using namespace fk::central;

TEST_CASE("tokens are 64 hex characters, all different, stored as their SHA-256", "[tokens]") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = new_token();
    CHECK(t.size() == 64);
    CHECK(t.find_first_not_of("0123456789abcdef") == std::string::npos);
    seen.insert(t);
  }
  CHECK(seen.size() == 100);
  CHECK(token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("bearer_token reads the Authorization header strictly", "[tokens]") {
  CHECK(bearer_token("Bearer abc") == "abc");
  CHECK(bearer_token("bearer abc") == "abc");
  CHECK(bearer_token("BEARER   abc  ") == "abc");
  CHECK_FALSE(bearer_token("").has_value());
  CHECK_FALSE(bearer_token("Bearer").has_value());
  CHECK_FALSE(bearer_token("Bearer ").has_value());
  CHECK_FALSE(bearer_token("Basic abc").has_value());
  CHECK_FALSE(bearer_token("Bearer a b").has_value());
  CHECK_FALSE(bearer_token("Bearer \x01").has_value());
  CHECK_FALSE(bearer_token("Bearer " + std::string(300, 'a')).has_value());
}

TEST_CASE("the rate limiter allows a burst, then the average, per kiosk", "[rate]") {
  RateLimiter limiter(RateLimit{2, 3});
  const auto t0 = RateLimiter::Clock::time_point{} + std::chrono::hours(1);
  for (int i = 0; i < 3; ++i) CHECK(limiter.acquire("a", t0).count() == 0);
  CHECK(limiter.acquire("a", t0).count() == 1);  // 0.5 s away, rounded up
  CHECK(limiter.acquire("b", t0).count() == 0);  // another kiosk's bucket is full
  CHECK(limiter.acquire("a", t0 + std::chrono::milliseconds(500)).count() == 0);
  CHECK(limiter.acquire("a", t0 + std::chrono::milliseconds(500)).count() == 1);
  // Refills to the burst, never beyond.
  const auto later = t0 + std::chrono::hours(1);
  for (int i = 0; i < 3; ++i) CHECK(limiter.acquire("a", later).count() == 0);
  CHECK(limiter.acquire("a", later).count() >= 1);
  // A slow rate asks for a longer wait.
  RateLimiter slow(RateLimit{0.1, 1});
  CHECK(slow.acquire("a", t0).count() == 0);
  CHECK(slow.acquire("a", t0).count() == 10);
  // Zero turns it off.
  RateLimiter off(RateLimit{0, 0});
  for (int i = 0; i < 1000; ++i) CHECK(off.acquire("a", t0).count() == 0);
}

TEST_CASE("parse_listen reads the host and port of --listen", "[cli]") {
  auto a = parse_listen("127.0.0.1:8080");
  REQUIRE(a.ok());
  CHECK(a->host == "127.0.0.1");
  CHECK(a->port == 8080);
  auto v6 = parse_listen("[::1]:0");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == 0);
  for (const char* bad : {"8080", ":8080", "host:", "host:70000", "host:-1", "host:80x"}) {
    INFO(bad);
    CHECK_FALSE(parse_listen(bad).ok());
  }
}

TEST_CASE("kiosk ids and user names are plain", "[cli]") {
  CHECK(is_valid_name("central-lobby_1.a"));
  CHECK_FALSE(is_valid_name(""));
  CHECK_FALSE(is_valid_name("a b"));
  CHECK_FALSE(is_valid_name("ü"));
  CHECK_FALSE(is_valid_name(std::string(65, 'a')));
}
