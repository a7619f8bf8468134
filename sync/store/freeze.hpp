// Shared by every ResponseStore: turning a completed response into the frozen row it is saved as.
#pragma once

#include <string>

#include "sync/model/expected.hpp"
#include "sync/model/response.hpp"
#include "sync/store/response_store.hpp"

namespace fk::store {

// What save() writes: the payload serialised exactly once, its hash, and the display-only save time.
struct FrozenResponse {
  std::string payload;
  std::string payload_hash;
  std::string saved_at;
};

// Validates the identity and bound, then serialises and hashes. Runs outside any lock or transaction:
// it touches no shared state.
Expected<FrozenResponse> freeze(const model::Response& response);

// Cuts a quarantine reason to kMaxQuarantineReasonBytes on a UTF-8 character boundary.
std::string bounded_reason(const std::string& reason);

}  // namespace fk::store
