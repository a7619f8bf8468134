// The kiosk's outbox of completed responses: the store interface every implementation honours.
// A response is frozen on save (payload serialised once, with its hash) and then only its status moves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/model/expected.hpp"
#include "sync/model/response.hpp"

namespace fk::store {

enum class Status { Pending, Uploaded, Quarantined };
const char* to_string(Status status);
// Inverse of to_string ("pending", "uploaded", "quarantined"); nullopt for anything else.
std::optional<Status> parse_status(std::string_view text);

// No real response comes near this; a payload beyond it is a bug upstream, refused rather than stored.
inline constexpr std::size_t kMaxPayloadBytes = 1024 * 1024;
// A quarantine reason is often a server's error text: longer ones are cut (on a UTF-8 boundary) to this.
inline constexpr std::size_t kMaxQuarantineReasonBytes = 2048;

struct StoredResponse {
  std::int64_t seq = 0;  // local monotonic sequence: the only ordering (never the wall clock)
  std::string uuid;
  std::string survey_id;
  std::int64_t survey_version = 0;
  bool partial = false;
  std::string payload;       // frozen bytes, exactly as uploaded
  std::string payload_hash;  // SHA-256 hex of payload
  Status status = Status::Pending;
  std::string quarantine_reason;
  std::string saved_at;  // wall clock, display only
  std::string event;     // the event it was collected for (model::Response::event); empty in the lobby
};

struct StatusCounts {
  std::int64_t pending = 0;
  std::int64_t uploaded = 0;
  std::int64_t quarantined = 0;
  std::int64_t total() const { return pending + uploaded + quarantined; }
};

enum class SaveOutcome {
  Created,        // a new row, durable when save() returns
  AlreadyStored,  // this UUID was already saved (e.g. a double tap): nothing written
};

class ResponseStore {
 public:
  virtual ~ResponseStore() = default;

  // Serialises `response` once, freezes payload + hash, status pending. Durable (COMMIT returned) on success.
  // Saving a UUID that is already stored writes nothing and returns AlreadyStored.
  // A response whose uuid is not a UUID, or whose payload exceeds kMaxPayloadBytes, is an Error.
  virtual Expected<SaveOutcome> save(const model::Response& response) = 0;

  // Oldest first by sequence, at most `limit`.
  virtual Expected<std::vector<StoredResponse>> pending(std::size_t limit) {
    return list(Status::Pending, limit);
  }
  // Responses in one status, oldest first by sequence, at most `limit` (e.g. quarantined ones for `status`).
  virtual Expected<std::vector<StoredResponse>> list(Status status, std::size_t limit) = 0;

  // Flips every listed pending response to uploaded in one transaction (all or none).
  // Already uploaded ones are left as they are (a repeated receipt); an unknown or quarantined UUID is an
  // Error and nothing changes.
  virtual Expected<Ok> mark_uploaded(const std::vector<std::string>& uuids) = 0;

  // Moves one response to quarantine with the reason (a permanent rejection by the centre).
  // Re-quarantining replaces the reason; an unknown or already uploaded UUID is an Error.
  virtual Expected<Ok> quarantine(const std::string& uuid, const std::string& reason) = 0;

  virtual Expected<std::optional<StoredResponse>> find(const std::string& uuid) = 0;
  virtual Expected<StatusCounts> counts() = 0;
  // The responses collected for `event`, by status: the liaison's event report. Both real stores implement
  // it; the default is for test doubles that wrap a store for other purposes.
  virtual Expected<StatusCounts> event_counts(const std::string& event) {
    return Error{"this store cannot count the responses of event '" + event + "'"};
  }
};

}  // namespace fk::store
