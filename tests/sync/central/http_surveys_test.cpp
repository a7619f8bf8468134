// GET /api/v1/surveys over real HTTP: a kiosk's site surveys with a strong ETag, 304 on If-None-Match, the
// refusals, and the centre learning a published survey's pillars and thank-you note at ingest.
#include <catch2/catch.hpp>

#include "http_test_support.hpp"
#include "survey_samples.hpp"
#include "wire_samples.hpp"

using namespace fk;
using central::AssignmentKind;
using nlohmann::json;

namespace {

constexpr const char* kSurveysPath = "/api/v1/surveys";

httplib::Result get_surveys(const test::LiveCentral& central, const std::string& token,
                            const std::string& etag = {}) {
  auto client = central.client(token);
  httplib::Headers headers;
  if (!etag.empty()) headers.emplace("If-None-Match", etag);
  return client->Get(kSurveysPath, headers);
}

}  // namespace

TEST_CASE("a kiosk gets its site's lobby survey and the event surveys with a strong ETag",
          "[http][surveys]") {
  test::LiveCentral central;
  auto& store = central.store();
  REQUIRE(store
              .publish_survey(test::published("central-lobby", 1),
                              {{AssignmentKind::Site, "Central Division", "central-lobby"}})
              .ok());
  REQUIRE(store.publish_survey(test::published("central-lobby", 2), {}).ok());
  REQUIRE(store
              .publish_survey(test::published("harbour-lobby", 1),
                              {{AssignmentKind::Site, "Harbour Division", "harbour-lobby"}})
              .ok());
  REQUIRE(store.publish_survey(test::published("fair", 1), {{AssignmentKind::Event, "Harvest fair", "fair"}})
              .ok());
  REQUIRE(store.publish_survey(test::published("unassigned", 1), {}).ok());

  const auto res = get_surveys(central, central.kiosk_token);  // lobby-1 at Central Division
  REQUIRE(res);
  INFO("body: " << res->body);
  REQUIRE(res->status == 200);
  const std::string etag = res->get_header_value("ETag");
  CHECK(etag == "\"" + model::payload_hash(res->body) + "\"");
  const json body = json::parse(res->body);
  CHECK(body["site"] == "Central Division");
  REQUIRE(body["surveys"].size() == 2);
  const json& lobby = body["surveys"][0];
  CHECK(lobby["id"] == "central-lobby");
  CHECK(lobby["version"] == 2);  // the newest version of the assigned survey
  CHECK(lobby["lobby"] == true);
  CHECK(lobby["toml"] == test::survey_toml("central-lobby", 2));
  CHECK(lobby["sha256"] == model::payload_hash(test::survey_toml("central-lobby", 2)));
  const json& fair = body["surveys"][1];
  CHECK(fair["id"] == "fair");
  CHECK(fair["lobby"] == false);
  CHECK(fair["events"] == json::array({"Harvest fair"}));

  // The other division's kiosk gets its own lobby survey and so another tag.
  const auto other = get_surveys(central, central.other_kiosk_token);
  REQUIRE(other);
  CHECK(json::parse(other->body)["surveys"][0]["id"] == "harbour-lobby");
  CHECK(other->get_header_value("ETag") != etag);
}

TEST_CASE("If-None-Match with the current ETag gets 304 without a body until a new version is published",
          "[http][surveys]") {
  test::LiveCentral central;
  auto& store = central.store();
  REQUIRE(store
              .publish_survey(test::published("central-lobby", 1),
                              {{AssignmentKind::Site, "Central Division", "central-lobby"}})
              .ok());
  const auto first = get_surveys(central, central.kiosk_token);
  REQUIRE(first);
  REQUIRE(first->status == 200);
  const std::string etag = first->get_header_value("ETag");
  REQUIRE_FALSE(etag.empty());

  const auto same = get_surveys(central, central.kiosk_token, etag);
  REQUIRE(same);
  CHECK(same->status == 304);
  CHECK(same->body.empty());
  CHECK(same->get_header_value("ETag") == etag);
  const auto listed = get_surveys(central, central.kiosk_token, "\"other\", " + etag);
  REQUIRE(listed);
  CHECK(listed->status == 304);
  const auto stale = get_surveys(central, central.kiosk_token, "\"something-else\"");
  REQUIRE(stale);
  CHECK(stale->status == 200);

  REQUIRE(store.publish_survey(test::published("central-lobby", 2), {}).ok());
  const auto changed = get_surveys(central, central.kiosk_token, etag);
  REQUIRE(changed);
  CHECK(changed->status == 200);
  CHECK(changed->get_header_value("ETag") != etag);
  CHECK(json::parse(changed->body)["surveys"][0]["version"] == 2);
}

TEST_CASE("surveys refuse user tokens with 403 and missing or unknown tokens with 401", "[http][surveys]") {
  test::LiveCentral central;
  auto no_token = central.client()->Get(kSurveysPath);
  test::expect_error(no_token, 401, "unauthorized");
  test::expect_error(get_surveys(central, central::new_token()), 401, "unauthorized");
  test::expect_error(get_surveys(central, central.admin_token), 403, "forbidden");
  test::expect_error(get_surveys(central, central.revoked_token), 403, "revoked");
}

TEST_CASE("a survey published while the centre runs is understood at ingest", "[http][surveys]") {
  test::LiveCentral central;
  REQUIRE(central.store().publish_survey(test::published("fair", 3), {}).ok());
  model::Response r = test::sample_response();
  r.survey_id = "fair";
  r.survey_version = 3;
  r.answers = {{"kind", 5}, {"note", std::string("Thank you, Officer Diaz")}};
  auto client = central.client(central.kiosk_token);
  test::expect_receipt(
      test::post_json(*client, test::kResponsesPath, model::encode_batch({test::item_for(r)})));
  // The note is kept only because the centre now knows "note" is a thank-you note in fair version 3.
  const auto thanks = central.store().list_thanks({});
  REQUIRE(thanks.ok());
  REQUIRE(thanks->size() == 1);
  CHECK(thanks->front().note == "Thank you, Officer Diaz");
  central::AggregateQuery query;
  const auto cells = central.store().aggregate_partials(query, central::Grain::Day);
  REQUIRE(cells.ok());
  bool empathize = false;
  for (const auto& cell : *cells) {
    for (const auto& rating : cell.ratings) {
      if (rating.question_id == "kind" && rating.pillar == model::Pillar::Empathize) empathize = true;
    }
  }
  CHECK(empathize);
}
