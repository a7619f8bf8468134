// Permanent refusals (DESIGN.md guarantee 4): per-item conflict/invalid and whole-request 400/409/413/422 end
// in quarantine with the reason and are never retried; 401/403 quarantine nothing; server text is bounded.
#include <catch2/catch.hpp>

#include "scripted_server.hpp"
#include "sync/uploader/delivery.hpp"
#include "uploader_test_support.hpp"

using namespace fk;
using namespace fk::uploader;
using namespace fk::uploader::testing;
using namespace std::chrono_literals;

TEST_CASE("per-item conflict and invalid are quarantined with the reason and never retried", "[refusal]") {
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

TEST_CASE("a 409 for the whole request narrows down and quarantines, never retries", "[refusal]") {
  Outbox outbox;
  const auto uuids = outbox.add(3);
  ScriptedServer server(
      reply_with(409, R"({"error":{"code":"conflict","message":"already stored differently"}})"));
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

TEST_CASE("413: the batch is split until it fits - a single item still too large is quarantined",
          "[refusal]") {
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
        res.set_content(model::encode_error("body_too_large", "the limit is 102400 bytes"),
                        "application/json");
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
    CHECK(row.quarantine_reason ==
          "refused by the centre: HTTP 413 body_too_large: the limit is 102400 bytes");
  }
}

TEST_CASE("batches respect the centre's body limit before sending", "[refusal]") {
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

TEST_CASE("401 and 403: not authorised, nothing quarantined, everything stays pending", "[refusal]") {
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

TEST_CASE("other statuses are rejected without touching the outbox", "[refusal]") {
  Outbox outbox;
  outbox.add(2);
  const int status = GENERATE(404, 405, 415);
  ScriptedServer server(reply_with(status));
  const SyncResult result = sync_once(outbox.store(), server.url());
  CHECK(result.error == SyncError::Rejected);
  check_all_pending(outbox, 2);
}

TEST_CASE("how each HTTP status is treated", "[refusal]") {
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

TEST_CASE("error bodies are summarised - anything else is not quoted", "[refusal]") {
  CHECK(describe_error_body(R"({"error":{"code":"too_deep","message":"nesting"}})") == "too_deep: nesting");
  CHECK(describe_error_body(R"({"error":{"code":"x"}})") == "x");
  CHECK(describe_error_body("<html>portal</html>").empty());
  CHECK(describe_error_body(R"({"error":"flat"})").empty());
  CHECK(describe_error_body("").empty());
}

TEST_CASE("text the server chose is bounded, and never cut inside a character", "[refusal]") {
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

TEST_CASE("a 400 that blames the transfer is retried, not quarantined", "[refusal]") {
  Outbox outbox;
  outbox.add(1);
  const std::string code = GENERATE(std::string("unreadable_body"), std::string("bad_request"));
  ScriptedServer server(
      reply_with(400, model::encode_error(code, "the body was cut short or is not valid gzip")));
  const SyncResult result = sync_once(outbox.store(), server.url());
  CHECK(result.error == SyncError::Offline);
  CHECK(result.message.find(code) != std::string::npos);
  check_all_pending(outbox, 1);
}

TEST_CASE("a 400 for one item on its own quarantines it (a payload over the centre's string limit)",
          "[refusal]") {
  Outbox outbox;
  const auto uuids = outbox.add(3);
  ScriptedServer server([&](const httplib::Request& req, httplib::Response& res) {
    // Refuse any batch that holds the middle response, as the centre refuses an over-long payload string.
    if (req.body.find(uuids[1]) != std::string::npos) {
      res.status = 400;
      res.set_content(model::encode_error("string_too_long", "a JSON string is 70000 bytes"),
                      "application/json");
      return;
    }
    auto batch = model::decode_batch(req.body, model::WireLimits{});
    model::Receipt receipt{"2026-11-22T07:39:02Z", {}};
    for (const auto& d : *batch) receipt.results.push_back({d.item.uuid, model::ItemStatus::Created, ""});
    res.status = 201;
    res.set_content(model::encode_receipt(receipt), "application/json");
  });
  const SyncResult result = sync_once(outbox.store(), server.url());
  CHECK(result.complete());
  CHECK(result.delivered == 2);
  CHECK(result.quarantined == 1);
  CHECK(outbox.row(uuids[1]).quarantine_reason ==
        "refused by the centre: HTTP 400 string_too_long: a JSON string is 70000 bytes");
}
