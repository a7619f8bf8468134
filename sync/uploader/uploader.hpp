// The kiosk's uploader: drains the SQLite outbox to the central endpoint on a background thread (or once, for
// `feedback-kiosk sync --once`), sends heartbeats, and publishes immutable status snapshots for the UI.
//
// Wiring in the kiosk (the thread never touches UI state; it only publishes and wakes):
//
//   fk::uploader::Uploader uploader(store, config, [] { push_sdl_user_event(); });  // wake: thread-safe, cheap
//   uploader.start();
//   …after each successful save:      uploader.notify_new_response();
//   …on the UI thread, after a wake:  std::shared_ptr<const SyncStatus> s = uploader.status();
//   …at shutdown:                     uploader.stop();   // returns promptly, even mid-request
//
// CLI:  auto result = uploader.sync_once();  return result.complete() ? 0 : 1;
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "sync/model/wire.hpp"
#include "sync/store/response_store.hpp"
#include "sync/uploader/backoff.hpp"
#include "sync/uploader/http_client.hpp"
#include "sync/uploader/schedule_clock.hpp"
#include "sync/uploader/sync_status.hpp"

namespace fk::uploader {

inline constexpr std::size_t kDefaultBatchSize =
    500;  // the centre's default max_items; measured fastest (README)

struct UploaderConfig {
  std::string central_url;  // e.g. "https://central.example.org" (the /api/v1/… paths are appended)
  std::string token;        // the kiosk's bearer token from enrolment
                            // (either one empty: the uploader is not configured and sends nothing)
  std::size_t batch_size = kDefaultBatchSize;  // responses per request (also cut to limits.max_items)
  std::string app_version;                     // reported in heartbeats
  // Both intervals are kept within 1 s … 24 h.
  std::chrono::seconds heartbeat_interval{300};
  // With nothing to send the thread sleeps; it looks at the outbox (a local query, no network) this often
  // in case a notify_new_response() was missed. notify_new_response() is what makes sending prompt.
  std::chrono::seconds idle_check_interval{60};
  std::string ca_file;            // optional CA bundle for the centre's certificate
  std::string pinned_public_key;  // optional pin of the centre's public key: "sha256//…" or a key file
  model::WireLimits limits;       // the centre's limits (max_items, max_body_bytes) that batches respect
  BackoffPolicy backoff;          // 1 s … 10 min, full jitter
  // Transport tuning (HttpOptions); tests shorten low_speed_time to make a stalled server fail fast.
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::seconds low_speed_time{60};
  long low_speed_limit = 10;  // bytes/s
  std::size_t gzip_min_bytes = 16 * 1024;
  // Where surveys fetched from the centre are kept (<data_dir>/surveys); empty: surveys are not fetched.
  std::string surveys_dir;

  bool configured() const { return !central_url.empty() && !token.empty(); }
};

class Uploader {
 public:
  // Called after every newly published snapshot, from whichever thread published it (usually the uploader's
  // own). Must be thread-safe, quick and non-blocking: e.g. SDL_PushEvent. It must not call back into the
  // Uploader except status().
  using WakeCallback = std::function<void()>;

  // `store` must outlive the Uploader. `random` pins the back-off jitter (tests); empty: a seeded PRNG.
  // `clock` is what the thread's schedule runs on (tests move it by hand); null: steady_schedule_clock().
  // Publishes a first snapshot (with the outbox's counts) before returning; does not call `wake` for it.
  Uploader(store::ResponseStore& store, UploaderConfig config, WakeCallback wake = {},
           Backoff::UnitRandom random = {}, std::shared_ptr<ScheduleClock> clock = nullptr);
  ~Uploader();  // stop()s
  Uploader(const Uploader&) = delete;
  Uploader& operator=(const Uploader&) = delete;

  // start(), stop() and running() belong to the owner's thread; everything else is thread-safe.
  // Starts the background thread: a round at once, then rounds when notified, on the idle check, and after
  // back-off delays; a heartbeat after the first round and every heartbeat_interval (deferred while backing
  // off, so it never beats a Retry-After). Does nothing when already running or not configured.
  void start();
  // Ends the thread promptly: a request in flight is cancelled (it stays pending and is sent again later;
  // the centre's duplicate answer makes that safe). Idempotent; start() may be called again afterwards.
  void stop();
  bool running() const;

  // The kiosk calls this after each committed save. Cheap and non-blocking; it wakes the thread unless a
  // back-off is in force (the response then goes with the next attempt).
  void notify_new_response();
  // Staff asked to "sync now": the next round starts at once even while backing off — but never before a
  // Retry-After the centre gave has passed.
  void sync_now();
  // The event the staff desk reports on (the running one, or the last one ended): snapshots carry its counts
  // by status from now on. The thread counts it at once, even while backing off (a local query, no
  // network), and again with every count of the outbox. Empty: none.
  void report_event(std::string event);

  // One round, on the calling thread: sends everything pending (oldest first) until the outbox is empty or
  // something stops it, then (when it went well and surveys_dir is set) fetches the surveys with a
  // conditional GET, and publishes a snapshot. Safe alongside the thread (one sender at a time: it waits
  // for a round in progress). Does not change the thread's back-off.
  SyncResult sync_once();
  // Sends one heartbeat now, on the calling thread.
  SyncError heartbeat_once();

  // The latest snapshot; never null. Thread-safe; the snapshot itself never changes.
  std::shared_ptr<const SyncStatus> status() const;
  const UploaderConfig& config() const { return config_; }

 private:
  void run();  // the thread
  SyncResult round();
  // Folds a round's outcome into the status fields and publishes.
  void record_round(const SyncResult& result, std::optional<ScheduleClock::time_point> next_attempt);
  // Builds and publishes a snapshot from the fields below; `sending` overrides the state. Calls wake_ when
  // the snapshot differs from the last one.
  void publish(bool sending = false);
  // Reads the oldest pending response and the reported event's counts into the fields below (store I/O:
  // the uploader's thread, or the caller of sync_once).
  void read_outbox_details();
  SyncState state_now() const;  // under status_mutex_

  store::ResponseStore& store_;
  const UploaderConfig config_;
  const WakeCallback wake_;
  const std::string responses_url_;
  const std::string heartbeat_url_;
  const std::string surveys_url_;

  std::mutex send_mutex_;  // one sender at a time: guards client_
  HttpClient client_;
  Backoff backoff_;  // used by the thread only
  const std::shared_ptr<ScheduleClock> clock_;

  mutable std::mutex mutex_;  // guards the thread's wake-up flags
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false};
  bool nudged_ = false;
  bool sync_now_ = false;
  bool recount_ = false;               // count the outbox now (a save while backing off, a report asked for)
  bool exited_ = false;                // the thread has left its loop (stop() waits for this)
  std::condition_variable exited_cv_;  // notified when exited_ is set
  std::thread thread_;

  // What the snapshot is built from.
  mutable std::mutex status_mutex_;
  std::shared_ptr<const SyncStatus> status_;
  SyncError contact_error_ = SyncError::None;  // from the last request that went (or tried to go) out
  std::string contact_message_;
  std::string store_error_;  // the outbox's last failure; cleared when it works again
  std::string last_success_;
  std::string kiosk_id_, site_;  // as the centre last named them
  std::uint64_t surveys_generation_ = 0;
  std::string surveys_error_;
  store::StatusCounts counts_;
  std::string oldest_pending_saved_at_;
  std::string report_event_;
  std::optional<store::StatusCounts> report_counts_;
  std::optional<ScheduleClock::time_point> next_attempt_;
};

}  // namespace fk::uploader
