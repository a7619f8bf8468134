#include "kiosk/schedule/opening_hours.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fk::kiosk::schedule {
namespace {

// Days scanned for the next change: a weekly schedule repeats, so eight days always find one if any exists.
constexpr int kScanDays = 8;

std::optional<int> parse_clock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

}  // namespace

Expected<Range> parse_range(std::string_view text) {
  const auto dash = text.find('-');
  const auto open = dash == std::string_view::npos ? std::nullopt : parse_clock(text.substr(0, dash));
  const auto close = dash == std::string_view::npos ? std::nullopt : parse_clock(text.substr(dash + 1));
  if (!open || !close) {
    return Error{"\"" + std::string(text) +
                 "\" is not a range like \"08:00-17:30\" (24-hour clock, HH:MM-HH:MM)"};
  }
  if (*open == kMinutesPerDay)
    return Error{"\"" + std::string(text) + "\" opens at 24:00; write 00:00 on the next day"};
  if (*close <= *open) {
    return Error{"\"" + std::string(text) +
                 "\" closes before it opens; a range may not cross midnight: end it at 24:00 and go on from "
                 "00:00 on the next day"};
  }
  return Range{*open, *close};
}

std::string format_minutes(int minutes) {
  char out[8];
  std::snprintf(out, sizeof out, "%02d:%02d", minutes / 60 % 100, minutes % 60);
  return out;
}

std::optional<std::string> check_time_zone(const std::string& name, const std::string& zoneinfo_dir) {
  const bool plain =
      !name.empty() && name.front() != '/' && name.find("..") == std::string::npos &&
      std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+';
      });
  if (!plain) return "\"" + name + "\" is not an IANA time zone name such as \"America/Los_Angeles\"";
  const std::string file = zoneinfo_dir + "/" + name;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return "unknown time zone \"" + name + "\" (no " + file + "; names look like \"America/Los_Angeles\")";
  }
  std::ifstream in(file, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  if (!in || std::string(magic, 4) != "TZif") return file + " is not a time zone file";
  return std::nullopt;
}

OpeningHours::OpeningHours(std::string time_zone, std::array<std::vector<Range>, 7> days)
    : scheduled_(true), zone_(std::move(time_zone)), days_(std::move(days)) {}

std::optional<std::string> OpeningHours::add_range(std::vector<Range>& day, Range range) {
  if (day.size() >= kMaxRangesPerDay) return "at most " + std::to_string(kMaxRangesPerDay) + " ranges a day";
  for (const Range& r : day) {
    if (range.open < r.close && r.open < range.close) {
      return format_minutes(range.open) + "-" + format_minutes(range.close) + " overlaps " +
             format_minutes(r.open) + "-" + format_minutes(r.close);
    }
  }
  day.push_back(range);
  std::sort(day.begin(), day.end(), [](const Range& a, const Range& b) { return a.open < b.open; });
  return std::nullopt;
}

// The C library converts in the zone named by TZ; it is set here, the one place that converts, so the
// process needs no other set-up. (The kiosk converts only on its UI thread.)
void OpeningHours::use_zone() const {
  if (zone_.empty()) return;
  const std::string want = ":" + zone_;
  const char* have = std::getenv("TZ");
  if (have && want == have) return;
  ::setenv("TZ", want.c_str(), 1);
  ::tzset();
}

LocalTime OpeningHours::local(std::time_t utc) const {
  use_zone();
  std::tm tm{};
  localtime_r(&utc, &tm);
  return {tm.tm_wday, tm.tm_hour * 60 + tm.tm_min};
}

bool OpeningHours::open_at(LocalTime t) const {
  const auto& day = days_[static_cast<std::size_t>(t.weekday)];
  return std::any_of(day.begin(), day.end(),
                     [&](const Range& r) { return r.open <= t.minute && t.minute < r.close; });
}

bool OpeningHours::is_open(std::time_t utc) const {
  return !scheduled_ || open_at(local(utc));
}

std::optional<std::time_t> OpeningHours::next_change(std::time_t utc) const {
  if (!scheduled_) return std::nullopt;
  use_zone();
  const bool now_open = is_open(utc);
  std::tm today{};
  localtime_r(&utc, &today);
  // Every range boundary of the coming days, converted by mktime (a boundary in a DST gap moves to the
  // first minute that exists; in a repeated hour, to one of its two times).
  std::vector<std::time_t> boundaries;
  for (int d = 0; d < kScanDays; ++d) {
    std::tm day = today;
    day.tm_mday += d;
    day.tm_hour = 12;  // noon: normalising the date cannot slip across a DST change
    day.tm_min = day.tm_sec = 0;
    day.tm_isdst = -1;
    std::mktime(&day);
    for (const Range& r : days_[static_cast<std::size_t>(day.tm_wday)]) {
      for (int minute : {r.open, r.close}) {
        std::tm at = day;
        at.tm_hour = minute / 60;
        at.tm_min = minute % 60;
        at.tm_sec = 0;
        at.tm_isdst = -1;
        const std::time_t t = std::mktime(&at);
        if (t != static_cast<std::time_t>(-1) && t > utc) boundaries.push_back(t);
      }
    }
  }
  std::sort(boundaries.begin(), boundaries.end());
  for (std::time_t t : boundaries) {
    if (is_open(t) != now_open) return t;
  }
  return std::nullopt;
}

}  // namespace fk::kiosk::schedule
