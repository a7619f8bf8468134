#include "kiosk/site/site_clock.hpp"

#include <algorithm>

namespace fk::kiosk::site {
namespace {

std::optional<TimePoint> earliest(std::optional<TimePoint> a, std::optional<TimePoint> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

}  // namespace

SiteClock::SiteClock(schedule::OpeningHours hours, WallClock wall_clock)
    : hours_(std::move(hours)), wall_clock_(std::move(wall_clock)) {}

bool SiteClock::open_by_hours() const {
  return hours_.always_open() || hours_.is_open(std::chrono::system_clock::to_time_t(wall_clock_()));
}

bool SiteClock::tick(TimePoint now, bool between_visits) {
  if (help_open_ && now - help_touched_ >= kHelpOverlayTimeout) close_help(now);
  if (awake_until_ && now >= *awake_until_) awake_until_.reset();
  const bool open = open_by_hours();
  if (closed_ && open) {
    closed_ = false;
    awake_until_.reset();
    return true;
  }
  if (!closed_ && !open && between_visits && !help_open_) {
    closed_ = true;
    awake_until_.reset();
    return true;
  }
  return false;
}

std::optional<TimePoint> SiteClock::next_wakeup(TimePoint now, bool between_visits) const {
  // Asleep until it opens (or dims again).
  if (closed_) return earliest(next_schedule_change(now), awake_until_);
  // The visit's clock is held, so only the overlay's own timeout is due.
  if (help_open_) return help_touched_ + kHelpOverlayTimeout;
  if (!between_visits) return std::nullopt;
  // Back on the attract screen after closing time: the closed screen comes now, not at the next recheck.
  if (!open_by_hours()) return now;
  return next_schedule_change(now);  // closing time
}

std::optional<TimePoint> SiteClock::next_schedule_change(TimePoint now) const {
  if (hours_.always_open()) return std::nullopt;
  const auto wall = wall_clock_();
  const auto change = hours_.next_change(std::chrono::system_clock::to_time_t(wall));
  if (!change) return now + kScheduleRecheck;
  // Wall-clock seconds until the change, as monotonic time from now; never beyond the recheck.
  const auto until = std::chrono::system_clock::from_time_t(*change) - wall;
  return now + std::clamp(std::chrono::duration_cast<TimePoint::duration>(until), TimePoint::duration{0},
                          std::chrono::duration_cast<TimePoint::duration>(kScheduleRecheck));
}

std::optional<schedule::LocalTime> SiteClock::opens_at() const {
  const std::time_t wall = std::chrono::system_clock::to_time_t(wall_clock_());
  const auto opens = hours_.next_change(wall);
  if (!opens) return std::nullopt;
  return hours_.local(*opens);
}

void SiteClock::wake(TimePoint now) {
  if (closed_) awake_until_ = now + kClosedAwakeDuration;
}

bool SiteClock::open_help(TimePoint now) {
  if (help_open_) return false;
  help_open_ = true;
  hold_started_ = help_touched_ = now;
  return true;
}

void SiteClock::close_help(TimePoint now) {
  if (!help_open_) return;
  held_ += now - hold_started_;
  help_open_ = false;
}

void SiteClock::touched(TimePoint at) {
  if (help_open_ && at > help_touched_) help_touched_ = at;
}

TimePoint SiteClock::visit_time(TimePoint now) const {
  const auto holding = help_open_ ? now - hold_started_ : TimePoint::duration{0};
  return now - held_ - holding;
}

}  // namespace fk::kiosk::site
