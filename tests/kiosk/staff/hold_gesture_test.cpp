// The hidden staff entry: only a 3-second press that starts in the top-left corner and stays put.
#include "kiosk/staff/hold_gesture.hpp"

#include <catch2/catch.hpp>

using namespace fk::kiosk::staff;
using namespace std::chrono_literals;

TEST_CASE("a three second press in the top-left corner opens the staff entry once") {
  HoldGesture g;
  const HoldGesture::TimePoint t0{};
  CHECK_FALSE(g.update(true, 30, 30, t0));
  REQUIRE(g.deadline());
  CHECK(*g.deadline() == t0 + 3s);
  CHECK_FALSE(g.update(true, 45, 40, t0 + 2900ms));  // a small drift is fine
  CHECK(g.update(true, 45, 40, t0 + 3s));
  CHECK(g.swallowing());
  CHECK_FALSE(g.update(true, 45, 40, t0 + 5s));  // once per press
  CHECK_FALSE(g.update(false, 45, 40, t0 + 6s));
  CHECK_FALSE(g.swallowing());
}

TEST_CASE("taps and presses elsewhere never open the staff entry") {
  const HoldGesture::TimePoint t0{};
  SECTION("a short tap in the corner") {
    HoldGesture g;
    g.update(true, 10, 10, t0);
    CHECK_FALSE(g.update(false, 10, 10, t0 + 300ms));
    CHECK_FALSE(g.update(true, 10, 10, t0 + 3500ms));  // a new press starts its own count
  }
  SECTION("a long press outside the corner") {
    HoldGesture g;
    g.update(true, 500, 400, t0);
    CHECK_FALSE(g.deadline());
    CHECK_FALSE(g.update(true, 500, 400, t0 + 10s));
  }
  SECTION("a press that moves away") {
    HoldGesture g;
    g.update(true, 20, 20, t0);
    g.update(true, 200, 20, t0 + 1s);
    CHECK_FALSE(g.update(true, 20, 20, t0 + 4s));
  }
  SECTION("the corner scales with the display") {
    HoldGesture small(0.5f);  // 540p
    small.update(true, 100, 100, t0);
    CHECK_FALSE(small.deadline());
  }
}
