// The operator's commands: `survey check` and `status`.
#include "kiosk/cli.hpp"

#include <catch2/catch.hpp>
#include <sstream>

#include "support/temp_dir.hpp"
#include "sync/store/sqlite_response_store.hpp"

extern const std::string_view kDefaultSurveyToml;

using namespace fk;

TEST_CASE("survey check accepts the lobby survey") {
  std::ostringstream out, err;
  CHECK(kiosk::run_survey_check(FK_ASSETS "/surveys/lobby.toml", out, err) == 0);
  CHECK_THAT(out.str(), Catch::Contains("ok (survey \"lobby\" version 1, 8 questions)"));
  CHECK(err.str().empty());
}

TEST_CASE("survey check names file, line and reason, and fails") {
  std::ostringstream out, err;
  const std::string file = FK_FIXTURES "/surveys/bad/unknown_question_key.toml";
  CHECK(kiosk::run_survey_check(file, out, err) != 0);
  CHECK_THAT(err.str(), Catch::Contains(file + ":15:1:") && Catch::Contains("colour"));
  CHECK(out.str().empty());
}

TEST_CASE("status shows the data directory, the survey and counts by status") {
  test_support::TempDir dir;
  kiosk::KioskConfig config;
  config.data_dir = dir.str();
  {
    std::ostringstream out, err;
    CHECK(kiosk::run_status(config, kDefaultSurveyToml, out, err) == 0);
    CHECK_THAT(out.str(), Catch::Contains("data directory: " + dir.str()) && Catch::Contains("none yet"));
  }
  {
    auto store = store::SqliteResponseStore::open(config.store_path());
    REQUIRE(store.ok());
    for (int i = 0; i < 3; ++i) {
      model::Response r;
      r.uuid = model::new_uuid_v4();
      r.survey_id = "lobby";
      r.survey_version = 1;
      r.language = "en";
      REQUIRE((*store)->save(r).ok());
    }
    auto pending = (*store)->pending(1);
    REQUIRE(pending.ok());
    REQUIRE((*store)->quarantine(pending->front().uuid, "conflict").ok());
  }
  std::ostringstream out, err;
  CHECK(kiosk::run_status(config, kDefaultSurveyToml, out, err) == 0);
  CHECK_THAT(out.str(), Catch::Contains("active survey:  lobby version 1"));
  CHECK_THAT(out.str(), Catch::Contains("responses:      3 (pending 2, uploaded 0, quarantined 1)"));
}
