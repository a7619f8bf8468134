// Raw loopback clients for the hostile HTTP tests: a request written while the answer is read (so a server
// that refuses early and closes is heard), a stream of pipelined answers split up, closes timed, thousands
// of connections held open at once (idle, slowloris, slow body, keep-alive), and this process's resident
// memory sampled. Nothing here uses Catch's macros: the crowd and the bombs run on threads of their own.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace fk::test {

using HostileClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

inline milliseconds ms_since(HostileClock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(HostileClock::now() - start);
}

// One client socket, closed with its owner.
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() { reset(); }
  Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Socket& operator=(Socket&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

inline sockaddr_in loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  return addr;
}

inline void set_nonblocking(int fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
}

// A non-blocking connection to 127.0.0.1:port with Nagle off (a head and a body sent apart leave apart);
// invalid if the connection failed.
inline Socket connect_to(int port) {
  Socket s(socket(AF_INET, SOCK_STREAM, 0));
  if (!s.valid()) return s;
  const int one = 1;
  setsockopt(s.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const sockaddr_in addr = loopback(port);
  if (connect(s.fd(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) s.reset();
  if (s.valid()) set_nonblocking(s.fd());
  return s;
}

// `n` connections opened a batch at a time without blocking on any one, until `deadline`; those that failed
// or were not established in time are left out, so the caller checks the count.
inline std::vector<Socket> connect_many(int port, std::size_t n, HostileClock::time_point deadline) {
  constexpr std::size_t kBatch = 256;
  std::vector<Socket> open;
  open.reserve(n);
  const sockaddr_in addr = loopback(port);
  while (open.size() < n && HostileClock::now() < deadline) {
    std::vector<Socket> pending;
    for (std::size_t i = 0; i < kBatch && open.size() + pending.size() < n; ++i) {
      Socket s(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
      if (!s.valid()) return open;  // out of descriptors: the caller sees the shortfall
      const int one = 1;
      setsockopt(s.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      const int rc = connect(s.fd(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
      if (rc == 0 || errno == EINPROGRESS) pending.push_back(std::move(s));
    }
    std::vector<pollfd> fds;
    for (const Socket& s : pending) fds.push_back({s.fd(), POLLOUT, 0});
    std::size_t done = 0;
    while (done < fds.size() && HostileClock::now() < deadline) {
      if (poll(fds.data(), fds.size(), 50) < 0 && errno != EINTR) break;
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].fd < 0 || fds[i].revents == 0) continue;
        int error = 0;
        socklen_t len = sizeof error;
        getsockopt(fds[i].fd, SOL_SOCKET, SO_ERROR, &error, &len);
        if (error == 0) open.push_back(std::move(pending[i]));
        fds[i].fd = -1;  // poll skips negative descriptors
        ++done;
      }
    }
  }
  return open;
}

// One HTTP answer as the server sent it; header names lower-cased.
struct Answer {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string header(const std::string& lower_name) const {
    for (const auto& [name, value] : headers)
      if (name == lower_name) return value;
    return {};
  }
  // The JSON error body's code, or "" when the body is not one.
  std::string error_code() const {
    const auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.contains("error") || !j["error"].contains("code")) return {};
    return j["error"]["code"].is_string() ? j["error"]["code"].get<std::string>() : std::string();
  }
};

inline std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The whole answers at the front of `stream`, in order (an interim 100 Continue counts as one); a partial
// last answer is left out. Bodies are framed by Content-Length or chunked coding; a 1xx, 204 or 304 has none.
inline std::vector<Answer> parse_answers(const std::string& stream) {
  std::vector<Answer> answers;
  std::size_t at = 0;
  while (true) {
    const auto head_end = stream.find("\r\n\r\n", at);
    if (head_end == std::string::npos || stream.compare(at, 5, "HTTP/") != 0) return answers;
    Answer a;
    const auto line_end = stream.find("\r\n", at);
    if (line_end - at < 12) return answers;
    a.status = std::atoi(stream.substr(at + 9, 3).c_str());
    for (std::size_t line = line_end + 2; line < head_end;) {
      const auto next = stream.find("\r\n", line);
      const auto colon = stream.find(':', line);
      if (colon != std::string::npos && colon < next) {
        std::string value = stream.substr(colon + 1, next - colon - 1);
        value.erase(0, value.find_first_not_of(" \t"));
        value.erase(value.find_last_not_of(" \t") + 1);
        a.headers.emplace_back(lower(stream.substr(line, colon - line)), value);
      }
      line = next + 2;
    }
    std::size_t body_at = head_end + 4;
    if (a.status >= 200 && a.status != 204 && a.status != 304) {
      if (lower(a.header("transfer-encoding")).find("chunked") != std::string::npos) {
        while (true) {
          const auto size_end = stream.find("\r\n", body_at);
          if (size_end == std::string::npos) return answers;
          const auto size = std::strtoul(stream.substr(body_at, size_end - body_at).c_str(), nullptr, 16);
          if (stream.size() < size_end + 2 + size + 2) return answers;
          a.body.append(stream, size_end + 2, size);
          body_at = size_end + 2 + size + 2;
          if (size == 0) break;
        }
      } else {
        const std::size_t length = std::strtoul(a.header("content-length").c_str(), nullptr, 10);
        if (stream.size() < body_at + length) return answers;
        a.body = stream.substr(body_at, length);
        body_at += length;
      }
    }
    answers.push_back(std::move(a));
    at = body_at;
  }
}

// What one conversation on a socket saw.
struct Exchange {
  std::string received;           // every byte the server sent
  std::size_t sent = 0;           // request bytes written
  bool closed = false;            // the server closed (FIN or reset)
  milliseconds first_byte{-1};    // from the start to the first byte of an answer (-1: none)
  milliseconds closed_after{-1};  // from the start to the close (-1: not closed)
  std::vector<Answer> answers() const { return parse_answers(received); }
};

// Hands out a request a piece at a time; an empty piece means the request is all sent. A generator lets a
// test send a 160 MB header bomb without holding it.
using Feed = std::function<std::string()>;

inline Feed feed_of(std::string text) {
  return [text = std::move(text), done = false]() mutable {
    if (done) return std::string();
    done = true;
    return std::move(text);
  };
}

struct TalkOptions {
  milliseconds timeout{5000};
  std::size_t answers = 1;             // return once this many whole answers arrived (0: read until close)
  bool stop_sending_on_answer = true;  // an answer mid-request (a refusal) ends the sending
  bool shut_write_when_sent = false;   // half-close once the request is all written
};

// Writes what `feed` yields while reading whatever comes back, until the wanted answers arrived, the server
// closed, or the timeout. The socket stays usable for a next conversation unless the server closed it.
inline Exchange converse(Socket& s, Feed feed, TalkOptions options = {}) {
  Exchange ex;
  const auto start = HostileClock::now();
  std::string pending = feed();
  std::size_t pending_at = 0;
  bool sending = !pending.empty();
  if (!sending && options.shut_write_when_sent) shutdown(s.fd(), SHUT_WR);
  std::array<char, 65536> buf{};
  while (ms_since(start) < options.timeout) {
    pollfd p{s.fd(), static_cast<short>(POLLIN | (sending ? POLLOUT : 0)), 0};
    if (poll(&p, 1, 20) < 0 && errno != EINTR) break;
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      const auto n = recv(s.fd(), buf.data(), buf.size(), 0);
      if (n > 0) {
        if (ex.received.empty()) ex.first_byte = ms_since(start);
        ex.received.append(buf.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        ex.closed = true;
        ex.closed_after = ms_since(start);
        break;
      }
      if (!ex.received.empty() && options.stop_sending_on_answer) sending = false;
      if (options.answers > 0 && parse_answers(ex.received).size() >= options.answers) break;
    }
    if (sending && (p.revents & POLLOUT)) {
      const auto n = send(s.fd(), pending.data() + pending_at, pending.size() - pending_at, MSG_NOSIGNAL);
      if (n > 0) {
        pending_at += static_cast<std::size_t>(n);
        ex.sent += static_cast<std::size_t>(n);
        if (pending_at == pending.size()) {
          pending = feed();
          pending_at = 0;
          if (pending.empty()) {
            sending = false;
            if (options.shut_write_when_sent) shutdown(s.fd(), SHUT_WR);
          }
        }
      } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        sending = false;  // the server stopped reading (reset): what it said may still be readable
      }
    }
  }
  return ex;
}

// Sends `prefix` whole, then one byte of `trickle` every `every` (its last byte repeated once it is used up)
// until the server closes or `timeout`: slowloris, or a body at a crawl. `trickle` must not be empty.
inline Exchange drip(Socket& s, const std::string& prefix, const std::string& trickle, milliseconds every,
                     milliseconds timeout) {
  const auto start = HostileClock::now();
  Exchange ex;
  std::size_t next = 0;
  for (bool first = true; ms_since(start) < timeout; first = false) {
    const std::string piece = first ? prefix : std::string(1, trickle[std::min(next++, trickle.size() - 1)]);
    const milliseconds left = timeout - ms_since(start);
    // Reads (answers = 0: until a close) for one interval after each piece.
    const Exchange step = converse(s, feed_of(piece), {std::min(every, left), 0, false, false});
    ex.sent += step.sent;
    if (!step.received.empty() && ex.received.empty()) ex.first_byte = ms_since(start);
    ex.received += step.received;
    if (step.closed) {
      ex.closed = true;
      ex.closed_after = ms_since(start);
      break;
    }
  }
  return ex;
}

// Raises this process's soft open-file limit to its hard limit (a shell's default soft limit, 1,024, is far
// below a crowd's) and returns it. Call before the server starts: it sizes its connection cap from it.
inline std::size_t raise_open_file_limit() {
  rlimit fds{};
  getrlimit(RLIMIT_NOFILE, &fds);
  fds.rlim_cur = fds.rlim_max;
  setrlimit(RLIMIT_NOFILE, &fds);
  getrlimit(RLIMIT_NOFILE, &fds);
  return fds.rlim_cur;
}

// This process's resident set (VmRSS), in bytes.
inline std::size_t resident_bytes() {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      std::size_t kib = 0;
      in >> kib;
      return kib * 1024;
    }
    in.ignore(4096, '\n');
  }
  return 0;
}

// The highest VmRSS seen between construction and peak(), sampled every 10 ms on a thread of its own.
class ResidentPeak {
 public:
  ResidentPeak() : peak_(resident_bytes()), thread_([this] { run(); }) {}
  ~ResidentPeak() { halt(); }
  ResidentPeak(const ResidentPeak&) = delete;
  ResidentPeak& operator=(const ResidentPeak&) = delete;
  std::size_t peak() {
    halt();
    return peak_;
  }

 private:
  void run() {
    while (!stop_) {
      peak_ = std::max<std::size_t>(peak_, resident_bytes());
      std::this_thread::sleep_for(milliseconds(10));
    }
  }
  void halt() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    peak_ = std::max<std::size_t>(peak_, resident_bytes());
  }
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> peak_;
  std::thread thread_;
};

}  // namespace fk::test
