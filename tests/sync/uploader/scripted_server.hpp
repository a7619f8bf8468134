// Test servers for the uploader: a real cpp-httplib server on 127.0.0.1 (ephemeral port) whose answers a
// test scripts, and FakeCentral, a handler that answers batches like the centre does (real wire codec).
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sync/model/wire.hpp"

namespace fk::uploader::testing {

// One request as the server saw it (body already gzip-decoded by httplib).
struct RecordedRequest {
  std::string method;
  std::string path;
  std::string authorization;
  std::string content_type;
  std::string content_encoding;
  std::string body;
};

class ScriptedServer {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  // Listens before returning; `handler` answers every request (any method, any path).
  explicit ScriptedServer(Handler handler);
  // The same over HTTPS with this certificate and key (PEM files).
  ScriptedServer(Handler handler, const std::string& cert_file, const std::string& key_file);
  ~ScriptedServer();  // releases stalled handlers, stops, joins
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  std::string url() const;  // http://127.0.0.1:PORT (https:// for a TLS server)
  int port() const { return port_; }
  std::size_t requests() const;
  std::vector<RecordedRequest> recorded() const;
  // Requests to `path` so far.
  std::size_t requests_to(const std::string& path) const;

  // For a handler that never answers: blocks until release() or destruction (at most 30 s, so a broken
  // test cannot hang CI). stalled() counts handlers waiting here.
  void stall();
  void release();
  int stalled() const { return stalled_.load(); }

  // Waits until `done()` holds, looking again whenever this server saw a request arrive, a handler finish
  // or stall, or poke() was called. `limit` is an upper bound only a broken test reaches: tests wait for
  // events, never for time. Returns whether `done()` held.
  bool await(const std::function<bool()>& done, std::chrono::seconds limit = std::chrono::seconds(20));
  // Something await()'s caller looks at may have changed: e.g. the Uploader's wake callback (a new
  // snapshot). Thread-safe and non-blocking.
  void poke();
  // A WakeCallback for an Uploader that pokes this server.
  std::function<void()> waker() {
    return [this] { poke(); };
  }

 private:
  void listen();
  void await_serving();  // returns once the accept loop answers (stop() only works from then on)

  std::unique_ptr<httplib::Server> server_;
  std::string scheme_ = "http";
  std::thread thread_;
  int port_ = 0;
  Handler handler_;
  mutable std::mutex mutex_;
  std::condition_variable released_cv_;
  bool released_ = false;
  std::atomic<int> stalled_{0};
  std::vector<RecordedRequest> recorded_;
  std::condition_variable changed_cv_;
  std::uint64_t changes_ = 0;  // grows with every poke()
};

// Replies with `status`, an optional Retry-After, and a body of `content_type`.
ScriptedServer::Handler reply_with(int status, std::string body = "",
                                   std::string content_type = "application/json",
                                   std::string retry_after = "");

// The centre's ingest and heartbeat, in memory: created / duplicate / conflict by UUID and payload hash,
// invalid for items decode_batch finds malformed, plus scripted per-UUID answers. Thread-safe.
class FakeCentral {
 public:
  ScriptedServer::Handler handler();

  // Answers this UUID with `status` and `reason` instead of looking at its payload.
  void script_item(const std::string& uuid, model::ItemStatus status, const std::string& reason);
  // Stores a different payload hash under `uuid`, so the kiosk's item gets "conflict".
  void preload_conflict(const std::string& uuid);
  // Batches with more items than this get 413 (default: no limit).
  void set_max_items(std::size_t max_items);
  // Commits the batch, then answers 500 instead of the receipt (a reply lost after the commit).
  void lose_next_replies(int count);

  std::size_t stored() const;  // distinct UUIDs held
  std::size_t times_created(const std::string& uuid) const;
  std::size_t batches() const;
  std::vector<std::size_t> batch_sizes() const;
  std::vector<model::Heartbeat> heartbeats() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> hash_by_uuid_;
  std::map<std::string, std::size_t> created_;
  std::map<std::string, model::ItemResult> scripted_;
  std::size_t max_items_ = static_cast<std::size_t>(-1);
  int lose_replies_ = 0;
  std::vector<std::size_t> batch_sizes_;
  std::vector<model::Heartbeat> heartbeats_;
};

}  // namespace fk::uploader::testing
