#include "tests/e2e/kiosk_harness.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

extern char** environ;

namespace fk::e2e {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr Millis kPollInterval{5};

int decode_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// The parent's environment with `changes` applied (later changes win).
std::vector<std::string> child_environment(const EnvChanges& changes) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    const bool replaced =
        std::any_of(changes.begin(), changes.end(), [&](const auto& c) { return c.first == name; });
    if (!replaced) env.push_back(entry);
  }
  for (const auto& [name, value] : changes) {
    if (value) env.push_back(name + "=" + *value);
  }
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::string join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    out += a.find(' ') == std::string::npos ? a : "'" + a + "'";
  }
  return out;
}

}  // namespace

std::string kiosk_binary() {
  return FK_KIOSK_BIN;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// -----------------------------------------------------------------------------------------------------------
TempDir::TempDir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

// -----------------------------------------------------------------------------------------------------------
ChildProcess::ChildProcess(const std::vector<std::string>& argv, const EnvChanges& env,
                           const fs::path& stdout_path, const fs::path& stderr_path) {
  std::vector<std::string> args = argv;
  std::vector<std::string> envs = child_environment(env);
  auto c_args = c_strings(args);
  auto c_env = c_strings(envs);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  // Signals the test runner may have blocked or ignored must not leak into the child (SIGTERM must work).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  const int rc = ::posix_spawnp(&pid_, c_args[0], &actions, &attr, c_args.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start " + join(argv) + ": " + std::strerror(rc));
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exit_code_) stop(5s);
}

bool ChildProcess::reap(bool block) {
  if (pid_ <= 0 || exit_code_) return true;
  int status = 0;
  for (;;) {
    const pid_t r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    if (r == pid_) {
      exit_code_ = decode_wait_status(status);
      return true;
    }
    if (r == 0) return false;
    if (errno == EINTR) continue;
    exit_code_ = -1;  // not our child any more: nothing left to wait for
    return true;
  }
}

bool ChildProcess::running() {
  return !reap(false);
}

std::optional<int> ChildProcess::wait_for_exit(Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!reap(false)) {
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(Millis(2));
  }
  return exit_code_;
}

int ChildProcess::stop(Millis grace) {
  if (pid_ <= 0) return -1;
  if (!exit_code_) {
    ::kill(pid_, SIGTERM);
    if (!wait_for_exit(grace)) {
      ::kill(pid_, SIGKILL);
      reap(true);
    }
  }
  return *exit_code_;
}

// -----------------------------------------------------------------------------------------------------------
std::string CommandResult::describe() const {
  std::ostringstream s;
  s << (timed_out ? "timed out" : "exit code " + std::to_string(exit_code)) << "\n--- stdout ---\n"
    << out << "\n--- stderr ---\n"
    << err;
  return s.str();
}

CommandResult run_command(const std::vector<std::string>& argv, Millis timeout, const EnvChanges& env) {
  TempDir dir("fk-e2e-cmd");
  CommandResult result;
  {
    ChildProcess child(argv, env, dir / "stdout", dir / "stderr");
    if (auto code = child.wait_for_exit(timeout)) {
      result.exit_code = *code;
    } else {
      result.timed_out = true;
      child.stop(1s);
    }
  }
  result.out = read_text(dir / "stdout");
  result.err = read_text(dir / "stderr");
  return result;
}

// -----------------------------------------------------------------------------------------------------------
int Target::centre_x() const {
  return static_cast<int>(std::lround(x + w / 2));
}
int Target::centre_y() const {
  return static_cast<int>(std::lround(y + h / 2));
}

const Target* Layout::find(const std::string& id) const {
  for (const auto& t : targets) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

bool Layout::has_text(const std::string& text) const {
  return std::find(texts.begin(), texts.end(), text) != texts.end();
}

std::optional<Layout> Layout::parse(const std::string& raw) {
  const auto j = nlohmann::json::parse(raw, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    Layout layout;
    layout.raw = raw;
    layout.frame = j.at("frame").get<long>();
    layout.screen = j.at("screen").get<std::string>();
    layout.key = j.at("key").get<std::string>();
    for (const auto& t : j.at("targets")) {
      layout.targets.push_back(Target{t.at("id").get<std::string>(), t.at("label").get<std::string>(),
                                      t.at("x").get<double>(), t.at("y").get<double>(),
                                      t.at("w").get<double>(), t.at("h").get<double>(),
                                      t.at("selected").get<bool>()});
    }
    layout.texts = j.at("texts").get<std::vector<std::string>>();
    return layout;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

LayoutPredicate screen_is(std::string screen) {
  return [screen = std::move(screen)](const Layout& l) { return l.screen == screen; };
}
LayoutPredicate key_is(std::string key) {
  return [key = std::move(key)](const Layout& l) { return l.key == key; };
}
LayoutPredicate shows_text(std::string text) {
  return [text = std::move(text)](const Layout& l) { return l.has_text(text); };
}

// -----------------------------------------------------------------------------------------------------------
namespace {

std::vector<std::string> kiosk_argv(const KioskOptions& o) {
  std::vector<std::string> argv = {kiosk_binary(), "--data-dir", o.data_dir.string()};
  if (o.config_file) {
    argv.push_back("--config");
    argv.push_back(o.config_file->string());
  }
  if (o.survey) {
    argv.push_back("--survey");
    argv.push_back(o.survey->string());
  }
  if (o.windowed) argv.push_back("--windowed");
  return argv;
}

fs::path prepared_stderr_path(const KioskOptions& o) {
  fs::create_directories(o.automation_dir);
  fs::remove(o.automation_dir / "layout.json");
  return o.automation_dir / "kiosk.stderr";
}

}  // namespace

Kiosk::Kiosk(KioskOptions options)
    : options_(std::move(options)),
      stderr_path_(prepared_stderr_path(options_)),
      config_home_("fk-e2e-config"),
      process_(kiosk_argv(options_),
               EnvChanges{{"FK_AUTOMATION_DIR", options_.automation_dir.string()},
                          {"XDG_CONFIG_HOME", config_home_.path().string()},
                          {"SDL_VIDEODRIVER", std::nullopt}},  // the X display, where xdotool's clicks land
               options_.automation_dir / "kiosk.stdout", stderr_path_) {}

Kiosk::~Kiosk() {
  process_.stop(5s);
}

std::optional<Layout> Kiosk::layout() const {
  // layout.json is replaced by rename, so a read sees one whole version or none.
  std::ifstream in(options_.automation_dir / "layout.json", std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return Layout::parse(s.str());
}

std::string Kiosk::stderr_text() const {
  return read_text(stderr_path_);
}

bool Kiosk::wait_for_stderr(const std::string& text, Millis timeout) const {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (stderr_text().find(text) != std::string::npos) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
}

std::string Kiosk::diagnostics() const {
  std::string out = "--- last layout.json (" + (options_.automation_dir / "layout.json").string() + ") ---\n";
  const std::string raw = read_text(options_.automation_dir / "layout.json");
  out += raw.empty() ? "(none written)" : raw;
  out += "\n--- kiosk stderr ---\n" + stderr_text();
  if (process_.exit_code())
    out += "--- kiosk exited with code " + std::to_string(*process_.exit_code()) + " ---\n";
  return out;
}

void Kiosk::fail(const std::string& message) const {
  const std::string text = message + "\n" + diagnostics();
  // Unwrapped on stderr too: Catch wraps its messages at 80 columns, which mangles the JSON.
  std::fprintf(stderr, "=== e2e failure ===\n%s\n=== end of e2e failure ===\n", text.c_str());
  std::fflush(stderr);
  FAIL(text);
  throw std::runtime_error(text);  // FAIL throws inside a test; this keeps [[noreturn]] honest elsewhere
}

Layout Kiosk::wait_for(const LayoutPredicate& pred, const std::string& what, Millis timeout,
                       long after_frame) const {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (auto l = layout(); l && l->frame > after_frame && pred(*l)) return *l;
    if (!process_.running()) fail("the kiosk exited while waiting for " + what);
    if (Clock::now() >= deadline) {
      fail("timed out after " + std::to_string(timeout.count()) + " ms waiting for " + what);
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

Layout Kiosk::wait_until_idle(Millis quiet, Millis timeout) const {
  const auto deadline = Clock::now() + timeout;
  auto last = layout();
  auto since = Clock::now();
  for (;;) {
    auto now_layout = layout();
    const auto now = Clock::now();
    if (!now_layout || !last || now_layout->frame != last->frame) {
      last = now_layout;
      since = now;
    } else if (now - since >= quiet) {
      return *last;
    }
    if (now >= deadline) fail("the kiosk kept drawing frames for " + std::to_string(timeout.count()) + " ms");
    std::this_thread::sleep_for(kPollInterval);
  }
}

Layout Kiosk::click(const std::string& id, const std::vector<std::string>& click_args,
                    const LayoutPredicate& then, const std::string& what, Millis timeout) {
  // A person looks at a new screen before tapping it (see kReadTime).
  std::this_thread::sleep_until(settle_until_);
  const auto before = layout();
  if (!before) fail("no layout.json yet: cannot tap \"" + id + "\"");
  const Target* target = before->find(id);
  if (!target) fail("no target \"" + id + "\" on screen " + before->key + " (tapping it for " + what + ")");
  // No --sync: it waits for the pointer to move, which never happens when it is already there (a
  // repeated key). XTest events on one connection arrive in order, so the move lands before the click.
  std::vector<std::string> argv = {"xdotool", "mousemove", std::to_string(target->centre_x()),
                                   std::to_string(target->centre_y())};
  argv.insert(argv.end(), click_args.begin(), click_args.end());
  const CommandResult r = run_command(argv, 10s);
  if (r.exit_code != 0) fail("xdotool failed: " + join(argv) + "\n" + r.describe());
  Layout after = wait_for(then, what + " (after tapping \"" + id + "\")", timeout, before->frame);
  if (after.key != before->key) settle_until_ = Clock::now() + kReadTime;
  return after;
}

Layout Kiosk::tap(const std::string& id, const LayoutPredicate& then, const std::string& what,
                  Millis timeout) {
  return click(id, {"click", "1"}, then, what, timeout);
}

Layout Kiosk::press_and_hold(int x, int y, Millis hold, const LayoutPredicate& then, const std::string& what,
                             Millis timeout) {
  std::this_thread::sleep_until(settle_until_);
  const auto before = layout();
  if (!before) fail("no layout.json yet: cannot press at " + std::to_string(x) + "," + std::to_string(y));
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", static_cast<double>(hold.count()) / 1000.0);
  const std::vector<std::string> argv = {"xdotool",   "mousemove", std::to_string(x), std::to_string(y),
                                         "mousedown", "1",         "sleep",           seconds,
                                         "mouseup",   "1"};
  const CommandResult r = run_command(argv, hold + 10s);
  if (r.exit_code != 0) fail("xdotool failed: " + join(argv) + "\n" + r.describe());
  Layout after =
      wait_for(then, what + " (after holding at " + std::to_string(x) + "," + std::to_string(y) + ")",
               timeout, before->frame);
  if (after.key != before->key) settle_until_ = Clock::now() + kReadTime;
  return after;
}

Layout Kiosk::multi_tap(const std::string& id, int clicks, int delay_ms, const LayoutPredicate& then,
                        const std::string& what, Millis timeout) {
  return click(id, {"click", "--repeat", std::to_string(clicks), "--delay", std::to_string(delay_ms), "1"},
               then, what, timeout);
}

// -----------------------------------------------------------------------------------------------------------
std::optional<fs::path> find_screenshot(const fs::path& dir, const std::string& key) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const std::string suffix = "-" + key + ".png";
    // "NN-<key>.png": two digits, a dash, then exactly the key.
    if (name.size() == 2 + suffix.size() && name.compare(2, suffix.size(), suffix) == 0 &&
        std::isdigit(static_cast<unsigned char>(name[0])) &&
        std::isdigit(static_cast<unsigned char>(name[1]))) {
      return entry.path();
    }
  }
  return std::nullopt;
}

std::optional<fs::path> wait_for_screenshot(const fs::path& dir, const std::string& key, Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    // Complete once it ends with the IEND chunk (the PNG is written after layout.json of the same frame).
    if (auto p = find_screenshot(dir, key)) {
      const std::string bytes = read_text(*p);
      if (bytes.size() > 12 && bytes.compare(bytes.size() - 8, 4, "IEND") == 0) return p;
    }
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPollInterval);
  }
}

std::string start_central(std::optional<ChildProcess>& central, const std::filesystem::path& dir,
                          const std::string& port) {
  central.emplace(std::vector<std::string>{FK_CENTRAL_BIN, "serve", "--listen", "127.0.0.1:" + port, "--db",
                                           (dir / "central.sqlite").string()},
                  EnvChanges{}, dir / "central.stdout", dir / "central.stderr");
  const std::regex listening("listening on (http://127\\.0\\.0\\.1:[0-9]+)");
  for (int i = 0; i < 200; ++i) {
    std::smatch m;
    const std::string out = read_text(dir / "central.stdout");
    if (std::regex_search(out, m, listening)) return m[1];
    std::this_thread::sleep_for(25ms);
  }
  FAIL("feedback-central did not start: " << read_text(dir / "central.stderr"));
  return {};
}

std::string reserve_central_url(const std::filesystem::path& dir) {
  std::optional<ChildProcess> probe;
  const std::string url = start_central(probe, dir, "0");
  probe->stop();
  return url;
}

std::string add_kiosk_at_centre(const std::filesystem::path& dir, const std::string& id,
                                const std::string& site) {
  const CommandResult added = run_command(
      {FK_CENTRAL_BIN, "kiosk", "add", id, "--site", site, "--db", (dir / "central.sqlite").string()}, 30s);
  INFO(added.describe());
  REQUIRE(added.exit_code == 0);
  return added.out.substr(added.out.find_last_of('\n', added.out.size() - 2) + 1, 64);  // its last line
}

}  // namespace fk::e2e
