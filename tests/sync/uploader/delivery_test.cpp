// One sync round against scripted servers and a real SQLite outbox: what counts as delivered, what is
// offline, what is quarantined, and that permanent refusals are never retried (DESIGN.md guarantees 2-4).
#include <catch2/catch.hpp>

#include "scripted_server.hpp"
#include "sync/uploader/backoff.hpp"
#include "sync/uploader/delivery.hpp"
#include "uploader_test_support.hpp"

using namespace fk;
using namespace fk::uploader;
using namespace fk::uploader::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* kResponses = "/api/v1/responses";

// Checks that a round changed nothing in the outbox: every response still pending.
void check_all_pending(Outbox& outbox, std::int64_t n) {
  const auto counts = outbox.counts();
  CHECK(counts.pending == n);
  CHECK(counts.uploaded == 0);
  CHECK(counts.quarantined == 0);
}

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
  const Case c = GENERATE(Case{500, "500"}, Case{502, "502"}, Case{503, "503"}, Case{408, "408"}, Case{429, "429"});
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
  const auto started = std::chrono::steady_clock::now();
  const SyncResult result = uploader.sync_once();
  INFO(result.message);
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  CHECK(result.error == SyncError::Offline);
  CHECK(result.message.find("timeout") != std::string::npos);
  check_all_pending(outbox, 1);
}

TEST_CASE("a 200 Wi-Fi login page is offline, and nothing is marked uploaded", "[delivery]") {
  Outbox outbox;
  outbox.add(4);
  ScriptedServer portal(reply_with(200, "<html><body>Welcome to Lobby Wi-Fi. Accept the terms.</body></html>",
                                   "text/html"));
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

TEST_CASE("per-item conflict and invalid are quarantined with the reason and never retried", "[delivery]") {
  Outbox outbox;
  const auto uuids = outbox.add(4);
  FakeCentral central;
  central.preload_conflict(uuids[1]);
  central.script_item(uuids[2], model::ItemStatus::Invalid, "survey lobby-2026 v3 is unknown");
  ScriptedServer server(central.handler());
  Uploader uploader(outbox.store(), test_config(server.url()));

  const SyncResult result = uploader.sync_once();
  CHECK(result.error == SyncError::None);
  CHECK(result.delivered == 2);
  CHECK(result.quarantined == 2);
  CHECK(result.complete());
  CHECK(outbox.recording->mark_sizes() == std::vector<std::size_t>{2});
  CHECK(outbox.row(uuids[0]).status == store::Status::Uploaded);
  CHECK(outbox.row(uuids[3]).status == store::Status::Uploaded);
  const auto conflict = outbox.row(uuids[1]);
  CHECK(conflict.status == store::Status::Quarantined);
  CHECK(conflict.quarantine_reason == "conflict: a different payload is stored under this UUID");
  const auto invalid = outbox.row(uuids[2]);
  CHECK(invalid.status == store::Status::Quarantined);
  CHECK(invalid.quarantine_reason == "invalid: survey lobby-2026 v3 is unknown");
  CHECK(uploader.status()->quarantined == 2);

  const std::size_t before = server.requests();
  const SyncResult again = uploader.sync_once();
  CHECK(again.requests == 0);
  CHECK(server.requests() == before);
}

TEST_CASE("a 409 for the whole request narrows down and quarantines, never retries", "[delivery]") {
  Outbox outbox;
  const auto uuids = outbox.add(3);
  ScriptedServer server(reply_with(409, R"({"error":{"code":"conflict","message":"already stored differently"}})"));
  Uploader uploader(outbox.store(), test_config(server.url()));
  const SyncResult result = uploader.sync_once();
  CHECK(result.error == SyncError::None);
  CHECK(result.quarantined == 3);
  for (const auto& uuid : uuids) {
    const auto row = outbox.row(uuid);
    CHECK(row.status == store::Status::Quarantined);
    CHECK(row.quarantine_reason == "refused by the centre: HTTP 409 conflict: already stored differently");
  }
  const std::size_t requests = server.requests();
  CHECK(requests <= 5);  // 3 items, split in halves: 3 + 2 = at most 5 requests
  CHECK(uploader.sync_once().requests == 0);
  CHECK(server.requests() == requests);
}

TEST_CASE("413: the batch is split until it fits - a single item still too large is quarantined", "[delivery]") {
  Outbox outbox;
  SECTION("too many items") {
    const auto uuids = outbox.add(10);
    FakeCentral central;
    central.set_max_items(3);
    ScriptedServer server(central.handler());
    const SyncResult result = sync_once(outbox.store(), server.url());
    CHECK(result.error == SyncError::None);
    CHECK(result.delivered == 10);
    CHECK(result.quarantined == 0);
    CHECK(outbox.counts().uploaded == 10);
    for (std::size_t size : central.batch_sizes()) CHECK(size <= 3);
    for (const auto& uuid : uuids) CHECK(central.times_created(uuid) == 1);
  }
  SECTION("one item too large on its own") {
    outbox.add(2);
    const auto big = outbox.add(1, std::string(200 * 1024, 'a'))[0];
    outbox.add(2);
    FakeCentral central;
    ScriptedServer server([&](const httplib::Request& req, httplib::Response& res) {
      if (req.body.size() > 100 * 1024) {
        res.status = 413;
        res.set_content(model::encode_error("body_too_large", "the limit is 102400 bytes"), "application/json");
        return;
      }
      central.handler()(req, res);
    });
    const SyncResult result = sync_once(outbox.store(), server.url());
    CHECK(result.error == SyncError::None);
    CHECK(result.delivered == 4);
    CHECK(result.quarantined == 1);
    const auto row = outbox.row(big);
    CHECK(row.status == store::Status::Quarantined);
    CHECK(row.quarantine_reason == "refused by the centre: HTTP 413 body_too_large: the limit is 102400 bytes");
  }
}

TEST_CASE("batches respect the centre's body limit before sending", "[delivery]") {
  Outbox outbox;
  outbox.add(6, std::string(2000, 'b'));
  FakeCentral central;
  ScriptedServer server(central.handler());
  UploaderConfig config = test_config(server.url());
  config.limits.max_body_bytes = 6000;  // about two items
  Uploader uploader(outbox.store(), config);
  const SyncResult result = uploader.sync_once();
  CHECK(result.complete());
  CHECK(result.delivered == 6);
  for (const auto& r : server.recorded()) CHECK(r.body.size() <= 6000);
}

TEST_CASE("401 and 403: not authorised, nothing quarantined, everything stays pending", "[delivery]") {
  Outbox outbox;
  outbox.add(3);
  const int status = GENERATE(401, 403);
  ScriptedServer server(reply_with(status, R"({"error":{"code":"unauthorised","message":"token revoked"}})"));
  Uploader uploader(outbox.store(), test_config(server.url()));
  const SyncResult result = uploader.sync_once();
  CHECK(result.error == SyncError::NotAuthorised);
  CHECK(result.requests == 1);
  CHECK(result.message.find("token revoked") != std::string::npos);
  CHECK(outbox.recording->quarantine_calls == 0);
  check_all_pending(outbox, 3);
  const auto snapshot = uploader.status();
  CHECK(snapshot->state == SyncState::NotAuthorised);
  CHECK(snapshot->pending == 3);
  CHECK(snapshot->last_error_kind == SyncError::NotAuthorised);
}

TEST_CASE("other statuses are rejected without touching the outbox", "[delivery]") {
  Outbox outbox;
  outbox.add(2);
  const int status = GENERATE(404, 405, 415);
  ScriptedServer server(reply_with(status));
  const SyncResult result = sync_once(outbox.store(), server.url());
  CHECK(result.error == SyncError::Rejected);
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

TEST_CASE("a local store failure on mark_uploaded leaves the batch pending - the retry is a duplicate", "[delivery]") {
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

TEST_CASE("how each HTTP status is treated", "[delivery]") {
  CHECK(classify(201) == AnswerClass::Receipt);
  CHECK(classify(200) == AnswerClass::NotAReceipt);
  CHECK(classify(204) == AnswerClass::NotAReceipt);
  CHECK(classify(301) == AnswerClass::Redirect);
  CHECK(classify(307) == AnswerClass::Redirect);
  for (int s : {400, 409, 413, 422}) CHECK(classify(s) == AnswerClass::RefusedBatch);
  for (int s : {401, 403}) CHECK(classify(s) == AnswerClass::Unauthorised);
  for (int s : {408, 429, 500, 502, 503, 504, 599}) CHECK(classify(s) == AnswerClass::Transient);
  for (int s : {404, 405, 415, 100, 0, 600}) CHECK(classify(s) == AnswerClass::Unexpected);
}

TEST_CASE("error bodies are summarised - anything else is not quoted", "[delivery]") {
  CHECK(describe_error_body(R"({"error":{"code":"too_deep","message":"nesting"}})") == "too_deep: nesting");
  CHECK(describe_error_body(R"({"error":{"code":"x"}})") == "x");
  CHECK(describe_error_body("<html>portal</html>").empty());
  CHECK(describe_error_body(R"({"error":"flat"})").empty());
  CHECK(describe_error_body("").empty());
}

TEST_CASE("text the server chose is bounded, and never cut inside a character", "[delivery]") {
  CHECK(bounded_text("short", 10) == "short");
  const std::string arabic = "شكرا شكرا شكرا";  // two bytes per letter
  for (std::size_t max = 4; max < arabic.size(); ++max) {
    const std::string cut = bounded_text(arabic, max);
    CHECK(cut.size() <= max);
    CHECK(cut.substr(cut.size() - 3) == "…");
    const std::string kept = cut.substr(0, cut.size() - 3);
    CHECK(arabic.compare(0, kept.size(), kept) == 0);
    if (!kept.empty()) CHECK((static_cast<unsigned char>(arabic[kept.size()]) & 0xC0) != 0x80);
  }

  Outbox outbox;
  outbox.add(1);
  const std::string huge_message(600 * 1024, 'z');
  ScriptedServer server(reply_with(500, model::encode_error("boom", huge_message)));
  const SyncResult result = sync_once(outbox.store(), server.url());
  CHECK(result.error == SyncError::Offline);
  CHECK(result.message.size() <= kMaxMessageBytes);
  CHECK(describe_error_body(model::encode_error("boom", huge_message)).size() <= kMaxErrorDetailBytes);
}
