// HTTP helpers for the central tests: posting batches, reading error bodies, gzip, and a raw socket for
// requests no well-behaved client would send.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "central_test_support.hpp"
#include "sync/model/wire.hpp"

namespace fk::test {

inline const char* kResponsesPath = "/api/v1/responses";

inline httplib::Result post_json(httplib::Client& client, const std::string& path, const std::string& body,
                                 const httplib::Headers& headers = {}) {
  return client.Post(path.c_str(), headers, body, "application/json");
}

// Asserts the answer is a JSON error with `code` and returns the parsed body.
inline nlohmann::json expect_error(const httplib::Result& res, int status, const std::string& code) {
  if (!res) FAIL("no answer (" << httplib::to_string(res.error()) << ") where " << status << " was expected");
  INFO("body: " << res->body);
  CHECK(res->status == status);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  const auto j = nlohmann::json::parse(res->body, nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  REQUIRE(j.contains("error"));
  CHECK(j["error"]["code"] == code);
  CHECK(j["error"]["message"].is_string());
  CHECK_FALSE(j["error"]["message"].get<std::string>().empty());
  return j;
}

inline model::Receipt expect_receipt(const httplib::Result& res) {
  if (!res) FAIL("no answer (" << httplib::to_string(res.error()) << ") where a receipt was expected");
  INFO("body: " << res->body);
  REQUIRE(res->status == 201);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  auto receipt = model::decode_receipt(res->body);
  REQUIRE(receipt.ok());
  return std::move(receipt).value();
}

inline std::string gzip(const std::string& data) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer, not a bare zlib stream.
  REQUIRE(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

struct RawAnswer {
  std::string text;  // status line, headers and body as received
  std::chrono::milliseconds elapsed{0};
  int status() const { return text.size() >= 12 ? std::stoi(text.substr(9, 3)) : 0; }
  std::string body() const {
    const auto at = text.find("\r\n\r\n");
    return at == std::string::npos ? std::string() : text.substr(at + 4);
  }
};

// Sends `request` as is and reads until a whole response (by its Content-Length) has arrived, the peer
// closes, or `timeout` passes. The socket is left open while waiting: the server must answer on its own.
inline RawAnswer raw_exchange(int port, const std::string& request,
                              std::chrono::milliseconds timeout = std::chrono::milliseconds(8000)) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval tv{};
  tv.tv_sec = 0;
  tv.tv_usec = 100 * 1000;
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const auto start = std::chrono::steady_clock::now();
  std::size_t sent = 0;
  while (sent < request.size()) {
    const auto n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may refuse and stop reading before we are done
    sent += static_cast<std::size_t>(n);
  }
  RawAnswer answer;
  char buf[4096];
  while (std::chrono::steady_clock::now() - start < timeout) {
    const auto n = recv(fd, buf, sizeof buf, 0);
    if (n == 0) break;
    if (n > 0) answer.text.append(buf, static_cast<std::size_t>(n));
    const auto head_end = answer.text.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      const auto cl = answer.text.find("Content-Length: ");
      if (cl != std::string::npos && cl < head_end) {
        const auto length = std::stoul(answer.text.substr(cl + 16));
        if (answer.text.size() >= head_end + 4 + length) break;
      }
    }
  }
  answer.elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  close(fd);
  return answer;
}

// The server is still up and answering.
inline void expect_healthy(const LiveCentral& central) {
  auto res = central.client()->Get("/api/v1/health");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body == R"({"status":"ok","database":"ok"})");
}

}  // namespace fk::test
