// HTTPS: the centre's certificate is checked against the configured CA file, and a pinned public key
// refuses any other key (a captive portal or an interceptor with a "valid" certificate).
#include <catch2/catch.hpp>

#include "scripted_server.hpp"
#include "sync/uploader/http_client.hpp"
#include "uploader_test_support.hpp"

using namespace fk::uploader;
using namespace fk::uploader::testing;
using namespace std::chrono_literals;

namespace {

const std::string kTls = FK_UPLOADER_TLS;
const std::string kCert = kTls + "/server.crt";
const std::string kKey = kTls + "/server.key";
const std::string kPin = "sha256//N455J2KWkqEaVxQsnMEuxN7NHHyrdh/fVq2gtbA5AJY=";

HttpOptions tls_options(const std::string& ca_file, const std::string& pin = "") {
  HttpOptions options;
  options.connect_timeout = 2s;
  options.ca_file = ca_file;
  options.pinned_public_key = pin;
  return options;
}

}  // namespace

TEST_CASE("HTTPS with the centre's CA file", "[tls]") {
  ScriptedServer server(reply_with(204), kCert, kKey);
  SECTION("trusted: the request goes through") {
    HttpClient client(tls_options(kCert));
    auto reply = client.post_json(server.url() + "/api/v1/kiosks/heartbeat", "{}", "t");
    REQUIRE(reply.ok());
    CHECK(reply->status == 204);
  }
  SECTION("the system store does not know a self-signed centre") {
    HttpClient client(tls_options(""));
    auto reply = client.post_json(server.url() + "/", "{}", "t");
    REQUIRE_FALSE(reply.ok());
    CHECK(reply.error().kind == TransportErrorKind::Tls);
  }
  SECTION("another CA is refused") {
    HttpClient client(tls_options(kTls + "/other.crt"));
    auto reply = client.post_json(server.url() + "/", "{}", "t");
    REQUIRE_FALSE(reply.ok());
    CHECK(reply.error().kind == TransportErrorKind::Tls);
  }
  CHECK(server.requests() <= 1);
}

TEST_CASE("a pinned public key", "[tls]") {
  ScriptedServer server(reply_with(204), kCert, kKey);
  SECTION("the right pin, as a hash") {
    HttpClient client(tls_options(kCert, kPin));
    auto reply = client.post_json(server.url() + "/", "{}", "t");
    REQUIRE(reply.ok());
    CHECK(reply->status == 204);
  }
  SECTION("the right pin, as a key file") {
    HttpClient client(tls_options(kCert, kTls + "/server.pub.pem"));
    REQUIRE(client.post_json(server.url() + "/", "{}", "t").ok());
  }
  SECTION("a wrong pin refuses a certificate the CA file trusts") {
    HttpClient client(tls_options(kCert, "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    auto reply = client.post_json(server.url() + "/", "{}", "t");
    REQUIRE_FALSE(reply.ok());
    CHECK(reply.error().kind == TransportErrorKind::Tls);
    CHECK(server.requests() == 0);  // refused during the handshake: the token never left the kiosk
  }
}

TEST_CASE("the uploader delivers over HTTPS with a CA file and a pin", "[tls][delivery]") {
  Outbox outbox;
  outbox.add(3);
  FakeCentral central;
  ScriptedServer server(central.handler(), kCert, kKey);
  UploaderConfig config = test_config(server.url());
  config.ca_file = kCert;
  config.pinned_public_key = kPin;
  Uploader uploader(outbox.store(), config);
  const SyncResult result = uploader.sync_once();
  INFO(result.message);
  CHECK(result.complete());
  CHECK(result.delivered == 3);

  SECTION("and treats a wrong pin as offline, delivering nothing") {
    outbox.add(1);
    config.pinned_public_key = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    Uploader pinned_wrong(outbox.store(), config);
    const SyncResult refused = pinned_wrong.sync_once();
    CHECK(refused.error == SyncError::Offline);
    CHECK(refused.message.find("tls") != std::string::npos);
    CHECK(outbox.counts().pending == 1);
  }
}
