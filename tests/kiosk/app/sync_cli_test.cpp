// `feedback-kiosk enroll` and `sync --once` against a real in-process feedback-central on loopback.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "kiosk/cli.hpp"
#include "support/temp_dir.hpp"
#include "sync/central/central_server.hpp"
#include "sync/central/sqlite_central_store.hpp"
#include "sync/central/tokens.hpp"
#include "sync/store/sqlite_response_store.hpp"

using namespace fk;

namespace {

// A centre with one enrolled kiosk; `token` is what `feedback-central kiosk add` would have printed.
struct Centre {
  explicit Centre(const test_support::TempDir& dir) {
    auto opened = central::SqliteCentralStore::open(dir / "central.sqlite");
    REQUIRE(opened.ok());
    store = std::move(opened.value());
    REQUIRE(
        store->add_kiosk("lobby-1", "Central Division", central::token_hash(token), "2026-11-22T08:00:00Z")
            .ok());
    server = std::make_unique<central::CentralServer>(*store, central::ServerConfig{});
    REQUIRE(server->start().ok());
  }
  std::string token = central::new_token();
  std::unique_ptr<central::SqliteCentralStore> store;
  std::unique_ptr<central::CentralServer> server;
};

kiosk::KioskConfig kiosk_in(const test_support::TempDir& dir) {
  kiosk::KioskConfig config;
  config.data_dir = dir / "data";
  REQUIRE(kiosk::ensure_data_dir(config.data_dir).ok());
  return config;
}

void save_responses(const kiosk::KioskConfig& config, int n) {
  auto store = store::SqliteResponseStore::open(config.store_path());
  REQUIRE(store.ok());
  for (int i = 0; i < n; ++i) {
    model::Response r;
    r.uuid = model::new_uuid_v4();
    r.survey_id = "lobby";
    r.survey_version = 1;
    r.language = "en";
    r.answers.push_back({"overall", 5});
    r.completed_at = r.started_at = "2026-11-22T08:00:00Z";
    REQUIRE((*store)->save(r).ok());
  }
}

}  // namespace

TEST_CASE("enroll stores URL and token for the owner only, after the centre accepted the token") {
  test_support::TempDir dir;
  Centre centre(dir);
  const auto path = dir / "config/enrollment.toml";
  std::ostringstream out, err;
  REQUIRE(kiosk::run_enroll(kiosk_in(dir), path, centre.server->base_url(), centre.token, out, err) == 0);
  CHECK_THAT(out.str(), Catch::Contains("enrolled with " + centre.server->base_url()));
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto config = kiosk::load_config(dir / "config/kiosk.toml", false);
  REQUIRE(config.ok());
  CHECK(config->central_url == centre.server->base_url());
  CHECK(config->central_token == centre.token);
}

TEST_CASE("enroll with a token the centre refuses stores nothing") {
  test_support::TempDir dir;
  Centre centre(dir);
  const auto path = dir / "config/enrollment.toml";
  std::ostringstream out, err;
  CHECK(kiosk::run_enroll(kiosk_in(dir), path, centre.server->base_url(), central::new_token(), out, err) ==
        1);
  CHECK_THAT(err.str(), Catch::Contains("refused this token"));
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("sync --once delivers everything pending and says so in its exit code") {
  test_support::TempDir dir;
  Centre centre(dir);
  auto config = kiosk_in(dir);
  save_responses(config, 7);
  std::ostringstream out, err;
  SECTION("not enrolled: exit 2, nothing sent") {
    CHECK(kiosk::run_sync_once(config, out, err) == 2);
    CHECK(*centre.store->count_responses() == 0);
  }
  SECTION("enrolled: exit 0 and all seven at the centre") {
    config.central_url = centre.server->base_url();
    config.central_token = centre.token;
    CHECK(kiosk::run_sync_once(config, out, err) == 0);
    CHECK(out.str() == "delivered 7, quarantined 0, pending 0\n");
    CHECK(*centre.store->count_responses() == 7);
    std::ostringstream status_out, status_err;
    REQUIRE(kiosk::run_status(config, "", status_out, status_err) == 0);
    CHECK_THAT(status_out.str(), Catch::Contains("7 (pending 0, uploaded 7, quarantined 0)"));
  }
  SECTION("centre down: exit 1, everything still pending") {
    config.central_url = centre.server->base_url();
    config.central_token = centre.token;
    centre.server->stop();
    CHECK(kiosk::run_sync_once(config, out, err) == 1);
    CHECK_THAT(err.str(), Catch::Contains("offline"));
    CHECK_THAT(out.str(), Catch::Contains("pending 7"));
  }
}

TEST_CASE("the enrolment token is read from the first line of standard input or of a token file") {
  test_support::TempDir dir;
  std::ostringstream prompt;
  std::istringstream piped("  tok-123  \r\n1357\n");
  auto token = kiosk::read_enroll_token("", piped, false, prompt);
  REQUIRE(token.ok());
  CHECK(*token == "tok-123");
  std::string rest;
  std::getline(piped, rest);
  CHECK(rest == "1357");        // the staff PIN that follows is left for --pin
  CHECK(prompt.str().empty());  // no prompt when it is not a terminal

  const auto file = dir / "token";
  {
    std::ofstream out(file);
    out << "tok-from-file\n";
  }
  std::istringstream unused;
  token = kiosk::read_enroll_token(file, unused, false, prompt);
  REQUIRE(token.ok());
  CHECK(*token == "tok-from-file");

  std::istringstream empty("\n");
  CHECK_FALSE(kiosk::read_enroll_token("", empty, false, prompt).ok());
  CHECK_FALSE(kiosk::read_enroll_token(dir / "missing", unused, false, prompt).ok());
}

TEST_CASE("sync --once on a kiosk that never ran creates its data directory and has nothing to send") {
  test_support::TempDir dir;
  Centre centre(dir);
  kiosk::KioskConfig config;
  config.data_dir = dir / "never-ran/data";
  config.central_url = centre.server->base_url();
  config.central_token = centre.token;
  std::ostringstream out, err;
  CHECK(kiosk::run_sync_once(config, out, err) == 0);
  CHECK_THAT(out.str(), Catch::Contains("nothing to send"));
  CHECK(err.str().empty());
  struct stat st {};
  REQUIRE(::stat(config.data_dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
}
