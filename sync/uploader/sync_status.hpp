// What one sync round did (SyncResult) and what the kiosk may show about syncing (SyncStatus): plain values
// the uploader hands out and never changes afterwards.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "sync/store/response_store.hpp"

namespace fk::uploader {

// Why a round stopped early (None: it drained the outbox).
enum class SyncError {
  None,
  NotConfigured,  // no central URL or token: nothing was attempted
  Offline,        // transient — connect error, timeout, 408, 429, 5xx, or an answer that is not a receipt
                  // (a Wi-Fi login page's 200, a redirect, a receipt for other items): retried with back-off
  NotAuthorised,  // 401/403: the token was refused. Nothing is quarantined; responses stay pending
  Rejected,       // a status no item explains (404, 415, …): retried with back-off, shown to staff
  LocalStore,     // the outbox could not be read or updated
  Cancelled,      // stop() ended the round
};
const char* to_string(SyncError error);

struct SyncResult {
  std::size_t delivered = 0;    // flipped to uploaded this round (the centre said created or duplicate)
  std::size_t quarantined = 0;  // moved to quarantine this round (conflict, invalid, or refused on its own)
  std::int64_t pending_left =
      -1;  // responses still pending after the round; -1 when they could not be counted
  std::optional<store::StatusCounts> counts;  // the outbox after the round; nullopt when counting failed
  SyncError error = SyncError::None;
  std::string message;  // what went wrong, for a log line or the staff screen; empty when error is None
  std::optional<std::chrono::seconds> retry_after;  // the centre's Retry-After on the failing answer
  std::size_t requests = 0;                         // HTTP requests made
  std::size_t receipts = 0;  // receipts accepted (201, well-formed, matching the batch)
  // The survey fetch after a round that went well (survey_fetch.hpp): not part of error/complete().
  bool surveys_checked = false;  // it was attempted
  bool surveys_updated = false;  // a new set of surveys landed on disk
  std::string surveys_error;     // why the last set was kept (empty when checked and fine)
  std::string site;              // the site the centre named with the surveys

  // True when nothing failed and nothing is left to send: `feedback-kiosk sync --once` exits 0 on this.
  bool complete() const { return error == SyncError::None && pending_left == 0; }
};

enum class SyncState {
  NotConfigured,  // not enrolled: no central URL or token
  Idle,           // the last contact with the centre went well; nothing being sent right now
  Sending,        // a round with something to send is under way
  Offline,        // the centre could not be reached or did not give a receipt; retrying with back-off
  NotAuthorised,  // the centre refused the kiosk's token (401/403): staff must re-enrol
};
const char* to_string(SyncState state);

// An immutable snapshot for the UI thread; a new one replaces it whenever something visible changes.
struct SyncStatus {
  SyncState state = SyncState::NotConfigured;
  std::int64_t pending = 0;
  std::int64_t uploaded = 0;  // confirmed by the centre (liaisons see this count)
  std::int64_t quarantined = 0;
  std::string last_success;  // wall clock (ISO 8601 UTC) of the last receipt or accepted heartbeat; display
                             // only. Empty when there was none since start.
  SyncError last_error_kind = SyncError::None;
  std::string last_error;  // empty once a contact succeeds again
  // When the next attempt is due while backing off (monotonic clock; nullopt otherwise).
  std::optional<std::chrono::steady_clock::time_point> next_attempt;
  // Who the centre says this kiosk is (from heartbeats and survey fetches); empty until it said so.
  std::string kiosk_id;
  std::string site;
  // Grows by one each time a new set of surveys from the centre landed under surveys_dir: the UI thread
  // compares it with the last value it saw and asks its SurveySource to look again.
  std::uint64_t surveys_generation = 0;
  std::string surveys_error;   // why the centre's latest surveys were not taken; empty when they were
  std::uint64_t sequence = 0;  // grows by one per published snapshot
  // Read with the counts, on the uploader's thread, so the staff screen queries nothing in a frame:
  // the oldest pending response's saved_at (wall clock, display only; the reader works out its age), empty
  // when nothing is pending or it could not be read…
  std::string oldest_pending_saved_at;
  // …and the counts by status of the event the staff desk reports on (Uploader::report_event); all 0 and
  // report_counted false until the thread has counted it.
  std::string report_event;
  bool report_counted = false;
  std::int64_t report_pending = 0;
  std::int64_t report_uploaded = 0;
  std::int64_t report_quarantined = 0;

  bool operator==(const SyncStatus&) const = default;
};

}  // namespace fk::uploader
