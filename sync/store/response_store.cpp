// Parts of the store contract shared by every implementation.
#include "sync/store/response_store.hpp"

#include "sync/store/freeze.hpp"

namespace fk::store {

const char* to_string(Status status) {
  switch (status) {
    case Status::Pending:
      return "pending";
    case Status::Uploaded:
      return "uploaded";
    case Status::Quarantined:
      return "quarantined";
  }
  return "unknown";
}

std::optional<Status> parse_status(std::string_view text) {
  if (text == "pending") return Status::Pending;
  if (text == "uploaded") return Status::Uploaded;
  if (text == "quarantined") return Status::Quarantined;
  return std::nullopt;
}

Expected<FrozenResponse> freeze(const model::Response& response) {
  // The UUID is the response's identity at the centre; a row without a real one could never be receipted.
  if (!model::is_uuid(response.uuid)) {
    return Error{"cannot save response: uuid '" + response.uuid + "' is not a UUID"};
  }
  FrozenResponse frozen;
  frozen.payload = model::serialise(response);  // the one and only serialisation of this response
  if (frozen.payload.size() > kMaxPayloadBytes) {
    return Error{"cannot save response " + response.uuid + ": payload of " +
                 std::to_string(frozen.payload.size()) + " bytes exceeds the limit of " +
                 std::to_string(kMaxPayloadBytes)};
  }
  frozen.payload_hash = model::payload_hash(frozen.payload);
  frozen.saved_at = model::utc_now_iso8601();
  return frozen;
}

std::string bounded_reason(const std::string& reason) {
  if (reason.size() <= kMaxQuarantineReasonBytes) return reason;
  std::size_t end = kMaxQuarantineReasonBytes;
  // Step back over continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && (static_cast<unsigned char>(reason[end]) & 0xC0U) == 0x80U) --end;
  return reason.substr(0, end);
}

}  // namespace fk::store
