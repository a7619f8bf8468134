// HttpClient against real loopback servers: headers, connection reuse, gzip, bounds, no redirects, stalls,
// cancellation, connect errors.
#include "sync/uploader/http_client.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <future>

#include "scripted_server.hpp"
#include "uploader_test_support.hpp"

using namespace fk::uploader;
using namespace fk::uploader::testing;
using namespace std::chrono_literals;

namespace {

// A loopback port that refuses connections: bound once, then closed.
int closed_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

HttpOptions fast_options() {
  HttpOptions options;
  options.connect_timeout = 2s;
  options.low_speed_limit = 1;
  options.low_speed_time = 1s;
  return options;
}

}  // namespace

TEST_CASE("a POST carries the bearer token and JSON, and returns status and body", "[http]") {
  ScriptedServer server(reply_with(201, R"({"ok":true})"));
  HttpClient client(fast_options());
  auto reply = client.post_json(server.url() + "/api/v1/responses", R"({"responses":[]})", "tok-123");
  REQUIRE(reply.ok());
  CHECK(reply->status == 201);
  CHECK(reply->body == R"({"ok":true})");
  CHECK(reply->content_type == "application/json");
  CHECK_FALSE(reply->body_truncated);
  const auto seen = server.recorded();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "POST");
  CHECK(seen[0].path == "/api/v1/responses");
  CHECK(seen[0].authorization == "Bearer tok-123");
  CHECK(seen[0].content_type == "application/json");
  CHECK(seen[0].content_encoding.empty());  // small bodies go as they are
  CHECK(seen[0].body == R"({"responses":[]})");
}

TEST_CASE("one handle: the second request reuses the connection", "[http]") {
  ScriptedServer server(reply_with(204));
  HttpClient client(fast_options());
  REQUIRE(client.post_json(server.url() + "/a", "{}", "t").ok());
  CHECK(client.last_new_connections() == 1);
  for (int i = 0; i < 20; ++i) {
    REQUIRE(client.post_json(server.url() + "/a", "{}", "t").ok());
    CHECK(client.last_new_connections() == 0);
  }
}

TEST_CASE("a large body is sent gzip-compressed", "[http]") {
  ScriptedServer server(reply_with(204));
  HttpOptions options = fast_options();
  options.gzip_min_bytes = 1024;
  HttpClient client(options);
  std::string body = R"({"responses":[)";
  for (int i = 0; i < 500; ++i) body += R"({"note":"Officer Alvarez was patient and kind"},)";
  body += "{}]}";
  REQUIRE(client.post_json(server.url() + "/x", body, "t").ok());
  CHECK(client.last_request_bytes() < body.size() / 4);
  const auto seen = server.recorded();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].content_encoding == "gzip");
  CHECK(seen[0].body == body);  // httplib decoded it: the bytes arrive intact
}

TEST_CASE("a reply is buffered up to the bound and no further", "[http]") {
  const std::string huge(3 * 1024 * 1024, 'x');
  SECTION("with a Content-Length") {
    ScriptedServer server(reply_with(200, huge, "text/html"));
    HttpClient client(fast_options());
    auto reply = client.post_json(server.url() + "/", "{}", "t");
    REQUIRE(reply.ok());
    CHECK(reply->status == 200);
    CHECK(reply->body_truncated);
    CHECK(reply->body.size() <= kMaxResponseBodyBytes);
  }
  SECTION("chunked, no length announced") {
    ScriptedServer server([&](const httplib::Request&, httplib::Response& res) {
      res.status = 201;
      res.set_chunked_content_provider("application/json", [&](std::size_t offset, httplib::DataSink& sink) {
        if (offset >= huge.size()) {
          sink.done();
          return true;
        }
        return sink.write(huge.data() + offset, 64 * 1024);
      });
    });
    HttpClient client(fast_options());
    auto reply = client.post_json(server.url() + "/", "{}", "t");
    REQUIRE(reply.ok());
    CHECK(reply->status == 201);
    CHECK(reply->body_truncated);
    CHECK(reply->body.size() == kMaxResponseBodyBytes);
  }
}

TEST_CASE("redirects are reported, never followed", "[http]") {
  ScriptedServer target(reply_with(201, "{}"));
  ScriptedServer portal([&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(target.url() + "/api/v1/responses", 302);
  });
  HttpClient client(fast_options());
  auto reply = client.post_json(portal.url() + "/api/v1/responses", "{}", "t");
  REQUIRE(reply.ok());
  CHECK(reply->status == 302);
  CHECK(reply->location == target.url() + "/api/v1/responses");
  CHECK(target.requests() == 0);
}

TEST_CASE("Retry-After is read from the answer", "[http]") {
  ScriptedServer server(reply_with(503, "", "application/json", "42"));
  HttpClient client(fast_options());
  auto reply = client.post_json(server.url() + "/", "{}", "t");
  REQUIRE(reply.ok());
  CHECK(reply->status == 503);
  CHECK(reply->retry_after == 42s);
}

TEST_CASE("a server that accepts and never answers is ended by the low-speed limit", "[http]") {
  ScriptedServer server([&](const httplib::Request&, httplib::Response&) { server.stall(); });
  HttpOptions options = fast_options();  // low-speed time 1 s
  options.low_speed_limit = 100'000;     // curl averages over seconds: only a stall stays under this for 1 s
  HttpClient client(options);
  auto reply = client.post_json(server.url() + "/", "{}", "t");
  REQUIRE_FALSE(reply.ok());
  INFO(reply.error().message);
  CHECK(reply.error().kind == TransportErrorKind::Timeout);
  // The low-speed window with our settings ended it (curl names them), while the server still held the
  // request (a stall lasts up to 30 s): not the server, and not some other timeout.
  CHECK(reply.error().message.find("Less than 100000 bytes/sec transferred the last 1 seconds") !=
        std::string::npos);
  CHECK(server.stalled() == 1);
}

TEST_CASE("cancel() ends a request in flight at once and holds until resume()", "[http]") {
  ScriptedServer server([&](const httplib::Request& req, httplib::Response& res) {
    if (req.path == "/stall") server.stall();
    res.status = 204;
  });
  HttpOptions options = fast_options();
  options.low_speed_time = 60s;  // only cancel() can end the stalled request quickly
  HttpClient client(options);
  auto pending =
      std::async(std::launch::async, [&] { return client.post_json(server.url() + "/stall", "{}", "t"); });
  REQUIRE(server.await([&] { return server.stalled() == 1; }));
  client.cancel();
  // A bound only a broken cancel() reaches: the stall lasts up to 30 s, the low-speed limit 60 s.
  REQUIRE(pending.wait_for(20s) == std::future_status::ready);
  CHECK(server.stalled() == 1);  // ended while the server still held it: the cancel, not an answer
  auto reply = pending.get();
  REQUIRE_FALSE(reply.ok());
  CHECK(reply.error().kind == TransportErrorKind::Cancelled);

  auto again = client.post_json(server.url() + "/fine", "{}", "t");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().kind == TransportErrorKind::Cancelled);
  client.resume();
  auto after = client.post_json(server.url() + "/fine", "{}", "t");
  REQUIRE(after.ok());
  CHECK(after->status == 204);
}

TEST_CASE("a refused connection is a connect error", "[http]") {
  HttpClient client(fast_options());
  auto reply = client.post_json("http://127.0.0.1:" + std::to_string(closed_port()) + "/", "{}", "t");
  REQUIRE_FALSE(reply.ok());
  CHECK(reply.error().kind == TransportErrorKind::Connect);
  CHECK_FALSE(reply.error().message.empty());
}

TEST_CASE("a token with a line break is refused before anything is sent", "[http]") {
  ScriptedServer server(reply_with(204));
  HttpClient client(fast_options());
  auto reply = client.post_json(server.url() + "/", "{}", "tok\r\nX-Evil: 1");
  REQUIRE_FALSE(reply.ok());
  CHECK(reply.error().kind == TransportErrorKind::Setup);
  CHECK(server.requests() == 0);
}

TEST_CASE("only http and https URLs are fetched", "[http]") {
  fk::store::testing::TempDir dir;
  const std::string secret = dir.file("secret.txt");
  std::ofstream(secret) << "not for the centre\n";
  const std::string url = "file://" + secret;
  HttpClient client(fast_options());
  // Refused for its scheme before anything is read: a bad URL (Setup), saying why, whichever method.
  auto check_refused = [&](const fk::Expected<HttpResponse, TransportError>& reply,
                           const std::string& scheme) {
    REQUIRE_FALSE(reply.ok());
    INFO(reply.error().message);
    CHECK(reply.error().kind == TransportErrorKind::Setup);
    CHECK(reply.error().message.rfind("refused: only http and https URLs are fetched", 0) == 0);
    CHECK(reply.error().message.find('"' + scheme + '"') != std::string::npos);  // curl names the scheme
  };
  SECTION("post") {
    check_refused(client.post_json(url, "{}", "t"), "file");
  }
  SECTION("get") {
    check_refused(client.get(url, "t"), "file");
  }
  SECTION("another scheme curl knows") {
    check_refused(client.get("ftp://127.0.0.1:" + std::to_string(closed_port()) + "/", "t"), "ftp");
  }
}
