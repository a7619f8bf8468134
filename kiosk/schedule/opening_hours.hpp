// A site's weekly opening hours in its own time zone: is the kiosk open at a moment, and when does that next
// change. Pure apart from the C library's zone rules (TZ + localtime_r/mktime, which follow DST).
#pragma once

#include <array>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/model/expected.hpp"

namespace fk::kiosk::schedule {

// Bounds of one day's list, so a config file cannot ask for an unbounded scan.
inline constexpr std::size_t kMaxRangesPerDay = 8;
inline constexpr int kMinutesPerDay = 24 * 60;

// One opening range of a day, in minutes after local midnight: open at `open`, closed again at `close`.
// Never crosses midnight (close <= 24:00): a night opening is written as two ranges on two days.
struct Range {
  int open = 0;
  int close = 0;
};

// "08:00-12:00" (24-hour clock, HH:MM-HH:MM, close may be "24:00"); the reason when it is not one.
Expected<Range> parse_range(std::string_view text);
// "08:00".
std::string format_minutes(int minutes);

// The weekdays in tm_wday order (0 = Sunday), by their config keys.
inline constexpr std::array<const char*, 7> kDayKeys = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

// Checks an IANA zone name against the zone files (`zoneinfo_dir`: /usr/share/zoneinfo); the reason if unusable.
std::optional<std::string> check_time_zone(const std::string& name,
                                           const std::string& zoneinfo_dir = "/usr/share/zoneinfo");

// The local weekday (0 = Sunday) and minute of the day of a moment in the schedule's zone.
struct LocalTime {
  int weekday = 0;
  int minute = 0;
};

class OpeningHours {
 public:
  // Always open (no [hours] table).
  OpeningHours() = default;
  // `days` in tm_wday order, each list sorted and not overlapping (see add_range); `time_zone` an IANA name.
  OpeningHours(std::string time_zone, std::array<std::vector<Range>, 7> days);

  // Adds a range to a day; the reason when it overlaps one already there or the day is full.
  static std::optional<std::string> add_range(std::vector<Range>& day, Range range);

  bool always_open() const { return !scheduled_; }
  const std::string& time_zone() const { return zone_; }
  bool is_open(std::time_t utc) const;
  // The first moment after `utc` at which is_open() differs from is_open(utc); nullopt when it never changes
  // (always open, or no opening on any day).
  std::optional<std::time_t> next_change(std::time_t utc) const;
  LocalTime local(std::time_t utc) const;

 private:
  void use_zone() const;
  bool open_at(LocalTime t) const;

  bool scheduled_ = false;
  std::string zone_;
  std::array<std::vector<Range>, 7> days_{};
};

}  // namespace fk::kiosk::schedule
