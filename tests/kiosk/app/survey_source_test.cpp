// The survey the kiosk runs: a bad file never replaces a good survey; changes apply between visits.
#include "kiosk/survey_source.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "support/file_modes.hpp"
#include "support/temp_dir.hpp"
#include "sync/model/survey_parser.hpp"

extern const std::string_view kDefaultSurveyToml;

using namespace fk;

namespace {

std::string lobby_text(int version, const std::string& title) {
  return "id = \"lobby\"\nversion = " + std::to_string(version) + "\ntitle = \"" + title +
         "\"\n[[question]]\nid = \"overall\"\nkind = \"rating\"\ntext = \"How was it?\"\n";
}

// Moves a file's modification time on, as an edit a second later would.
void touch_later(const std::string& path) {
  const auto t = std::filesystem::last_write_time(path);
  std::filesystem::last_write_time(path, t + std::chrono::seconds(2));
}

}  // namespace

TEST_CASE("the embedded lobby survey is valid") {
  auto survey = model::parse_survey(kDefaultSurveyToml, "embedded");
  REQUIRE(survey.ok());
  CHECK(survey->id == "lobby");
}

TEST_CASE("without a survey file the kiosk runs the embedded lobby survey") {
  test_support::TempDir dir;
  std::vector<std::string> log;
  kiosk::SurveySource source(std::nullopt, dir.str(), kDefaultSurveyToml, [&](auto m) { log.push_back(m); });
  auto survey = source.initial();
  CHECK(survey->id == "lobby");
  CHECK(survey->questions.size() == 8);
  CHECK(log.empty());
  CHECK(source.reload_if_changed() == nullptr);
}

TEST_CASE("a bad survey file at start-up: the last good copy runs, and the log names file and line") {
  test_support::TempDir dir;
  std::vector<std::string> log;
  const auto path = dir.write("event.toml", lobby_text(3, "Block party"));
  {
    kiosk::SurveySource first(path, dir.str(), kDefaultSurveyToml, [&](auto m) { log.push_back(m); });
    CHECK(first.initial()->version == 3);  // a good file is kept as the last good copy
  }
  dir.write("event.toml", lobby_text(4, "Block party") + "colour = \"red\"\n");
  kiosk::SurveySource source(path, dir.str(), kDefaultSurveyToml, [&](auto m) { log.push_back(m); });
  auto survey = source.initial();
  CHECK(survey->version == 3);
  CHECK(survey->title.get("en") == "Block party");
  REQUIRE(log.size() >= 2);
  CHECK_THAT(log[0], Catch::Contains("event.toml:8:1: unknown key \"colour\" in question \"overall\""));
  CHECK_THAT(source.origin(), Catch::Contains("last-good-survey.toml"));
}

TEST_CASE("a bad survey file with no last good copy: the embedded lobby survey runs") {
  test_support::TempDir dir;
  std::vector<std::string> log;
  const auto path = dir.write("broken.toml", "id = \"x\"\nversion = \"one\"\n");
  kiosk::SurveySource source(path, dir.str(), kDefaultSurveyToml, [&](auto m) { log.push_back(m); });
  CHECK(source.initial()->id == "lobby");
  CHECK_FALSE(log.empty());
  CHECK_THAT(source.origin(), Catch::Contains("embedded"));
}

TEST_CASE("a changed file is picked up when valid and ignored when not") {
  test_support::TempDir dir;
  std::vector<std::string> log;
  const auto path = dir.write("s.toml", lobby_text(1, "One"));
  kiosk::SurveySource source(path, dir.str(), kDefaultSurveyToml, [&](auto m) { log.push_back(m); });
  CHECK(source.initial()->version == 1);
  CHECK(source.reload_if_changed() == nullptr);  // unchanged

  dir.write("s.toml", lobby_text(2, "Two") + "[[question]]\nid = \"overall\"\n");
  touch_later(path);
  CHECK(source.reload_if_changed() == nullptr);  // duplicate id: refused, the running survey stays
  CHECK_THAT(log.back(), Catch::Contains("s.toml:"));

  dir.write("s.toml", lobby_text(2, "Two"));
  touch_later(path);
  touch_later(path);
  auto next = source.reload_if_changed();
  REQUIRE(next != nullptr);
  CHECK(next->version == 2);
}

TEST_CASE("the last good copy is readable only by the kiosk, however open the survey file was") {
  test_support::TempDir dir;
  const test_support::ScopedUmask loose(022);
  const auto path = dir.write("event.toml", lobby_text(3, "Block party"));
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  kiosk::SurveySource source(path, dir.str(), kDefaultSurveyToml, [](auto) {});
  REQUIRE(source.initial()->version == 3);
  CHECK(test_support::mode_of(dir.file("last-good-survey.toml")) == 0600);
}
