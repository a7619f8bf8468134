// The centre's HTTP layer tried as an attacker would, over raw loopback sockets: strict framing (RFC 9112:
// duplicate Content-Length, Content-Length with Transfer-Encoding, obsolete line folding, malformed chunk
// sizes, unknown transfer codings) refused with 400 and a close, requests hidden in bodies never executed,
// pipelining and half-close answered, authentication judged from the head, header and request-line bombs
// answered 431/414 with memory bounded, and body memory bounded (503). Deadlines and starvation are in
// http_deadline_test.cpp.
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "hostile_clients.hpp"
#include "http_test_support.hpp"
#include "wire_samples.hpp"

using namespace fk;
using std::chrono::milliseconds;
using test::Answer;
using test::converse;
using test::Exchange;
using test::feed_of;
using test::LiveCentral;
using test::Socket;
using test::TalkOptions;

namespace {

// Where the hidden request starts in a body (the attack put it at byte 4,096).
constexpr std::size_t kHiddenAt = 4096;

// Quick deadlines, so a server that keeps a refused connection open fails in seconds, not minutes.
central::ServerConfig quick_config() {
  central::ServerConfig config = test::test_config();
  config.head_timeout = std::chrono::seconds(2);
  config.read_timeout = std::chrono::seconds(2);
  config.keep_alive_timeout = std::chrono::seconds(1);
  return config;
}

// A one-item batch, then JSON whitespace up to `size` bytes: valid as it stands.
std::string padded_batch(std::size_t size = kHiddenAt) {
  std::string body = model::encode_batch({test::sample_item()});
  REQUIRE(body.size() <= size);
  body.append(size - body.size(), ' ');
  return body;
}

// An admin's fleet list: served only if the server took body bytes for a request.
std::string hidden_request(const LiveCentral& central) {
  return "GET /api/v1/kiosks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + central.admin_token +
         "\r\n\r\n";
}

std::string kiosk_head(const LiveCentral& central, const std::string& framing,
                       const std::string& token = {}) {
  return "POST /api/v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
         (token.empty() ? central.kiosk_token : token) + "\r\nContent-Type: application/json\r\n" + framing +
         "\r\n";
}

// Sends `request` whole and reads its answer; then, if the connection is still open and `follow_up`, sends
// the admin's fleet request as a next request of its own (a server that stays in the connection after a
// framing error would run it); reads until the server closes (or 3 s).
Exchange send_and_read_to_close(const LiveCentral& central, const std::string& request,
                                bool follow_up = true) {
  Socket s = test::connect_to(central.port());
  REQUIRE(s.valid());
  if (!follow_up) return converse(s, feed_of(request), TalkOptions{milliseconds(3000), 0, false, false});
  Exchange ex = converse(s, feed_of(request), TalkOptions{milliseconds(3000), 1, false, false});
  if (ex.closed) return ex;
  const Exchange then =
      converse(s, feed_of(hidden_request(central)), TalkOptions{milliseconds(3000), 0, false, false});
  ex.received += then.received;
  ex.closed = then.closed;
  return ex;
}

// Exactly one answer, a 400 bad_request asking to close, and the server closed; the hidden fleet list was
// never served.
void expect_refused_and_closed(const Exchange& ex) {
  INFO("received: " << ex.received.substr(0, 2000));
  const std::vector<Answer> answers = ex.answers();
  REQUIRE_FALSE(answers.empty());
  CHECK(answers.size() == 1);
  CHECK(answers[0].status == 400);
  CHECK(answers[0].error_code() == "bad_request");
  CHECK(test::lower(answers[0].header("connection")) == "close");
  CHECK(ex.closed);
  CHECK(ex.received.find("lobby-1") == std::string::npos);
}

std::string chunked(const std::string& size_line, const std::string& data) {
  return size_line + "\r\n" + data + "\r\n0\r\n\r\n";
}

std::string hex(std::size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%zx", n);
  return buf;
}

}  // namespace

TEST_CASE("two Content-Length headers are 400 and a close, and no row is written", "[hostile][framing]") {
  LiveCentral central(quick_config());
  const std::string hidden = hidden_request(central);
  // Whichever length a lenient server believed, the other end of the body is a request.
  const std::string framing = "Content-Length: " + std::to_string(kHiddenAt) +
                              "\r\nContent-Length: " + std::to_string(kHiddenAt + hidden.size()) + "\r\n";
  expect_refused_and_closed(
      send_and_read_to_close(central, kiosk_head(central, framing) + padded_batch() + hidden));
  CHECK(central.rows() == 0);

  SECTION("identical duplicates: refused, or taken as one length, never a second request") {
    const std::string same = "Content-Length: 4096\r\nContent-Length: 4096\r\n";
    const std::int64_t rows_before = central.rows();
    const Exchange ex = send_and_read_to_close(central, kiosk_head(central, same) + padded_batch(), false);
    INFO(ex.received);
    const auto answers = ex.answers();
    REQUIRE(answers.size() == 1);
    CHECK((answers[0].status == 400 || answers[0].status == 201));
    CHECK(central.rows() == rows_before + (answers[0].status == 201 ? 1 : 0));
  }
  test::expect_healthy(central);
}

TEST_CASE("Content-Length with Transfer-Encoding is 400 and a close", "[hostile][framing]") {
  LiveCentral central(quick_config());
  // The chunked body and the declared length both end at byte 4,096, where the hidden request starts: a
  // server that believed either would run it.
  std::size_t data = kHiddenAt;  // size line + CRLF + data + CRLF 0 CRLF CRLF = 4,096
  while (hex(data).size() + 2 + data + 7 > kHiddenAt) --data;
  const std::string body = chunked(hex(data), padded_batch(data));
  REQUIRE(body.size() == kHiddenAt);
  for (const std::string order : {"Content-Length: 4096\r\nTransfer-Encoding: chunked\r\n",
                                  "Transfer-Encoding: chunked\r\nContent-Length: 4096\r\n"}) {
    INFO(order);
    expect_refused_and_closed(
        send_and_read_to_close(central, kiosk_head(central, order) + body + hidden_request(central)));
  }
  CHECK(central.rows() == 0);
  test::expect_healthy(central);
}

TEST_CASE("obsolete line folding is 400 and a close", "[hostile][framing]") {
  LiveCentral central(quick_config());
  for (const std::string fold : {" continued", "\tcontinued"}) {
    const std::string framing = "X-Note: first\r\n" + fold + "\r\nContent-Length: 4096\r\n";
    expect_refused_and_closed(send_and_read_to_close(
        central, kiosk_head(central, framing) + padded_batch() + hidden_request(central)));
  }
  CHECK(central.rows() == 0);
  test::expect_healthy(central);
}

TEST_CASE("a malformed chunk size is 400 and a close", "[hostile][framing]") {
  LiveCentral central(quick_config());
  const std::string batch = model::encode_batch({test::sample_item()});
  for (const std::string& size : {std::string("zz"), std::string("-1"), std::string("0x") + hex(batch.size()),
                                  std::string("fffffffffffffffffffff"), std::string("")}) {
    INFO("chunk size '" << size << "'");
    expect_refused_and_closed(
        send_and_read_to_close(central, kiosk_head(central, "Transfer-Encoding: chunked\r\n") +
                                            chunked(size, batch) + hidden_request(central)));
  }
  CHECK(central.rows() == 0);
  test::expect_healthy(central);
}

TEST_CASE("a transfer coding other than chunked is 400 and a close", "[hostile][framing]") {
  LiveCentral central(quick_config());
  const std::string batch = model::encode_batch({test::sample_item()});
  for (const std::string coding : {"gzip", "identity", "xchunked", "chunked, gzip"}) {
    INFO("Transfer-Encoding: " << coding);
    expect_refused_and_closed(send_and_read_to_close(
        central, kiosk_head(central, "Transfer-Encoding: " + std::string(coding) + "\r\n") +
                     chunked(hex(batch.size()), batch) + hidden_request(central)));
  }
  CHECK(central.rows() == 0);
  test::expect_healthy(central);
}

TEST_CASE("a request hidden in a refused or a valid body is never executed", "[hostile][framing]") {
  LiveCentral central(quick_config());
  const std::string hidden = hidden_request(central);
  const std::string body = std::string(kHiddenAt, ' ') + hidden;
  const std::string length = "Content-Length: " + std::to_string(body.size()) + "\r\n";
  struct Case {
    const char* what;
    std::string request;
  };
  const Case cases[] = {
      // Refused from the head (401): the server may skip the body or close, but never parse it.
      {"bad token", kiosk_head(central, length, central::new_token()) + body},
      {"wrong media type", "POST /api/v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                               central.kiosk_token + "\r\nContent-Type: text/plain\r\n" + length + "\r\n" +
                               body},
      // Refused for its length: the server cannot read 2 MiB it never gets, so it must close.
      {"declared too large", kiosk_head(central, "Content-Length: 2097152\r\n") + body},
      // Accepted and read: a form whose value holds the request, framed correctly.
      {"valid form body",
       "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
       "application/x-www-form-urlencoded\r\nContent-Length: " +
           std::to_string(6 + body.size()) + "\r\n\r\ntoken=" + body},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    const Exchange ex = send_and_read_to_close(central, c.request, false);
    INFO("received: " << ex.received.substr(0, 2000));
    CHECK(ex.answers().size() == 1);
    CHECK(ex.received.find("lobby-1") == std::string::npos);
  }
  CHECK(central.rows() == 0);
  test::expect_healthy(central);
}

TEST_CASE("ten pipelined requests in one send are answered in order", "[hostile][pipelining]") {
  LiveCentral central(quick_config());
  std::string requests;
  std::vector<int> expected;
  for (int i = 0; i < 10; ++i) {
    if (i % 3 == 0) {
      requests += "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      expected.push_back(200);
    } else if (i % 3 == 1) {
      requests += "GET /api/v1/nowhere/" + std::to_string(i) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      expected.push_back(404);
    } else {
      const std::string batch = model::encode_batch({test::sample_item()});
      requests += kiosk_head(central, "Content-Length: " + std::to_string(batch.size()) + "\r\n") + batch;
      expected.push_back(201);
    }
  }
  Socket s = test::connect_to(central.port());
  REQUIRE(s.valid());
  const Exchange ex = converse(s, feed_of(requests), TalkOptions{milliseconds(5000), 10, false, false});
  INFO("received: " << ex.received);
  std::vector<int> statuses;
  for (const Answer& a : ex.answers()) statuses.push_back(a.status);
  CHECK(statuses == expected);
  CHECK(central.rows() == 3);
}

TEST_CASE("a client that half-closes after its batch still gets its receipt", "[hostile][half-close]") {
  LiveCentral central(quick_config());
  const std::string batch = model::encode_batch({test::sample_item()});
  Socket s = test::connect_to(central.port());
  REQUIRE(s.valid());
  const Exchange ex = converse(
      s, feed_of(kiosk_head(central, "Content-Length: " + std::to_string(batch.size()) + "\r\n") + batch),
      TalkOptions{milliseconds(4000), 1, false, true});
  INFO("received: " << ex.received);
  const auto answers = ex.answers();
  REQUIRE(answers.size() == 1);
  CHECK(answers[0].status == 201);
  CHECK(model::decode_receipt(answers[0].body).ok());
  CHECK(central.rows() == 1);
}

TEST_CASE("a bad token is refused from the head, before any body byte is sent", "[hostile][auth]") {
  LiveCentral central(quick_config());
  const std::string at_limit =
      "Content-Length: " + std::to_string(model::WireLimits{}.max_body_bytes) + "\r\n";
  const std::string head = kiosk_head(central, at_limit, central::new_token());
  Socket s = test::connect_to(central.port());
  REQUIRE(s.valid());
  // Only the head is ever sent: an answer at all proves the body was not waited for.
  const Exchange ex = converse(s, feed_of(head), TalkOptions{milliseconds(4000), 1, false, false});
  INFO("received: " << ex.received);
  CHECK(ex.sent == head.size());
  const auto answers = ex.answers();
  REQUIRE(answers.size() == 1);
  CHECK(answers[0].status == 401);
  CHECK(answers[0].error_code() == "unauthorized");
  CHECK(ex.first_byte < milliseconds(1000));
  CHECK(central.rows() == 0);
}

TEST_CASE("Expect: 100-continue is answered only after the head is judged", "[hostile][auth]") {
  LiveCentral central(quick_config());
  const std::string batch = model::encode_batch({test::sample_item()});
  const std::string framing =
      "Content-Length: " + std::to_string(batch.size()) + "\r\nExpect: 100-continue\r\n";

  SECTION("a bad token gets its 401, never a 100 Continue") {
    Socket s = test::connect_to(central.port());
    REQUIRE(s.valid());
    const Exchange ex = converse(s, feed_of(kiosk_head(central, framing, central::new_token())),
                                 TalkOptions{milliseconds(3000), 1, false, false});
    INFO("received: " << ex.received);
    CHECK(ex.received.find("100 Continue") == std::string::npos);
    const auto answers = ex.answers();
    REQUIRE_FALSE(answers.empty());
    CHECK(answers[0].status == 401);
    CHECK(answers[0].error_code() == "unauthorized");
  }
  SECTION("a good token gets 100 Continue, then its receipt for the body") {
    Socket s = test::connect_to(central.port());
    REQUIRE(s.valid());
    const Exchange interim =
        converse(s, feed_of(kiosk_head(central, framing)), TalkOptions{milliseconds(3000), 1, false, false});
    INFO("received: " << interim.received);
    const auto first = interim.answers();
    REQUIRE(first.size() == 1);
    CHECK(first[0].status == 100);
    CHECK(central.rows() == 0);
    const Exchange final_answer =
        converse(s, feed_of(batch), TalkOptions{milliseconds(3000), 1, false, false});
    INFO("then: " << final_answer.received);
    const auto second = final_answer.answers();
    REQUIRE(second.size() == 1);
    CHECK(second[0].status == 201);
    CHECK(central.rows() == 1);
  }
}

namespace {

// A request whose head never ends within the bounds: `header_count` headers of `value_bytes` each, or
// a request line of `line_bytes`. Generated a piece at a time (a header bomb is 160 MB).
test::Feed bomb(std::size_t header_count, std::size_t value_bytes, std::size_t line_bytes) {
  struct State {
    std::size_t next_header = 0;
    std::size_t line_sent = 0;
    bool started = false, ended = false;
  };
  return [=, st = State{}]() mutable -> std::string {
    if (st.ended) return {};
    if (!st.started) {
      st.started = true;
      return "GET /api/v1/health?pad=";
    }
    if (st.line_sent < line_bytes) {
      const std::size_t n = std::min<std::size_t>(64 * 1024, line_bytes - st.line_sent);
      st.line_sent += n;
      std::string piece(n, 'a');
      if (st.line_sent == line_bytes) piece += " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
      return piece;
    }
    if (line_bytes == 0 && st.next_header == 0 && st.line_sent == 0) {
      st.line_sent = 1;  // the short request line's end, once
      return "1 HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    }
    if (st.next_header < header_count) {
      std::string piece;
      for (int i = 0; i < 8 && st.next_header < header_count; ++i, ++st.next_header)
        piece += "X-Bomb-" + std::to_string(st.next_header) + ": " + std::string(value_bytes, 'b') + "\r\n";
      return piece;
    }
    st.ended = true;
    return "\r\n";
  };
}

}  // namespace

TEST_CASE("header and request-line bombs are 431 and 414, and memory stays bounded", "[hostile][memory]") {
  LiveCentral central(quick_config());
  test::expect_healthy(central);  // the allocator and the workers warmed up before the baseline
  test::ResidentPeak peak;
  const std::size_t before = test::resident_bytes();
  std::vector<std::future<Exchange>> bombs;
  auto launch = [&](test::Feed feed) {
    bombs.push_back(std::async(std::launch::async, [port = central.port(), feed = std::move(feed)]() mutable {
      Socket s = test::connect_to(port);
      if (!s.valid()) return Exchange{};
      return converse(s, std::move(feed), TalkOptions{milliseconds(20000), 1, true, false});
    }));
  };
  for (int i = 0; i < 3; ++i) launch(bomb(20000, 8000, 0));          // 20,000 headers of 8 KB: 160 MB each
  for (int i = 0; i < 2; ++i) launch(bomb(0, 0, 64 * 1024 * 1024));  // a 64 MB request line
  std::vector<Exchange> results;
  for (auto& b : bombs) results.push_back(b.get());
  const std::size_t grown = peak.peak() - before;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const bool headers = i < 3;
    INFO((headers ? "header bomb " : "request-line bomb ") << i << ", sent " << results[i].sent << " bytes");
    INFO("received: " << results[i].received.substr(0, 1000));
    const auto answers = results[i].answers();
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].status == (headers ? 431 : 414));
    CHECK(answers[0].error_code() == (headers ? "headers_too_large" : "request_line_too_long"));
    // Refused early: far less than the bomb went out.
    CHECK(results[i].sent < 16u * 1024 * 1024);
  }
  INFO("RSS grew by " << grown / 1024 << " KiB");
  CHECK(grown < 32u * 1024 * 1024);
  test::expect_healthy(central);
}

TEST_CASE("too many headers, or too many header bytes, is 431; a long request line 414",
          "[hostile][memory]") {
  central::ServerConfig config = quick_config();
  config.max_header_count = 20;
  config.max_header_bytes = 4096;
  config.max_request_line = 1024;
  LiveCentral central(config);
  auto exchange = [&](const std::string& request) {
    Socket s = test::connect_to(central.port());
    REQUIRE(s.valid());
    return converse(s, feed_of(request), TalkOptions{milliseconds(3000), 1, true, false});
  };
  std::string many = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 30; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  std::string heavy =
      "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + std::string(5000, 'b') + "\r\n";
  const std::string long_line =
      "GET /api/v1/health?p=" + std::string(2000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n";
  struct Case {
    const char* what;
    std::string request;
    int status;
    const char* code;
  };
  for (const Case& c : {Case{"30 headers", many + "\r\n", 431, "headers_too_large"},
                        Case{"5,000 header bytes", heavy + "\r\n", 431, "headers_too_large"},
                        Case{"2 KiB request line", long_line, 414, "request_line_too_long"}}) {
    INFO(c.what);
    const Exchange ex = exchange(c.request);
    INFO("received: " << ex.received);
    const auto answers = ex.answers();
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].status == c.status);
    CHECK(answers[0].error_code() == c.code);
    CHECK(test::lower(answers[0].header("connection")) == "close");
  }
  // Within the bounds: answered.
  std::string fine = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 10; ++i) fine += "X-H" + std::to_string(i) + ": v\r\n";
  const auto ok = exchange(fine + "\r\n").answers();
  REQUIRE(ok.size() == 1);
  CHECK(ok[0].status == 200);
}

TEST_CASE("bodies beyond the body memory in flight get 503 server_busy with Retry-After",
          "[hostile][memory]") {
  central::ServerConfig config = quick_config();
  config.body_memory_bytes = 64 * 1024;
  config.read_timeout = std::chrono::seconds(5);
  LiveCentral central(config);
  const std::size_t size = 48 * 1024;
  const std::string body = padded_batch(size);
  const std::string framing = "Content-Length: " + std::to_string(size) + "\r\n";

  // A holds 48 KiB of the 64 in flight: half its body sent, the rest later.
  Socket a = test::connect_to(central.port());
  REQUIRE(a.valid());
  Exchange a_start = converse(a, feed_of(kiosk_head(central, framing) + body.substr(0, size / 2)),
                              TalkOptions{milliseconds(300), 1, false, false});
  CHECK(a_start.received.empty());

  // B's declared 48 KiB would pass the bound: refused from its head.
  Socket b = test::connect_to(central.port());
  REQUIRE(b.valid());
  const Exchange refused = converse(b, feed_of(kiosk_head(central, framing, central.other_kiosk_token)),
                                    TalkOptions{milliseconds(3000), 1, false, false});
  INFO("B received: " << refused.received);
  const auto busy = refused.answers();
  REQUIRE(busy.size() == 1);
  CHECK(busy[0].status == 503);
  CHECK(busy[0].error_code() == "server_busy");
  CHECK(std::atoi(busy[0].header("retry-after").c_str()) >= 1);

  // A finishes and is stored; then there is room again.
  const Exchange a_end =
      converse(a, feed_of(body.substr(size / 2)), TalkOptions{milliseconds(3000), 1, false, false});
  INFO("A received: " << a_end.received);
  const auto a_answers = a_end.answers();
  REQUIRE(a_answers.size() == 1);
  CHECK(a_answers[0].status == 201);
  Socket c = test::connect_to(central.port());
  REQUIRE(c.valid());
  const auto c_answers =
      converse(c, feed_of(kiosk_head(central, framing, central.other_kiosk_token) + padded_batch(size)),
               TalkOptions{milliseconds(3000), 1, false, false})
          .answers();
  REQUIRE(c_answers.size() == 1);
  CHECK(c_answers[0].status == 201);
  CHECK(central.rows() == 2);
}
