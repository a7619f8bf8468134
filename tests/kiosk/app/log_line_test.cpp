// The kiosk's log lines: syslog priorities for the journal, a timestamp elsewhere.
#include "kiosk/log_line.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

using fk::kiosk::format_log_line;
using fk::kiosk::LogLevel;

TEST_CASE("under the journal each line carries its syslog priority and no timestamp") {
  CHECK(format_log_line(LogLevel::Error, "cannot open", true, 0) == "<3>feedback-kiosk: cannot open\n");
  CHECK(format_log_line(LogLevel::Warning, "not enrolled", true, 0) == "<4>feedback-kiosk: not enrolled\n");
  CHECK(format_log_line(LogLevel::Info, "display", true, 0) == "<6>feedback-kiosk: display\n");
}

TEST_CASE("elsewhere each line starts with a UTC timestamp") {
  CHECK(format_log_line(LogLevel::Error, "cannot open", false, 86400) ==
        "1970-01-02T00:00:00Z feedback-kiosk: cannot open\n");
}

TEST_CASE("stderr is the journal only when JOURNAL_STREAM names it") {
  ::unsetenv("JOURNAL_STREAM");
  CHECK_FALSE(fk::kiosk::stderr_is_journal());
  ::setenv("JOURNAL_STREAM", "1:1", 1);  // some other stream: a child whose stderr was redirected
  CHECK_FALSE(fk::kiosk::stderr_is_journal());
  ::unsetenv("JOURNAL_STREAM");
}
