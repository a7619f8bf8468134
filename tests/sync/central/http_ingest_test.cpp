// Ingest over real HTTP on loopback: per-item receipts, exactly one row per UUID under sequential and
// concurrent replays, identity from the token alone, and gzip bodies.
#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <thread>

#include "http_test_support.hpp"
#include "wire_samples.hpp"

using namespace fk;
using model::ItemStatus;
using test::expect_receipt;
using test::kResponsesPath;
using test::LiveCentral;
using test::post_json;

namespace {

std::vector<model::BatchItem> fresh_batch(std::size_t n) {
  std::vector<model::BatchItem> items;
  for (std::size_t i = 0; i < n; ++i) items.push_back(test::sample_item("note " + std::to_string(i)));
  return items;
}

}  // namespace

TEST_CASE("one batch answers created, duplicate, conflict and invalid per item", "[http][ingest]") {
  LiveCentral central;
  auto client = central.client(central.kiosk_token);
  const model::BatchItem stored = test::sample_item();
  REQUIRE(expect_receipt(post_json(*client, kResponsesPath, model::encode_batch({stored})))
              .results.front()
              .status == ItemStatus::Created);

  const model::BatchItem fresh = test::sample_item();
  // Same UUID, different bytes: a conflict.
  model::Response changed = *model::parse_response(stored.payload);
  changed.answers.push_back({"extra", 2});
  const model::BatchItem clash = test::item_for(changed);
  model::BatchItem broken = test::sample_item();
  broken.sha256 = model::payload_hash("something else");
  const std::vector<model::BatchItem> batch = {fresh, stored, clash, broken};

  const model::Receipt receipt =
      expect_receipt(post_json(*client, kResponsesPath, model::encode_batch(batch)));
  REQUIRE(model::check_receipt_matches(receipt, batch).ok());
  CHECK(receipt.results[0].status == ItemStatus::Created);
  CHECK(receipt.results[1].status == ItemStatus::Duplicate);
  CHECK(receipt.results[2].status == ItemStatus::Conflict);
  CHECK_FALSE(receipt.results[2].reason.empty());
  CHECK(receipt.results[3].status == ItemStatus::Invalid);
  CHECK(receipt.results[3].reason == "item.sha256 does not match the payload");
  CHECK_FALSE(receipt.received_at.empty());
  CHECK(central.rows() == 2);
  CHECK((*central.store().find_response(stored.uuid))->payload == stored.payload);
}

TEST_CASE("replaying a batch sequentially leaves one row per UUID", "[http][ingest][replay]") {
  LiveCentral central;
  auto client = central.client(central.kiosk_token);
  const auto batch = fresh_batch(40);
  const std::string body = model::encode_batch(batch);
  for (int round = 0; round < 5; ++round) {
    const model::Receipt receipt = expect_receipt(post_json(*client, kResponsesPath, body));
    REQUIRE(model::check_receipt_matches(receipt, batch).ok());
    for (const auto& r : receipt.results) {
      CHECK(r.status == (round == 0 ? ItemStatus::Created : ItemStatus::Duplicate));
    }
  }
  CHECK(central.rows() == 40);
}

TEST_CASE("replaying a batch concurrently leaves one row per UUID", "[http][ingest][replay]") {
  LiveCentral central;
  const auto batch = fresh_batch(60);
  const std::string body = model::encode_batch(batch);
  constexpr int kThreads = 6;
  constexpr int kRounds = 4;
  std::mutex mutex;
  std::map<std::string, int> created;  // uuid → times answered "created"
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto client = central.client(central.kiosk_token);
      for (int round = 0; round < kRounds; ++round) {
        auto res = post_json(*client, kResponsesPath, body);
        if (!res || res->status != 201) {
          ++failures;
          continue;
        }
        auto receipt = model::decode_receipt(res->body);
        if (!receipt || !model::check_receipt_matches(*receipt, batch)) {
          ++failures;
          continue;
        }
        std::lock_guard lock(mutex);
        for (const auto& r : receipt->results) {
          if (!model::is_delivered(r.status)) ++failures;
          if (r.status == ItemStatus::Created) ++created[r.uuid];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  CHECK(central.rows() == 60);
  CHECK(created.size() == 60);
  for (const auto& [uuid, times] : created) {
    INFO(uuid);
    CHECK(times == 1);
  }
}

TEST_CASE("a kiosk cannot post a UUID another kiosk already delivered", "[http][ingest][auth]") {
  LiveCentral central;
  const model::BatchItem item = test::sample_item();
  expect_receipt(
      post_json(*central.client(central.kiosk_token), kResponsesPath, model::encode_batch({item})));
  const model::Receipt receipt = expect_receipt(
      post_json(*central.client(central.other_kiosk_token), kResponsesPath, model::encode_batch({item})));
  REQUIRE(receipt.results.size() == 1);
  CHECK(receipt.results[0].status == ItemStatus::Conflict);
  CHECK(central.rows() == 1);
  CHECK((*central.store().find_response(item.uuid))->kiosk_id == "lobby-1");
}

TEST_CASE("identity comes from the token, never from the body", "[http][ingest][auth]") {
  LiveCentral central;
  const model::BatchItem item = test::sample_item();
  // A body that names another kiosk is not a batch at all.
  nlohmann::json body = nlohmann::json::parse(model::encode_batch({item}));
  body["kiosk_id"] = "lobby-1";
  test::expect_error(post_json(*central.client(central.other_kiosk_token), kResponsesPath, body.dump()), 400,
                     "invalid_batch");
  CHECK(central.rows() == 0);
  // The row is filed under the token's kiosk and site.
  expect_receipt(
      post_json(*central.client(central.other_kiosk_token), kResponsesPath, model::encode_batch({item})));
  const auto row = *central.store().find_response(item.uuid);
  REQUIRE(row.has_value());
  CHECK(row->kiosk_id == "lobby-2");
  CHECK(row->site == "Harbour Division");
}

TEST_CASE("a gzip body is accepted", "[http][ingest][gzip]") {
  LiveCentral central;
  auto client = central.client(central.kiosk_token);
  const auto batch = fresh_batch(20);
  const std::string body = model::encode_batch(batch);
  const std::string packed = test::gzip(body);
  CHECK(packed.size() < body.size());
  const model::Receipt receipt =
      expect_receipt(post_json(*client, kResponsesPath, packed, {{"Content-Encoding", "gzip"}}));
  REQUIRE(model::check_receipt_matches(receipt, batch).ok());
  for (const auto& r : receipt.results) CHECK(r.status == ItemStatus::Created);
  CHECK(central.rows() == 20);
}

TEST_CASE("a chunked body within the limit is accepted", "[http][ingest]") {
  LiveCentral central;
  auto client = central.client(central.kiosk_token);
  const auto batch = fresh_batch(5);
  const std::string body = model::encode_batch(batch);
  auto res = client->Post(
      kResponsesPath, httplib::Headers{},
      [&body](std::size_t offset, httplib::DataSink& sink) {
        // Two chunks, then the end.
        if (offset == 0) {
          sink.write(body.data(), body.size() / 2);
        } else if (offset < body.size()) {
          sink.write(body.data() + offset, body.size() - offset);
        } else {
          sink.done();
        }
        return true;
      },
      "application/json");
  const model::Receipt receipt = expect_receipt(res);
  CHECK(receipt.results.size() == 5);
  CHECK(central.rows() == 5);
}

TEST_CASE("many requests on one keep-alive connection are served", "[http][ingest]") {
  LiveCentral central;
  auto client = central.client(central.kiosk_token);
  client->set_keep_alive(true);
  // The client applies socket options to every socket it opens, so this counts its connections.
  int connections = 0;
  client->set_socket_options([&connections](socket_t) { ++connections; });
  for (int i = 0; i < 30; ++i)
    expect_receipt(post_json(*client, kResponsesPath, model::encode_batch(fresh_batch(2))));
  CHECK(central.rows() == 60);
  CHECK(connections == 1);
}
