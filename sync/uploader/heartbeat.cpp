// Heartbeat: build from the outbox, send, read the answer.
#include "sync/uploader/heartbeat.hpp"

#include <time.h>

#include <nlohmann/json.hpp>

#include "sync/uploader/delivery.hpp"

namespace fk::uploader {

std::int64_t age_seconds(const std::string& saved_at, std::time_t now) {
  std::tm tm{};
  const char* end = strptime(saved_at.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == nullptr || *end != '\0') return 0;
  const std::time_t then = timegm(&tm);
  if (then == -1 || then > now) return 0;
  return static_cast<std::int64_t>(now - then);
}

Expected<model::Heartbeat> build_heartbeat(store::ResponseStore& store, const std::string& app_version,
                                           const std::string& last_error, std::time_t now) {
  auto counts = store.counts();
  if (!counts) return counts.error();
  model::Heartbeat beat;
  beat.app_version = app_version;
  beat.pending = counts->pending;
  beat.quarantined = counts->quarantined;
  beat.last_error = bounded_text(last_error, kMaxMessageBytes);
  if (counts->pending > 0) {
    auto oldest = store.pending(1);
    if (!oldest) return oldest.error();
    if (!oldest->empty()) beat.oldest_pending_age_s = age_seconds(oldest->front().saved_at, now);
  }
  return beat;
}

HeartbeatOutcome send_heartbeat(HttpClient& client, const std::string& url, const std::string& token,
                                const model::Heartbeat& heartbeat) {
  auto reply = client.post_json(url, model::encode_heartbeat(heartbeat), token);
  if (!reply) {
    const TransportError& e = reply.error();
    if (e.kind == TransportErrorKind::Cancelled) return {SyncError::Cancelled, "stopped"};
    return {SyncError::Offline,
            std::string("heartbeat: no answer (") + to_string(e.kind) + "): " + e.message};
  }
  const long status = reply->status;
  if (status >= 200 && status < 300) {
    HeartbeatOutcome accepted;
    const nlohmann::json j = nlohmann::json::parse(reply->body, nullptr, false);
    if (j.is_object()) {
      if (auto it = j.find("kiosk_id"); it != j.end() && it->is_string())
        accepted.kiosk_id = it->get<std::string>();
      if (auto it = j.find("site"); it != j.end() && it->is_string()) accepted.site = it->get<std::string>();
    }
    return accepted;
  }
  const std::string detail = describe_error_body(reply->body);
  const std::string what = "HTTP " + std::to_string(status) + (detail.empty() ? "" : " " + detail);
  if (status == 401 || status == 403) return {SyncError::NotAuthorised, "heartbeat refused: " + what};
  return {SyncError::Offline, "heartbeat not accepted: " + what};
}

}  // namespace fk::uploader
