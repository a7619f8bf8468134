// central.toml: every key read, errors as FILE:LINE:COL with the reason, nothing started on a bad file
// (exit 2), flags winning over the file, and the access log on stdout under `serve`.
#include "sync/central/central_config.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "central_test_support.hpp"

using namespace fk;
using central::read_central_config;
using central::ServeSettings;

namespace {

std::string write(const test::TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.file(name);
  std::ofstream(path) << text;
  return path;
}

// The error read_central_config gives for `text`, or "" when it is accepted.
std::string error_of(const std::string& text) {
  test::TempDir dir;
  const std::string path = write(dir, "central.toml", text);
  ServeSettings settings;
  auto read = read_central_config(path, settings);
  if (read) return "";
  const std::string& message = read.error().message;
  REQUIRE(message.rfind(path + ":", 0) == 0);  // always the file first
  return message.substr(path.size());
}

// feedback-central serve as a process: its stdout read until it prints its address (or exits).
struct ServeProcess {
  explicit ServeProcess(std::vector<std::string> args) {
    int out[2], err[2];
    REQUIRE(pipe(out) == 0);
    REQUIRE(pipe(err) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, err[0]);
    const std::string exe = FK_CENTRAL_EXE;
    args.insert(args.begin(), {exe, "serve"});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // Without FEEDBACK_CENTRAL_DB from the test's environment: the file must decide.
    std::vector<std::string> env_text;
    for (char** e = environ; *e; ++e) {
      if (std::string(*e).rfind("FEEDBACK_CENTRAL_DB=", 0) != 0) env_text.emplace_back(*e);
    }
    std::vector<char*> env;
    for (auto& e : env_text) env.push_back(e.data());
    env.push_back(nullptr);
    REQUIRE(posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), env.data()) == 0);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    close(err[1]);
    out_fd = out[0];
    err_fd = err[0];
    while (stdout_text.find('\n') == std::string::npos) {
      if (!read_more(out_fd, stdout_text)) break;
    }
  }
  ~ServeProcess() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
    close(out_fd);
    close(err_fd);
  }
  static bool read_more(int fd, std::string& into) {
    char buf[512];
    const auto n = read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    into.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  // The port it printed, or 0.
  int port() const {
    const auto at = stdout_text.find("http://127.0.0.1:");
    return at == std::string::npos ? 0 : std::stoi(stdout_text.substr(at + 17));
  }
  // Waits for it to exit (it should, on its own): the exit code; stderr is read whole.
  int exit_code() {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    pid = -1;
    while (read_more(err_fd, stderr_text)) {
    }
    REQUIRE(WIFEXITED(status));
    return WEXITSTATUS(status);
  }
  // Stops it with SIGTERM and reads the rest of stdout.
  int stop() {
    REQUIRE(kill(pid, SIGTERM) == 0);
    const int code = exit_code();
    while (read_more(out_fd, stdout_text)) {
    }
    return code;
  }

  pid_t pid = -1;
  int out_fd = -1, err_fd = -1;
  std::string stdout_text, stderr_text;
};

}  // namespace

TEST_CASE("central.toml sets every serve setting", "[config]") {
  test::TempDir dir;
  const std::string path = write(dir, "central.toml", R"(
listen = "127.0.0.1:9443"
database = "data/central.sqlite"
k = 7
threads = 3
tls_cert = "/etc/feedback-central/cert.pem"
tls_key = "key.pem"
plain_http = true
surveys = ["surveys/events.toml", "/srv/other.toml"]
access_log = "off"

[limits]
max_body_bytes = 2097152
max_items = 100
max_depth = 5
max_string_bytes = 1000
rate_limit = 50.5
rate_burst = 100
head_timeout = 11
read_timeout = 12
min_body_rate = 2048
write_timeout = 13
keep_alive_timeout = 14
keep_alive_max = 99
max_request_line = 4096
max_header_count = 50
max_header_bytes = 16384
max_connections = 1000
max_body_memory = 1048576
)");
  ServeSettings s;
  REQUIRE(read_central_config(path, s));
  CHECK(s.listen == "127.0.0.1:9443");
  CHECK(s.database == dir.file("data/central.sqlite"));  // beside the file
  CHECK(s.config.min_k == 7);
  CHECK(s.config.threads == 3);
  CHECK(s.config.tls.cert_file == "/etc/feedback-central/cert.pem");
  CHECK(s.config.tls.key_file == dir.file("key.pem"));
  CHECK(s.plain_http);
  CHECK(s.survey_files == std::vector<std::string>{dir.file("surveys/events.toml"), "/srv/other.toml"});
  CHECK(s.access_log == "off");
  CHECK(s.config.limits.max_body_bytes == 2097152);
  CHECK(s.config.limits.max_items == 100);
  CHECK(s.config.limits.max_depth == 5);
  CHECK(s.config.limits.max_string_bytes == 1000);
  CHECK(s.config.rate.per_second == 50.5);
  CHECK(s.config.rate.burst == 100);
  CHECK(s.head_timeout_s == 11);
  CHECK(s.read_timeout_s == 12);
  CHECK(s.config.min_body_rate == 2048);
  CHECK(s.write_timeout_s == 13);
  CHECK(s.keep_alive_timeout_s == 14);
  CHECK(s.config.keep_alive_max_count == 99);
  CHECK(s.config.max_request_line == 4096);
  CHECK(s.config.max_header_count == 50);
  CHECK(s.config.max_header_bytes == 16384);
  CHECK(s.config.max_connections == 1000);
  CHECK(s.config.body_memory_bytes == 1048576);
}

TEST_CASE("central.toml leaves what it does not name alone; a PostgreSQL URL is kept as is", "[config]") {
  test::TempDir dir;
  ServeSettings s;
  s.config.threads = 4;
  REQUIRE(read_central_config(write(dir, "c.toml", "database = \"postgresql://feedback@db/feedback\"\n"), s));
  CHECK(s.database == "postgresql://feedback@db/feedback");
  CHECK(s.config.threads == 4);
  CHECK(s.listen == "127.0.0.1:8080");
}

TEST_CASE("central.toml errors name the file, line, column and reason", "[config]") {
  // Unknown keys, at top level and in [limits].
  CHECK(error_of("listen = \"127.0.0.1:1\"\nlisten_on = 3\n").rfind(":2:1: unknown key \"listen_on\"", 0) ==
        0);
  CHECK(error_of("[limits]\nmax_body = 5\n").rfind(":2:1: unknown key \"max_body\" in [limits]", 0) == 0);
  // Wrong types, pointing at the value.
  CHECK(error_of("k = \"seven\"\n") == ":1:5: k must be a whole number");
  CHECK(error_of("\n\nplain_http = \"yes\"\n") == ":3:14: plain_http must be true or false");
  CHECK(error_of("listen = 8080\n") == ":1:10: listen must be a text in double quotes");
  CHECK(error_of("surveys = \"a.toml\"\n").rfind(":1:11: surveys must be a list of file names", 0) == 0);
  CHECK(error_of("surveys = [\"a.toml\", 3]\n") == ":1:22: surveys: each entry must be a file name");
  CHECK(error_of("limits = 3\n") == ":1:10: limits must be a table: [limits]");
  CHECK(error_of("[limits]\nhead_timeout = 1.5\n") == ":2:16: head_timeout must be a whole number");
  CHECK(error_of("[limits]\nrate_limit = \"fast\"\n") == ":2:14: rate_limit must be a number");
  // Out of range: the same bounds as the flags.
  CHECK(error_of("k = 2\n") == ":1:5: k must be from 3 to 1000000, not 2");
  CHECK(error_of("[limits]\nmax_depth = 2\n") == ":2:13: max_depth must be from 3 to 64, not 2");
  CHECK(error_of("[limits]\nmax_items = 0\n") == ":2:13: max_items must be from 1 to 2147483647, not 0");
  CHECK(error_of("[limits]\nrate_burst = -1\n") == ":2:14: rate_burst must be from 0 to 1e9");
  CHECK(error_of("access_log = \"file\"\n") ==
        ":1:14: access_log must be \"stdout\" or \"off\", not \"file\"");
  // Not TOML at all.
  CHECK(error_of("listen = \n").rfind(":1:", 0) == 0);
  CHECK(error_of("k = 5\nk = 6\n").rfind(":2:", 0) == 0);  // a key given twice
}

TEST_CASE("serve --config with a bad file starts nothing and exits 2", "[config][process]") {
  test::TempDir dir;
  const std::string config =
      write(dir, "central.toml", "listen = \"127.0.0.1:0\"\n\n[limits]\nmax_itmes = 3\n");
  const std::string db = dir.file("c.sqlite");
  ServeProcess serve({"--config", config, "--db", db});
  CHECK(serve.exit_code() == 2);
  INFO(serve.stderr_text);
  CHECK(serve.stderr_text == "error: " + config + ":4:1: unknown key \"max_itmes\" in [limits] (known: " +
                                 "head_timeout, keep_alive_max, keep_alive_timeout, max_body_bytes, " +
                                 "max_body_memory, max_connections, max_depth, max_header_bytes, " +
                                 "max_header_count, max_items, max_request_line, max_string_bytes, " +
                                 "min_body_rate, rate_burst, rate_limit, read_timeout, write_timeout)\n");
  CHECK(serve.stdout_text.empty());
  CHECK_FALSE(std::filesystem::exists(db));  // not even the database was opened

  ServeProcess missing({"--config", dir.file("nowhere.toml"), "--db", db});
  CHECK(missing.exit_code() == 2);
  CHECK(missing.stderr_text.rfind("error: " + dir.file("nowhere.toml") + ": ", 0) == 0);
}

TEST_CASE("serve reads its settings from --config and flags override them", "[config][process]") {
  test::TempDir dir;
  // On its own this file is refused: plain HTTP on every interface.
  const std::string config = write(dir, "central.toml",
                                   "listen = \"0.0.0.0:0\"\ndatabase = \"from-file.sqlite\"\n"
                                   "access_log = \"off\"\n");
  {
    ServeProcess refused({"--config", config});
    CHECK(refused.exit_code() == 2);
    CHECK(refused.stderr_text.find("refusing plain HTTP on 0.0.0.0") != std::string::npos);
  }
  // --listen and --access-log win; the file's database is used.
  ServeProcess serve({"--config", config, "--listen", "127.0.0.1:0", "--access-log", "stdout"});
  INFO(serve.stdout_text);
  REQUIRE(serve.port() > 0);
  CHECK(serve.stdout_text.find(dir.file("from-file.sqlite")) != std::string::npos);
  httplib::Client client("127.0.0.1", serve.port());
  client.set_connection_timeout(5, 0);
  auto res = client.Get("/api/v1/health?live=1");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(serve.stop() == 0);
  CHECK(std::filesystem::exists(dir.file("from-file.sqlite")));
  // The access log went to stdout, one line for the request.
  CHECK(serve.stdout_text.find("access method=GET path=/api/v1/health?live status=200 ") !=
        std::string::npos);
}

TEST_CASE("serve --access-log off writes no access lines", "[config][process]") {
  test::TempDir dir;
  ServeProcess serve({"--listen", "127.0.0.1:0", "--db", dir.file("c.sqlite"), "--access-log", "off"});
  REQUIRE(serve.port() > 0);
  httplib::Client client("127.0.0.1", serve.port());
  auto res = client.Get("/api/v1/health");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(serve.stop() == 0);
  CHECK(serve.stdout_text.find("access ") == std::string::npos);
}
