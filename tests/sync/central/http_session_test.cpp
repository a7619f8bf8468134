// Dashboard sessions against a real CentralServer on loopback, as an attacker would try them: one analyst
// signing in thousands of times must not sign anyone else out; a page on another site must not be able to
// sign a browser in or out (login CSRF, forced sign-out); guessing tokens from one address is throttled and
// logged.
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "central_test_support.hpp"
#include "http_test_support.hpp"
#include "sync/central/dashboard.hpp"

using namespace fk;
using test::LiveCentral;

namespace {

// What a browser on the dashboard's own page sends with its form.
httplib::Headers same_origin(const LiveCentral& central) {
  return {{"Origin", "http://127.0.0.1:" + std::to_string(central.port())}};
}

httplib::Result login(httplib::Client& client, const std::string& token, const httplib::Headers& headers) {
  return client.Post("/login", headers, "token=" + central::url_encode(token),
                     "application/x-www-form-urlencoded");
}

// "fk_session=<id>" from a sign-in's Set-Cookie; empty when none was set.
std::string session_pair(const httplib::Result& res) {
  REQUIRE(res);
  const std::string cookie = res->get_header_value("Set-Cookie");
  return cookie.substr(0, cookie.find(';'));
}

std::string sign_in(LiveCentral& central, const std::string& token) {
  auto res = login(*central.client(), token, same_origin(central));
  REQUIRE(res);
  REQUIRE(res->status == 303);
  const std::string pair = session_pair(res);
  REQUIRE(pair.rfind("fk_session=", 0) == 0);
  CHECK(pair.size() == std::string("fk_session=").size() + 64);  // 256 random bits in hex
  return pair;
}

// Whether the session in `cookie` still opens the API.
bool session_valid(LiveCentral& central, const std::string& cookie) {
  auto res = central.client()->Get("/api/v1/aggregates", httplib::Headers{{"Cookie", cookie}});
  REQUIRE(res);
  return res->status == 200;
}

// The server's log lines, collected from any thread.
struct LogLines {
  std::mutex mutex;
  std::vector<std::string> lines;
  std::function<void(const std::string&)> sink() {
    return [this](const std::string& line) {
      std::lock_guard lock(mutex);
      lines.push_back(line);
    };
  }
  std::vector<std::string> containing(const std::string& part) {
    std::lock_guard lock(mutex);
    std::vector<std::string> out;
    for (const auto& line : lines) {
      if (line.find(part) != std::string::npos) out.push_back(line);
    }
    return out;
  }
};

}  // namespace

TEST_CASE("one analyst signing in 10,000 times signs nobody else out", "[dashboard][http][sessions]") {
  LiveCentral central;
  const std::string admin = sign_in(central, central.admin_token);
  const std::string first_analyst = sign_in(central, central.analyst_token);
  auto client = central.client();
  client->set_keep_alive(true);
  std::string last_analyst;
  for (int i = 0; i < 10000; ++i) {
    auto res = login(*client, central.analyst_token, same_origin(central));
    REQUIRE(res);
    REQUIRE(res->status == 303);
    last_analyst = session_pair(res);
  }
  CHECK(session_valid(central, admin));
  CHECK(session_valid(central, last_analyst));
  // The analyst's own oldest session made way for the newest ones.
  CHECK_FALSE(session_valid(central, first_analyst));
}

TEST_CASE("sessions outlive the server process that opened them", "[dashboard][http][sessions]") {
  LiveCentral central;
  const std::string analyst = sign_in(central, central.analyst_token);
  // Another server on the same database (a restart, or a second process behind a load balancer).
  central::CentralServer other(central.store(), test::test_config());
  REQUIRE(other.start().ok());
  httplib::Client client("127.0.0.1", other.port());
  client.set_read_timeout(10, 0);
  auto res = client.Get("/api/v1/aggregates", httplib::Headers{{"Cookie", analyst}});
  REQUIRE(res);
  CHECK(res->status == 200);
}

TEST_CASE("cross-site sign-in and sign-out are refused and change nothing", "[dashboard][http][csrf]") {
  LiveCentral central;
  const std::string admin = sign_in(central, central.admin_token);
  const std::string port = std::to_string(central.port());
  const httplib::Headers cross_site[] = {
      {{"Origin", "http://evil.example"}},
      {{"Origin", "null"}},
      {{"Sec-Fetch-Site", "cross-site"}, {"Referer", "http://evil.example/"}},
      {{"Referer", "http://evil.example/http://127.0.0.1:" + port + "/"}},
      {},  // a form post with none of Origin, Sec-Fetch-Site, Referer
  };
  for (const auto& headers : cross_site) {
    INFO("headers: " << (headers.empty() ? "none" : headers.begin()->first + ": " + headers.begin()->second));
    auto in = login(*central.client(), central.analyst_token, headers);
    REQUIRE(in);
    CHECK(in->status == 403);
    CHECK_FALSE(in->has_header("Set-Cookie"));
    CHECK(in->get_header_value("Content-Type") == "text/html; charset=utf-8");

    httplib::Headers with_cookie = headers;
    with_cookie.emplace("Cookie", admin);
    auto out = central.client()->Post("/logout", with_cookie, "", "application/x-www-form-urlencoded");
    REQUIRE(out);
    CHECK(out->status == 403);
    CHECK_FALSE(out->has_header("Set-Cookie"));
    CHECK(session_valid(central, admin));
  }
  // From the dashboard's own page (Origin, or a browser's Sec-Fetch-Site without Origin), both work.
  auto in = login(*central.client(), central.analyst_token, {{"Sec-Fetch-Site", "same-origin"}});
  REQUIRE(in);
  CHECK(in->status == 303);
  httplib::Headers own = same_origin(central);
  own.emplace("Cookie", admin);
  auto out = central.client()->Post("/logout", own, "", "application/x-www-form-urlencoded");
  REQUIRE(out);
  CHECK(out->status == 303);
  CHECK_FALSE(session_valid(central, admin));
}

TEST_CASE("failed sign-ins from one address are throttled, logged, and released after the window",
          "[dashboard][http][throttle]") {
  LogLines log;
  central::ServerConfig config = test::test_config();
  config.log = log.sink();
  config.sign_in_throttle.max_failures = 3;
  config.sign_in_throttle.window = std::chrono::milliseconds(1500);
  LiveCentral central(config);
  const std::string wrong = central::new_token();
  auto client = central.client();
  for (int i = 0; i < 3; ++i) {
    auto res = login(*client, wrong, same_origin(central));
    REQUIRE(res);
    CHECK(res->status == 401);
  }
  // Throttled: even the right token is not looked at.
  auto throttled = login(*client, central.analyst_token, same_origin(central));
  REQUIRE(throttled);
  CHECK(throttled->status == 429);
  CHECK(throttled->get_header_value("Retry-After") == "2");
  CHECK_FALSE(throttled->has_header("Set-Cookie"));
  CHECK(throttled->body.find("name=\"token\"") != std::string::npos);  // the form, to try again later

  // Each failure and the throttled attempt were logged with the address, never with a token.
  CHECK(log.containing("sign-in refused from 127.0.0.1").size() == 3);
  CHECK(log.containing("sign-in from 127.0.0.1 throttled").size() == 1);
  CHECK(log.containing(wrong).empty());
  CHECK(log.containing(central.analyst_token).empty());

  std::this_thread::sleep_for(std::chrono::milliseconds(1600));
  auto after = login(*client, central.analyst_token, same_origin(central));
  REQUIRE(after);
  CHECK(after->status == 303);
  CHECK(session_valid(central, session_pair(after)));
}
