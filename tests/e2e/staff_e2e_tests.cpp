// End to end, the staff side: the hidden corner press opens the PIN pad; a wrong PIN is refused and the
// right one opens the staff screen; an event is started, two residents answer while the centre is down, the
// event is ended and its report says "pending" until a real feedback-central comes up and confirms both.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <regex>
#include <thread>

#include "tests/e2e/kiosk_harness.hpp"

namespace {

using namespace fk::e2e;
namespace fs = std::filesystem;

// Rows at the centre per event.
std::map<std::string, int> central_events(const fs::path& db) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, sqlite3_close);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, "SELECT event, COUNT(*) FROM responses GROUP BY event", -1, &stmt,
                             nullptr) == SQLITE_OK);
  std::map<std::string, int> out;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    out[reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))] = sqlite3_column_int(stmt, 1);
  }
  sqlite3_finalize(stmt);
  return out;
}

void complete_visit(Kiosk& kiosk) {
  kiosk.wait_for(screen_is("attract"), "the attract screen", 20s);
  kiosk.tap("start", key_is("question-overall"), "the first question");
  kiosk.tap("rating-5", key_is("question-listened"), "question 2");
  kiosk.tap("rating-4", key_is("question-next_steps"), "question 3");
  kiosk.tap("rating-5", key_is("question-above_beyond"), "question 4");
  kiosk.tap("rating-3", key_is("question-thank"), "the thank question");
  kiosk.tap("no", screen_is("thank_you"), "the thank-you screen");
  kiosk.tap("done", screen_is("attract"), "the attract screen again");
}

void enter_pin(Kiosk& kiosk, const std::string& pin, const LayoutPredicate& then, const std::string& what) {
  for (char c : pin)
    kiosk.tap(
        std::string("pin-") + c, [](const Layout&) { return true; }, "a PIN digit");
  kiosk.tap("pin-ok", then, what);
}

void open_staff(Kiosk& kiosk, const std::string& pin) {
  // Top-left corner, 3 s and a bit: the hidden staff entry.
  kiosk.press_and_hold(20, 20, 3400ms, screen_is("pin_pad"), "the PIN pad");
  enter_pin(kiosk, pin, screen_is("staff"), "the staff screen");
}

}  // namespace

TEST_CASE("staff open the staff screen by a hidden press and the PIN and run an event to all confirmed",
          "[e2e][staff]") {
  const fs::path artifacts = fs::path(FK_ARTIFACTS) / "e2e-staff-event";
  fs::remove_all(artifacts);
  fs::create_directories(artifacts);
  TempDir centre_dir("fk-e2e-centre");
  TempDir data("fk-e2e-data");
  TempDir config("fk-e2e-config");
  const fs::path kiosk_toml = config / "kiosk.toml";
  write_text(kiosk_toml, "# e2e: defaults; the enrollment is written in the data directory\n");

  const std::string token = add_kiosk_at_centre(centre_dir.path(), "fair-e2e", "Test Division");
  const std::string url = reserve_central_url(centre_dir.path());
  const std::string port = url.substr(url.find_last_of(':') + 1);
  // Enrol with the token and then the staff PIN read from standard input, as an installer would pipe them;
  // with --data-dir the enrollment goes there, where the kiosk's own user reads it.
  const CommandResult enrolled =
      run_command({"sh", "-c",
                   "printf '%s\\n2468\\n2468\\n' \"$4\" | \"$0\" --config \"$1\" --data-dir \"$2\" enroll "
                   "--central \"$3\" --pin",
                   kiosk_binary(), kiosk_toml.string(), data.path().string(), url, token},
                  30s);
  INFO(enrolled.describe());
  REQUIRE(enrolled.exit_code == 0);
  CHECK(enrolled.out.find("staff PIN set") != std::string::npos);
  CHECK(fs::exists(data / "enrollment.toml"));
  CHECK_FALSE(fs::exists(config / "enrollment.toml"));

  KioskOptions options(data.path(), artifacts);
  options.config_file = kiosk_toml;
  Kiosk kiosk(options);
  kiosk.wait_for(screen_is("attract"), "the attract screen", 20s);

  // A resident's ordinary tap in the corner does nothing; a held press opens the PIN pad.
  kiosk.press_and_hold(20, 20, 3400ms, screen_is("pin_pad"), "the PIN pad");
  enter_pin(kiosk, "1111", shows_text("Wrong PIN. 4 tries left before the pad locks."),
            "the wrong-PIN message");
  CHECK(kiosk.layout()->screen == "pin_pad");
  enter_pin(kiosk, "2468", screen_is("staff"), "the staff screen");

  // Start an event named "fair".
  kiosk.tap("staff-event-start", screen_is("staff_event"), "the start-event form");
  for (const char* key : {"key-f", "key-a", "key-i", "key-r"}) {
    kiosk.tap(
        key, [](const Layout&) { return true; }, "a letter");
  }
  kiosk.tap("event-start", shows_text("Event \"fair\" started."), "the event started");
  kiosk.tap("staff-lock", screen_is("attract"), "back to the residents");

  complete_visit(kiosk);
  complete_visit(kiosk);

  open_staff(kiosk, "2468");
  kiosk.tap("staff-event-end", screen_is("event_report"), "the event report");
  kiosk.wait_for(shows_text("2 collected, 0 confirmed by the centre, 2 still pending"),
                 "the report: 2 pending");
  wait_for_screenshot(artifacts, "event_report");

  std::optional<ChildProcess> central;
  REQUIRE(start_central(central, centre_dir.path(), port) == url);
  kiosk.tap(
      "report-sync", [](const Layout&) { return true; }, "sync now");
  kiosk.wait_for(shows_text("All 2 confirmed"), "the report: all confirmed", 60s);
  CHECK(central_events(centre_dir / "central.sqlite") == std::map<std::string, int>{{"fair", 2}});
  // Back on the staff screen: the kiosk and its site as the centre named them in its heartbeat answer.
  kiosk.tap("staff-back", screen_is("staff"), "the staff screen");
  kiosk.wait_for(shows_text("Kiosk: fair-e2e    Site: Test Division"), "the kiosk and its site", 60s);
  wait_for_screenshot(artifacts, "staff");
  CHECK(kiosk.stop() == 0);
}

TEST_CASE("staff leave kiosk mode from the staff screen and the app exits with 10", "[e2e][staff]") {
  const fs::path artifacts = fs::path(FK_ARTIFACTS) / "e2e-staff-leave";
  fs::remove_all(artifacts);
  fs::create_directories(artifacts);
  TempDir data("fk-e2e-data");
  const CommandResult pin =
      run_command({"sh", "-c", "printf '1357\\n1357\\n' | \"$0\" --data-dir \"$1\" admin set-pin",
                   kiosk_binary(), data.path().string()},
                  30s);
  INFO(pin.describe());
  REQUIRE(pin.exit_code == 0);
  Kiosk kiosk(KioskOptions(data.path(), artifacts));
  kiosk.wait_for(screen_is("attract"), "the attract screen", 20s);
  open_staff(kiosk, "1357");
  kiosk.tap("staff-leave", screen_is("staff_leave"), "the confirmation");
  const auto before = kiosk.layout();
  REQUIRE(before);
  const Target* confirm = before->find("leave-confirm");
  REQUIRE(confirm);
  run_command({"xdotool", "mousemove", std::to_string(confirm->centre_x()),
               std::to_string(confirm->centre_y()), "click", "1"},
              10s);
  for (int i = 0; i < 100 && kiosk.running(); ++i) std::this_thread::sleep_for(100ms);
  CHECK_FALSE(kiosk.running());
  // 10, not 0: the unit's RestartPreventExitStatus=10 keeps it stopped until staff start it again.
  CHECK(kiosk.stop() == 10);
  CHECK(kiosk.stderr_text().find("staff left kiosk mode") != std::string::npos);
}
