// The kiosk as a boot-time service: it refuses to start where nobody can see it (SDL's offscreen or dummy
// driver) unless asked, it lays out again when its drawable's size changes, and `enroll` keeps the token
// off the command line. The display cases need no X server; the resize case runs under xvfb-run.
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/kiosk_harness.hpp"

namespace {

using namespace fk::e2e;
namespace fs = std::filesystem;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The kiosk on SDL's `driver`, with nothing from the environment that could choose another.
EnvChanges headless_env(const std::string& driver, const fs::path& config_home) {
  return {{"SDL_VIDEODRIVER", driver},
          {"DISPLAY", std::nullopt},
          {"WAYLAND_DISPLAY", std::nullopt},
          {"FEEDBACK_KIOSK_ALLOW_HEADLESS", std::nullopt},
          {"XDG_CONFIG_HOME", config_home.string()}};
}

// The drawable's size layout.json reports.
std::pair<double, double> display_of(const Layout& layout) {
  const auto j = nlohmann::json::parse(layout.raw, nullptr, false);
  if (j.is_discarded() || !j.contains("display")) return {0, 0};
  return {j["display"].value("w", 0.0), j["display"].value("h", 0.0)};
}

}  // namespace

TEST_CASE("the kiosk refuses SDL's offscreen and dummy drivers with a clear message unless asked",
          "[display]") {
  TempDir data("fk-e2e-data");
  TempDir config_home("fk-e2e-config");
  for (const std::string driver : {"offscreen", "dummy"}) {
    INFO("SDL_VIDEODRIVER=" << driver);
    const CommandResult refused = run_command({kiosk_binary(), "--data-dir", data.path().string()}, 30s,
                                              headless_env(driver, config_home.path()));
    INFO(refused.describe());
    CHECK(refused.exit_code == 2);
    CHECK(contains(refused.err, "no display: SDL chose the '" + driver +
                                    "' driver; set WAYLAND_DISPLAY/DISPLAY (under cage they are set), or "
                                    "FEEDBACK_KIOSK_ALLOW_HEADLESS=1 for tests"));
    CHECK(contains(refused.err, "display: SDL video driver '" + driver + "'"));
  }

  // Asked for (the environment, or --allow-headless): it runs and draws the attract screen.
  TempDir automation("fk-e2e-auto");
  for (const bool by_flag : {false, true}) {
    INFO((by_flag ? "--allow-headless" : "FEEDBACK_KIOSK_ALLOW_HEADLESS=1"));
    fs::remove(automation / "layout.json");
    EnvChanges env = headless_env("offscreen", config_home.path());
    env.push_back({"FK_AUTOMATION_DIR", automation.path().string()});
    env.push_back({"FK_AUTOMATION_SCREENSHOTS", std::string("off")});
    if (!by_flag) env.push_back({"FEEDBACK_KIOSK_ALLOW_HEADLESS", std::string("1")});
    std::vector<std::string> argv = {kiosk_binary(), "--data-dir", data.path().string(), "--windowed"};
    if (by_flag) argv.push_back("--allow-headless");
    ChildProcess kiosk(argv, env, automation / "kiosk.stdout", automation / "kiosk.stderr");
    bool drawn = false;
    for (int i = 0; i < 300 && !drawn && kiosk.running(); ++i) {
      const auto layout = Layout::parse(read_text(automation / "layout.json"));
      drawn = layout && layout->screen == "attract";
      if (!drawn) std::this_thread::sleep_for(100ms);
    }
    INFO(read_text(automation / "kiosk.stderr"));
    CHECK(drawn);
    CHECK(kiosk.stop() == 0);
  }
}

TEST_CASE("a resized window lays out again at the new size's scale", "[display]") {
  const fs::path artifacts = fs::path(FK_ARTIFACTS) / "e2e-resize";
  fs::remove_all(artifacts);
  fs::create_directories(artifacts);
  TempDir data("fk-e2e-data");
  KioskOptions options(data.path(), artifacts);
  options.windowed = true;  // 1920x1080, the configured window size
  Kiosk kiosk(options);
  const Layout before = kiosk.wait_for(screen_is("attract"), "the attract screen at 1080p", 20s);
  CHECK(display_of(before) == std::pair<double, double>(1920, 1080));
  const Target* start_before = before.find("start");
  REQUIRE(start_before != nullptr);

  // As a 1280x720 output would: the window is resized from outside (no window manager under Xvfb).
  const CommandResult resized =
      run_command({"xdotool", "search", "--sync", "--pid", std::to_string(kiosk.pid()), "--name",
                   "Community feedback", "windowsize", "%@", "1280", "720"},
                  10s);
  INFO(resized.describe());
  REQUIRE(resized.exit_code == 0);
  const Layout after = kiosk.wait_for(
      [](const Layout& l) {
        return l.screen == "attract" && display_of(l) == std::pair<double, double>(1280, 720);
      },
      "the attract screen at 1280x720", 20s, before.frame);
  const Layout settled = kiosk.wait_until_idle();
  INFO(settled.raw);
  REQUIRE(display_of(settled) == std::pair<double, double>(1280, 720));
  // Every target inside the new size, none clipped.
  for (const Target& t : settled.targets) {
    INFO("target " << t.id << " at " << t.x << "," << t.y << " size " << t.w << "x" << t.h);
    CHECK(t.x >= 0);
    CHECK(t.y >= 0);
    CHECK(t.x + t.w <= 1280.5);
    CHECK(t.y + t.h <= 720.5);
  }
  // Laid out at 720p scale: the start button is two thirds of its 1080p height, not the same.
  const Target* start_after = settled.find("start");
  REQUIRE(start_after != nullptr);
  CHECK(start_after->h == Approx(start_before->h * 720.0 / 1080.0).epsilon(0.05));
  CHECK(kiosk.running());
  CHECK(kiosk.stderr_text().find("laying out again") != std::string::npos);
}

TEST_CASE("enroll refuses a token on the command line and reads it from standard input or a file", "[cli]") {
  TempDir data("fk-e2e-data");
  TempDir config_home("fk-e2e-config");
  const EnvChanges env = {{"XDG_CONFIG_HOME", config_home.path().string()},
                          {"XDG_DATA_HOME", (config_home / "data").string()}};
  // Nothing listens on port 9 of loopback: the enrolment is stored with a warning, as offline.
  const std::string url = "http://127.0.0.1:9";
  const CommandResult on_argv = run_command({kiosk_binary(), "--data-dir", data.path().string(), "enroll",
                                             "--central", url, "--token", "secret-on-argv"},
                                            30s, env);
  INFO(on_argv.describe());
  CHECK(on_argv.exit_code == 2);
  CHECK(contains(on_argv.err, "--token is refused"));
  CHECK(contains(on_argv.err, "--token-file FILE"));
  CHECK_FALSE(fs::exists(data / "enrollment.toml"));

  // Standard input is /dev/null for run_command: no token there is refused too.
  const CommandResult empty =
      run_command({kiosk_binary(), "--data-dir", data.path().string(), "enroll", "--central", url}, 30s, env);
  INFO(empty.describe());
  CHECK(empty.exit_code == 2);
  CHECK(contains(empty.err, "no token on standard input"));

  const CommandResult piped =
      run_command({"sh", "-c", "echo tok-from-stdin | \"$0\" --data-dir \"$1\" enroll --central \"$2\"",
                   kiosk_binary(), data.path().string(), url},
                  30s, env);
  INFO(piped.describe());
  CHECK(piped.exit_code == 0);
  CHECK(contains(read_text(data / "enrollment.toml"), "tok-from-stdin"));

  const fs::path token_file = data / "token";
  write_text(token_file, "tok-from-file\n");
  const CommandResult from_file = run_command({kiosk_binary(), "--data-dir", data.path().string(), "enroll",
                                               "--central", url, "--token-file", token_file.string()},
                                              30s, env);
  INFO(from_file.describe());
  CHECK(from_file.exit_code == 0);
  CHECK(contains(read_text(data / "enrollment.toml"), "tok-from-file"));
  // The kiosk reads it from its data directory: enrolled, sync --once runs (not enrolled would be exit 2).
  const CommandResult sync =
      run_command({kiosk_binary(), "--data-dir", data.path().string(), "sync", "--once"}, 30s, env);
  INFO(sync.describe());
  CHECK(sync.exit_code == 0);
  CHECK(contains(sync.out, "nothing to send"));
}

TEST_CASE("sync --once on a kiosk that has not run yet creates its data directory and has nothing to send",
          "[cli]") {
  TempDir root("fk-e2e-data");
  TempDir config_home("fk-e2e-config");
  const fs::path data = root / "never-run";
  const fs::path token_file = root / "token";
  write_text(token_file, "tok\n");
  const EnvChanges env = {{"XDG_CONFIG_HOME", config_home.path().string()},
                          {"XDG_DATA_HOME", (root / "xdg-data").string()}};
  // Enrolled (the enrollment beside the config), but the kiosk never ran: no data directory at all.
  const fs::path config = config_home / "feedback-kiosk/kiosk.toml";
  const CommandResult enrolled = run_command(
      {kiosk_binary(), "enroll", "--central", "http://127.0.0.1:9", "--token-file", token_file.string()}, 30s,
      env);
  INFO(enrolled.describe());
  REQUIRE(enrolled.exit_code == 0);
  REQUIRE(fs::exists(config.parent_path() / "enrollment.toml"));
  REQUIRE_FALSE(fs::exists(data));
  const CommandResult sync =
      run_command({kiosk_binary(), "--data-dir", data.string(), "sync", "--once"}, 30s, env);
  INFO(sync.describe());
  CHECK(sync.exit_code == 0);
  CHECK(contains(sync.out, "nothing to send"));
  CHECK_FALSE(contains(sync.err, "unable to open database file"));
  REQUIRE(fs::is_directory(data));
  CHECK((fs::status(data).permissions() & fs::perms::all) == fs::perms::owner_all);
}

TEST_CASE("under systemd the kiosk reports READY=1 and pings the watchdog from its idle loop", "[display]") {
  TempDir dir("fk-e2e-notify");
  TempDir config_home("fk-e2e-config");
  // systemd's notification socket, played by this test: a Unix datagram socket.
  const fs::path socket_path = dir / "notify";
  const int sock = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  REQUIRE(sock >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  REQUIRE(socket_path.string().size() < sizeof addr.sun_path);
  std::strncpy(addr.sun_path, socket_path.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(::bind(sock, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
  timeval wait{0, 100'000};
  ::setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);

  EnvChanges env = headless_env("offscreen", config_home.path());
  env.push_back({"FEEDBACK_KIOSK_ALLOW_HEADLESS", std::string("1")});
  env.push_back({"NOTIFY_SOCKET", socket_path.string()});
  env.push_back({"WATCHDOG_USEC", std::string("1000000")});  // WatchdogSec=1: a ping every 0.5 s
  env.push_back({"WATCHDOG_PID", std::nullopt});
  ChildProcess kiosk({kiosk_binary(), "--data-dir", (dir / "data").string(), "--windowed"}, env,
                     dir / "kiosk.stdout", dir / "kiosk.stderr");
  std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>> received;
  const auto until = std::chrono::steady_clock::now() + 60s;
  // From READY=1 on, watch the idle attract screen for 4 s.
  std::optional<std::chrono::steady_clock::time_point> ready_at;
  while (std::chrono::steady_clock::now() < until && kiosk.running()) {
    if (ready_at && std::chrono::steady_clock::now() - *ready_at > 4s) break;
    char buffer[256];
    const ssize_t n = ::recv(sock, buffer, sizeof buffer, 0);
    if (n <= 0) continue;
    received.emplace_back(std::chrono::steady_clock::now(), std::string(buffer, static_cast<std::size_t>(n)));
    if (!ready_at && contains(received.back().second, "READY=1")) ready_at = received.back().first;
  }
  ::close(sock);
  INFO(read_text(dir / "kiosk.stderr"));
  REQUIRE(ready_at);
  CHECK(received.front().second == "READY=1\nWATCHDOG=1");
  int pings = 0;
  for (const auto& [when, message] : received) {
    if (when > *ready_at && message == "WATCHDOG=1") ++pings;
  }
  // About eight in 4 s at a 0.5 s interval; a busy machine may delay a few.
  CHECK(pings >= 5);
  CHECK(pings <= 10);
  CHECK(contains(read_text(dir / "kiosk.stderr"), "systemd watchdog: pinging every 500 ms"));
  CHECK(kiosk.stop() == 0);
}
