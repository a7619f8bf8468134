// A crowd of connections held open on one thread while a test checks that legitimate clients are still
// answered: idle ones that never send, slowloris ones (a header byte every 0.5 s, never a whole head),
// slow bodies (a valid kiosk head, then one body byte a second) and well-behaved keep-alive clients (a
// health check every few seconds). One poll() loop drives them all, so thousands cost no threads here either.
#pragma once

#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "hostile_clients.hpp"

namespace fk::test {

enum class Behaviour { idle, slowloris, slow_body, keep_alive };
inline constexpr std::size_t kBehaviours = 4;

class Crowd {
 public:
  // `kiosk_token`: what the slow bodies authenticate with (so the head alone does not get them refused).
  Crowd(int port, std::string kiosk_token) : port_(port), kiosk_token_(std::move(kiosk_token)) {}
  ~Crowd() { stop(); }
  Crowd(const Crowd&) = delete;
  Crowd& operator=(const Crowd&) = delete;

  // Opens `n` connections that will behave as `b` once start()ed; returns how many opened before
  // `deadline`. Only before start().
  std::size_t add(Behaviour b, std::size_t n, HostileClock::time_point deadline) {
    std::vector<Socket> opened = connect_many(port_, n, deadline);
    const auto now = HostileClock::now();
    for (std::size_t i = 0; i < opened.size(); ++i) {
      // Spread over one period so the crowd does not move in lockstep.
      const auto offset = period(b) * static_cast<long>(i % 97) / 97;
      members_.push_back(Member{std::move(opened[i]), b, now + offset, {}, 0});
    }
    open_[index(b)] += opened.size();
    return opened.size();
  }

  void start() {
    thread_ = std::thread([this] { run(); });
  }

  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    members_.clear();  // closes every socket
  }

  // Connections of kind `b` not (yet) closed by the server.
  std::size_t open(Behaviour b) const { return open_[index(b)]; }
  // Answers the keep-alive clients have had.
  std::size_t keep_alive_answers() const { return keep_alive_answers_; }

 private:
  struct Member {
    Socket socket;
    Behaviour behaviour;
    HostileClock::time_point next_action;
    std::string unread;  // a keep-alive client's answers not yet counted
    int step = 0;
  };

  static std::size_t index(Behaviour b) { return static_cast<std::size_t>(b); }

  static milliseconds period(Behaviour b) {
    switch (b) {
      case Behaviour::slowloris:
        return milliseconds(500);
      case Behaviour::slow_body:
        return milliseconds(1000);
      case Behaviour::keep_alive:
        return milliseconds(3000);
      case Behaviour::idle:
        break;
    }
    return milliseconds(1000);
  }

  // The next bytes `m` sends, or "" when it sends nothing.
  std::string next_bytes(Member& m) const {
    const int step = m.step++;
    switch (m.behaviour) {
      case Behaviour::idle:
        return {};
      case Behaviour::slowloris: {
        static const std::string head = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
        return step < static_cast<int>(head.size()) ? head.substr(static_cast<std::size_t>(step), 1) : "a";
      }
      case Behaviour::slow_body:
        if (step == 0) {
          return "POST /api/v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                 kiosk_token_ + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{";
        }
        return " ";
      case Behaviour::keep_alive:
        return "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }
    return {};
  }

  void closed(Member& m) {
    m.socket.reset();
    --open_[index(m.behaviour)];
  }

  void run() {
    std::vector<pollfd> fds;
    std::vector<Member*> of;
    char buf[16384];
    while (!stop_) {
      fds.clear();
      of.clear();
      for (Member& m : members_) {
        if (!m.socket.valid()) continue;
        fds.push_back({m.socket.fd(), POLLIN, 0});
        of.push_back(&m);
      }
      if (poll(fds.data(), fds.size(), 20) < 0 && errno != EINTR) break;
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        Member& m = *of[i];
        const auto n = recv(m.socket.fd(), buf, sizeof buf, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
          closed(m);
          continue;
        }
        if (n > 0 && m.behaviour == Behaviour::keep_alive) {
          m.unread.append(buf, static_cast<std::size_t>(n));
          for (auto at = m.unread.find("HTTP/1.1 "); at != std::string::npos;
               at = m.unread.find("HTTP/1.1 ")) {
            ++keep_alive_answers_;
            m.unread.erase(0, at + 9);
          }
          if (m.unread.size() > 16) m.unread.erase(0, m.unread.size() - 16);
        }
      }
      const auto now = HostileClock::now();
      for (Member& m : members_) {
        if (!m.socket.valid() || m.behaviour == Behaviour::idle || now < m.next_action) continue;
        m.next_action = now + period(m.behaviour);
        const std::string bytes = next_bytes(m);
        if (!bytes.empty() && send(m.socket.fd(), bytes.data(), bytes.size(), MSG_NOSIGNAL) < 0 &&
            errno != EAGAIN) {
          closed(m);
        }
      }
    }
  }

  int port_;
  std::string kiosk_token_;
  std::vector<Member> members_;
  std::array<std::atomic<std::size_t>, kBehaviours> open_{};
  std::atomic<std::size_t> keep_alive_answers_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace fk::test
