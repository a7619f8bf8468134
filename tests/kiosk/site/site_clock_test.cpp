// The site's clock with both clocks injected: closing time during a visit, the closed screen woken by a
// touch, the help overlay holding the visit's clock (with a real VisitFlow), the next wake-ups, and the
// America/Los_Angeles DST changes of 2026 (zone rules from /usr/share/zoneinfo, as in opening_hours_test).
#include "kiosk/site/site_clock.hpp"

#include <catch2/catch.hpp>
#include <ctime>

#include "kiosk/flow/visit_flow.hpp"
#include "sync/model/survey_parser.hpp"
#include "sync/store/memory_response_store.hpp"

using namespace fk;
using namespace fk::kiosk;
using namespace fk::kiosk::site;
using namespace std::chrono_literals;

namespace {

std::time_t utc(int year, int month, int day, int hour, int minute) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  return timegm(&tm);
}

// Index by tm_wday: 0 Sunday … 6 Saturday.
schedule::OpeningHours los_angeles(std::array<std::vector<const char*>, 7> spec) {
  std::array<std::vector<schedule::Range>, 7> days;
  for (std::size_t d = 0; d < 7; ++d) {
    for (const char* text : spec[d]) {
      auto range = schedule::parse_range(text);
      REQUIRE(range.ok());
      REQUIRE_FALSE(schedule::OpeningHours::add_range(days[d], *range).has_value());
    }
  }
  return schedule::OpeningHours("America/Los_Angeles", days);
}

// Open every day 08:00-17:00 in Los Angeles.
schedule::OpeningHours daily() {
  return los_angeles({{{"08:00-17:00"},
                       {"08:00-17:00"},
                       {"08:00-17:00"},
                       {"08:00-17:00"},
                       {"08:00-17:00"},
                       {"08:00-17:00"},
                       {"08:00-17:00"}}});
}

// The two clocks of a kiosk, moved together: the monotonic one the loop passes in, the wall clock the
// opening hours are read by.
struct Clocks {
  TimePoint now{};
  std::chrono::system_clock::time_point wall;

  explicit Clocks(std::time_t start) : wall(std::chrono::system_clock::from_time_t(start)) {}
  SiteClock site(schedule::OpeningHours hours) {
    return SiteClock(std::move(hours), [this] { return wall; });
  }
  void advance(std::chrono::steady_clock::duration d) {
    now += d;
    wall += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
  }
  // What the kiosk's loop does while nothing is touched: sleep until the site's next wake-up, then tick.
  // Returns the wall time at which the site opened or closed (or the end, if it never did).
  std::chrono::system_clock::time_point sleep_until_change(SiteClock& site, bool between_visits,
                                                           int max_wakeups = 1000) {
    for (int i = 0; i < max_wakeups; ++i) {
      const auto wake = site.next_wakeup(now, between_visits);
      REQUIRE(wake.has_value());
      REQUIRE(*wake >= now);
      advance(*wake - now);
      if (site.tick(now, between_visits)) return wall;
    }
    FAIL("the site never changed");
    return wall;
  }
};

std::chrono::system_clock::time_point at(std::time_t t) {
  return std::chrono::system_clock::from_time_t(t);
}

}  // namespace

TEST_CASE(
    "closing time during a visit: the visit finishes first, then the kiosk closes on the attract screen") {
  Clocks clocks(utc(2026, 11, 17, 0, 55));  // Monday 16:55 PST, open
  SiteClock site = clocks.site(daily());
  CHECK_FALSE(site.tick(clocks.now, true));
  CHECK_FALSE(site.closed());
  CHECK(site.next_wakeup(clocks.now, true) ==
        clocks.now + 5min);                                      // closing time, seen from the attract screen
  CHECK_FALSE(site.next_wakeup(clocks.now, false).has_value());  // mid-visit only the visit's timers count

  clocks.advance(10min);  // 17:05, a resident is still answering
  CHECK_FALSE(site.tick(clocks.now, false));
  CHECK_FALSE(site.closed());
  CHECK_FALSE(site.next_wakeup(clocks.now, false).has_value());

  // The visit ended (thank-you gave way to the attract screen): closed at once, not at the next recheck.
  clocks.advance(30s);
  CHECK(site.next_wakeup(clocks.now, true) == clocks.now);
  CHECK(site.tick(clocks.now, true));
  CHECK(site.closed());
  CHECK_FALSE(site.awake());
  CHECK_FALSE(site.tick(clocks.now, true));  // reported once
  REQUIRE(site.opens_at().has_value());
  CHECK(site.opens_at()->weekday == 2);  // Tuesday
  CHECK(site.opens_at()->minute == 8 * 60);
}

TEST_CASE("closing time with the help overlay open on the attract screen waits for the overlay") {
  Clocks clocks(utc(2026, 11, 17, 1, 10));  // Monday 17:10 PST: closed by the hours
  SiteClock site = clocks.site(daily());
  // The overlay was opened just before the kiosk could close.
  REQUIRE(site.open_help(clocks.now));
  CHECK_FALSE(site.tick(clocks.now, true));
  CHECK_FALSE(site.closed());
  CHECK(site.next_wakeup(clocks.now, true) == clocks.now + kHelpOverlayTimeout);
  site.close_help(clocks.now + 5s);
  clocks.advance(5s);
  CHECK(site.tick(clocks.now, true));
  CHECK(site.closed());
}

TEST_CASE("a touch wakes the closed screen for 15 s, then it dims again") {
  Clocks clocks(utc(2026, 11, 17, 5, 0));  // Monday 21:00 PST
  SiteClock site = clocks.site(daily());
  REQUIRE(site.tick(clocks.now, true));
  REQUIRE(site.closed());
  CHECK_FALSE(site.awake());
  // Asleep: nothing due before the next recheck of the wall clock (the opening is 11 h away).
  CHECK(site.next_wakeup(clocks.now, true) == clocks.now + kScheduleRecheck);

  clocks.advance(1min);
  site.wake(clocks.now);
  CHECK(site.awake());
  const TimePoint woken = clocks.now;
  CHECK(site.next_wakeup(clocks.now, true) == woken + 15s);
  clocks.advance(14s);
  CHECK_FALSE(site.tick(clocks.now, true));
  CHECK(site.awake());
  // A second touch while awake starts the 15 s again.
  site.wake(clocks.now);
  CHECK(site.next_wakeup(clocks.now, true) == woken + 29s);
  clocks.advance(15s);
  CHECK_FALSE(site.tick(clocks.now, true));  // dimming is not opening or closing
  CHECK_FALSE(site.awake());
  CHECK(site.closed());
  CHECK(site.next_wakeup(clocks.now, true) == clocks.now + kScheduleRecheck);
}

TEST_CASE("a touch on the open kiosk wakes nothing and opening time ends an awake closed screen") {
  Clocks clocks(utc(2026, 11, 17, 15, 59));  // Tuesday 07:59 PST
  SiteClock site = clocks.site(daily());
  REQUIRE(site.tick(clocks.now, true));
  site.wake(clocks.now);
  REQUIRE(site.awake());
  CHECK(site.next_wakeup(clocks.now, true) == clocks.now + 15s);
  clocks.advance(1min);  // 08:00: it opens before it dims
  CHECK(site.tick(clocks.now, true));
  CHECK_FALSE(site.closed());
  CHECK_FALSE(site.awake());
  site.wake(clocks.now);
  CHECK_FALSE(site.awake());
}

TEST_CASE("the help overlay holds the visit's clock for exactly as long as it is open") {
  Clocks clocks(utc(2026, 11, 17, 18, 0));
  SiteClock site{schedule::OpeningHours{}};  // always open
  const TimePoint start = clocks.now;
  CHECK(site.visit_time(start) == start);

  clocks.advance(10s);
  REQUIRE(site.open_help(clocks.now));
  CHECK_FALSE(site.open_help(clocks.now + 1s));  // open already: the hold does not restart
  CHECK(site.help_open());
  clocks.advance(1500ms);
  CHECK(site.visit_time(clocks.now) == start + 10s);  // held
  clocks.advance(30s + 250ms);
  CHECK(site.visit_time(clocks.now) == start + 10s);
  site.close_help(clocks.now);  // open for 31.75 s
  CHECK_FALSE(site.help_open());
  clocks.advance(20s);
  CHECK(site.visit_time(clocks.now) == clocks.now - 31750ms);
  CHECK(site.visit_time(clocks.now) == start + 30s);
  // A visit deadline maps back onto the real clock by the time held.
  CHECK(site.real_time(start + 45s, clocks.now) == start + 45s + 31750ms);
  // A second opening adds to the first.
  REQUIRE(site.open_help(clocks.now));
  clocks.advance(5s);
  site.close_help(clocks.now);
  CHECK(site.visit_time(clocks.now) == start + 30s);
  site.close_help(clocks.now + 1s);  // closed already: nothing more is held
  CHECK(site.visit_time(clocks.now + 1s) == start + 31s);
}

TEST_CASE("the help overlay closes itself 60 s after its last touch and the visit's clock runs on") {
  Clocks clocks(utc(2026, 11, 17, 18, 0));
  SiteClock site{schedule::OpeningHours{}};
  const TimePoint opened = clocks.now;
  REQUIRE(site.open_help(opened));
  CHECK(site.next_wakeup(clocks.now, false) == opened + kHelpOverlayTimeout);
  clocks.advance(40s);
  site.touched(clocks.now);   // reading it, scrolling
  site.touched(opened + 5s);  // an older touch reported late changes nothing
  CHECK(site.next_wakeup(clocks.now, false) == opened + 40s + kHelpOverlayTimeout);
  clocks.advance(59s);
  CHECK_FALSE(site.tick(clocks.now, false));
  CHECK(site.help_open());
  clocks.advance(1s);  // 60 s after the last touch
  CHECK_FALSE(site.tick(clocks.now, false));
  CHECK_FALSE(site.help_open());
  CHECK(site.visit_time(clocks.now) == opened);  // held the whole 100 s it was open
  CHECK_FALSE(site.next_wakeup(clocks.now, false).has_value());
  site.touched(clocks.now + 1s);  // a touch after it closed does not reopen it
  CHECK_FALSE(site.help_open());
}

TEST_CASE("a visit under the help overlay times out only after the time it was held") {
  auto parsed = model::load_survey_file(FK_ASSETS "/surveys/lobby.toml");
  REQUIRE(parsed.ok());
  store::MemoryResponseStore store;
  flow::FlowDeps deps;
  deps.store = &store;
  flow::FlowConfig config;  // 45 s to "still there?"
  config.tap_guard = flow::Millis{0};
  config.still_there_guard = flow::Millis{0};
  flow::VisitFlow visit(std::make_shared<const model::SurveyDefinition>(std::move(parsed.value())), config,
                        deps);
  SiteClock site{schedule::OpeningHours{}};
  TimePoint now{};
  auto tick = [&] {
    site.tick(now, visit.screen() == flow::Screen::Attract);
    visit.tick(site.visit_time(now));
  };

  visit.apply(flow::StartVisit{}, site.visit_time(now));
  REQUIRE(visit.screen() == flow::Screen::Question);
  now += 20s;
  tick();
  REQUIRE(site.open_help(now));
  // The overlay is read and touched for 100 s: far past the 45 s inactivity timeout on the real clock.
  for (int i = 0; i < 10; ++i) {
    now += 10s;
    site.touched(now);
    tick();
    CHECK(visit.screen() == flow::Screen::Question);
  }
  site.close_help(now);
  // The visit's clock was held those 100 s: 25 s of the 45 s are left.
  const auto due = visit.next_wakeup(site.visit_time(now));
  REQUIRE(due.has_value());
  CHECK(site.real_time(*due, now) == now + 25s);
  now += 24s;
  tick();
  CHECK(visit.screen() == flow::Screen::Question);
  now += 1s;
  tick();
  CHECK(visit.screen() == flow::Screen::StillThere);
}

TEST_CASE("the next wake-up is the closing time, at most the recheck ahead, and never without hours") {
  SECTION("always open: only the visit's and staff timers count") {
    Clocks clocks(utc(2026, 11, 17, 18, 0));
    SiteClock site = clocks.site(schedule::OpeningHours{});
    CHECK_FALSE(site.tick(clocks.now, true));
    CHECK_FALSE(site.next_wakeup(clocks.now, true).has_value());
    CHECK_FALSE(site.next_wakeup(clocks.now, false).has_value());
  }
  SECTION("open: the closing time when it is near, else a recheck of the wall clock") {
    Clocks clocks(utc(2026, 11, 17, 18, 0));  // Tuesday 10:00 PST, closes 17:00
    SiteClock site = clocks.site(daily());
    CHECK(site.next_wakeup(clocks.now, true) == clocks.now + kScheduleRecheck);
    clocks.advance(6h + 57min + 30s);  // 16:57:30
    CHECK(site.next_wakeup(clocks.now, true) == clocks.now + 150s);
    CHECK(clocks.sleep_until_change(site, true) == at(utc(2026, 11, 18, 1, 0)));  // 17:00 PST
    CHECK(site.closed());
  }
  SECTION("closed: asleep until the opening, waking every 10 minutes to reread the wall clock") {
    Clocks clocks(utc(2026, 11, 18, 1, 0));  // Tuesday 17:00 PST
    SiteClock site = clocks.site(daily());
    REQUIRE(site.tick(clocks.now, true));
    const TimePoint slept = clocks.now;
    CHECK(clocks.sleep_until_change(site, true) == at(utc(2026, 11, 18, 16, 0)));  // Wednesday 08:00 PST
    CHECK_FALSE(site.closed());
    CHECK(clocks.now - slept == 15h);
  }
  SECTION("the wall clock set late (NTP after boot) is noticed at the next recheck") {
    Clocks clocks(utc(1970, 1, 1, 0, 0));  // Wednesday 1969-12-31 16:00 PST: open by the hours
    SiteClock site = clocks.site(daily());
    CHECK_FALSE(site.tick(clocks.now, true));
    clocks.wall = at(utc(2026, 11, 18, 5, 0));  // NTP: Tuesday 21:00 PST, closed
    const auto wake = site.next_wakeup(clocks.now, true);
    CHECK(wake == clocks.now);
    CHECK(site.tick(clocks.now, true));
    CHECK(site.closed());
  }
  SECTION("a schedule that never opens rereads the wall clock every 10 minutes") {
    Clocks clocks(utc(2026, 11, 18, 1, 0));
    SiteClock site = clocks.site(los_angeles({}));
    REQUIRE(site.tick(clocks.now, true));
    CHECK(site.next_wakeup(clocks.now, true) == clocks.now + kScheduleRecheck);
    CHECK_FALSE(site.opens_at().has_value());
  }
}

TEST_CASE("the closed kiosk opens at 08:00 local time across the spring DST change") {
  // Sunday 2026-03-08: clocks go from 02:00 PST to 03:00 PDT; 08:00 PDT is 15:00 UTC (08:00 PST would be 16:00).
  Clocks clocks(utc(2026, 3, 8, 2, 0));  // Saturday 18:00 PST
  SiteClock site = clocks.site(daily());
  REQUIRE(site.tick(clocks.now, true));
  REQUIRE(site.opens_at().has_value());
  CHECK(site.opens_at()->weekday == 0);
  CHECK(site.opens_at()->minute == 8 * 60);
  const TimePoint slept = clocks.now;
  CHECK(clocks.sleep_until_change(site, true) == at(utc(2026, 3, 8, 15, 0)));
  CHECK(clocks.now - slept == 13h);  // 18:00 PST to 08:00 PDT: one hour less than 14
  // …and closes at 17:00 PDT = 00:00 UTC.
  CHECK(clocks.sleep_until_change(site, true) == at(utc(2026, 3, 9, 0, 0)));
}

TEST_CASE("the closed kiosk opens at 08:00 local time across the autumn DST change") {
  // Sunday 2026-11-01: clocks go from 02:00 PDT back to 01:00 PST; 08:00 PST is 16:00 UTC.
  Clocks clocks(utc(2026, 11, 1, 1, 0));  // Saturday 18:00 PDT
  SiteClock site = clocks.site(daily());
  REQUIRE(site.tick(clocks.now, true));
  const TimePoint slept = clocks.now;
  clocks.advance(14h);  // 15:00 UTC: 08:00 by summer time, but 07:00 PST
  CHECK_FALSE(site.tick(clocks.now, true));
  CHECK(site.closed());
  CHECK(site.next_wakeup(clocks.now, true) == clocks.now + kScheduleRecheck);
  CHECK(clocks.sleep_until_change(site, true) == at(utc(2026, 11, 1, 16, 0)));
  CHECK(clocks.now - slept == 15h);  // 18:00 PDT to 08:00 PST: one hour more than 14
}
