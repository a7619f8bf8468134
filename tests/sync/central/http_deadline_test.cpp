// The centre's deadlines and its answer to starvation, over raw loopback sockets: a silent connection, a
// slowloris head, a crawling body and an idle keep-alive connection are each closed on time; with a
// thousand connections of each kind held open at once a kiosk's batch and an analyst's query are still
// answered within 2 s; and when the connections are all taken the oldest idle one makes room.
#include <algorithm>
#include <catch2/catch.hpp>
#include <initializer_list>
#include <thread>

#include "hostile_clients.hpp"
#include "hostile_crowd.hpp"
#include "http_test_support.hpp"
#include "wire_samples.hpp"

using namespace fk;
using std::chrono::milliseconds;
using test::Behaviour;
using test::converse;
using test::Exchange;
using test::feed_of;
using test::LiveCentral;
using test::Socket;
using test::TalkOptions;

namespace {

// A close counts as on time from a little before the deadline (timers round) to 1.5 s after it (a loaded
// 2-core machine).
void expect_closed_near(const Exchange& ex, milliseconds deadline) {
  INFO("received: " << ex.received.substr(0, 500));
  REQUIRE(ex.closed);
  INFO("closed after " << ex.closed_after.count() << " ms; deadline " << deadline.count() << " ms");
  CHECK(ex.closed_after >= deadline - milliseconds(200));
  CHECK(ex.closed_after <= deadline + milliseconds(1500));
}

}  // namespace

TEST_CASE("a connection that sends nothing is closed after the head timeout", "[hostile][deadline]") {
  central::ServerConfig config = test::test_config();
  config.head_timeout = std::chrono::seconds(1);
  LiveCentral central(config);  // keep_alive_timeout stays 5 s: the head timeout is what applies
  Socket s = test::connect_to(central.port());
  REQUIRE(s.valid());
  expect_closed_near(converse(s, feed_of(""), TalkOptions{milliseconds(8000), 0, false, false}),
                     milliseconds(1000));
}

TEST_CASE("slowloris is closed at the head timeout although it keeps sending", "[hostile][deadline]") {
  central::ServerConfig config = test::test_config();
  config.head_timeout = std::chrono::milliseconds(1500);
  config.read_timeout =
      std::chrono::seconds(1);  // today's per-read timeout, which a byte per 0.5 s never hits
  LiveCentral central(config);
  Socket s = test::connect_to(central.port());
  REQUIRE(s.valid());
  const Exchange ex =
      test::drip(s, "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", std::string(100, 'a'),
                 milliseconds(500), milliseconds(8000));
  expect_closed_near(ex, milliseconds(1500));
  CHECK((ex.answers().empty() || ex.answers()[0].status != 200));
}

TEST_CASE("a body at a crawl is closed after read_timeout plus its length at the minimum rate",
          "[hostile][deadline]") {
  central::ServerConfig config = test::test_config();
  config.read_timeout = std::chrono::seconds(1);
  config.min_body_rate = 100;  // bytes/s: 200 bytes may take 1 s + 2 s
  LiveCentral central(config);
  Socket s = test::connect_to(central.port());
  REQUIRE(s.valid());
  const std::string head = "POST /api/v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                           central.kiosk_token +
                           "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n";
  // One byte every 0.5 s (so a per-read timeout of 1 s never fires): 2 bytes/s against 100 required.
  const Exchange ex = test::drip(s, head, "{" + std::string(199, ' '), milliseconds(500), milliseconds(8000));
  INFO("received: " << ex.received);
  REQUIRE(ex.closed);
  INFO("closed after " << ex.closed_after.count() << " ms");
  CHECK(ex.closed_after >= milliseconds(800));
  CHECK(ex.closed_after <= milliseconds(1000 + 2000 + 1500));
  for (const auto& a : ex.answers()) CHECK(a.status != 201);
  CHECK(central.rows() == 0);
}

TEST_CASE("an idle kept-alive connection is closed after the keep-alive timeout", "[hostile][deadline]") {
  central::ServerConfig config = test::test_config();
  config.keep_alive_timeout = std::chrono::seconds(1);
  config.head_timeout = std::chrono::seconds(10);
  LiveCentral central(config);
  Socket s = test::connect_to(central.port());
  REQUIRE(s.valid());
  const Exchange first = converse(s, feed_of("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
                                  TalkOptions{milliseconds(3000), 1, false, false});
  REQUIRE(first.answers().size() == 1);
  CHECK(first.answers()[0].status == 200);
  CHECK_FALSE(first.closed);
  expect_closed_near(converse(s, feed_of(""), TalkOptions{milliseconds(8000), 0, false, false}),
                     milliseconds(1000));
}

namespace {

constexpr std::size_t kCrowdSize = 1000;  // connections of each kind
constexpr milliseconds kAnswerBound{2000};

using Clock = std::chrono::steady_clock;

// Times one request from a fresh connection; the client gives up after 3 s.
template <typename Send>
milliseconds timed(const LiveCentral& central, const std::string& token, int want, Send send) {
  auto client = central.client(token);
  client->set_connection_timeout(3, 0);
  client->set_read_timeout(3, 0);
  const auto start = Clock::now();
  const httplib::Result res = send(*client);
  const auto elapsed = test::ms_since(start);
  if (!res) {
    WARN("no answer: " << httplib::to_string(res.error()) << " after " << elapsed.count() << " ms");
  } else {
    CHECK(res->status == want);
  }
  CHECK(static_cast<bool>(res));
  return elapsed;
}

// With kCrowdSize connections of each of `kinds` held open, a kiosk's batch (201) and an analyst's
// aggregates (200) are each answered within kAnswerBound, twice over; the crowd was really held meanwhile,
// and the well-behaved keep-alive clients among it were answered too.
void expect_answered_beside(std::initializer_list<Behaviour> kinds) {
  // Deadlines longer than the test, so that the whole crowd is still held while the legitimate clients are
  // timed (what is measured is the cost of holding it, not how fast it is shed); no rate limit in the way
  // of a thousand slow bodies from one kiosk.
  // Both ends of every connection are in this process.
  const std::size_t needed = 2 * kCrowdSize * kinds.size() + 512;
  INFO("open-file limit " << test::raise_open_file_limit() << ", needed " << needed);
  REQUIRE(test::raise_open_file_limit() >= needed);
  central::ServerConfig config = test::config_with_lobby(FK_LOBBY_SURVEY);
  config.head_timeout = std::chrono::seconds(60);
  config.read_timeout = std::chrono::seconds(60);
  config.keep_alive_timeout = std::chrono::seconds(60);
  config.rate = central::RateLimit{1e6, 1e6};
  LiveCentral central(config);
  std::vector<model::BatchItem> items;
  for (int i = 0; i < 5; ++i) items.push_back(test::sample_item());
  test::expect_receipt(test::post_json(*central.client(central.kiosk_token), test::kResponsesPath,
                                       model::encode_batch(items)));

  test::Crowd crowd(central.port(), central.other_kiosk_token);
  const auto started = Clock::now();
  for (const Behaviour kind : kinds) {
    INFO("kind " << static_cast<int>(kind));
    CHECK(crowd.add(kind, kCrowdSize, Clock::now() + std::chrono::seconds(5)) == kCrowdSize);
  }
  const auto crowd_started = Clock::now();
  crowd.start();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // slowloris and slow bodies under way

  for (int round = 0; round < 2; ++round) {
    INFO("round " << round);
    const std::string batch = model::encode_batch({test::sample_item()});
    const milliseconds ingest = timed(central, central.kiosk_token, 201, [&](httplib::Client& c) {
      return test::post_json(c, test::kResponsesPath, batch);
    });
    const milliseconds query = timed(central, central.analyst_token, 200, [](httplib::Client& c) {
      return c.Get("/api/v1/aggregates?group_by=site,week");
    });
    INFO("batch answered in " << ingest.count() << " ms, aggregates in " << query.count() << " ms");
    CHECK(ingest < kAnswerBound);
    CHECK(query < kAnswerBound);
  }
  for (const Behaviour kind : kinds) {
    INFO("kind " << static_cast<int>(kind) << " still open: " << crowd.open(kind));
    CHECK(crowd.open(kind) >= kCrowdSize * 9 / 10);
  }
  if (std::find(kinds.begin(), kinds.end(), Behaviour::keep_alive) != kinds.end()) {
    // Each keep-alive client asks once in its first 3 s.
    std::this_thread::sleep_until(crowd_started + std::chrono::milliseconds(4000));
    INFO("keep-alive answers: " << crowd.keep_alive_answers());
    CHECK(crowd.keep_alive_answers() >= kCrowdSize * 9 / 10);
  }
  crowd.stop();
  INFO("whole test " << test::ms_since(started).count() << " ms");
  CHECK(test::ms_since(started) < std::chrono::seconds(30));
}

}  // namespace

TEST_CASE("a thousand idle connections starve no one", "[hostile][starvation]") {
  expect_answered_beside({Behaviour::idle});
}

TEST_CASE("a thousand slowloris connections starve no one", "[hostile][starvation]") {
  expect_answered_beside({Behaviour::slowloris});
}

TEST_CASE("a thousand slow bodies starve no one", "[hostile][starvation]") {
  expect_answered_beside({Behaviour::slow_body});
}

TEST_CASE("a thousand keep-alive kiosks starve no one", "[hostile][starvation]") {
  expect_answered_beside({Behaviour::keep_alive});
}

TEST_CASE("a thousand of each kind at once starve no one", "[hostile][starvation]") {
  expect_answered_beside(
      {Behaviour::idle, Behaviour::slowloris, Behaviour::slow_body, Behaviour::keep_alive});
}

TEST_CASE("when every connection is taken the oldest idle one makes room", "[hostile][starvation]") {
  central::ServerConfig config = test::test_config();
  config.max_connections = 64;
  LiveCentral central(config);  // head timeout 10 s: the idle ones are not closed by a deadline here
  std::vector<Socket> idle;
  for (int i = 0; i < 64; ++i) {
    idle.push_back(test::connect_to(central.port()));
    REQUIRE(idle.back().valid());
    std::this_thread::sleep_for(milliseconds(5));  // so that one of them is the oldest
  }
  std::this_thread::sleep_for(milliseconds(300));  // all accepted
  Socket newcomer = test::connect_to(central.port());
  REQUIRE(newcomer.valid());
  const Exchange ex = converse(newcomer, feed_of("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
                               TalkOptions{milliseconds(4000), 1, false, false});
  INFO("received: " << ex.received);
  const auto answers = ex.answers();
  REQUIRE(answers.size() == 1);
  CHECK(answers[0].status == 200);
  CHECK(ex.first_byte < kAnswerBound);
  // The oldest was closed for it.
  const Exchange oldest =
      converse(idle.front(), feed_of(""), TalkOptions{milliseconds(1000), 0, false, false});
  CHECK(oldest.closed);
}
