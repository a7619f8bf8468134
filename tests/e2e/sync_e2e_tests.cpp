// End to end across both programs: a kiosk enrolled with a real feedback-central collects answers while
// the centre is down; when it comes up they arrive, each exactly once, and both sides' counts agree.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <thread>

#include "sync/store/sqlite_response_store.hpp"
#include "tests/e2e/kiosk_harness.hpp"

namespace {

using namespace fk::e2e;
namespace fs = std::filesystem;

std::set<std::string> central_uuids(const fs::path& db) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, sqlite3_close);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, "SELECT uuid FROM responses", -1, &stmt, nullptr) == SQLITE_OK);
  std::set<std::string> out;
  std::multiset<std::string> all;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const std::string uuid = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    out.insert(uuid);
    all.insert(uuid);
  }
  sqlite3_finalize(stmt);
  CHECK(all.size() == out.size());  // one row per UUID
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

}  // namespace

TEST_CASE("answers given while the centre is down arrive there exactly once when it comes up",
          "[e2e][sync]") {
  const fs::path artifacts = fs::path(FK_ARTIFACTS) / "e2e-kiosk-to-centre";
  fs::remove_all(artifacts);
  fs::create_directories(artifacts);
  TempDir centre_dir("fk-e2e-centre");
  TempDir data("fk-e2e-data");
  TempDir config("fk-e2e-config");
  const fs::path kiosk_toml = config / "kiosk.toml";
  write_text(kiosk_toml, "# e2e: defaults, plus the enrollment written beside this file\n");

  // Enrol while the centre is down: the kiosk keeps the URL and token and says it could not check them.
  const std::string token = add_kiosk_at_centre(centre_dir.path(), "lobby-e2e", "Test Division");
  // A port that nothing listens on yet: ask the kernel for one by starting and stopping the centre.
  const std::string url = reserve_central_url(centre_dir.path());
  const std::string port = url.substr(url.find_last_of(':') + 1);
  // The token from a file, never on the command line.
  const fs::path token_file = config / "token";
  write_text(token_file, token + "\n");
  const CommandResult enrolled = run_command({kiosk_binary(), "--config", kiosk_toml.string(), "enroll",
                                              "--central", url, "--token-file", token_file.string()},
                                             30s);
  INFO(enrolled.describe());
  REQUIRE(enrolled.exit_code == 0);
  CHECK(enrolled.err.find("could not reach") != std::string::npos);

  KioskOptions options(data.path(), artifacts);
  options.config_file = kiosk_toml;
  Kiosk kiosk(options);
  complete_visit(kiosk);
  complete_visit(kiosk);
  auto status = [&] {
    return run_command(
        {kiosk_binary(), "--config", kiosk_toml.string(), "status", "--data-dir", data.path().string()}, 30s);
  };
  CHECK(status().out.find("responses:      2 (pending 2, uploaded 0, quarantined 0)") != std::string::npos);

  // The centre comes up on the URL the kiosk was given; the uploader's back-off finds it.
  std::optional<ChildProcess> central;
  REQUIRE(start_central(central, centre_dir.path(), port) == url);
  std::string last;
  for (int i = 0; i < 120 && last.find("uploaded 2") == std::string::npos; ++i) {
    std::this_thread::sleep_for(500ms);
    last = status().out;
  }
  INFO(last << kiosk.diagnostics());
  REQUIRE(last.find("responses:      2 (pending 0, uploaded 2, quarantined 0)") != std::string::npos);

  std::set<std::string> kiosk_uuids;
  {
    auto store = fk::store::SqliteResponseStore::open((data.path() / "responses.sqlite").string());
    REQUIRE(store.ok());
    auto uploaded = (*store)->list(fk::store::Status::Uploaded, 100);
    REQUIRE(uploaded.ok());
    for (const auto& row : *uploaded) kiosk_uuids.insert(row.uuid);
  }
  CHECK(central_uuids(centre_dir / "central.sqlite") == kiosk_uuids);
  CHECK(kiosk_uuids.size() == 2);

  const CommandResult fleet =
      run_command({FK_CENTRAL_BIN, "kiosk", "list", "--db", (centre_dir / "central.sqlite").string()}, 30s);
  INFO(fleet.describe());
  CHECK(fleet.out.find("lobby-e2e") != std::string::npos);
  CHECK(kiosk.stop() == 0);
}
