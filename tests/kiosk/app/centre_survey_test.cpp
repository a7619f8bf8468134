// Surveys from the centre, end to end on loopback: a survey published at a real in-process feedback-central
// reaches the kiosk with its next sync (real libcurl, conditional GET), SurveySource offers it, a visit in
// progress finishes on the old version and the next visit runs the new one, and each stored response names
// the version it was answered on.
#include <catch2/catch.hpp>

#include "kiosk/flow/visit_flow.hpp"
#include "kiosk/survey_source.hpp"
#include "support/file_modes.hpp"
#include "support/temp_dir.hpp"
#include "sync/central/central_server.hpp"
#include "sync/central/sqlite_central_store.hpp"
#include "sync/central/tokens.hpp"
#include "sync/model/response.hpp"
#include "sync/store/sqlite_response_store.hpp"
#include "sync/uploader/survey_cache.hpp"
#include "sync/uploader/uploader.hpp"

extern const std::string_view kDefaultSurveyToml;

using namespace fk;

namespace {

std::string survey_text(int version) {
  return "id = \"central-lobby\"\nversion = " + std::to_string(version) +
         "\ntitle = \"Central Division, edition " + std::to_string(version) +
         "\"\n[[question]]\nid = \"overall\"\nkind = \"rating\"\npillar = \"overall\"\ntext = \"How was "
         "it?\"\n";
}

central::PublishedSurvey published(const std::string& id, int version, const std::string& toml) {
  return central::PublishedSurvey{id, version, model::payload_hash(toml), toml, "2026-11-20T08:00:00Z"};
}

const std::vector<central::SurveyAssignment> kCentralLobby = {
    {central::AssignmentKind::Site, "Central Division", "central-lobby"}};

// A centre with kiosk "lobby-1" at Central Division, and that kiosk's data directory, outbox and uploader.
struct Fixture {
  Fixture() {
    central_store = std::move(central::SqliteCentralStore::open(dir / "central.sqlite").value());
    REQUIRE(central_store
                ->add_kiosk("lobby-1", "Central Division", central::token_hash(token), "2026-11-20T08:00:00Z")
                .ok());
    central::ServerConfig config;
    config.log = [](const std::string&) {};
    server = std::make_unique<central::CentralServer>(*central_store, config);
    REQUIRE(server->start().ok());
    data_dir = dir / "data";
    std::filesystem::create_directories(data_dir);
    outbox = std::move(store::SqliteResponseStore::open(data_dir + "/responses.sqlite").value());
    uploader::UploaderConfig u;
    u.central_url = server->base_url();
    u.token = token;
    u.surveys_dir = data_dir + "/surveys";
    kiosk_uploader = std::make_unique<uploader::Uploader>(*outbox, u);
  }

  void publish(int version, const std::vector<central::SurveyAssignment>& assignments = kCentralLobby) {
    REQUIRE(
        central_store->publish_survey(published("central-lobby", version, survey_text(version)), assignments)
            .ok());
  }

  test_support::TempDir dir;
  std::string token = central::new_token();
  std::unique_ptr<central::SqliteCentralStore> central_store;
  std::unique_ptr<central::CentralServer> server;
  std::string data_dir;
  std::unique_ptr<store::SqliteResponseStore> outbox;
  std::unique_ptr<uploader::Uploader> kiosk_uploader;
  std::vector<std::string> log;
};

// Answers the one question, sends, and leaves the thank-you screen.
void complete_visit(flow::VisitFlow& visit, flow::TimePoint& now) {
  visit.apply(flow::SetAnswer{5, false}, now += std::chrono::seconds(2));
  visit.apply(flow::Next{}, now += std::chrono::seconds(2));
  REQUIRE(visit.screen() == flow::Screen::ThankYou);
  visit.apply(flow::Finish{}, now += std::chrono::seconds(1));
  REQUIRE(visit.screen() == flow::Screen::Attract);
}

}  // namespace

TEST_CASE("a survey published at the centre runs on the kiosk after its next sync and only between visits",
          "[sync][surveys]") {
  Fixture f;
  f.publish(1);
  const auto first = f.kiosk_uploader->sync_once();
  REQUIRE(first.error == uploader::SyncError::None);
  CHECK(first.surveys_updated);
  CHECK(f.kiosk_uploader->status()->surveys_generation == 1);
  CHECK(f.kiosk_uploader->status()->site == "Central Division");

  kiosk::SurveySource surveys(std::nullopt, f.data_dir, kDefaultSurveyToml,
                              [&](auto m) { f.log.push_back(m); });
  const auto v1 = surveys.initial();
  REQUIRE(v1->id == "central-lobby");
  REQUIRE(v1->version == 1);
  CHECK_THAT(surveys.origin(), Catch::Contains("lobby survey of site 'Central Division'"));

  // Nothing new: a 304, no new generation, nothing handed to the flow.
  REQUIRE(f.kiosk_uploader->sync_once().error == uploader::SyncError::None);
  CHECK(f.kiosk_uploader->status()->surveys_generation == 1);
  CHECK(surveys.reload_if_changed() == nullptr);

  flow::FlowConfig config;
  config.tap_guard = flow::Millis{0};
  config.still_there_guard = flow::Millis{0};
  config.misuse_interval = flow::Millis{0};
  flow::FlowDeps deps;
  deps.store = f.outbox.get();
  flow::VisitFlow visit(v1, config, deps);
  flow::TimePoint now{};
  visit.apply(flow::StartVisit{}, now += std::chrono::seconds(1));
  REQUIRE(visit.screen() == flow::Screen::Question);
  const std::string first_uuid = visit.visit_uuid();

  // Version 2 is published and synced while a resident is mid-visit.
  f.publish(2);
  const auto second = f.kiosk_uploader->sync_once();
  REQUIRE(second.error == uploader::SyncError::None);
  CHECK(second.surveys_updated);
  CHECK(f.kiosk_uploader->status()->surveys_generation == 2);
  const auto v2 = surveys.reload_if_changed();
  REQUIRE(v2 != nullptr);
  CHECK(v2->version == 2);
  const auto offered = surveys.available();
  CHECK(std::any_of(offered.begin(), offered.end(),
                    [](const auto& s) { return s->id == "central-lobby" && s->version == 2; }));
  CHECK(std::any_of(offered.begin(), offered.end(),
                    [](const auto& s) { return s->id == "lobby"; }));  // embedded
  visit.set_survey(v2);  // as App does; the flow keeps it for the next visit

  complete_visit(visit, now);
  visit.apply(flow::StartVisit{}, now += std::chrono::seconds(10));
  CHECK(visit.survey().version == 2);
  const std::string second_uuid = visit.visit_uuid();
  complete_visit(visit, now);

  // The kiosk recorded each version, and so does the centre once they are uploaded.
  const auto done = f.kiosk_uploader->sync_once();
  REQUIRE(done.complete());
  const auto at_centre_1 = f.central_store->find_response(first_uuid);
  const auto at_centre_2 = f.central_store->find_response(second_uuid);
  REQUIRE((at_centre_1.ok() && at_centre_1->has_value() && at_centre_2.ok() && at_centre_2->has_value()));
  CHECK((*at_centre_1)->survey_id == "central-lobby");
  CHECK((*at_centre_1)->survey_version == 1);
  CHECK((*at_centre_2)->survey_version == 2);
}

TEST_CASE("a bad survey from the centre is ignored and the last good set stays", "[sync][surveys]") {
  Fixture f;
  f.publish(1);
  REQUIRE(f.kiosk_uploader->sync_once().surveys_updated);
  // Only a hand-edited database could hold this: the CLI refuses such a file.
  REQUIRE(f.central_store
              ->publish_survey(published("central-lobby", 2, "id = \"central-lobby\"\nversion = 2\n"), {})
              .ok());
  const auto round = f.kiosk_uploader->sync_once();
  CHECK(round.error == uploader::SyncError::None);  // the responses are not held up by it
  CHECK_FALSE(round.surveys_updated);
  CHECK_THAT(round.surveys_error, Catch::Contains("survey central-lobby version 2 from the centre"));
  CHECK_THAT(f.kiosk_uploader->status()->surveys_error, Catch::Contains("ignored"));
  CHECK(f.kiosk_uploader->status()->surveys_generation == 1);
  kiosk::SurveySource surveys(std::nullopt, f.data_dir, kDefaultSurveyToml,
                              [&](auto m) { f.log.push_back(m); });
  CHECK(surveys.initial()->version == 1);
}

TEST_CASE("a local survey file wins over the centre's lobby survey, which staff can still choose",
          "[sync][surveys]") {
  Fixture f;
  f.publish(3);
  REQUIRE(f.kiosk_uploader->sync_once().surveys_updated);
  const std::string local =
      f.dir.write("event.toml",
                  "id = \"block-party\"\nversion = 1\ntitle = \"Block party\"\n"
                  "[[question]]\nid = \"overall\"\nkind = \"rating\"\ntext = \"Fun?\"\n");
  kiosk::SurveySource surveys(local, f.data_dir, kDefaultSurveyToml, [&](auto m) { f.log.push_back(m); });
  CHECK(surveys.initial()->id == "block-party");
  f.publish(4);
  REQUIRE(f.kiosk_uploader->sync_once().surveys_updated);
  CHECK(surveys.reload_if_changed() == nullptr);  // the local file keeps running
  const auto chosen = surveys.choose("central-lobby");
  REQUIRE(chosen != nullptr);
  CHECK(chosen->version == 4);
}

TEST_CASE("a survey staff chose keeps running when the centre sends a new lobby survey", "[sync][surveys]") {
  Fixture f;
  f.publish(1);
  REQUIRE(f.kiosk_uploader->sync_once().surveys_updated);
  kiosk::SurveySource surveys(std::nullopt, f.data_dir, kDefaultSurveyToml,
                              [&](auto m) { f.log.push_back(m); });
  REQUIRE(surveys.initial()->id == "central-lobby");
  // Staff start an event on the embedded lobby survey.
  REQUIRE(surveys.choose("lobby") != nullptr);
  f.publish(2);
  REQUIRE(f.kiosk_uploader->sync_once().surveys_updated);
  CHECK(surveys.reload_if_changed() == nullptr);  // the event's survey keeps running
  CHECK(surveys.available().size() == 2);
  // The event ends: back to the site's lobby survey, in its new version.
  const auto back = surveys.site_default();
  CHECK(back->id == "central-lobby");
  CHECK(back->version == 2);
}

TEST_CASE("the surveys kept from the centre are readable only by the kiosk", "[sync][surveys]") {
  using test_support::mode_of;
  test_support::TempDir dir;
  const test_support::ScopedUmask loose(022);
  uploader::SurveyCache cache;
  cache.etag = "\"1\"";
  cache.site = "Central Division";
  uploader::CachedSurvey survey;
  survey.id = "lobby";
  survey.version = 1;
  survey.sha256 = std::string(64, 'a');
  survey.lobby = true;
  cache.surveys.push_back(survey);
  REQUIRE(uploader::write_survey_cache(dir.str(), cache, {std::string(kDefaultSurveyToml)}).ok());
  auto read = uploader::read_survey_cache(dir.str());
  REQUIRE(read.ok());
  REQUIRE(read->surveys.size() == 1);
  CHECK(mode_of(read->surveys[0].path) == 0600);
  CHECK(mode_of(dir.file(uploader::kSurveyManifest)) == 0600);
}
