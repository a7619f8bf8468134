// End-to-end tests of opening hours and the "Need help now?" overlay: the real feedback-kiosk on an Xvfb
// screen (1920x1080), driven by xdotool at the targets its automation hook reports.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "sync/model/response.hpp"
#include "sync/store/sqlite_response_store.hpp"
#include "tests/e2e/kiosk_harness.hpp"

namespace {

using namespace fk::e2e;
namespace fs = std::filesystem;

constexpr const char* kDays[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr const char* kDayNames[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                      "Thursday", "Friday", "Saturday"};

void require_test_display() {
  const char* display = std::getenv("DISPLAY");
  INFO("run under: xvfb-run -a -s \"-screen 0 1920x1080x24\" e2e_tests");
  REQUIRE(display != nullptr);
  const CommandResult geometry = run_command({"xdotool", "getdisplaygeometry"}, 10s);
  INFO(geometry.describe());
  REQUIRE(geometry.out == "1920 1080\n");
}

fs::path fresh_artifacts_dir(const std::string& name) {
  const fs::path dir = fs::path(FK_ARTIFACTS) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// utime + stime of a process in clock ticks (fields 14 and 15 of /proc/PID/stat).
long cpu_ticks(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return utime + stime;
}

std::tm utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

}  // namespace

TEST_CASE("outside opening hours the kiosk sleeps on a dim closed screen and a touch wakes it",
          "[e2e][hours]") {
  require_test_display();
  const fs::path artifacts = fresh_artifacts_dir("e2e-closed");
  TempDir data("fk-e2e-data");
  // Open only two days from now (in UTC), so it is closed whenever this runs.
  const int open_day = (utc_now().tm_wday + 2) % 7;
  const fs::path config = data / "kiosk.toml";
  write_text(config,
             std::string("[hours]\ntime_zone = \"UTC\"\n") + kDays[open_day] + " = [\"08:00-18:00\"]\n");

  KioskOptions options(data.path() / "data", artifacts);
  options.config_file = config;
  Kiosk kiosk(options);
  const std::string opens = std::string("Opens ") + kDayNames[open_day] + " at 08:00";
  Layout closed = kiosk.wait_for(screen_is("closed"), "the closed screen", 20s);
  CHECK(closed.has_text("Closed"));
  CHECK(closed.has_text(opens));
  CHECK_FALSE(closed.has_target("start"));  // no visit can start
  CHECK_FALSE(closed.has_target("help"));
  REQUIRE(wait_for_screenshot(artifacts, "closed").has_value());
  kiosk.wait_until_idle(1000ms, 10s);

  // Asleep: no frames and no CPU beyond noise over 5 s.
  const long frame0 = kiosk.layout()->frame;
  const long ticks0 = cpu_ticks(kiosk.pid());
  const auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(5s);
  const long ticks = cpu_ticks(kiosk.pid()) - ticks0;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double percent =
      100.0 * static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK)) / seconds;
  WARN("closed screen CPU over " << seconds << " s: " << ticks << " ticks = " << percent << "% of one core, "
                                 << kiosk.layout()->frame - frame0 << " frames");
  CHECK(kiosk.layout()->frame == frame0);
  CHECK(percent < 1.0);

  // A touch wakes it: brighter, with the help and complaints texts, and the opening time still shown.
  Layout awake = kiosk.tap("wake", screen_is("closed_awake"), "the woken closed screen");
  CHECK(awake.has_text(opens));
  CHECK(awake.has_text("Please ask at the front desk. Staff there can help you right away."));
  CHECK(awake.has_text("In an emergency, call 911."));
  CHECK(awake.has_text(
      "This kiosk is not for complaints. To make a complaint, please ask at the front desk for a "
      "complaint form."));
  CHECK(wait_for_screenshot(artifacts, "closed_awake").has_value());
  // …and dims again by itself (15 s).
  kiosk.wait_for(screen_is("closed"), "the closed screen to dim again", 25s);
  CHECK(kiosk.stop() == 0);
  CHECK(kiosk.stderr_text().find("opening hours: closed") != std::string::npos);
}

TEST_CASE("a closed kiosk opens on schedule without a touch", "[e2e][hours]") {
  require_test_display();
  const fs::path artifacts = fresh_artifacts_dir("e2e-opens");
  TempDir data("fk-e2e-data");
  // Opening hours must be whole minutes: start in the last seconds of a minute, opening at the next one.
  while (utc_now().tm_sec < 48) std::this_thread::sleep_for(200ms);
  std::tm now = utc_now();
  const int open_at = (now.tm_hour * 60 + now.tm_min + 1) % (24 * 60);
  if (open_at == 0) {
    WARN("not run: a minute before midnight UTC the range would cross midnight");
    return;
  }
  char range[32];
  std::snprintf(range, sizeof range, "%02d:%02d-24:00", open_at / 60, open_at % 60);
  const fs::path config = data / "kiosk.toml";
  write_text(config,
             std::string("[hours]\ntime_zone = \"UTC\"\n") + kDays[now.tm_wday] + " = [\"" + range + "\"]\n");
  KioskOptions options(data.path() / "data", artifacts);
  options.config_file = config;
  Kiosk kiosk(options);
  kiosk.wait_for(screen_is("closed"), "the closed screen", 10s);
  kiosk.wait_for(screen_is("attract"), "the attract screen at opening time", 25s);
  CHECK(kiosk.stderr_text().find("opening hours: open") != std::string::npos);
  CHECK(kiosk.stop() == 0);
}

TEST_CASE("the help overlay opens mid-visit and closes and the visit goes on unchanged", "[e2e][help]") {
  require_test_display();
  const fs::path artifacts = fresh_artifacts_dir("e2e-help");
  TempDir data("fk-e2e-data");
  {
    Kiosk kiosk({data.path(), artifacts});
    Layout attract = kiosk.wait_for(screen_is("attract"), "the attract screen", 20s);
    CHECK(attract.has_target("help"));
    CHECK(attract.has_text(
        "This kiosk is not for complaints. To make a complaint, please ask at the front desk "
        "for a complaint form."));
    kiosk.tap("start", key_is("question-overall"), "the first question");
    kiosk.tap("rating-4", key_is("question-listened"), "question 2");
    Layout help = kiosk.tap("help", screen_is("help"), "the help overlay");
    CHECK(help.has_text("Need help now?"));
    CHECK(help.has_text("In an emergency, call 911."));
    CHECK_FALSE(help.has_target("rating-5"));  // nothing under the overlay can be tapped
    CHECK(wait_for_screenshot(artifacts, "help").has_value());
    kiosk.tap("close-help", key_is("question-listened"), "the same question again");
    kiosk.tap("back", key_is("question-overall"), "the first question");
    CHECK(kiosk.layout()->find("rating-4")->selected);  // the answer given before help is still there
    kiosk.tap("next", key_is("question-listened"), "question 2");
    kiosk.tap("rating-5", key_is("question-next_steps"), "question 3");
    kiosk.tap("rating-5", key_is("question-above_beyond"), "question 4");
    kiosk.tap("rating-5", key_is("question-thank"), "the thank question");
    kiosk.tap("no", screen_is("thank_you"), "the thank-you screen");
    CHECK(kiosk.stop() == 0);
  }
  auto store = fk::store::SqliteResponseStore::open((data.path() / "responses.sqlite").string());
  REQUIRE(store.ok());
  auto pending = (*store)->pending(10);
  REQUIRE(pending.ok());
  REQUIRE(pending->size() == 1);
  auto r = fk::model::parse_response(pending->front().payload);
  REQUIRE(r.ok());
  INFO(pending->front().payload);
  bool overall_4 = false;
  for (const auto& a : r->answers) {
    if (a.question_id == "overall")
      overall_4 = std::get_if<int>(&a.value) && *std::get_if<int>(&a.value) == 4;
  }
  CHECK(overall_4);
  CHECK(r->answers.size() == 5);
}
