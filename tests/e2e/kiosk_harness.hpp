// Support for the end-to-end tests: runs feedback-kiosk as a child process under the X display the test was
// given (xvfb-run), reads its automation layout.json and taps its targets with xdotool.
// Every wait is bounded; every child is stopped by RAII, also when a test fails.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fk::e2e {

using namespace std::chrono_literals;
using Millis = std::chrono::milliseconds;

// The kiosk built with this test binary (set by CMake).
std::string kiosk_binary();

std::string read_text(const std::filesystem::path& path);
void write_text(const std::filesystem::path& path, const std::string& text);

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "fk-e2e");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Environment changes for a child: {"NAME", "value"} sets, {"NAME", nullopt} removes.
using EnvChanges = std::vector<std::pair<std::string, std::optional<std::string>>>;

// A child process started with posix_spawn (PATH searched), stdin from /dev/null, stdout and stderr to files.
// The destructor stops it (SIGTERM, then SIGKILL after a grace period) and reaps it.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const EnvChanges& env,
               const std::filesystem::path& stdout_path, const std::filesystem::path& stderr_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // False once it has exited (reaps it).
  bool running();
  // Waits at most `timeout` for it to exit by itself; its exit code (128 + signal if killed), or nullopt.
  std::optional<int> wait_for_exit(Millis timeout);
  // SIGTERM, wait up to `grace`, then SIGKILL. Returns the exit code (128 + signal when killed by one).
  int stop(Millis grace = 10s);
  // Exit code once reaped.
  std::optional<int> exit_code() const { return exit_code_; }

 private:
  bool reap(bool block);
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed; -1 when it timed out
  bool timed_out = false;
  std::string out;
  std::string err;
  std::string describe() const;  // for failure messages
};

// Runs a command to completion (bounded by `timeout`, then killed) and captures its output.
CommandResult run_command(const std::vector<std::string>& argv, Millis timeout = 10s,
                          const EnvChanges& env = {});

struct Target {
  std::string id;
  std::string label;
  double x = 0, y = 0, w = 0, h = 0;
  bool selected = false;
  int centre_x() const;
  int centre_y() const;
};

// One parse of DIR/layout.json.
struct Layout {
  long frame = 0;
  std::string screen;
  std::string key;
  std::vector<Target> targets;
  std::vector<std::string> texts;
  std::string raw;

  const Target* find(const std::string& id) const;
  bool has_target(const std::string& id) const { return find(id) != nullptr; }
  bool has_text(const std::string& text) const;
  static std::optional<Layout> parse(const std::string& raw);
};

using LayoutPredicate = std::function<bool(const Layout&)>;
LayoutPredicate screen_is(std::string screen);
LayoutPredicate key_is(std::string key);
LayoutPredicate shows_text(std::string text);

struct KioskOptions {
  KioskOptions(std::filesystem::path data, std::filesystem::path automation,
               std::optional<std::filesystem::path> survey_file = std::nullopt)
      : data_dir(std::move(data)), automation_dir(std::move(automation)), survey(std::move(survey_file)) {}
  std::filesystem::path data_dir;
  std::filesystem::path automation_dir;
  std::optional<std::filesystem::path> survey;
  std::optional<std::filesystem::path> config_file;  // --config (enrollment.toml beside it)
  bool windowed = false;
};

// feedback-kiosk running fullscreen on $DISPLAY with FK_AUTOMATION_DIR set. Its stderr goes to
// automation_dir/kiosk.stderr (kept with the screenshots).
class Kiosk {
 public:
  explicit Kiosk(KioskOptions options);
  ~Kiosk();
  Kiosk(const Kiosk&) = delete;
  Kiosk& operator=(const Kiosk&) = delete;

  // The latest layout.json, if one has been written.
  std::optional<Layout> layout() const;
  // Polls layout.json until `pred` holds (and frame > after_frame); fails the test (with diagnostics) on
  // timeout or if the kiosk exits.
  Layout wait_for(const LayoutPredicate& pred, const std::string& what, Millis timeout = 10s,
                  long after_frame = -1) const;
  // Taps the centre of target `id` (as laid out in the current layout.json) with xdotool, then waits
  // until a newer frame satisfies `then`.
  Layout tap(const std::string& id, const LayoutPredicate& then, const std::string& what,
             Millis timeout = 10s);
  // As tap, but `clicks` quick clicks `delay_ms` apart (xdotool click --repeat N --delay D 1).
  Layout multi_tap(const std::string& id, int clicks, int delay_ms, const LayoutPredicate& then,
                   const std::string& what, Millis timeout = 10s);
  // Presses at (x, y) in screen pixels, holds still for `hold`, releases; then waits for `then`.
  Layout press_and_hold(int x, int y, Millis hold, const LayoutPredicate& then, const std::string& what,
                        Millis timeout = 10s);
  // Waits until the output of frames stops for `quiet` (the event loop sleeps when idle).
  Layout wait_until_idle(Millis quiet = 400ms, Millis timeout = 10s) const;

  std::string stderr_text() const;
  // Waits (bounded) until the kiosk's stderr contains `text`.
  bool wait_for_stderr(const std::string& text, Millis timeout = 5s) const;
  // The last layout.json and the kiosk's stderr, for failure messages.
  std::string diagnostics() const;
  bool running() { return process_.running(); }
  pid_t pid() const { return process_.pid(); }
  // SIGTERM and wait; returns the exit code.
  int stop() { return process_.stop(); }

  const KioskOptions& options() const { return options_; }

 private:
  Layout click(const std::string& id, const std::vector<std::string>& click_args, const LayoutPredicate& then,
               const std::string& what, Millis timeout);
  [[noreturn]] void fail(const std::string& message) const;

  KioskOptions options_;
  std::filesystem::path stderr_path_;
  TempDir config_home_;  // an empty XDG_CONFIG_HOME: no stray kiosk.toml can change the run
  mutable ChildProcess process_;
  // A person reads a new screen before tapping it, and the kiosk expects that: it ignores taps for 350 ms
  // after what is under them changed (its tap guard), keeps an answer given sooner than 400 ms (or in a run
  // quicker than 700 ms each) selected until Next, and "Send" works once its screen has been seen for 1 s.
  // Taps on a new screen wait this long (typing on the same screen does not).
  static constexpr Millis kReadTime{1'100};
  std::chrono::steady_clock::time_point settle_until_{};
};

// Files in `dir` named "NN-<key>.png" (the automation hook's screenshots).
std::optional<std::filesystem::path> find_screenshot(const std::filesystem::path& dir,
                                                     const std::string& key);
// Waits (bounded) until that screenshot exists and is a complete PNG (ends with its IEND chunk).
std::optional<std::filesystem::path> wait_for_screenshot(const std::filesystem::path& dir,
                                                         const std::string& key, Millis timeout = 5s);

// Starts `feedback-central serve` (FK_CENTRAL_BIN) on 127.0.0.1:`port` ("0": a free port) with its database
// in `dir`; returns its URL once it listens.
std::string start_central(std::optional<ChildProcess>& central, const std::filesystem::path& dir,
                          const std::string& port);
// A URL on a free loopback port where nothing listens yet: the centre in `dir` is started there and stopped.
std::string reserve_central_url(const std::filesystem::path& dir);
// `feedback-central kiosk add ID --site SITE` on the database in `dir`; returns the kiosk's token.
std::string add_kiosk_at_centre(const std::filesystem::path& dir, const std::string& id,
                                const std::string& site);

}  // namespace fk::e2e
