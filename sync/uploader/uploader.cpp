// Uploader: the thread's schedule (notify, idle check, back-off, heartbeat), prompt stop, and snapshots.
#include "sync/uploader/uploader.hpp"

#include <algorithm>
#include <ctime>
#include <utility>

#include "sync/model/response.hpp"
#include "sync/uploader/delivery.hpp"
#include "sync/uploader/heartbeat.hpp"
#include "sync/uploader/survey_fetch.hpp"

namespace fk::uploader {
namespace {

using TimePoint = ScheduleClock::time_point;

// A zero interval would spin the thread; a huge one would overflow the clock arithmetic.
constexpr std::chrono::seconds kMinInterval{1};
constexpr std::chrono::seconds kMaxInterval{24 * 60 * 60};
// stop() notifies the thread again this often until it has left its loop.
constexpr std::chrono::milliseconds kStopRenotify{50};

std::chrono::seconds clamp_interval(std::chrono::seconds interval) {
  return std::clamp(interval, kMinInterval, kMaxInterval);
}

std::string endpoint(std::string base, const char* path) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + path;
}

HttpOptions http_options(const UploaderConfig& config) {
  HttpOptions options;
  options.connect_timeout = config.connect_timeout;
  options.low_speed_limit = config.low_speed_limit;
  options.low_speed_time = config.low_speed_time;
  options.ca_file = config.ca_file;
  options.pinned_public_key = config.pinned_public_key;
  options.gzip_min_bytes = config.gzip_min_bytes;
  options.user_agent =
      "feedback-kiosk/" + (config.app_version.empty() ? std::string("unknown") : config.app_version);
  return options;
}

}  // namespace

Uploader::Uploader(store::ResponseStore& store, UploaderConfig config, WakeCallback wake,
                   Backoff::UnitRandom random, std::shared_ptr<ScheduleClock> clock)
    : store_(store),
      config_(std::move(config)),
      wake_(std::move(wake)),
      responses_url_(endpoint(config_.central_url, "/api/v1/responses")),
      heartbeat_url_(endpoint(config_.central_url, "/api/v1/kiosks/heartbeat")),
      surveys_url_(endpoint(config_.central_url, "/api/v1/surveys")),
      client_(http_options(config_)),
      backoff_(config_.backoff, std::move(random)),
      clock_(clock ? std::move(clock) : steady_schedule_clock()) {
  if (auto counts = store_.counts(); counts) counts_ = *counts;
  read_outbox_details();
  auto first = std::make_shared<SyncStatus>();
  first->state = state_now();
  first->pending = counts_.pending;
  first->uploaded = counts_.uploaded;
  first->quarantined = counts_.quarantined;
  first->oldest_pending_saved_at = oldest_pending_saved_at_;
  status_ = std::move(first);
}

Uploader::~Uploader() {
  stop();
}

void Uploader::start() {
  if (thread_.joinable() || !config_.configured()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
    exited_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void Uploader::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  client_.cancel();  // a request in flight ends now, not at its low-speed timeout
  if (thread_.joinable()) {
    // Notified again until the thread has left its loop, so a wake-up lost inside the condition variable
    // cannot hold stop() for good. The uploader tests saw the thread asleep with stopping_ set twice in
    // ~600 runs (cause not found; glibc 2.36 has a known lost-wakeup bug, sourceware 25847).
    std::unique_lock lock(mutex_);
    while (!exited_cv_.wait_for(lock, kStopRenotify, [this] { return exited_; })) cv_.notify_all();
    lock.unlock();
    thread_.join();
  }
  client_.resume();
  std::lock_guard lock(mutex_);
  stopping_ = false;
}

bool Uploader::running() const {
  return thread_.joinable();
}

void Uploader::notify_new_response() {
  {
    std::lock_guard lock(mutex_);
    nudged_ = true;
  }
  cv_.notify_one();
}

void Uploader::sync_now() {
  {
    std::lock_guard lock(mutex_);
    sync_now_ = true;
  }
  cv_.notify_one();
}

void Uploader::report_event(std::string event) {
  {
    std::lock_guard lock(status_mutex_);
    if (event != report_event_) report_counts_.reset();  // another event's counts must not show as this one's
    report_event_ = std::move(event);
  }
  {
    std::lock_guard lock(mutex_);
    recount_ = true;
  }
  cv_.notify_one();
}

void Uploader::read_outbox_details() {
  std::string event;
  {
    std::lock_guard lock(status_mutex_);
    event = report_event_;
  }
  std::string oldest;
  // list(), not pending(): the same rows, but not the sending path's poll of the outbox for work.
  if (auto rows = store_.list(store::Status::Pending, 1); rows && !rows->empty())
    oldest = rows->front().saved_at;
  std::optional<store::StatusCounts> counts;
  if (!event.empty()) {
    if (auto c = store_.event_counts(event); c) counts = *c;
  }
  std::lock_guard lock(status_mutex_);
  oldest_pending_saved_at_ = std::move(oldest);
  if (event == report_event_) report_counts_ = counts;  // unless another event was asked for meanwhile
}

std::shared_ptr<const SyncStatus> Uploader::status() const {
  std::lock_guard lock(status_mutex_);
  return status_;
}

SyncResult Uploader::round() {
  if (!config_.configured()) {
    SyncResult result;
    result.error = SyncError::NotConfigured;
    result.message = "not enrolled: no central URL or token";
    if (auto counts = store_.counts(); counts) {
      result.counts = *counts;
      result.pending_left = counts->pending;
    }
    read_outbox_details();
    return result;
  }
  const DeliverySettings settings{responses_url_, config_.token, config_.batch_size, config_.limits};
  std::lock_guard lock(send_mutex_);
  SyncResult result = deliver_pending(store_, client_, settings, stopping_, [this] {
    {
      std::lock_guard status_lock(status_mutex_);
      next_attempt_.reset();
    }
    publish(/*sending=*/true);
  });
  read_outbox_details();  // with the counts deliver_pending took
  // Surveys only after a round that went well: a centre that is down or refusing would refuse this too.
  if (result.error == SyncError::None && !config_.surveys_dir.empty()) {
    const SurveyFetchOutcome fetched =
        fetch_surveys(client_, surveys_url_, config_.token, config_.surveys_dir);
    if (fetched.error == SyncError::Cancelled) {
      result.error = SyncError::Cancelled;
      result.message = fetched.message;
      return result;
    }
    if (fetched.error == SyncError::None) ++result.requests;  // the centre answered: contact is fine
    result.surveys_checked = true;
    result.surveys_updated = fetched.updated;
    result.surveys_error = fetched.message;
    result.site = fetched.site;
  }
  return result;
}

SyncResult Uploader::sync_once() {
  std::optional<TimePoint> next;
  {
    std::lock_guard lock(status_mutex_);
    next = next_attempt_;  // the thread's schedule, if it has one, stays as it is
  }
  SyncResult result = round();
  record_round(result, next);
  return result;
}

void Uploader::record_round(const SyncResult& result, std::optional<TimePoint> next_attempt) {
  {
    std::lock_guard lock(status_mutex_);
    next_attempt_ = next_attempt;
    if (result.counts) counts_ = *result.counts;
    switch (result.error) {
      case SyncError::Cancelled:
        break;  // says nothing about the centre or the outbox
      case SyncError::LocalStore:
        store_error_ = result.message;
        break;
      case SyncError::None:
        store_error_.clear();
        if (result.requests > 0) {  // the centre answered with receipts
          contact_error_ = SyncError::None;
          contact_message_.clear();
        }
        break;
      default:  // the outbox was read; the centre (or the configuration) is the problem
        store_error_.clear();
        contact_error_ = result.error;
        contact_message_ = result.message;
        break;
    }
    if (result.receipts > 0) last_success_ = model::utc_now_iso8601();
    if (result.surveys_checked) surveys_error_ = result.surveys_error;
    if (result.surveys_updated) ++surveys_generation_;
    if (!result.site.empty()) site_ = result.site;
  }
  publish();
}

SyncError Uploader::heartbeat_once() {
  if (!config_.configured()) return SyncError::NotConfigured;
  std::string last_error;
  {
    std::lock_guard lock(status_mutex_);
    last_error = !store_error_.empty() ? store_error_ : contact_message_;
  }
  auto beat = build_heartbeat(store_, config_.app_version, last_error, std::time(nullptr));
  if (!beat) {
    {
      std::lock_guard lock(status_mutex_);
      store_error_ = beat.error().message;
    }
    publish();
    return SyncError::LocalStore;
  }
  HeartbeatOutcome outcome;
  {
    std::lock_guard lock(send_mutex_);
    outcome = send_heartbeat(client_, heartbeat_url_, config_.token, *beat);
  }
  if (outcome.error == SyncError::Cancelled) return outcome.error;
  {
    std::lock_guard lock(status_mutex_);
    contact_error_ = outcome.error;
    contact_message_ = outcome.message;
    if (outcome.error == SyncError::None) last_success_ = model::utc_now_iso8601();
    if (!outcome.kiosk_id.empty()) kiosk_id_ = outcome.kiosk_id;
    if (!outcome.site.empty()) site_ = outcome.site;
  }
  publish();
  return outcome.error;
}

void Uploader::run() {
  TimePoint next_send = clock_->now();
  TimePoint next_heartbeat = next_send;
  TimePoint not_before = next_send;  // a Retry-After in force: even sync_now() waits for it
  bool backing_off = false;
  // The last heartbeat was not accepted (e.g. the centre was down when it was due): the next round that goes
  // well sends it again at once instead of heartbeat_interval later, so the centre sees the kiosk (and staff
  // see the kiosk id it names) as soon as they can talk.
  bool beat_owed = false;
  const auto idle_check = clamp_interval(config_.idle_check_interval);
  const auto heartbeat_every = clamp_interval(config_.heartbeat_interval);

  std::unique_lock lock(mutex_);
  while (!stopping_) {
    TimePoint now = clock_->now();
    if (nudged_) {
      nudged_ = false;
      if (!backing_off)
        next_send = std::min(next_send, now);
      else
        recount_ = true;  // no round before the next attempt: the snapshot still shows the new save
    }
    if (sync_now_) {
      sync_now_ = false;
      next_send = std::min(next_send, std::max(now, not_before));
    }
    if (recount_) {  // a local query, no network: never held back by a back-off
      recount_ = false;
      lock.unlock();
      if (auto counts = store_.counts(); counts) {
        std::lock_guard status_lock(status_mutex_);
        counts_ = *counts;
      }
      read_outbox_details();
      publish();
      lock.lock();
      continue;
    }
    // While backing off, the heartbeat waits for the next attempt: it must not beat a Retry-After either.
    const TimePoint heartbeat_at = backing_off ? std::max(next_heartbeat, next_send) : next_heartbeat;
    const bool send_due = now >= next_send;
    const bool beat_due = now >= heartbeat_at;
    if (!send_due && !beat_due) {
      // No busy polling: sleeps until due or woken.
      clock_->wait_until(lock, cv_, std::min(next_send, heartbeat_at));
      continue;
    }
    lock.unlock();

    bool stopped = false;
    bool round_ok = false;
    if (send_due) {
      const SyncResult result = round();
      round_ok = result.error == SyncError::None;
      now = clock_->now();
      if (result.error == SyncError::Cancelled) {
        stopped = true;
      } else if (result.error == SyncError::None) {
        backoff_.reset();
        backing_off = false;
        next_send = now + idle_check;
        not_before = now;
      } else {
        backing_off = true;
        next_send = now + backoff_.next_delay(result.retry_after);
        not_before = now;
        if (result.retry_after)
          not_before += std::min<TimePoint::duration>(*result.retry_after, backoff_.policy().cap);
      }
      if (!stopped) record_round(result, backing_off ? std::optional(next_send) : std::nullopt);
    }
    if (!stopped && !backing_off && (clock_->now() >= next_heartbeat || (beat_owed && round_ok))) {
      const SyncError beat = heartbeat_once();
      if (beat != SyncError::Cancelled) {
        next_heartbeat = clock_->now() + heartbeat_every;
        beat_owed = beat != SyncError::None;
      }
    }
    lock.lock();
  }
  exited_ = true;  // under mutex_: stop() waits for it
  lock.unlock();
  exited_cv_.notify_all();
}

void Uploader::publish(bool sending) {
  std::shared_ptr<const SyncStatus> published;
  {
    std::lock_guard lock(status_mutex_);
    SyncStatus next;
    next.state = sending ? SyncState::Sending : state_now();
    next.pending = counts_.pending;
    next.uploaded = counts_.uploaded;
    next.quarantined = counts_.quarantined;
    next.last_success = last_success_;
    next.last_error_kind = !store_error_.empty() ? SyncError::LocalStore : contact_error_;
    next.last_error = !store_error_.empty() ? store_error_ : contact_message_;
    next.next_attempt = next_attempt_;
    next.kiosk_id = kiosk_id_;
    next.site = site_;
    next.surveys_generation = surveys_generation_;
    next.surveys_error = surveys_error_;
    next.oldest_pending_saved_at = oldest_pending_saved_at_;
    next.report_event = report_event_;
    next.report_counted = report_counts_.has_value();
    if (report_counts_) {
      next.report_pending = report_counts_->pending;
      next.report_uploaded = report_counts_->uploaded;
      next.report_quarantined = report_counts_->quarantined;
    }
    next.sequence = status_->sequence;
    if (next == *status_) return;  // nothing visible changed: no new snapshot, no wake-up
    next.sequence += 1;
    status_ = std::make_shared<const SyncStatus>(std::move(next));
  }
  if (wake_) wake_();
}

SyncState Uploader::state_now() const {
  if (!config_.configured()) return SyncState::NotConfigured;
  if (contact_error_ == SyncError::NotAuthorised) return SyncState::NotAuthorised;
  if (contact_error_ == SyncError::Offline || contact_error_ == SyncError::Rejected)
    return SyncState::Offline;
  if (!store_error_.empty()) return SyncState::Offline;
  return SyncState::Idle;
}

}  // namespace fk::uploader
