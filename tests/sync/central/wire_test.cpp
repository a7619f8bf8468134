// The wire codec: batches round-trip, limits stop hostile bodies while parsing, item problems become
// "invalid" results instead of a 400, and only a well-formed receipt decodes.
#include "sync/model/wire.hpp"

#include <catch2/catch.hpp>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string>

#include "sync/model/response.hpp"
#include "wire_samples.hpp"

using namespace fk::model;
using fk::test::sample_item;

namespace {

std::string batch_of(const std::string& items_json) {
  return R"({"responses":[)" + items_json + "]}";
}

WireError batch_error(const std::string& body, const WireLimits& limits = {}) {
  const auto decoded = decode_batch(body, limits);
  REQUIRE_FALSE(decoded.ok());
  return decoded.error();
}

std::string item_problem(const std::string& item_json) {
  const auto decoded = decode_batch(batch_of(item_json), {});
  REQUIRE(decoded.ok());
  REQUIRE(decoded->size() == 1);
  return decoded->front().problem;
}

}  // namespace

TEST_CASE("item status names round-trip", "[wire]") {
  for (ItemStatus s :
       {ItemStatus::Created, ItemStatus::Duplicate, ItemStatus::Conflict, ItemStatus::Invalid}) {
    CHECK(item_status_from_string(to_string(s)) == s);
  }
  CHECK(std::string(to_string(ItemStatus::Created)) == "created");
  CHECK(std::string(to_string(ItemStatus::Duplicate)) == "duplicate");
  CHECK(std::string(to_string(ItemStatus::Conflict)) == "conflict");
  CHECK(std::string(to_string(ItemStatus::Invalid)) == "invalid");
  CHECK_FALSE(item_status_from_string("Created").has_value());
  CHECK_FALSE(item_status_from_string("").has_value());
  CHECK(is_delivered(ItemStatus::Duplicate));
  CHECK_FALSE(is_delivered(ItemStatus::Conflict));
}

TEST_CASE("a batch encodes to the documented shape and decodes back", "[wire]") {
  const std::vector<BatchItem> items = {sample_item(), sample_item("note with \"quotes\" and ünïcödé")};
  const std::string body = encode_batch(items);
  CHECK(body.rfind(R"({"responses":[{"payload":)", 0) == 0);
  const auto decoded = decode_batch(body, {});
  REQUIRE(decoded.ok());
  REQUIRE(decoded->size() == 2);
  for (std::size_t i = 0; i < items.size(); ++i) {
    INFO("item " << i);
    CHECK((*decoded)[i].problem.empty());
    CHECK((*decoded)[i].item.uuid == items[i].uuid);
    CHECK((*decoded)[i].item.sha256 == items[i].sha256);
    CHECK((*decoded)[i].item.payload == items[i].payload);  // the very bytes the kiosk hashed
  }
  CHECK(encode_batch({}) == R"({"responses":[]})");
  const auto empty = decode_batch(encode_batch({}), {});
  REQUIRE(empty.ok());
  CHECK(empty->empty());
}

TEST_CASE("a body that is not JSON is invalid_json", "[wire]") {
  for (const std::string body :
       {"", "{", "not json", R"({"responses":[}]})", "{\"responses\":[]} trailing"}) {
    INFO(body);
    const WireError e = batch_error(body);
    CHECK(e.http_status == 400);
    CHECK(e.code == "invalid_json");
  }
}

TEST_CASE("invalid UTF-8 is invalid_json", "[wire]") {
  const std::string bad = batch_of("{\"uuid\":\"\xC3\x28\",\"sha256\":\"x\",\"payload\":\"x\"}");
  const WireError e = batch_error(bad);
  CHECK(e.http_status == 400);
  CHECK(e.code == "invalid_json");
  // An overlong encoding and a lone surrogate escape are refused too.
  CHECK(batch_error(batch_of("\"\xC0\xAF\"")).code == "invalid_json");
  CHECK(batch_error(batch_of(R"("\ud800")")).code == "invalid_json");
}

TEST_CASE("duplicate keys are refused rather than guessed at", "[wire]") {
  const WireError e = batch_error(R"({"responses":[],"responses":[]})");
  CHECK(e.http_status == 400);
  CHECK(e.code == "invalid_json");
}

TEST_CASE("the wrong top-level shape is invalid_batch", "[wire]") {
  for (const std::string body :
       {"[]", "null", "42", "\"x\"", "{}", R"({"responses":{}})", R"({"responses":"x"})",
        R"({"responses":[],"extra":1})", R"({"items":[]})"}) {
    INFO(body);
    const WireError e = batch_error(body);
    CHECK(e.http_status == 400);
    CHECK(e.code == "invalid_batch");
  }
}

TEST_CASE("nesting beyond max_depth is too_deep, stopped while parsing", "[wire]") {
  // The documented shape is depth 3 and fits the default limit of 4.
  CHECK(decode_batch(batch_of(R"({"uuid":"x","sha256":"y","payload":"z","extra":{}})"), {}).ok());
  CHECK(batch_error(batch_of(R"({"uuid":"x","extra":{"a":[]}})")).code == "too_deep");
  // A million brackets: refused at the fifth, without building (or recursing into) the rest.
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  WireLimits big;
  big.max_body_bytes = deep.size();
  const WireError e = batch_error(deep, big);
  CHECK(e.http_status == 400);
  CHECK(e.code == "too_deep");
  // Unterminated nesting is also refused at the limit, not reported as broken JSON at the end.
  CHECK(batch_error(std::string(100, '{'), big).code ==
        "invalid_json");  // keys missing: a syntax error first
  CHECK(batch_error(std::string(100, '['), big).code == "too_deep");
}

TEST_CASE("a string beyond max_string_bytes is string_too_long", "[wire]") {
  WireLimits limits;
  limits.max_string_bytes = 16;
  const WireError value = batch_error(batch_of(R"({"uuid":")" + std::string(17, 'a') + R"("})"), limits);
  CHECK(value.http_status == 400);
  CHECK(value.code == "string_too_long");
  const WireError key = batch_error(batch_of(R"({")" + std::string(17, 'k') + R"(":1})"), limits);
  CHECK(key.code == "string_too_long");
  CHECK(decode_batch(batch_of(R"({"uuid":")" + std::string(16, 'a') + R"("})"), limits).ok());
}

TEST_CASE("more than max_items items is too_many_items (413)", "[wire]") {
  WireLimits limits;
  limits.max_items = 3;
  CHECK(decode_batch(batch_of("1,2,3"), limits).ok());
  const WireError e = batch_error(batch_of("1,2,3,4"), limits);
  CHECK(e.http_status == 413);
  CHECK(e.code == "too_many_items");
  CHECK(batch_error(batch_of("{},[],\"s\",null"), limits).code == "too_many_items");
  // Elements of nested arrays are not items.
  limits.max_depth = 6;
  CHECK(decode_batch(batch_of(R"({"a":[1,2,3,4,5,6]})"), limits).ok());
}

TEST_CASE("a body beyond max_body_bytes is body_too_large (413)", "[wire]") {
  WireLimits limits;
  limits.max_body_bytes = 10;
  const WireError e = batch_error(R"({"responses":[]})", limits);
  CHECK(e.http_status == 413);
  CHECK(e.code == "body_too_large");
}

TEST_CASE("item problems are per item, not a 400", "[wire]") {
  const BatchItem good = sample_item();
  const auto item_json = [](const std::string& uuid, const std::string& sha, const std::string& payload) {
    return nlohmann::json{{"uuid", uuid}, {"sha256", sha}, {"payload", payload}}.dump();
  };
  CHECK(item_problem(item_json(good.uuid, good.sha256, good.payload)).empty());
  CHECK(item_problem("42") == "item is not a JSON object");
  CHECK(item_problem(R"({"sha256":"a","payload":"b"})") == "item is missing \"uuid\"");
  CHECK(item_problem(R"({"uuid":1,"sha256":"a","payload":"b"})") == "item.uuid must be a string");
  CHECK(item_problem(R"({"uuid":"a","sha256":"a","payload":"b","x":1})") == "item has an unknown key \"x\"");
  CHECK(item_problem(item_json("0F8FAD5B-D9CB-469F-A165-70867728950E", good.sha256, good.payload)) ==
        "item.uuid is not a lower-case UUID");
  CHECK(item_problem(item_json(good.uuid, "abc", good.payload)) ==
        "item.sha256 is not 64 lower-case hex digits");
  std::string upper = good.sha256;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != good.sha256)
    CHECK(item_problem(item_json(good.uuid, upper, good.payload)) ==
          "item.sha256 is not 64 lower-case hex digits");
  CHECK(item_problem(item_json(good.uuid, payload_hash("other"), good.payload)) ==
        "item.sha256 does not match the payload");
  CHECK(item_problem(item_json(good.uuid, payload_hash("{}"), "{}")).rfind("payload: ", 0) == 0);
  const BatchItem other = sample_item();
  CHECK(item_problem(item_json(good.uuid, other.sha256, other.payload)) ==
        "the payload's uuid differs from item.uuid");
}

TEST_CASE("a bad item still echoes its uuid and the good items decode", "[wire]") {
  const BatchItem good = sample_item();
  nlohmann::json body = nlohmann::json::parse(encode_batch({good}));
  body["responses"].insert(body["responses"].begin(),
                           nlohmann::json{{"uuid", "not-a-uuid"}, {"sha256", "x"}, {"payload", "y"}});
  const auto decoded = decode_batch(body.dump(), {});
  REQUIRE(decoded.ok());
  REQUIRE(decoded->size() == 2);
  CHECK((*decoded)[0].item.uuid == "not-a-uuid");
  CHECK_FALSE((*decoded)[0].problem.empty());
  CHECK((*decoded)[1].item.uuid == good.uuid);
  CHECK((*decoded)[1].problem.empty());
}

TEST_CASE("a receipt round-trips, reason only when there is one", "[wire]") {
  Receipt r;
  r.received_at = "2026-11-22T07:39:02Z";
  r.results = {{"u1", ItemStatus::Created, ""},
               {"u2", ItemStatus::Duplicate, ""},
               {"u3", ItemStatus::Conflict, "another payload is stored under this uuid"},
               {"u4", ItemStatus::Invalid, "item.sha256 does not match the payload"}};
  const std::string body = encode_receipt(r);
  CHECK(body.find(R"({"status":"created","uuid":"u1"})") != std::string::npos);
  const auto back = decode_receipt(body);
  REQUIRE(back.ok());
  CHECK(back->received_at == r.received_at);
  REQUIRE(back->results.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(back->results[i].uuid == r.results[i].uuid);
    CHECK(back->results[i].status == r.results[i].status);
    CHECK(back->results[i].reason == r.results[i].reason);
  }
}

TEST_CASE("decode_receipt refuses anything but a receipt", "[wire]") {
  for (const std::string body :
       {"", "<html><body>Welcome to Lobby Wi-Fi</body></html>", "{}", "[]", R"({"status":"ok"})",
        R"({"received_at":"t"})", R"({"results":[]})", R"({"received_at":"","results":[]})",
        R"({"received_at":1,"results":[]})", R"({"received_at":"t","results":{}})",
        R"({"received_at":"t","results":[1]})", R"({"received_at":"t","results":[{"status":"created"}]})",
        R"({"received_at":"t","results":[{"uuid":"u"}]})",
        R"({"received_at":"t","results":[{"uuid":"u","status":"stored"}]})",
        R"({"received_at":"t","results":[{"uuid":"u","status":"created","reason":3}]})"}) {
    INFO(body);
    CHECK_FALSE(decode_receipt(body).ok());
  }
  // A field a newer centre might add does not turn a real receipt into "offline".
  CHECK(decode_receipt(R"({"received_at":"t","results":[],"server":"v2"})").ok());
}

TEST_CASE("check_receipt_matches wants the same uuids in the same order", "[wire]") {
  const std::vector<BatchItem> sent = {{"a", "", ""}, {"b", "", ""}};
  Receipt r;
  r.received_at = "t";
  r.results = {{"a", ItemStatus::Created, ""}, {"b", ItemStatus::Duplicate, ""}};
  CHECK(check_receipt_matches(r, sent).ok());
  std::swap(r.results[0], r.results[1]);
  CHECK_FALSE(check_receipt_matches(r, sent).ok());
  r.results.pop_back();
  CHECK_FALSE(check_receipt_matches(r, sent).ok());
  CHECK_FALSE(check_receipt_matches(Receipt{"t", {}}, sent).ok());
}

TEST_CASE("a heartbeat round-trips and is checked", "[wire]") {
  const Heartbeat hb{"0.1.0", 12, 3600, 1, "connect timeout"};
  const auto back = decode_heartbeat(encode_heartbeat(hb), {});
  REQUIRE(back.ok());
  CHECK(back->app_version == "0.1.0");
  CHECK(back->pending == 12);
  CHECK(back->oldest_pending_age_s == 3600);
  CHECK(back->quarantined == 1);
  CHECK(back->last_error == "connect timeout");
  CHECK(decode_heartbeat(R"({"app_version":"1","pending":0,"oldest_pending_age_s":0,"quarantined":0})", {})
            .ok());
  for (const std::string body :
       {"[]", R"({"pending":0,"oldest_pending_age_s":0,"quarantined":0})",
        R"({"app_version":"1","pending":-1,"oldest_pending_age_s":0,"quarantined":0})",
        R"({"app_version":"1","pending":1.5,"oldest_pending_age_s":0,"quarantined":0})",
        R"({"app_version":"1","pending":0,"oldest_pending_age_s":0,"quarantined":0,"kiosk_id":"x"})",
        R"({"app_version":"1","pending":0,"oldest_pending_age_s":0,"quarantined":0,"last_error":1})"}) {
    INFO(body);
    const auto e = decode_heartbeat(body, {});
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "invalid_heartbeat");
  }
  CHECK(decode_heartbeat("{", {}).error().code == "invalid_json");
  CHECK(decode_heartbeat(R"({"a":{"b":{"c":{"d":{}}}}})", {}).error().code == "too_deep");
}

TEST_CASE("an error body has code and message", "[wire]") {
  CHECK(encode_error("unauthorized", "missing bearer token") ==
        R"({"error":{"code":"unauthorized","message":"missing bearer token"}})");
  const auto j = nlohmann::json::parse(encode_error("x", "bad \xFF byte"));
  CHECK(j.at("error").at("code") == "x");
}
