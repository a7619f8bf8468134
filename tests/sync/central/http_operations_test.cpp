// Operating the centre: one access-log line per request (without secrets), readiness and liveness, store
// failures always logged, and GET /metrics (parsed strictly; its counters move by exactly what was sent;
// refused to a remote non-admin).
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "breakable_store.hpp"
#include "http_test_support.hpp"
#include "prometheus_text.hpp"
#include "sync/central/sessions.hpp"
#include "wire_samples.hpp"

using namespace fk;
using test::expect_error;
using test::expect_receipt;
using test::kResponsesPath;
using test::LiveCentral;
using test::post_json;

namespace {

// Lines written by the server's I/O thread, read by the test.
class LineSink {
 public:
  std::function<void(const std::string&)> writer() {
    return [this](const std::string& line) {
      std::lock_guard lock(mutex_);
      lines_.push_back(line);
      changed_.notify_all();
    };
  }
  // The first line (from `from` on) containing every one of `parts`; fails after 5 s.
  std::string wait_for(std::initializer_list<std::string> parts, std::size_t from = 0) {
    std::unique_lock lock(mutex_);
    std::string found;
    const bool seen = changed_.wait_for(lock, std::chrono::seconds(5), [&] {
      for (std::size_t i = from; i < lines_.size(); ++i) {
        bool all = true;
        for (const std::string& p : parts) all = all && lines_[i].find(p) != std::string::npos;
        if (all) {
          found = lines_[i];
          return true;
        }
      }
      return false;
    });
    if (!seen) {
      std::string wanted;
      for (const std::string& p : parts) wanted += "[" + p + "] ";
      FAIL("no line with " << wanted << "among:\n" << joined_locked());
    }
    return found;
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  std::size_t size() {
    std::lock_guard lock(mutex_);
    return lines_.size();
  }

 private:
  std::string joined_locked() const {
    std::string all;
    for (const std::string& l : lines_) all += l + "\n";
    return all;
  }
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
};

std::vector<model::BatchItem> fresh_batch(std::size_t n) {
  std::vector<model::BatchItem> items;
  for (std::size_t i = 0; i < n; ++i) items.push_back(test::sample_item("ops note " + std::to_string(i)));
  return items;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A live dashboard session for `user`; returns the Cookie header that carries it.
std::string session_for(central::CentralStore& store, const std::string& user) {
  const std::string id = central::new_token();
  const auto now = unix_now();
  test::must(store.add_session({central::token_hash(id), user, now, now + 3600}, 10), "session");
  return std::string(central::kSessionCookie) + "=" + id;
}

test::PrometheusText scrape(const LiveCentral& central, const httplib::Headers& headers = {}) {
  auto res = central.client()->Get("/metrics", headers);
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  return test::parse_prometheus_text(res->body);
}

// Everything written to this process's stderr while alive (the server's fallback log).
class StderrCapture {
 public:
  StderrCapture() : file_(dir_.file("stderr.txt")) {
    std::fflush(stderr);
    saved_ = dup(STDERR_FILENO);
    const int fd = open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(fd >= 0);
    dup2(fd, STDERR_FILENO);
    ::close(fd);
  }
  ~StderrCapture() { restore(); }
  std::string text() {
    std::cerr.flush();
    std::fflush(stderr);
    std::ifstream in(file_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void restore() {
    if (saved_ < 0) return;
    std::cerr.flush();
    std::fflush(stderr);
    dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    saved_ = -1;
  }

 private:
  test::TempDir dir_;
  std::string file_;
  int saved_ = -1;
};

}  // namespace

TEST_CASE("the access log has one line per request, with who asked and without secrets",
          "[http][ops][access-log]") {
  LineSink sink;
  central::ServerConfig config = test::test_config();
  config.access_log = sink.writer();
  LiveCentral central(config);

  // A kiosk's batch: method, path, status, bytes, time, the kiosk and the client.
  const auto batch = fresh_batch(2);
  expect_receipt(post_json(*central.client(central.kiosk_token), kResponsesPath, model::encode_batch(batch)));
  const std::string post = sink.wait_for({"method=POST", "path=/api/v1/responses ", "status=201"});
  CHECK(post.rfind("access ", 0) == 0);
  CHECK(post.find(" who=kiosk:lobby-1 ") != std::string::npos);
  CHECK(post.find(" client=127.0.0.1") != std::string::npos);
  CHECK(post.find(" ms=") != std::string::npos);
  const auto bytes_at = post.find(" bytes=");
  REQUIRE(bytes_at != std::string::npos);
  CHECK(std::stoul(post.substr(bytes_at + 7)) > 100);  // the receipt and its head

  // A refused request: nobody is named.
  expect_error(post_json(*central.client("not-a-token"), kResponsesPath, model::encode_batch(batch)), 401,
               "unauthorized");
  const std::string refused = sink.wait_for({"method=POST", "status=401"});
  CHECK(refused.find(" who=- ") != std::string::npos);

  // A reader's GET with a query: the parameter names stay, their values do not.
  auto aggregates = central.client(central.analyst_token)
                        ->Get("/api/v1/aggregates?site=Central%20Division&from=2026-01-01&format=json");
  REQUIRE(aggregates);
  REQUIRE(aggregates->status == 200);
  const std::string read = sink.wait_for({"method=GET", "path=/api/v1/aggregates?site&from&format "});
  CHECK(read.find(" status=200 ") != std::string::npos);
  CHECK(read.find(" who=user:ann ") != std::string::npos);

  // The dashboard page, signed in by cookie, with a query.
  const std::string cookie = session_for(central.store(), "sam");
  auto page = central.client()->Get("/?site=Harbour%20Division", httplib::Headers{{"Cookie", cookie}});
  REQUIRE(page);
  REQUIRE(page->status == 200);
  const std::string dashboard = sink.wait_for({"method=GET", "path=/?site "});
  CHECK(dashboard.find(" who=user:sam ") != std::string::npos);

  // One line per request, and no token, cookie or query value in any of them.
  CHECK(sink.size() == 4);
  const std::string session_id = cookie.substr(cookie.find('=') + 1);
  for (const std::string& line : sink.lines()) {
    INFO(line);
    for (const std::string& secret :
         {central.kiosk_token, central.analyst_token, session_id, std::string("not-a-token"),
          std::string("Central"), std::string("Harbour"), std::string("2026-01-01")}) {
      CHECK(line.find(secret) == std::string::npos);
    }
  }
}

TEST_CASE("a head refused before parsing is logged without a method or path", "[http][ops][access-log]") {
  LineSink sink;
  central::ServerConfig config = test::test_config();
  config.access_log = sink.writer();
  config.max_request_line = 256;
  LiveCentral central(config);
  const auto answer =
      test::raw_exchange(central.port(), "GET /" + std::string(400, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(answer.status() == 414);
  const std::string line = sink.wait_for({"status=414"});
  CHECK(line.find("method=- path=- ") != std::string::npos);
}

TEST_CASE("health: readiness asks the database, liveness does not", "[http][ops][health]") {
  LiveCentral central;
  test::BreakableStore store(central.store());
  LineSink log;
  central::ServerConfig config = test::test_config();
  config.log = log.writer();
  central::CentralServer server(store, config);
  REQUIRE(server.start());
  httplib::Client client("127.0.0.1", server.port());
  client.set_connection_timeout(5, 0);

  auto ready = client.Get("/api/v1/health");
  REQUIRE(ready);
  CHECK(ready->status == 200);
  CHECK(ready->body == R"({"status":"ok","database":"ok"})");

  store.broken = true;
  auto unready = client.Get("/api/v1/health");
  REQUIRE(unready);
  CHECK(unready->status == 503);
  CHECK(unready->body == R"({"status":"unavailable","database":"unavailable"})");
  CHECK(unready->get_header_value("Retry-After") == "5");
  // The reason is the operator's, not the client's.
  CHECK(unready->body.find("disk I/O") == std::string::npos);
  log.wait_for({"health:", "disk I/O error"});

  auto live = client.Get("/api/v1/health?live=1");
  REQUIRE(live);
  CHECK(live->status == 200);
  CHECK(live->body == R"({"status":"ok"})");

  store.broken = false;
  auto again = client.Get("/api/v1/health");
  REQUIRE(again);
  CHECK(again->status == 200);
}

TEST_CASE("store failures and handler exceptions reach stderr when no log is set", "[http][ops][log]") {
  LiveCentral central;
  test::BreakableStore store(central.store());
  StderrCapture captured;
  central::ServerConfig config = test::test_config();
  config.log = nullptr;  // as under `serve`
  central::CentralServer server(store, config);
  REQUIRE(server.start());
  httplib::Client client("127.0.0.1", server.port());
  client.set_connection_timeout(5, 0);

  store.broken = true;
  client.set_bearer_token_auth(central.kiosk_token);
  auto failed = post_json(client, kResponsesPath, model::encode_batch(fresh_batch(1)));
  expect_error(failed, 503, "store_unavailable");
  store.broken = false;

  store.throw_on_list_kiosks = true;
  client.set_bearer_token_auth(central.admin_token);
  auto threw = client.Get("/api/v1/kiosks");
  REQUIRE(threw);
  CHECK(threw->status == 500);
  server.stop();
  const std::string text = captured.text();
  captured.restore();
  INFO(text);
  CHECK(text.find("feedback-central: disk I/O error (broken on purpose)") != std::string::npos);
  CHECK(text.find("feedback-central: handler failed: list_kiosks blew up on purpose") != std::string::npos);
}

TEST_CASE("GET /metrics parses and its counters move by exactly what was sent", "[http][ops][metrics]") {
  LiveCentral central;
  const std::string responses = R"(route="/api/v1/responses")";
  const std::string created = R"(feedback_ingested_responses_total{outcome="created"})";
  const std::string duplicate = R"(feedback_ingested_responses_total{outcome="duplicate"})";
  const std::string conflict = R"(feedback_ingested_responses_total{outcome="conflict"})";
  const std::string invalid = R"(feedback_ingested_responses_total{outcome="invalid"})";
  const std::string posted = "feedback_http_requests_total{" + responses + R"(,status="201"})";
  const std::string scraped = R"(feedback_http_requests_total{route="/metrics",status="200"})";
  const std::string latency_count = "feedback_http_request_duration_seconds_count{" + responses + "}";

  const auto before = scrape(central);
  CHECK(before.types.at("feedback_http_requests_total") == "counter");
  CHECK(before.types.at("feedback_http_request_duration_seconds") == "histogram");
  CHECK(before.types.at("feedback_ingested_responses_total") == "counter");
  CHECK(before.types.at("feedback_database_errors_total") == "counter");
  CHECK(before.types.at("feedback_open_connections") == "gauge");
  CHECK(before.types.at("feedback_kiosk_backlog") == "gauge");
  CHECK(before.types.at("feedback_kiosk_last_seen_age_seconds") == "gauge");
  CHECK(before.types.at("feedback_dashboard_sessions") == "gauge");
  CHECK(before.value(created) == 0);
  CHECK(before.value("feedback_database_errors_total") == 0);
  CHECK(before.value("feedback_open_connections") >= 1);  // this scrape's own
  CHECK(before.value("feedback_dashboard_sessions") == 0);
  CHECK(before.has(R"(feedback_kiosk_backlog{kiosk="lobby-1"})"));
  CHECK_FALSE(before.has(R"(feedback_kiosk_backlog{kiosk="old-1"})"));                  // revoked
  CHECK_FALSE(before.has(R"(feedback_kiosk_last_seen_age_seconds{kiosk="lobby-2"})"));  // never seen

  auto kiosk = central.client(central.kiosk_token);
  const auto batch = fresh_batch(2);
  expect_receipt(post_json(*kiosk, kResponsesPath, model::encode_batch(batch)));
  const auto after_one = scrape(central);
  CHECK(after_one.value(created) - before.value(created) == 2);
  CHECK(after_one.value(duplicate) - before.value(duplicate) == 0);
  CHECK(after_one.value(posted) - before.value(posted) == 1);
  CHECK(after_one.value(scraped) - before.value(scraped) == 1);  // the first scrape, counted once written
  CHECK(after_one.value(latency_count) - before.value(latency_count) == 1);
  CHECK(after_one.value("feedback_http_request_duration_seconds_bucket{" + responses + R"(,le="+Inf"})") ==
        after_one.value(latency_count));

  // One of each other outcome, a heartbeat with a backlog, a live session.
  model::Response changed = *model::parse_response(batch[0].payload);
  changed.answers.push_back({"extra", 2});
  model::BatchItem broken = test::sample_item();
  broken.sha256 = model::payload_hash("something else");
  expect_receipt(
      post_json(*kiosk, kResponsesPath, model::encode_batch({batch[1], test::item_for(changed), broken})));
  const model::Heartbeat hb{"0.1.0", 7, 60, 0, ""};
  auto beat = post_json(*kiosk, "/api/v1/kiosks/heartbeat", model::encode_heartbeat(hb));
  REQUIRE(beat);
  REQUIRE(beat->status == 200);
  session_for(central.store(), "ann");
  expect_error(post_json(*central.client("not-a-token"), kResponsesPath, "{}"), 401, "unauthorized");

  const auto after = scrape(central);
  CHECK(after.value(created) - before.value(created) == 2);
  CHECK(after.value(duplicate) - before.value(duplicate) == 1);
  CHECK(after.value(conflict) - before.value(conflict) == 1);
  CHECK(after.value(invalid) - before.value(invalid) == 1);
  CHECK(after.value(posted) - before.value(posted) == 2);
  CHECK(after.value("feedback_http_requests_total{" + responses + R"(,status="401"})") == 1);
  CHECK(after.value(R"(feedback_http_requests_total{route="/api/v1/kiosks/heartbeat",status="200"})") == 1);
  CHECK(after.value(R"(feedback_kiosk_backlog{kiosk="lobby-1"})") == 7);
  const double age = after.value(R"(feedback_kiosk_last_seen_age_seconds{kiosk="lobby-1"})");
  CHECK(age >= 0);
  CHECK(age < 60);
  CHECK(after.value("feedback_dashboard_sessions") == 1);
  CHECK(after.value("feedback_database_errors_total") == 0);
}

TEST_CASE("GET /metrics counts store failures", "[http][ops][metrics]") {
  LiveCentral central;
  test::BreakableStore store(central.store());
  central::CentralServer server(store, test::test_config());
  REQUIRE(server.start());
  httplib::Client client("127.0.0.1", server.port());
  client.set_connection_timeout(5, 0);
  client.set_bearer_token_auth(central.kiosk_token);
  store.broken = true;
  expect_error(post_json(client, kResponsesPath, model::encode_batch(fresh_batch(1))), 503,
               "store_unavailable");
  auto health = client.Get("/api/v1/health");
  REQUIRE(health);
  CHECK(health->status == 503);
  store.broken = false;
  auto res = httplib::Client("127.0.0.1", server.port()).Get("/metrics");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  const auto text = test::parse_prometheus_text(res->body);
  // The batch's survey is unknown to this centre, so ingest first looks for newly published surveys: that
  // read fails too. Then the insert, then the health check's ping.
  CHECK(text.value("feedback_database_errors_total") == 3);
  CHECK(text.value(R"(feedback_http_requests_total{route="/api/v1/responses",status="503"})") == 1);
  CHECK(text.value(R"(feedback_http_requests_total{route="/api/v1/health",status="503"})") == 1);
}

TEST_CASE("GET /metrics from elsewhere needs an admin", "[http][ops][metrics]") {
  LiveCentral central;
  // A proxy on this host (deploy/nginx) forwards for a remote client: not "from this host" any more.
  const httplib::Headers remote = {{"X-Forwarded-For", "203.0.113.9"}};
  auto anonymous = central.client()->Get("/metrics", remote);
  expect_error(anonymous, 401, "unauthorized");
  auto analyst = central.client(central.analyst_token)->Get("/metrics", remote);
  expect_error(analyst, 403, "forbidden");
  auto kiosk = central.client(central.kiosk_token)->Get("/metrics", remote);
  expect_error(kiosk, 403, "forbidden");
  auto analyst_session = central.client()->Get(
      "/metrics",
      httplib::Headers{{"X-Forwarded-For", "203.0.113.9"}, {"Cookie", session_for(central.store(), "ann")}});
  expect_error(analyst_session, 403, "forbidden");
  auto admin = central.client(central.admin_token)->Get("/metrics", remote);
  REQUIRE(admin);
  CHECK(admin->status == 200);
  test::parse_prometheus_text(admin->body);
}
