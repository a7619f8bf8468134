// Back-off and Retry-After: pure unit tests with a pinned random source.
#include "sync/uploader/backoff.hpp"

#include <catch2/catch.hpp>
#include <ctime>

#include "sync/uploader/retry_after.hpp"

using namespace fk::uploader;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

Backoff pinned(double unit) {
  return Backoff(BackoffPolicy{}, [unit] { return unit; });
}

}  // namespace

TEST_CASE("the jitter window doubles from 1 s and stops at 10 min", "[backoff]") {
  const Backoff backoff = pinned(0.5);
  CHECK(backoff.window(0) == 1s);
  CHECK(backoff.window(1) == 2s);
  CHECK(backoff.window(5) == 32s);
  CHECK(backoff.window(9) == 512s);
  CHECK(backoff.window(10) == 10min);           // 1024 s would exceed the cap
  CHECK(backoff.window(4000000000u) == 10min);  // no overflow however long the outage
}

TEST_CASE("full jitter: every delay lies between 0 and the window", "[backoff]") {
  SECTION("the top of the random range stays inside the window") {
    Backoff backoff = pinned(0.999999);
    for (int i = 0; i < 40; ++i) {
      const auto window = backoff.window(backoff.failures());
      const auto delay = backoff.next_delay();
      CHECK(delay <= window);
      CHECK(delay >= window - 1ms);
    }
    CHECK(backoff.next_delay() <= 10min);
  }
  SECTION("the bottom of the range is an immediate retry") {
    Backoff backoff = pinned(0.0);
    for (int i = 0; i < 5; ++i) CHECK(backoff.next_delay() == 0ms);
  }
  SECTION("a random source out of range is clamped") {
    Backoff backoff = pinned(7.0);
    CHECK(backoff.next_delay() == 1s);
    Backoff negative = pinned(-3.0);
    CHECK(negative.next_delay() == 0ms);
  }
  SECTION("the real random source stays in bounds") {
    Backoff backoff;
    for (int i = 0; i < 200; ++i) {
      const auto window = backoff.window(backoff.failures());
      const auto delay = backoff.next_delay();
      CHECK(delay >= 0ms);
      CHECK(delay <= window);
    }
  }
}

TEST_CASE("half the window, failure after failure, until the cap", "[backoff]") {
  Backoff backoff = pinned(0.5);
  CHECK(backoff.next_delay() == 500ms);
  CHECK(backoff.next_delay() == 1s);
  CHECK(backoff.next_delay() == 2s);
  CHECK(backoff.next_delay() == 4s);
  for (int i = 0; i < 20; ++i) backoff.next_delay();
  CHECK(backoff.next_delay() == 5min);  // half of the 10 min cap
}

TEST_CASE("success resets the back-off", "[backoff]") {
  Backoff backoff = pinned(0.5);
  for (int i = 0; i < 6; ++i) backoff.next_delay();
  CHECK(backoff.failures() == 6);
  backoff.reset();
  CHECK(backoff.failures() == 0);
  CHECK(backoff.next_delay() == 500ms);
}

TEST_CASE("Retry-After is a floor, the cap a ceiling", "[backoff]") {
  Backoff backoff = pinned(0.0);
  CHECK(backoff.next_delay(120s) == 120s);  // jitter said 0: the server said 2 min
  CHECK(backoff.next_delay(0s) == 0ms);
  CHECK(backoff.next_delay(3600s) == 10min);  // an hour is capped at 10 min
  Backoff high = pinned(0.999);
  for (int i = 0; i < 12; ++i) high.next_delay();
  CHECK(high.next_delay(1s) > 9min);  // a short Retry-After does not shorten a long back-off
}

TEST_CASE("a custom policy", "[backoff]") {
  Backoff backoff(BackoffPolicy{100ms, 1s}, [] { return 0.999; });
  CHECK(backoff.window(0) == 100ms);
  CHECK(backoff.window(3) == 800ms);
  CHECK(backoff.window(4) == 1s);
  CHECK(backoff.next_delay(5s) == 1s);
}

TEST_CASE("a zero policy cannot make a hot loop", "[backoff]") {
  Backoff backoff(BackoffPolicy{0ms, 0ms}, [] { return 0.999; });
  CHECK(backoff.policy().base == 1ms);
  CHECK(backoff.policy().cap == 1ms);
  Backoff growing(BackoffPolicy{0ms, 10min}, [] { return 0.999; });
  for (int i = 0; i < 20; ++i) growing.next_delay();
  CHECK(growing.next_delay() > 5min);  // from 1 ms it still doubles up to the cap
}

TEST_CASE("Retry-After as delay-seconds", "[retry-after]") {
  CHECK(parse_retry_after("120", "", 0) == 120s);
  CHECK(parse_retry_after(" 7 ", "", 0) == 7s);
  CHECK(parse_retry_after("0", "", 0) == 0s);
  CHECK(parse_retry_after("99999999999999999999999999", "", 0) == kMaxRetryAfter);
  CHECK_FALSE(parse_retry_after("", "", 0).has_value());
  CHECK_FALSE(parse_retry_after("-5", "", 0).has_value());
  CHECK_FALSE(parse_retry_after("1.5", "", 0).has_value());
  CHECK_FALSE(parse_retry_after("soon", "", 0).has_value());
}

TEST_CASE("Retry-After as an HTTP-date is measured against the server's Date", "[retry-after]") {
  const char* date = "Sun, 22 Nov 2026 07:39:02 GMT";
  SECTION("both from the server: the kiosk's own clock does not matter") {
    CHECK(parse_retry_after("Sun, 22 Nov 2026 07:41:02 GMT", date, /*1970*/ 0) == 120s);
  }
  SECTION("the obsolete RFC 850 and asctime forms") {
    CHECK(parse_retry_after("Sunday, 22-Nov-26 07:40:02 GMT", date, 0) == 60s);
    CHECK(parse_retry_after("Sun Nov 22 07:39:32 2026", date, 0) == 30s);
  }
  SECTION("without a Date header the local clock is used") {
    std::tm tm{};
    tm.tm_year = 2026 - 1900;
    tm.tm_mon = 10;
    tm.tm_mday = 22;
    tm.tm_hour = 7;
    tm.tm_min = 39;
    tm.tm_sec = 2;
    const std::time_t now = timegm(&tm);  // the moment `date` names
    CHECK(parse_retry_after("Sun, 22 Nov 2026 07:39:12 GMT", "", now) == 10s);
  }
  SECTION("a date in the past means now") {
    CHECK(parse_retry_after("Sun, 22 Nov 2026 07:00:00 GMT", date, 0) == 0s);
  }
  SECTION("garbage is ignored") {
    CHECK_FALSE(parse_retry_after("Someday, 99 Foo", date, 0).has_value());
  }
}
