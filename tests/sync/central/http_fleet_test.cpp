// Heartbeats and fleet status over real HTTP: what a kiosk reports is what an admin sees.
#include <catch2/catch.hpp>

#include "http_test_support.hpp"
#include "wire_samples.hpp"

using namespace fk;
using test::expect_error;
using test::LiveCentral;
using test::post_json;

namespace {

const char* kHeartbeatPath = "/api/v1/kiosks/heartbeat";

nlohmann::json find_kiosk(const nlohmann::json& list, const std::string& id) {
  for (const auto& k : list.at("kiosks")) {
    if (k.at("id") == id) return k;
  }
  FAIL("kiosk " << id << " not listed");
  return {};
}

}  // namespace

TEST_CASE("a heartbeat shows in GET /kiosks for an admin", "[http][fleet]") {
  LiveCentral central;
  const model::Heartbeat hb{"0.1.0", 12, 5400, 1, "HTTP 503 from central"};
  auto res = post_json(*central.client(central.kiosk_token), kHeartbeatPath, model::encode_heartbeat(hb));
  REQUIRE(res);
  REQUIRE(res->status == 200);
  const auto ack = nlohmann::json::parse(res->body);
  CHECK(ack.at("status") == "ok");
  CHECK(ack.at("received_at").is_string());

  auto listed = central.client(central.admin_token)->Get("/api/v1/kiosks");
  REQUIRE(listed);
  REQUIRE(listed->status == 200);
  CHECK(listed->get_header_value("Content-Type") == "application/json");
  const auto list = nlohmann::json::parse(listed->body);
  REQUIRE(list.at("kiosks").size() == 3);
  const auto lobby = find_kiosk(list, "lobby-1");
  CHECK(lobby.at("site") == "Central Division");
  CHECK(lobby.at("revoked") == false);
  CHECK(lobby.at("last_seen_at") == ack.at("received_at"));
  CHECK(lobby.at("app_version") == "0.1.0");
  CHECK(lobby.at("pending") == 12);
  CHECK(lobby.at("oldest_pending_age_s") == 5400);
  CHECK(lobby.at("quarantined") == 1);
  CHECK(lobby.at("last_error") == "HTTP 503 from central");
  CHECK(find_kiosk(list, "lobby-2").at("last_seen_at").is_null());
  CHECK(find_kiosk(list, "old-1").at("revoked") == true);
}

TEST_CASE("only an admin token reads fleet status", "[http][fleet][auth]") {
  LiveCentral central;
  expect_error(central.client()->Get("/api/v1/kiosks"), 401, "unauthorized");
  expect_error(central.client(central::new_token())->Get("/api/v1/kiosks"), 401, "unauthorized");
  expect_error(central.client(central.analyst_token)->Get("/api/v1/kiosks"), 403, "forbidden");
  expect_error(central.client(central.supervisor_token)->Get("/api/v1/kiosks"), 403, "forbidden");
  expect_error(central.client(central.kiosk_token)->Get("/api/v1/kiosks"), 403, "forbidden");
}

TEST_CASE("a bad heartbeat is refused and records nothing", "[http][fleet]") {
  LiveCentral central;
  auto client = central.client(central.kiosk_token);
  expect_error(post_json(*client, kHeartbeatPath, R"({"app_version":"1","pending":-4})"), 400,
               "invalid_heartbeat");
  expect_error(post_json(*client, kHeartbeatPath, "{"), 400, "invalid_json");
  expect_error(client->Post(kHeartbeatPath, model::encode_heartbeat({}), "text/plain"), 415,
               "unsupported_media_type");
  expect_error(post_json(*central.client(central.revoked_token), kHeartbeatPath, model::encode_heartbeat({})),
               403, "revoked");
  const auto kiosks = central.store().list_kiosks();
  REQUIRE(kiosks.ok());
  for (const auto& k : *kiosks) CHECK(k.last_seen_at.empty());
}

TEST_CASE("a batch counts as contact too", "[http][fleet]") {
  LiveCentral central;
  test::expect_receipt(post_json(*central.client(central.other_kiosk_token), test::kResponsesPath,
                                 model::encode_batch({test::sample_item()})));
  const auto kiosks = central.store().list_kiosks();
  REQUIRE(kiosks.ok());
  for (const auto& k : *kiosks) CHECK(k.last_seen_at.empty() == (k.id != "lobby-2"));
}
