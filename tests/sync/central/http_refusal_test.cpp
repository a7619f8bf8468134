// Bad requests over real HTTP: each gets a 4xx with a JSON error body, writes no row, and leaves the server
// answering others. Oversized bodies are refused before they are read.
#include <catch2/catch.hpp>
#include <thread>

#include "http_test_support.hpp"
#include "wire_samples.hpp"

using namespace fk;
using test::expect_error;
using test::expect_healthy;
using test::kResponsesPath;
using test::LiveCentral;
using test::post_json;

namespace {

std::string one_item_batch() {
  return model::encode_batch({test::sample_item()});
}

}  // namespace

TEST_CASE("missing, malformed and unknown tokens are 401", "[http][auth]") {
  LiveCentral central;
  const std::string body = one_item_batch();
  expect_error(post_json(*central.client(), kResponsesPath, body), 401, "unauthorized");
  expect_error(post_json(*central.client(), kResponsesPath, body, {{"Authorization", "Basic dXNlcjpwYXNz"}}),
               401, "unauthorized");
  expect_error(post_json(*central.client(), kResponsesPath, body, {{"Authorization", "Bearer"}}), 401,
               "unauthorized");
  expect_error(post_json(*central.client(central::new_token()), kResponsesPath, body), 401, "unauthorized");
  // The hash is not the token.
  expect_error(post_json(*central.client(central::token_hash(central.kiosk_token)), kResponsesPath, body),
               401, "unauthorized");
  CHECK(central.rows() == 0);
  expect_healthy(central);
}

TEST_CASE("a revoked kiosk and a user token are 403 on kiosk endpoints", "[http][auth]") {
  LiveCentral central;
  const std::string body = one_item_batch();
  expect_error(post_json(*central.client(central.revoked_token), kResponsesPath, body), 403, "revoked");
  expect_error(post_json(*central.client(central.admin_token), kResponsesPath, body), 403, "forbidden");
  expect_error(post_json(*central.client(central.analyst_token), "/api/v1/kiosks/heartbeat",
                         model::encode_heartbeat({})),
               403, "forbidden");
  CHECK(central.rows() == 0);
  // Revoking a kiosk that was working takes effect on its next request.
  REQUIRE(central.store().revoke_kiosk("lobby-1").ok());
  expect_error(post_json(*central.client(central.kiosk_token), kResponsesPath, body), 403, "revoked");
  CHECK(central.rows() == 0);
}

TEST_CASE("a declared body over the limit is 413 before it is read", "[http][limits]") {
  central::ServerConfig config = test::test_config();
  config.read_timeout = std::chrono::seconds(5);
  LiveCentral central(config);
  // Ten gigabytes declared, a few kilobytes sent, and the socket held open: a server that tried to read
  // (or skip) the declared body would answer only after its read timeout, if at all.
  const std::string request =
      "POST /api/v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: Bearer " +
      central.kiosk_token +
      "\r\n"
      "Content-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n" +
      std::string(4096, ' ');
  const test::RawAnswer answer = test::raw_exchange(central.port(), request);
  CHECK(answer.status() == 413);
  CHECK(answer.elapsed < std::chrono::milliseconds(2000));
  const auto j = nlohmann::json::parse(answer.body(), nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  CHECK(j["error"]["code"] == "body_too_large");
  CHECK(answer.text.find("Content-Type: application/json") != std::string::npos);
  CHECK(central.rows() == 0);
  expect_healthy(central);
}

TEST_CASE("a client that sends Expect: 100-continue is refused before it uploads", "[http][limits]") {
  LiveCentral central;
  const std::string request =
      "POST /api/v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: Bearer " +
      central.kiosk_token +
      "\r\n"
      "Content-Type: application/json\r\nContent-Length: 5000000\r\n"
      "Expect: 100-continue\r\n\r\n";
  const test::RawAnswer answer = test::raw_exchange(central.port(), request);
  CHECK(answer.status() == 413);
  INFO(answer.text);
  CHECK(answer.text.find("100 Continue") == std::string::npos);
  CHECK(answer.elapsed < std::chrono::milliseconds(2000));
  const auto j = nlohmann::json::parse(answer.body(), nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  CHECK(j["error"]["code"] == "body_too_large");
  CHECK(central.rows() == 0);
}

TEST_CASE("a limit set lower is enforced for plain, chunked and gzip bodies", "[http][limits]") {
  central::ServerConfig config = test::test_config();
  config.limits.max_body_bytes = 4096;
  LiveCentral central(config);
  auto client = central.client(central.kiosk_token);
  std::vector<model::BatchItem> items;
  for (int i = 0; i < 10; ++i) items.push_back(test::sample_item());
  const std::string big = model::encode_batch(items);
  REQUIRE(big.size() > 4096);

  {
    INFO("plain");
    expect_error(post_json(*client, kResponsesPath, big), 413, "body_too_large");
  }

  // Chunked: no Content-Length to judge by, so the bound applies while reading.
  auto chunked = client->Post(
      kResponsesPath, httplib::Headers{},
      [&big](std::size_t offset, httplib::DataSink& sink) {
        if (offset < big.size()) {
          sink.write(big.data() + offset, std::min<std::size_t>(1000, big.size() - offset));
        } else {
          sink.done();
        }
        return true;
      },
      "application/json");
  {
    INFO("chunked");
    expect_error(chunked, 413, "body_too_large");
  }

  // A gzip bomb: small on the wire, far over the limit once inflated.
  const std::string bomb = test::gzip(R"({"responses":[)" + std::string(3 * 1024 * 1024, ' ') + "]}");
  REQUIRE(bomb.size() < 4096);
  expect_error(
      post_json(*central.client(central.kiosk_token), kResponsesPath, bomb, {{"Content-Encoding", "gzip"}}),
      413, "body_too_large");
  CHECK(central.rows() == 0);
  expect_healthy(central);
}

TEST_CASE("too many items is 413 and stores none of them", "[http][limits]") {
  central::ServerConfig config = test::test_config();
  config.limits.max_items = 5;
  LiveCentral central(config);
  std::vector<model::BatchItem> items;
  for (int i = 0; i < 6; ++i) items.push_back(test::sample_item());
  expect_error(post_json(*central.client(central.kiosk_token), kResponsesPath, model::encode_batch(items)),
               413, "too_many_items");
  CHECK(central.rows() == 0);
  items.pop_back();
  test::expect_receipt(
      post_json(*central.client(central.kiosk_token), kResponsesPath, model::encode_batch(items)));
  CHECK(central.rows() == 5);
}

TEST_CASE("wrong content type or encoding is 415", "[http][limits]") {
  LiveCentral central;
  auto client = central.client(central.kiosk_token);
  const std::string body = one_item_batch();
  expect_error(client->Post(kResponsesPath, body, "text/plain"), 415, "unsupported_media_type");
  expect_error(client->Post(kResponsesPath, body, "application/x-www-form-urlencoded"), 415,
               "unsupported_media_type");
  expect_error(post_json(*client, kResponsesPath, body, {{"Content-Encoding", "compress"}}), 415,
               "unsupported_encoding");
  // Parameters and case do not matter.
  test::expect_receipt(client->Post(kResponsesPath, body, "Application/JSON; charset=utf-8"));
  CHECK(central.rows() == 1);
}

TEST_CASE("broken JSON, invalid UTF-8, deep nesting and long strings are 400", "[http][limits]") {
  LiveCentral central;
  auto client = central.client(central.kiosk_token);
  const model::BatchItem item = test::sample_item();
  const std::string good = model::encode_batch({item});

  expect_error(post_json(*client, kResponsesPath, good.substr(0, good.size() - 3)), 400, "invalid_json");
  expect_error(post_json(*client, kResponsesPath, "<html>hello</html>"), 400, "invalid_json");
  expect_error(post_json(*client, kResponsesPath, ""), 400, "invalid_json");
  std::string bad_utf8 = good;
  bad_utf8.replace(bad_utf8.find("Thank"), 2, "\xC3\x28");
  expect_error(post_json(*client, kResponsesPath, bad_utf8), 400, "invalid_json");
  expect_error(post_json(*client, kResponsesPath, std::string(200000, '[') + std::string(200000, ']')), 400,
               "too_deep");
  expect_error(
      post_json(*client, kResponsesPath, R"({"responses":[{"uuid":")" + std::string(70000, 'a') + "\"}]}"),
      400, "string_too_long");
  expect_error(post_json(*client, kResponsesPath, R"({"responses":{}})"), 400, "invalid_batch");
  CHECK(central.rows() == 0);
  expect_healthy(central);
  // The same connection and kiosk still deliver afterwards.
  test::expect_receipt(post_json(*client, kResponsesPath, good));
  CHECK(central.rows() == 1);
}

TEST_CASE("garbage on the socket does not take the server down", "[http][limits]") {
  LiveCentral central;
  // httplib's own refusals carry our JSON body and a Content-Length, so the client need not wait for a close.
  const auto tls_hello = test::raw_exchange(central.port(), "\x16\x03\x01 not http at all\r\n\r\n",
                                            std::chrono::milliseconds(2000));
  CHECK(tls_hello.status() == 400);
  CHECK(tls_hello.body().find("\"bad_request\"") != std::string::npos);
  CHECK(tls_hello.elapsed < std::chrono::milliseconds(1000));
  const auto bad_length =
      test::raw_exchange(central.port(), "POST /api/v1/responses HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
                         std::chrono::milliseconds(2000));
  CHECK(bad_length.status() == 400);
  CHECK(bad_length.elapsed < std::chrono::milliseconds(1000));
  const auto missing =
      test::raw_exchange(central.port(),
                         "POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                             central.kiosk_token + "\r\nContent-Type: application/json\r\n\r\n{}",
                         std::chrono::milliseconds(2000));
  CHECK(missing.status() == 411);
  const auto unknown = central.client()->Get("/api/v1/nowhere");
  expect_error(unknown, 404, "not_found");
  CHECK(central.rows() == 0);
  expect_healthy(central);
}

TEST_CASE("a kiosk over its rate gets 429 with Retry-After, others carry on", "[http][limits]") {
  central::ServerConfig config = test::test_config();
  config.rate = central::RateLimit{0.5, 3};
  LiveCentral central(config);
  auto client = central.client(central.kiosk_token);
  for (int i = 0; i < 3; ++i) test::expect_receipt(post_json(*client, kResponsesPath, one_item_batch()));
  const auto limited = post_json(*client, kResponsesPath, one_item_batch());
  expect_error(limited, 429, "rate_limited");
  REQUIRE(limited);
  CHECK(std::stoi(limited->get_header_value("Retry-After")) >= 1);
  CHECK(central.rows() == 3);
  // The bucket is per kiosk.
  test::expect_receipt(
      post_json(*central.client(central.other_kiosk_token), kResponsesPath, one_item_batch()));
  CHECK(central.rows() == 4);
}

TEST_CASE("a refused request with a body of sane size leaves the connection usable", "[http][limits]") {
  central::ServerConfig config = test::test_config();
  config.limits.max_body_bytes = 4096;
  LiveCentral central(config);
  auto client = central.client(central::new_token());
  client->set_keep_alive(true);
  const std::string body = one_item_batch();
  expect_error(post_json(*client, kResponsesPath, body), 401, "unauthorized");
  client->set_bearer_token_auth(central.kiosk_token);
  expect_error(client->Post(kResponsesPath, body, "text/plain"), 415, "unsupported_media_type");
  // Over the limit by a little, chunked: read to the end and thrown away, so the next request is in step.
  std::vector<model::BatchItem> items(10, test::sample_item());
  const std::string big = model::encode_batch(items);
  REQUIRE(big.size() > 4096);
  REQUIRE(big.size() < 2 * 4096);
  auto chunked = client->Post(
      kResponsesPath, httplib::Headers{},
      [&big](std::size_t offset, httplib::DataSink& sink) {
        if (offset < big.size()) {
          sink.write(big.data() + offset, std::min<std::size_t>(1000, big.size() - offset));
        } else {
          sink.done();
        }
        return true;
      },
      "application/json");
  expect_error(chunked, 413, "body_too_large");
  CHECK_FALSE(chunked->has_header("Connection"));
  test::expect_receipt(post_json(*client, kResponsesPath, body));
  CHECK(central.rows() == 1);
}
