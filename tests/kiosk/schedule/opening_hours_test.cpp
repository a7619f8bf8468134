// Opening hours in a real zone (America/Los_Angeles from /usr/share/zoneinfo), across both 2026 DST changes.
#include "kiosk/schedule/opening_hours.hpp"

#include <catch2/catch.hpp>
#include <ctime>

using namespace fk::kiosk::schedule;

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

Range range(const char* text) {
  auto r = parse_range(text);
  INFO(text);
  REQUIRE(r.ok());
  return *r;
}

// Index by tm_wday: 0 Sunday … 6 Saturday.
OpeningHours los_angeles(std::array<std::vector<const char*>, 7> spec) {
  std::array<std::vector<Range>, 7> days;
  for (std::size_t d = 0; d < 7; ++d) {
    for (const char* text : spec[d]) REQUIRE_FALSE(OpeningHours::add_range(days[d], range(text)).has_value());
  }
  return OpeningHours("America/Los_Angeles", days);
}

// Weekdays 08:00-12:00 and 13:00-18:00, Saturday mornings, closed Sunday.
OpeningHours office() {
  const std::vector<const char*> weekday = {"08:00-12:00", "13:00-18:00"};
  return los_angeles({{{}, weekday, weekday, weekday, weekday, weekday, {"09:00-12:00"}}});
}

}  // namespace

TEST_CASE("a range is HH:MM-HH:MM on a 24-hour clock and may end at 24:00") {
  CHECK(range("08:00-12:30").open == 8 * 60);
  CHECK(range("08:00-12:30").close == 12 * 60 + 30);
  CHECK(range("00:00-24:00").close == kMinutesPerDay);
  for (const char* bad : {"8:00-12:00", "08:00", "08:00-25:00", "08:60-09:00", "24:00-24:00", "08:00-24:30",
                          "08:00 - 12:00", "noon-18:00", ""}) {
    INFO(bad);
    CHECK_FALSE(parse_range(bad).ok());
  }
}

TEST_CASE("a range across midnight is refused with how to write it") {
  auto r = parse_range("22:00-02:00");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("cross midnight") && Catch::Contains("24:00"));
  CHECK_FALSE(parse_range("09:00-09:00").ok());
}

TEST_CASE("overlapping ranges on one day are refused") {
  std::vector<Range> day;
  CHECK_FALSE(OpeningHours::add_range(day, range("08:00-12:00")).has_value());
  const auto overlap = OpeningHours::add_range(day, range("11:00-13:00"));
  REQUIRE(overlap.has_value());
  CHECK_THAT(*overlap, Catch::Contains("11:00-13:00 overlaps 08:00-12:00"));
  CHECK_FALSE(OpeningHours::add_range(day, range("12:00-13:00")).has_value());  // touching is fine
}

TEST_CASE("time zone names are checked against the zone files") {
  CHECK_FALSE(check_time_zone("America/Los_Angeles").has_value());
  CHECK_FALSE(check_time_zone("UTC").has_value());
  CHECK(check_time_zone("Mars/Olympus_Mons").has_value());
  CHECK(check_time_zone("../../etc/passwd").has_value());
  CHECK(check_time_zone("/usr/share/zoneinfo/UTC").has_value());
  CHECK(check_time_zone("").has_value());
}

TEST_CASE("no schedule is always open and never changes") {
  const OpeningHours always;
  CHECK(always.always_open());
  CHECK(always.is_open(utc(2026, 11, 22, 3, 0)));
  CHECK_FALSE(always.next_change(utc(2026, 11, 22, 3, 0)).has_value());
}

TEST_CASE("open and closed by the local clock of the site") {
  const OpeningHours hours = office();
  // Monday 2026-11-16, PST (UTC-8).
  CHECK_FALSE(hours.is_open(utc(2026, 11, 16, 15, 59)));  // 07:59
  CHECK(hours.is_open(utc(2026, 11, 16, 16, 0)));         // 08:00
  CHECK(hours.is_open(utc(2026, 11, 16, 19, 59)));        // 11:59
  CHECK_FALSE(hours.is_open(utc(2026, 11, 16, 20, 30)));  // 12:30, lunch
  CHECK(hours.is_open(utc(2026, 11, 17, 1, 59)));         // 17:59
  CHECK_FALSE(hours.is_open(utc(2026, 11, 17, 2, 0)));    // 18:00
  // Sunday 2026-11-22 noon: closed all day.
  CHECK_FALSE(hours.is_open(utc(2026, 11, 22, 20, 0)));
  const LocalTime t = hours.local(utc(2026, 11, 16, 16, 30));
  CHECK(t.weekday == 1);
  CHECK(t.minute == 8 * 60 + 30);
}

TEST_CASE("the next change is the closing time, the end of lunch or the next opening day") {
  const OpeningHours hours = office();
  CHECK(hours.next_change(utc(2026, 11, 16, 17, 0)) == utc(2026, 11, 16, 20, 0));  // Mon 09:00 → 12:00
  CHECK(hours.next_change(utc(2026, 11, 16, 20, 0)) == utc(2026, 11, 16, 21, 0));  // at 12:00 → 13:00
  // Saturday 12:00 closes until Monday 08:00 (Sunday is closed).
  CHECK(hours.next_change(utc(2026, 11, 21, 20, 0)) == utc(2026, 11, 23, 16, 0));
}

TEST_CASE("a night opening written as two ranges does not change at midnight") {
  const OpeningHours hours = los_angeles({{{}, {}, {}, {}, {}, {"20:00-24:00"}, {"00:00-02:00"}}});
  // Friday 2026-11-20 21:00 PST = Saturday 05:00 UTC: open until Saturday 02:00 PST.
  CHECK(hours.is_open(utc(2026, 11, 21, 5, 0)));
  CHECK(hours.is_open(utc(2026, 11, 21, 8, 0)));  // Saturday 00:00
  CHECK(hours.next_change(utc(2026, 11, 21, 5, 0)) == utc(2026, 11, 21, 10, 0));
}

TEST_CASE("the next opening follows the spring DST change") {
  // Sunday 2026-03-08: clocks go from 02:00 PST to 03:00 PDT. A kiosk open Sundays from 08:00 opens at
  // 08:00 PDT = 15:00 UTC, not 16:00 (which 08:00 PST would be).
  const OpeningHours hours = los_angeles({{{"08:00-17:00"}, {}, {}, {}, {}, {}, {"08:00-17:00"}}});
  const std::time_t saturday_evening = utc(2026, 3, 8, 2, 0);  // Sat 18:00 PST
  CHECK_FALSE(hours.is_open(saturday_evening));
  CHECK(hours.next_change(saturday_evening) == utc(2026, 3, 8, 15, 0));
  CHECK(hours.next_change(utc(2026, 3, 8, 15, 0)) == utc(2026, 3, 9, 0, 0));  // closes 17:00 PDT
}

TEST_CASE("the next opening follows the autumn DST change") {
  // Sunday 2026-11-01: clocks go from 02:00 PDT back to 01:00 PST; 08:00 PST is 16:00 UTC.
  const OpeningHours hours = los_angeles({{{"08:00-17:00"}, {}, {}, {}, {}, {}, {"08:00-17:00"}}});
  const std::time_t saturday_evening = utc(2026, 11, 1, 1, 0);  // Sat 18:00 PDT
  CHECK(hours.next_change(saturday_evening) == utc(2026, 11, 1, 16, 0));
  CHECK(hours.local(utc(2026, 11, 1, 16, 0)).minute == 8 * 60);
}

TEST_CASE("an opening inside the skipped spring hour is not lost") {
  // 02:30 does not exist on 2026-03-08 in Los Angeles; the kiosk still opens that night, by 03:30 PDT.
  const OpeningHours hours = los_angeles({{{"02:30-06:00"}, {}, {}, {}, {}, {}, {}}});
  const std::time_t saturday_evening = utc(2026, 3, 8, 2, 0);
  const auto opens = hours.next_change(saturday_evening);
  REQUIRE(opens.has_value());
  CHECK(*opens >= utc(2026, 3, 8, 9, 30));   // 01:30 PST at the earliest
  CHECK(*opens <= utc(2026, 3, 8, 10, 30));  // 03:30 PDT at the latest
  CHECK(hours.is_open(*opens));
}

TEST_CASE("a schedule that never opens has no next change") {
  const OpeningHours hours = los_angeles({});
  CHECK_FALSE(hours.always_open());
  CHECK_FALSE(hours.is_open(utc(2026, 11, 16, 18, 0)));
  CHECK_FALSE(hours.next_change(utc(2026, 11, 16, 18, 0)).has_value());
}
