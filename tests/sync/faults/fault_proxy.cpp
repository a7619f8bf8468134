// FaultProxy: an acceptor thread and one relay thread per connection, each playing the fault it was dealt.
#include "tests/sync/faults/fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace fk::faults {
namespace {

using Clock = std::chrono::steady_clock;

// A poll() never waits longer than this, so stop() is noticed promptly.
constexpr int kPollMs = 20;
// A connection whose answer budget is spent closes after the server has been quiet this long.
constexpr int kAnswerSettleMs = 5;
// The first request's headers are buffered up to this before giving up on finding their end.
constexpr std::size_t kMaxHead = 64 * 1024;

void close_graceful(int fd) {
  if (fd < 0) return;
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

// Closing with SO_LINGER {on, 0 s} makes the kernel send RST instead of FIN.
void close_reset(int fd) {
  if (fd < 0) return;
  linger lg{};
  lg.l_onoff = 1;
  lg.l_linger = 0;
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  ::close(fd);
}

bool send_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t sent = ::send(fd, data, n, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    data += sent;
    n -= static_cast<std::size_t>(sent);
  }
  return true;
}

void set_nodelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  set_nodelay(fd);
  return fd;
}

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// The length of the first request in `head` (headers + Content-Length), once its headers are complete.
std::optional<std::size_t> request_length(const std::string& head) {
  const auto end = head.find("\r\n\r\n");
  if (end == std::string::npos) return std::nullopt;
  std::string lowered(head.begin(), head.begin() + static_cast<std::ptrdiff_t>(end));
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), lower);
  std::size_t body = 0;
  if (const auto at = lowered.find("\r\ncontent-length:"); at != std::string::npos) {
    body = std::strtoull(lowered.c_str() + at + 17, nullptr, 10);
  }
  return end + 4 + body;
}

// Follows the server's answers on one connection (status line and headers, then Content-Length bytes of
// body) to tell when an answer has gone by whole. Without a Content-Length it cannot tell (`unknown`).
class AnswerTracker {
 public:
  // Feeds bytes forwarded to the client; returns how many answers they completed.
  int feed(const char* p, std::size_t n) {
    int completed = 0;
    while (n > 0 && !unknown_) {
      if (!in_body_) {
        const std::size_t old = head_.size();
        head_.append(p, n);
        const auto end = head_.find("\r\n\r\n", old >= 3 ? old - 3 : 0);
        if (end == std::string::npos) return completed;
        const std::size_t used = end + 4 - old;
        p += used;
        n -= used;
        head_.resize(end + 4);
        const auto length = content_length(head_);
        head_.clear();
        if (!length) {
          unknown_ = true;
          return completed;
        }
        body_left_ = *length;
        in_body_ = true;
      } else {
        const std::size_t take = std::min(n, body_left_);
        body_left_ -= take;
        p += take;
        n -= take;
      }
      if (in_body_ && body_left_ == 0) {
        in_body_ = false;
        ++completed;
      }
    }
    return completed;
  }
  bool unknown() const { return unknown_; }
  bool between_answers() const { return !unknown_ && !in_body_ && head_.empty(); }

 private:
  static std::optional<std::size_t> content_length(const std::string& head) {
    std::string lowered = head;
    std::transform(lowered.begin(), lowered.end(), lowered.begin(), lower);
    const auto at = lowered.find("\r\ncontent-length:");
    if (at == std::string::npos) return std::nullopt;
    return static_cast<std::size_t>(std::strtoull(lowered.c_str() + at + 17, nullptr, 10));
  }

  std::string head_;
  bool in_body_ = false;
  bool unknown_ = false;
  std::size_t body_left_ = 0;
};

}  // namespace

const char* to_string(Fault fault) {
  switch (fault) {
    case Fault::PassThrough:
      return "pass-through";
    case Fault::CutRequest:
      return "cut-request";
    case Fault::CutAfterCommit:
      return "cut-after-commit";
    case Fault::Delay:
      return "delay";
    case Fault::Reset:
      return "reset";
  }
  return "?";
}

// Everything random about one connection, drawn when it is accepted.
struct FaultProxy::Plan {
  Fault fault = Fault::PassThrough;
  double cut_fraction = 0.5;     // CutRequest / Reset mid-request: where in the first request to cut
  int reset_phase = 0;           // Reset: 0 on accept, 1 mid-request, 2 after the server answered
  bool withhold_all = true;      // CutAfterCommit: forward none of the answer (else a part of it)
  double answer_fraction = 0.0;  // CutAfterCommit: how much of the answer's first chunk gets through
  std::chrono::milliseconds delay{0};
  std::chrono::milliseconds idle_close{0};
  int answer_budget = 1;  // PassThrough / Delay: answers forwarded before the connection is closed
};

struct FaultProxy::Connection {
  std::thread thread;
  std::atomic<bool> done{false};
};

FaultProxy::FaultProxy(int upstream_port, std::uint64_t seed) : upstream_port_(upstream_port), rng_(seed) {}

FaultProxy::~FaultProxy() {
  stop();
}

void FaultProxy::start() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error(std::string("proxy socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 64) != 0) {
    const std::string why = std::strerror(errno);
    ::close(listen_fd_);
    listen_fd_ = -1;
    throw std::runtime_error("proxy bind/listen: " + why);
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  stopping_ = false;
  acceptor_ = std::thread([this] { accept_loop(); });
}

void FaultProxy::stop() {
  stopping_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
  reap(/*all=*/true);
}

void FaultProxy::set_mix(const FaultMix& mix) {
  std::lock_guard lock(mutex_);
  mix_ = mix;
}

ProxyStats FaultProxy::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

FaultProxy::Plan FaultProxy::next_plan() {
  std::lock_guard lock(mutex_);
  Plan plan;
  std::discrete_distribution<std::size_t> pick(mix_.weight.begin(), mix_.weight.end());
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  plan.fault = static_cast<Fault>(pick(rng_));
  plan.cut_fraction = unit(rng_);
  plan.reset_phase = static_cast<int>(rng_() % 3);
  plan.withhold_all = (rng_() % 2) == 0;
  plan.answer_fraction = unit(rng_);
  const long long max_delay = std::max<long long>(1, max_delay_ms_.load());
  plan.delay =
      std::chrono::milliseconds(static_cast<long long>(rng_() % static_cast<std::uint64_t>(max_delay)) + 1);
  plan.idle_close = std::chrono::milliseconds(idle_close_ms_.load());
  plan.answer_budget = 1 + static_cast<int>(rng_() % 3);
  ++stats_.connections;
  ++stats_.by_fault[static_cast<std::size_t>(plan.fault)];
  return plan;
}

void FaultProxy::reap(bool all) {
  std::vector<std::unique_ptr<Connection>> finished;
  {
    std::lock_guard lock(mutex_);
    auto keep =
        std::partition(connections_.begin(), connections_.end(),
                       [all](const std::unique_ptr<Connection>& c) { return !all && !c->done.load(); });
    for (auto it = keep; it != connections_.end(); ++it) finished.push_back(std::move(*it));
    connections_.erase(keep, connections_.end());
  }
  for (auto& c : finished) c->thread.join();
}

void FaultProxy::accept_loop() {
  while (!stopping_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, 50);
    reap(/*all=*/false);
    if (ready <= 0) continue;
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    set_nodelay(client);
    Plan plan = next_plan();
    auto connection = std::make_unique<Connection>();
    Connection* raw = connection.get();
    {
      std::lock_guard lock(mutex_);
      connections_.push_back(std::move(connection));
    }
    raw->thread = std::thread([this, client, plan, raw] {
      serve(client, plan);
      raw->done = true;
    });
  }
}

void FaultProxy::serve(int client, Plan plan) {
  auto count = [this](std::uint64_t ProxyStats::*field) {
    std::lock_guard lock(mutex_);
    ++(stats_.*field);
  };
  if (plan.fault == Fault::Reset && plan.reset_phase == 0) {
    close_reset(client);
    return;
  }
  const int upstream = connect_loopback(upstream_port_.load());
  if (upstream < 0) {
    count(&ProxyStats::upstream_connect_failures);
    close_graceful(client);  // the client sees the connection close with no answer, as from a dead server
    return;
  }

  const bool cuts_request =
      plan.fault == Fault::CutRequest || (plan.fault == Fault::Reset && plan.reset_phase == 1);
  const bool cuts_answer =
      plan.fault == Fault::CutAfterCommit || (plan.fault == Fault::Reset && plan.reset_phase == 2);
  const bool survives = plan.fault == Fault::PassThrough || plan.fault == Fault::Delay;

  std::string held;  // CutRequest: bytes of the first request not yet forwarded
  std::size_t forwarded_up = 0;
  std::optional<std::size_t> cut_at;
  bool awaiting_answer = false;  // a request went up and no answer came back yet
  bool answered = false;
  int answers = 0;  // whole answers forwarded
  AnswerTracker tracker;
  auto last_activity = Clock::now();
  char buf[16 * 1024];

  auto finish = [&](bool reset) {
    if (reset) {
      close_reset(client);
      close_reset(upstream);
    } else {
      close_graceful(client);
      close_graceful(upstream);
    }
  };

  while (!stopping_.load()) {
    pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
    // Answers whose end cannot be told (no Content-Length): once the budget is spent, the connection closes
    // when the server has been quiet for kAnswerSettleMs.
    const bool spent = survives && tracker.unknown() && answers >= plan.answer_budget && !awaiting_answer;
    const int ready = ::poll(fds, 2, spent ? kAnswerSettleMs : kPollMs);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) {
      const bool idle = survives && plan.idle_close.count() > 0 && answered && !awaiting_answer &&
                        Clock::now() - last_activity >= plan.idle_close;
      if (spent || idle) {
        count(&ProxyStats::idle_closes);
        finish(false);
        return;
      }
      continue;
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = ::recv(client, buf, sizeof buf, 0);
      if (n <= 0) break;
      last_activity = Clock::now();
      awaiting_answer = true;
      if (cuts_request) {
        held.append(buf, static_cast<std::size_t>(n));
        if (!cut_at) {
          auto total = request_length(held);
          if (!total && held.size() >= kMaxHead) total = held.size();
          if (total) {
            const auto at = static_cast<std::size_t>(plan.cut_fraction * static_cast<double>(*total));
            cut_at = std::clamp<std::size_t>(at, 1, std::max<std::size_t>(1, *total - 1));
          }
        }
        if (!cut_at) continue;  // still reading the headers: nothing goes up until the cut point is known
        const std::size_t take = std::min(held.size(), *cut_at - forwarded_up);
        if (!send_all(upstream, held.data(), take)) break;
        forwarded_up += take;
        held.erase(0, take);
        if (forwarded_up >= *cut_at) {
          count(&ProxyStats::requests_cut);
          // Let the partial request reach the server before the close does, so it really reads half a request.
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          finish(plan.fault == Fault::Reset);
          return;
        }
        continue;
      }
      if (plan.fault == Fault::Delay) std::this_thread::sleep_for(plan.delay);
      if (!send_all(upstream, buf, static_cast<std::size_t>(n))) break;
      forwarded_up += static_cast<std::size_t>(n);
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = ::recv(upstream, buf, sizeof buf, 0);
      if (n <= 0) break;
      last_activity = Clock::now();
      if (cuts_answer) {
        count(&ProxyStats::answers_withheld);
        if (plan.fault == Fault::Reset) {
          finish(true);
          return;
        }
        // Some (never all) of the answer's first chunk gets through, or none of it.
        const auto part = plan.withhold_all
                              ? std::size_t{0}
                              : static_cast<std::size_t>(plan.answer_fraction * static_cast<double>(n - 1));
        send_all(client, buf, part);
        finish(false);
        return;
      }
      if (plan.fault == Fault::Delay) std::this_thread::sleep_for(plan.delay);
      if (!send_all(client, buf, static_cast<std::size_t>(n))) break;
      const int whole = tracker.feed(buf, static_cast<std::size_t>(n));
      answers += tracker.unknown() && awaiting_answer ? 1 : whole;
      awaiting_answer = false;
      answered = true;
      // Budget spent: close the moment the last answer has gone by whole, before the client can send its
      // next request on this connection (it will open a new one and meet a fresh fault).
      if (survives && !tracker.unknown() && answers >= plan.answer_budget && tracker.between_answers()) {
        count(&ProxyStats::idle_closes);
        finish(false);
        return;
      }
    }
  }
  finish(false);
}

}  // namespace fk::faults
