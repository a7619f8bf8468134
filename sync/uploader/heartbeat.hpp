// The kiosk's heartbeat (POST /api/v1/kiosks/heartbeat): app version and backlog, so the centre's fleet view
// shows which kiosks are behind.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

#include "sync/model/wire.hpp"
#include "sync/store/response_store.hpp"
#include "sync/uploader/http_client.hpp"
#include "sync/uploader/sync_status.hpp"

namespace fk::uploader {

// Seconds from a saved_at stamp (ISO 8601 UTC, e.g. 2026-11-22T07:39:02Z) to `now`; 0 when the stamp is
// unreadable or in the future. Wall clock: the figure is for the fleet display only (guarantee 5).
std::int64_t age_seconds(const std::string& saved_at, std::time_t now);

// Reads counts and the oldest pending response from the outbox.
Expected<model::Heartbeat> build_heartbeat(store::ResponseStore& store, const std::string& app_version,
                                           const std::string& last_error, std::time_t now);

// Any 2xx is accepted (a heartbeat carries nothing that could be lost); 401/403 → NotAuthorised; other
// answers and transport errors → Offline. `message` is empty on success.
struct HeartbeatOutcome {
  SyncError error = SyncError::None;
  std::string message;
  // Who the centre says this kiosk is, from an accepted heartbeat's answer (empty when it did not say).
  std::string kiosk_id{};
  std::string site{};
};
HeartbeatOutcome send_heartbeat(HttpClient& client, const std::string& url, const std::string& token,
                                const model::Heartbeat& heartbeat);

}  // namespace fk::uploader
