// The feedback-central subcommands: enrolment prints a usable one-time token, listing shows the fleet,
// and the real executable serves until SIGTERM and stops cleanly.
#include "sync/central/commands.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "central_test_support.hpp"
#include "support/file_modes.hpp"
#include "survey_samples.hpp"
#include "sync/central/open_store.hpp"

extern char** environ;

using namespace fk;

namespace {

std::string last_line(const std::string& text) {
  std::string t = text;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  const auto nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

}  // namespace

TEST_CASE("kiosk add prints a one-time token on its last line, stored only as a hash", "[cli]") {
  test::TempDir dir;
  const std::string db = dir.file("c.sqlite");
  std::ostringstream out, err;
  REQUIRE(central::kiosk_add(db, "lobby-1", "Central Division", out, err) == 0);
  const std::string token = last_line(out.str());
  CHECK(token.size() == 64);
  auto store = test::must(central::open_central_store(db), "open");
  const auto who = store->find_principal(central::token_hash(token));
  REQUIRE(who.ok());
  REQUIRE(who->has_value());
  CHECK((*who)->kiosk->id == "lobby-1");
  CHECK_FALSE(store->find_principal(token)->has_value());

  std::ostringstream out2, err2;
  CHECK(central::kiosk_add(db, "lobby-1", "Again", out2, err2) == 1);
  CHECK(err2.str().find("already exists") != std::string::npos);
  CHECK(central::kiosk_add(db, "bad id", "Site", out2, err2) == 2);
  CHECK(central::kiosk_add(db, "ok-id", "", out2, err2) == 2);
}

TEST_CASE("kiosk revoke and list", "[cli]") {
  test::TempDir dir;
  const std::string db = dir.file("c.sqlite");
  std::ostringstream out, err;
  REQUIRE(central::kiosk_add(db, "lobby-1", "Central Division", out, err) == 0);
  REQUIRE(central::kiosk_add(db, "lobby-2", "Harbour Division", out, err) == 0);
  REQUIRE(central::kiosk_revoke(db, "lobby-2", out, err) == 0);
  CHECK(central::kiosk_revoke(db, "nobody", out, err) == 1);
  {
    auto store = test::must(central::open_central_store(db), "open");
    REQUIRE(store
                ->record_heartbeat("lobby-1", model::Heartbeat{"0.1.0", 4, 7200, 1, "timeout"},
                                   "2026-11-22T08:00:00Z")
                .ok());
  }
  std::ostringstream listing;
  REQUIRE(central::kiosk_list(db, listing, err) == 0);
  const std::string text = listing.str();
  INFO(text);
  CHECK(text.rfind("ID", 0) == 0);
  for (const char* header :
       {"SITE", "REVOKED", "LAST SEEN", "PENDING", "OLDEST PENDING", "QUARANTINED", "LAST ERROR"})
    CHECK(text.find(header) != std::string::npos);
  CHECK(text.find("lobby-1  Central Division  no       2026-11-22T08:00:00Z  4        2h") !=
        std::string::npos);
  CHECK(text.find("timeout") != std::string::npos);
  CHECK(text.find("lobby-2  Harbour Division  yes      never") != std::string::npos);
}

TEST_CASE("user add takes a role and prints a token", "[cli]") {
  test::TempDir dir;
  const std::string db = dir.file("c.sqlite");
  std::ostringstream out, err;
  REQUIRE(central::user_add(db, "ada", "admin", out, err) == 0);
  const std::string token = last_line(out.str());
  auto store = test::must(central::open_central_store(db), "open");
  CHECK((*store->find_principal(central::token_hash(token)))->user->role == central::Role::Admin);
  CHECK(central::user_add(db, "eve", "root", out, err) == 2);
  CHECK(central::open_central_store("postgresql://localhost/x").ok() == false);
}

TEST_CASE("feedback-central serve prints its address, serves, and stops on SIGTERM", "[cli][process]") {
  test::TempDir dir;
  const std::string db = dir.file("c.sqlite");
  int out_pipe[2];
  REQUIRE(pipe(out_pipe) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  const std::string exe = FK_CENTRAL_EXE;
  std::vector<std::string> args = {exe, "serve", "--listen", "127.0.0.1:0", "--db", db};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);

  // Read until the address line arrives.
  std::string output;
  char buf[256];
  while (output.find('\n') == std::string::npos) {
    const auto n = read(out_pipe[0], buf, sizeof buf);
    if (n <= 0) break;
    output.append(buf, static_cast<std::size_t>(n));
  }
  INFO(output);
  const auto at = output.find("http://127.0.0.1:");
  REQUIRE(at != std::string::npos);
  const int port = std::stoi(output.substr(at + 17));
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5, 0);
  auto res = client.Get("/api/v1/health");
  REQUIRE(res);
  CHECK(res->status == 200);

  REQUIRE(kill(pid, SIGTERM) == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  while (true) {
    const auto n = read(out_pipe[0], buf, sizeof buf);
    if (n <= 0) break;
    output.append(buf, static_cast<std::size_t>(n));
  }
  close(out_pipe[0]);
  CHECK(output.find("stopping") != std::string::npos);
}

TEST_CASE("feedback-central creates its database readable only by itself under a loose umask",
          "[cli][process]") {
  using test_support::mode_of;
  test::TempDir dir;
  const std::string db = dir.file("c.sqlite");
  const std::string exe = FK_CENTRAL_EXE;
  // The umask a login shell or a careless unit file hands the program: without its own, 0644 files.
  const std::string loose = "umask 022; exec \"$0\" \"$@\"";
  const std::string add =
      "sh -c '" + loose + "' '" + exe + "' kiosk add lobby-1 --site Central --db '" + db + "' > /dev/null";
  REQUIRE(std::system(add.c_str()) == 0);
  CHECK(mode_of(db) == 0600);

  // serve holds the database open, so its -wal and -shm exist while it runs.
  int out_pipe[2];
  REQUIRE(pipe(out_pipe) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  std::vector<std::string> args = {"/bin/sh",  "-c",          loose,  exe, "serve",
                                   "--listen", "127.0.0.1:0", "--db", db};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, "/bin/sh", &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  std::string output;
  char buf[256];
  while (output.find('\n') == std::string::npos) {
    const auto n = read(out_pipe[0], buf, sizeof buf);
    if (n <= 0) break;
    output.append(buf, static_cast<std::size_t>(n));
  }
  INFO(output);
  CHECK(output.find("http://127.0.0.1:") != std::string::npos);
  CHECK(mode_of(db) == 0600);
  CHECK(mode_of(db + "-wal") == 0600);
  CHECK(mode_of(db + "-shm") == 0600);
  REQUIRE(kill(pid, SIGTERM) == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  close(out_pipe[0]);
  CHECK(WIFEXITED(status));
}

TEST_CASE("survey check names file and line of each mistake and exits 1", "[cli][surveys]") {
  test::TempDir dir;
  const std::string good = dir.write("fair.toml", test::survey_toml("fair", 1));
  std::ostringstream out, err;
  CHECK(central::survey_check(good, out, err) == 0);
  CHECK_THAT(out.str(), Catch::Contains("ok (survey \"fair\" version 1, 2 questions)"));
  const std::string bad = dir.write("bad.toml", test::survey_toml("fair", 1) + "colour = \"red\"\n");
  std::ostringstream out2, err2;
  CHECK(central::survey_check(bad, out2, err2) == 1);
  CHECK_THAT(err2.str(), Catch::Contains(bad + ":15:1: unknown key \"colour\""));
}

TEST_CASE("survey publish refuses a file with an error and stores nothing", "[cli][surveys]") {
  test::TempDir dir;
  const std::string db = dir.file("c.sqlite");
  const std::string bad = dir.write("bad.toml", "id = \"fair\"\nversion = \"one\"\n");
  std::ostringstream out, err;
  CHECK(central::survey_publish(db, bad, {"Central Division"}, {}, out, err) == 1);
  CHECK_THAT(err.str(), Catch::Contains(bad + ":2:11: \"version\" must be an integer"));
  CHECK_FALSE(std::filesystem::exists(db));  // refused before the database was even opened
  std::ostringstream out2, err2;
  CHECK(central::survey_publish(db, dir.file("missing.toml"), {}, {}, out2, err2) == 1);
  CHECK_THAT(err2.str(), Catch::Contains("missing.toml: cannot read the file"));
  CHECK_FALSE(std::filesystem::exists(db));
}

TEST_CASE("survey publish stores a version once and refuses changed content under it", "[cli][surveys]") {
  test::TempDir dir;
  const std::string db = dir.file("c.sqlite");
  const std::string file = dir.write("fair.toml", test::survey_toml("fair", 1));
  std::ostringstream out, err;
  REQUIRE(central::survey_publish(db, file, {"Central Division"}, {}, out, err) == 0);
  CHECK_THAT(out.str(), Catch::Contains("Published survey \"fair\" version 1"));
  std::ostringstream out2, err2;
  REQUIRE(central::survey_publish(db, file, {}, {"Harvest fair"}, out2, err2) == 0);
  CHECK_THAT(out2.str(), Catch::Contains("Already published"));

  dir.write("fair.toml", test::survey_toml("fair", 1, "Edited"));
  std::ostringstream out3, err3;
  CHECK(central::survey_publish(db, file, {"Harbour Division"}, {}, out3, err3) == 1);
  CHECK_THAT(err3.str(),
             Catch::Contains("survey \"fair\" version 1 is already published with different content"));
  {
    auto store = test::must(central::open_central_store(db), "open");
    const auto surveys = store->list_published_surveys();
    REQUIRE(surveys->size() == 1);
    CHECK(surveys->front().toml == test::survey_toml("fair", 1));
    CHECK(store->list_survey_assignments()->size() == 2);  // Harbour Division was not assigned
  }
  std::ostringstream out4, err4;
  REQUIRE(central::survey_list(db, out4, err4) == 0);
  CHECK_THAT(out4.str(), Catch::Contains("site Central Division, event Harvest fair"));
  CHECK_THAT(out4.str(), !Catch::Contains("Harbour"));
}
