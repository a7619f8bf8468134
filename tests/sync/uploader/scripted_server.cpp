// ScriptedServer and FakeCentral.
#include "scripted_server.hpp"

#include <stdlib.h>

#include <chrono>
#include <stdexcept>

#include "sync/model/response.hpp"

namespace fk::uploader::testing {
namespace {

constexpr auto kMaxStall = std::chrono::seconds(30);
// Answered by every ScriptedServer itself (not recorded, not passed to the handler): the start-up handshake.
constexpr const char* kServingPath = "/.scripted-server/serving";

// libcurl honours http_proxy/https_proxy from the environment; a CI machine's proxy must not see (or break)
// requests to these loopback servers.
const bool kLoopbackBypassesProxy = [] {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  setenv("NO_PROXY", "127.0.0.1,localhost", 1);
  return true;
}();
constexpr std::size_t kServerPayloadMax = 16 * 1024 * 1024;

}  // namespace

ScriptedServer::ScriptedServer(Handler handler)
    : server_(std::make_unique<httplib::Server>()), handler_(std::move(handler)) {
  listen();
}

ScriptedServer::ScriptedServer(Handler handler, const std::string& cert_file, const std::string& key_file)
    : server_(std::make_unique<httplib::SSLServer>(cert_file.c_str(), key_file.c_str())),
      scheme_("https"),
      handler_(std::move(handler)) {
  if (!server_->is_valid()) throw std::runtime_error("cannot load " + cert_file + " / " + key_file);
  listen();
}

void ScriptedServer::listen() {
  // PLATFORM-NOTES: httplib's defaults (no TCP_NODELAY, 5 requests per connection) stall keep-alive.
  server_->set_tcp_nodelay(true);
  server_->set_keep_alive_max_count(100000);
  server_->set_keep_alive_timeout(5);
  server_->set_payload_max_length(kServerPayloadMax);
  server_->set_read_timeout(5, 0);
  server_->set_write_timeout(5, 0);
  auto route = [this](const httplib::Request& req, httplib::Response& res) {
    if (req.path == kServingPath) {
      res.status = 204;
      return;
    }
    {
      std::lock_guard lock(mutex_);
      recorded_.push_back(RecordedRequest{req.method, req.path, req.get_header_value("Authorization"),
                                          req.get_header_value("Content-Type"),
                                          req.get_header_value("Content-Encoding"), req.body});
    }
    poke();
    handler_(req, res);
    poke();
  };
  server_->Post(R"(/.*)", route);
  server_->Get(R"(/.*)", route);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("cannot bind a loopback port");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  await_serving();
}

void ScriptedServer::await_serving() {
  // The socket already listens, but httplib's stop() does nothing until the accept loop runs: wait for it
  // (an answer proves it runs), or a quick test's destructor would join a thread blocked in accept() forever.
  httplib::Client probe(url());
  probe.enable_server_certificate_verification(false);  // only the handshake; the tests check TLS themselves
  probe.set_connection_timeout(std::chrono::seconds(10));
  probe.set_read_timeout(std::chrono::seconds(10));
  const auto answer = probe.Get(kServingPath);
  if (!answer || answer->status != 204 || !server_->is_running()) {
    thread_.detach();  // cannot be stopped; leave it rather than hang
    throw std::runtime_error("the test server did not start");
  }
}

ScriptedServer::~ScriptedServer() {
  release();
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string ScriptedServer::url() const {
  return scheme_ + "://127.0.0.1:" + std::to_string(port_);
}

std::size_t ScriptedServer::requests() const {
  std::lock_guard lock(mutex_);
  return recorded_.size();
}

std::vector<RecordedRequest> ScriptedServer::recorded() const {
  std::lock_guard lock(mutex_);
  return recorded_;
}

std::size_t ScriptedServer::requests_to(const std::string& path) const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& r : recorded_) n += r.path == path ? 1 : 0;
  return n;
}

void ScriptedServer::stall() {
  ++stalled_;
  poke();
  {
    std::unique_lock lock(mutex_);
    released_cv_.wait_for(lock, kMaxStall, [this] { return released_; });
  }
  --stalled_;
  poke();
}

void ScriptedServer::release() {
  {
    std::lock_guard lock(mutex_);
    released_ = true;
  }
  released_cv_.notify_all();
}

bool ScriptedServer::await(const std::function<bool()>& done, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    std::uint64_t seen = 0;
    {
      std::lock_guard lock(mutex_);
      seen = changes_;
    }
    // Evaluated without the lock (it may call requests()); a change after this look bumps changes_.
    if (done()) return true;
    std::unique_lock lock(mutex_);
    if (!changed_cv_.wait_until(lock, deadline, [&] { return changes_ != seen; })) return done();
  }
}

void ScriptedServer::poke() {
  {
    std::lock_guard lock(mutex_);
    ++changes_;
  }
  changed_cv_.notify_all();
}

ScriptedServer::Handler reply_with(int status, std::string body, std::string content_type,
                                   std::string retry_after) {
  return [=](const httplib::Request&, httplib::Response& res) {
    res.status = status;
    if (!retry_after.empty()) res.set_header("Retry-After", retry_after);
    res.set_content(body, content_type.c_str());
  };
}

ScriptedServer::Handler FakeCentral::handler() {
  return [this](const httplib::Request& req, httplib::Response& res) {
    if (req.path == "/api/v1/kiosks/heartbeat") {
      auto beat = model::decode_heartbeat(req.body, model::WireLimits{});
      if (!beat) {
        res.status = beat.error().http_status;
        res.set_content(model::encode_error(beat.error().code, beat.error().message), "application/json");
        return;
      }
      std::lock_guard lock(mutex_);
      heartbeats_.push_back(*beat);
      res.status = 204;
      return;
    }
    if (req.path != "/api/v1/responses") {
      res.status = 404;
      res.set_content(model::encode_error("not_found", "no such endpoint"), "application/json");
      return;
    }
    model::WireLimits limits;
    limits.max_items = static_cast<std::size_t>(-1);
    limits.max_body_bytes = kServerPayloadMax;
    auto decoded = model::decode_batch(req.body, limits);
    std::lock_guard lock(mutex_);
    if (decoded && decoded->size() > max_items_) {
      res.status = 413;
      res.set_content(
          model::encode_error("too_many_items", "more than " + std::to_string(max_items_) + " items"),
          "application/json");
      return;
    }
    if (!decoded) {
      res.status = decoded.error().http_status;
      res.set_content(model::encode_error(decoded.error().code, decoded.error().message), "application/json");
      return;
    }
    batch_sizes_.push_back(decoded->size());
    model::Receipt receipt;
    receipt.received_at = model::utc_now_iso8601();
    for (const model::DecodedItem& d : *decoded) {
      model::ItemResult result{d.item.uuid, model::ItemStatus::Created, ""};
      if (auto s = scripted_.find(d.item.uuid); s != scripted_.end()) {
        result = s->second;
      } else if (!d.problem.empty()) {
        result.status = model::ItemStatus::Invalid;
        result.reason = d.problem;
      } else if (auto held = hash_by_uuid_.find(d.item.uuid); held != hash_by_uuid_.end()) {
        result.status =
            held->second == d.item.sha256 ? model::ItemStatus::Duplicate : model::ItemStatus::Conflict;
        if (result.status == model::ItemStatus::Conflict)
          result.reason = "a different payload is stored under this UUID";
      } else {
        hash_by_uuid_[d.item.uuid] = d.item.sha256;
        ++created_[d.item.uuid];
      }
      receipt.results.push_back(result);
    }
    if (lose_replies_ > 0) {
      --lose_replies_;
      res.status = 500;
      res.set_content(model::encode_error("internal", "reply lost after commit"), "application/json");
      return;
    }
    res.status = 201;
    res.set_content(model::encode_receipt(receipt), "application/json");
  };
}

void FakeCentral::script_item(const std::string& uuid, model::ItemStatus status, const std::string& reason) {
  std::lock_guard lock(mutex_);
  scripted_[uuid] = model::ItemResult{uuid, status, reason};
}

void FakeCentral::preload_conflict(const std::string& uuid) {
  std::lock_guard lock(mutex_);
  hash_by_uuid_[uuid] = std::string(64, '0');
}

void FakeCentral::set_max_items(std::size_t max_items) {
  std::lock_guard lock(mutex_);
  max_items_ = max_items;
}

void FakeCentral::lose_next_replies(int count) {
  std::lock_guard lock(mutex_);
  lose_replies_ = count;
}

std::size_t FakeCentral::stored() const {
  std::lock_guard lock(mutex_);
  return hash_by_uuid_.size();
}

std::size_t FakeCentral::times_created(const std::string& uuid) const {
  std::lock_guard lock(mutex_);
  auto it = created_.find(uuid);
  return it == created_.end() ? 0 : it->second;
}

std::size_t FakeCentral::batches() const {
  std::lock_guard lock(mutex_);
  return batch_sizes_.size();
}

std::vector<std::size_t> FakeCentral::batch_sizes() const {
  std::lock_guard lock(mutex_);
  return batch_sizes_;
}

std::vector<model::Heartbeat> FakeCentral::heartbeats() const {
  std::lock_guard lock(mutex_);
  return heartbeats_;
}

}  // namespace fk::uploader::testing
