// One sync round against scripted servers and a real SQLite outbox: what counts as delivered, what is
// offline, what is quarantined, and that permanent refusals are never retried (DESIGN.md guarantees 2-4).
#include "sync/uploader/delivery.hpp"

#include <catch2/catch.hpp>

#include "scripted_server.hpp"
#include "sync/uploader/backoff.hpp"
#include "uploader_test_support.hpp"

using namespace fk;
using namespace fk::uploader;
using namespace fk::uploader::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* kResponses = "/api/v1/responses";

}  // namespace

TEST_CASE("a valid 201 receipt flips the whole batch to uploaded in one transaction", "[delivery]") {
  Outbox outbox;
  const auto uuids = outbox.add(5);
  FakeCentral central;
  ScriptedServer server(central.handler());
  Uploader uploader(outbox.store(), test_config(server.url()));

  const SyncResult result = uploader.sync_once();
  CHECK(result.error == SyncError::None);
  CHECK(result.complete());
  CHECK(result.delivered == 5);
  CHECK(result.requests == 1);
  CHECK(result.receipts == 1);
  CHECK(outbox.recording->mark_sizes() == std::vector<std::size_t>{5});  // one mark_uploaded call
  CHECK(outbox.counts().uploaded == 5);
  CHECK(central.stored() == 5);
  for (const auto& uuid : uuids) CHECK(central.times_created(uuid) == 1);

  const auto status = uploader.status();
  CHECK(status->state == SyncState::Idle);
  CHECK(status->pending == 0);
  CHECK(status->uploaded == 5);
  CHECK_FALSE(status->last_success.empty());
  CHECK(status->last_error.empty());
}

TEST_CASE("the oldest responses go first, in batches of batch_size", "[delivery]") {
  Outbox outbox;
  const auto uuids = outbox.add(7);
  FakeCentral central;
  ScriptedServer server(central.handler());
  UploaderConfig config = test_config(server.url());
  config.batch_size = 3;
  Uploader uploader(outbox.store(), config);
  const SyncResult result = uploader.sync_once();
  CHECK(result.complete());
  CHECK(central.batch_sizes() == std::vector<std::size_t>{3, 3, 1});
  const auto first = server.recorded().front();
  auto decoded = model::decode_batch(first.body, model::WireLimits{});
  REQUIRE(decoded.ok());
  REQUIRE(decoded->size() == 3);
  for (std::size_t i = 0; i < 3; ++i) CHECK((*decoded)[i].item.uuid == uuids[i]);
}

TEST_CASE("with nothing pending a round makes no request", "[delivery]") {
  Outbox outbox;
  ScriptedServer server(reply_with(500));
  const SyncResult result = sync_once(outbox.store(), server.url());
  CHECK(result.complete());
  CHECK(result.requests == 0);
  CHECK(server.requests() == 0);
}

TEST_CASE("transient answers leave everything pending and say offline", "[delivery]") {
  Outbox outbox;
  outbox.add(3);
  struct Case {
    int status;
    const char* name;
  };
  const Case c =
      GENERATE(Case{500, "500"}, Case{502, "502"}, Case{503, "503"}, Case{408, "408"}, Case{429, "429"});
  INFO("HTTP " << c.name);
  ScriptedServer server(reply_with(c.status, R"({"error":{"code":"busy","message":"try later"}})"));
  Uploader uploader(outbox.store(), test_config(server.url()));
  const SyncResult result = uploader.sync_once();
  CHECK(result.error == SyncError::Offline);
  CHECK(result.requests == 1);  // stops the round: no hammering within it
  CHECK(result.message.find(c.name) != std::string::npos);
  CHECK(result.message.find("busy: try later") != std::string::npos);
  CHECK(outbox.recording->mark_sizes().empty());
  check_all_pending(outbox, 3);
  CHECK(uploader.status()->state == SyncState::Offline);
  CHECK(uploader.status()->last_error_kind == SyncError::Offline);
}

TEST_CASE("503 with Retry-After: the back-off waits at least that long", "[delivery][backoff]") {
  Outbox outbox;
  outbox.add(2);
  SECTION("delay-seconds") {
    ScriptedServer server(reply_with(503, "", "application/json", "120"));
    const SyncResult result = sync_once(outbox.store(), server.url());
    CHECK(result.error == SyncError::Offline);
    REQUIRE(result.retry_after == 120s);
    Backoff backoff(BackoffPolicy{}, [] { return 0.0; });  // the jitter alone would retry at once
    CHECK(backoff.next_delay(result.retry_after) == 120s);
  }
  SECTION("an HTTP-date, against the server's own Date header") {
    ScriptedServer server([](const httplib::Request&, httplib::Response& res) {
      res.status = 503;
      // httplib adds no Date header; the answer carries its own pair.
      res.set_header("Date", "Sun, 22 Nov 2026 07:39:02 GMT");
      res.set_header("Retry-After", "Sun, 22 Nov 2026 07:40:32 GMT");
    });
    const SyncResult result = sync_once(outbox.store(), server.url());
    CHECK(result.error == SyncError::Offline);
    CHECK(result.retry_after == 90s);
  }
  check_all_pending(outbox, 2);
}

TEST_CASE("a stalled server is offline after the low-speed limit", "[delivery]") {
  Outbox outbox;
  outbox.add(1);
  ScriptedServer server([&](const httplib::Request&, httplib::Response&) { server.stall(); });
  UploaderConfig config = test_config(server.url());
  // curl averages speed over a few seconds, so the request's own upload bytes would keep a 1 B/s limit
  // satisfied for ~5 s. A limit no stalled transfer reaches makes the 1 s window the only wait.
  config.low_speed_limit = 100'000;
  config.low_speed_time = 1s;
  Uploader uploader(outbox.store(), config);
  const SyncResult result = uploader.sync_once();
  INFO(result.message);
  CHECK(result.error == SyncError::Offline);
  CHECK(result.message.find("timeout") != std::string::npos);
  // Given up while the server still held the request (a stall lasts up to 30 s): the low-speed limit ended it.
  CHECK(server.stalled() == 1);
  check_all_pending(outbox, 1);
}

TEST_CASE("a 200 Wi-Fi login page is offline, and nothing is marked uploaded", "[delivery]") {
  Outbox outbox;
  outbox.add(4);
  ScriptedServer portal(
      reply_with(200, "<html><body>Welcome to Lobby Wi-Fi. Accept the terms.</body></html>", "text/html"));
  Uploader uploader(outbox.store(), test_config(portal.url()));
  const SyncResult result = uploader.sync_once();
  CHECK(result.error == SyncError::Offline);
  CHECK(result.message.find("not a receipt") != std::string::npos);
  CHECK(result.message.find("<html>") == std::string::npos);  // the page is not copied into messages
  CHECK(outbox.recording->mark_sizes().empty());
  check_all_pending(outbox, 4);
  CHECK(uploader.status()->state == SyncState::Offline);
}

TEST_CASE("a 201 that is not a well-formed receipt is not delivered", "[delivery]") {
  Outbox outbox;
  outbox.add(2);
  const std::string body = GENERATE(std::string("<html>Login</html>"), std::string("{}"),
                                    std::string(R"({"received_at":"2026-11-22T07:39:02Z"})"),
                                    std::string(R"({"received_at":"x","results":[{"uuid":1}]})"));
  ScriptedServer server(reply_with(201, body));
  const SyncResult result = sync_once(outbox.store(), server.url());
  CHECK(result.error == SyncError::Offline);
  CHECK(result.message.find("receipt") != std::string::npos);
  check_all_pending(outbox, 2);
}

TEST_CASE("a 201 receipt that answers other UUIDs is not delivered", "[delivery]") {
  Outbox outbox;
  const auto uuids = outbox.add(3);
  SECTION("other UUIDs, all 'created'") {
    ScriptedServer server([](const httplib::Request& req, httplib::Response& res) {
      auto batch = model::decode_batch(req.body, model::WireLimits{});
      model::Receipt receipt{"2026-11-22T07:39:02Z", {}};
      for (std::size_t i = 0; i < batch->size(); ++i) {
        receipt.results.push_back({model::new_uuid_v4(), model::ItemStatus::Created, ""});
      }
      res.status = 201;
      res.set_content(model::encode_receipt(receipt), "application/json");
    });
    const SyncResult result = sync_once(outbox.store(), server.url());
    CHECK(result.error == SyncError::Offline);
    CHECK(result.message.find("does not answer the batch") != std::string::npos);
  }
  SECTION("the right UUIDs in the wrong order") {
    ScriptedServer server([&](const httplib::Request&, httplib::Response& res) {
      model::Receipt receipt{"2026-11-22T07:39:02Z", {}};
      for (auto it = uuids.rbegin(); it != uuids.rend(); ++it) {
        receipt.results.push_back({*it, model::ItemStatus::Created, ""});
      }
      res.status = 201;
      res.set_content(model::encode_receipt(receipt), "application/json");
    });
    CHECK(sync_once(outbox.store(), server.url()).error == SyncError::Offline);
  }
  SECTION("fewer results than items") {
    ScriptedServer server([&](const httplib::Request&, httplib::Response& res) {
      model::Receipt receipt{"2026-11-22T07:39:02Z", {{uuids[0], model::ItemStatus::Created, ""}}};
      res.status = 201;
      res.set_content(model::encode_receipt(receipt), "application/json");
    });
    CHECK(sync_once(outbox.store(), server.url()).error == SyncError::Offline);
  }
  CHECK(outbox.recording->mark_sizes().empty());
  check_all_pending(outbox, 3);
}

TEST_CASE("a redirect to a good server is not followed and does not count", "[delivery]") {
  Outbox outbox;
  outbox.add(2);
  FakeCentral central;
  ScriptedServer good(central.handler());
  ScriptedServer portal([&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(good.url() + kResponses, 302);
  });
  const SyncResult result = sync_once(outbox.store(), portal.url());
  CHECK(result.error == SyncError::Offline);
  CHECK(result.message.find("302") != std::string::npos);
  CHECK(result.message.find("not followed") != std::string::npos);
  CHECK(good.requests() == 0);
  check_all_pending(outbox, 2);
}

TEST_CASE("connection refused is offline", "[delivery]") {
  Outbox outbox;
  outbox.add(1);
  std::string url;
  {
    ScriptedServer gone(reply_with(204));
    url = gone.url();
  }
  const SyncResult result = sync_once(outbox.store(), url);
  CHECK(result.error == SyncError::Offline);
  check_all_pending(outbox, 1);
}

TEST_CASE("a reply lost after the centre committed: re-sent, answered duplicate, stored once", "[delivery]") {
  Outbox outbox;
  const auto uuids = outbox.add(5);
  FakeCentral central;
  central.lose_next_replies(1);
  ScriptedServer server(central.handler());
  Uploader uploader(outbox.store(), test_config(server.url()));
  const SyncResult lost = uploader.sync_once();
  CHECK(lost.error == SyncError::Offline);
  check_all_pending(outbox, 5);
  CHECK(central.stored() == 5);  // committed at the centre, unknown to the kiosk

  const SyncResult retried = uploader.sync_once();
  CHECK(retried.complete());
  CHECK(retried.delivered == 5);
  CHECK(outbox.counts().uploaded == 5);
  for (const auto& uuid : uuids) CHECK(central.times_created(uuid) == 1);
}

TEST_CASE("a local store failure on mark_uploaded leaves the batch pending - the retry is a duplicate",
          "[delivery]") {
  Outbox outbox;
  const auto uuids = outbox.add(3);
  FakeCentral central;
  ScriptedServer server(central.handler());
  Uploader uploader(outbox.store(), test_config(server.url()));
  outbox.recording->fail_mark_uploaded = true;
  const SyncResult failed = uploader.sync_once();
  CHECK(failed.error == SyncError::LocalStore);
  CHECK(failed.message.find("disk full") != std::string::npos);
  check_all_pending(outbox, 3);
  CHECK(uploader.status()->last_error_kind == SyncError::LocalStore);

  outbox.recording->fail_mark_uploaded = false;
  const SyncResult ok = uploader.sync_once();
  CHECK(ok.complete());
  CHECK(outbox.counts().uploaded == 3);
  for (const auto& uuid : uuids) CHECK(central.times_created(uuid) == 1);
  CHECK(uploader.status()->last_error.empty());
}

TEST_CASE("not configured: nothing is attempted", "[delivery]") {
  Outbox outbox;
  outbox.add(1);
  Uploader uploader(outbox.store(), UploaderConfig{});
  CHECK(uploader.status()->state == SyncState::NotConfigured);
  const SyncResult result = uploader.sync_once();
  CHECK(result.error == SyncError::NotConfigured);
  CHECK_FALSE(result.complete());
  CHECK(result.pending_left == 1);
  CHECK(uploader.status()->state == SyncState::NotConfigured);
}
