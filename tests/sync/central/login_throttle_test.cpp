// LoginThrottle on an injected clock: the lock-out after N failures, its end after the window, addresses
// counted apart (IPv6 by /64), and the bound on tracked addresses.
#include "sync/central/login_throttle.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

using fk::central::LoginThrottle;
using fk::central::LoginThrottleLimits;
using std::chrono::seconds;

namespace {

struct Throttled {
  explicit Throttled(LoginThrottleLimits limits) : throttle(limits, [this] { return now; }) {}
  std::chrono::steady_clock::time_point now = std::chrono::steady_clock::time_point() + std::chrono::hours(1);
  LoginThrottle throttle;
};

}  // namespace

TEST_CASE("an address is refused after N failures within the window, until the window passes", "[throttle]") {
  Throttled t(LoginThrottleLimits{3, std::chrono::minutes(10), 100});
  CHECK(t.throttle.wait("192.0.2.1") == seconds(0));
  CHECK(t.throttle.record_failure("192.0.2.1") == 1);
  t.now += std::chrono::minutes(1);
  CHECK(t.throttle.record_failure("192.0.2.1") == 2);
  CHECK(t.throttle.wait("192.0.2.1") == seconds(0));
  CHECK(t.throttle.record_failure("192.0.2.1") == 3);
  CHECK(t.throttle.wait("192.0.2.1") == seconds(600));  // from the failure that tipped it
  // Another address, even a neighbour, is not affected.
  CHECK(t.throttle.wait("192.0.2.2") == seconds(0));
  t.now += std::chrono::seconds(599) + std::chrono::milliseconds(500);
  CHECK(t.throttle.wait("192.0.2.1") == seconds(1));  // rounded up, never 0 while refused
  t.now += std::chrono::milliseconds(500);
  CHECK(t.throttle.wait("192.0.2.1") == seconds(0));
  // A fresh count after that.
  CHECK(t.throttle.record_failure("192.0.2.1") == 1);
}

TEST_CASE("failures older than the window are forgotten", "[throttle]") {
  Throttled t(LoginThrottleLimits{3, std::chrono::minutes(10), 100});
  t.throttle.record_failure("192.0.2.1");
  t.throttle.record_failure("192.0.2.1");
  t.now += std::chrono::minutes(11);
  CHECK(t.throttle.record_failure("192.0.2.1") == 1);
  CHECK(t.throttle.wait("192.0.2.1") == seconds(0));
}

TEST_CASE("IPv6 addresses count per /64; IPv4-mapped ones per host", "[throttle]") {
  CHECK(fk::central::throttle_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64");
  CHECK(fk::central::throttle_key("2001:db8:1:2:bbbb::7") == "2001:db8:1:2::/64");
  CHECK(fk::central::throttle_key("::ffff:192.0.2.1") == "::ffff:192.0.2.1");
  CHECK(fk::central::throttle_key("192.0.2.1") == "192.0.2.1");
  Throttled t(LoginThrottleLimits{2, std::chrono::minutes(10), 100});
  t.throttle.record_failure("2001:db8:1:2::1");
  t.throttle.record_failure("2001:db8:1:2::2");
  CHECK(t.throttle.wait("2001:db8:1:2::3") > seconds(0));
  CHECK(t.throttle.wait("2001:db8:1:3::1") == seconds(0));
}

TEST_CASE("tracked addresses are bounded; the one touched longest ago goes first", "[throttle]") {
  Throttled t(LoginThrottleLimits{2, std::chrono::minutes(10), 3});
  t.throttle.record_failure("10.0.0.1");
  t.throttle.record_failure("10.0.0.1");  // locked out
  t.throttle.record_failure("10.0.0.2");
  t.throttle.record_failure("10.0.0.3");
  t.throttle.record_failure("10.0.0.2");  // touched again: now the newest
  CHECK(t.throttle.tracked() == 3);
  t.throttle.record_failure("10.0.0.4");  // evicts 10.0.0.1, the least recently touched
  CHECK(t.throttle.tracked() == 3);
  CHECK(t.throttle.wait("10.0.0.1") == seconds(0));
  CHECK(t.throttle.wait("10.0.0.2") > seconds(0));
  for (int i = 0; i < 1000; ++i)
    t.throttle.record_failure("10.1." + std::to_string(i / 256) + "." + std::to_string(i % 256));
  CHECK(t.throttle.tracked() == 3);
}

TEST_CASE("a throttle with no failures allowed is off", "[throttle]") {
  Throttled t(LoginThrottleLimits{0, std::chrono::minutes(10), 3});
  for (int i = 0; i < 10; ++i) t.throttle.record_failure("10.0.0.1");
  CHECK(t.throttle.wait("10.0.0.1") == seconds(0));
}
