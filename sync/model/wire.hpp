// The kiosk ↔ centre wire format (JSON over HTTP, documented in sync/central/API.md): upload batches,
// per-item receipts, heartbeats, error bodies, and the limits the centre enforces while parsing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/model/expected.hpp"
#include "sync/model/response.hpp"

namespace fk::model {

// One frozen response in a batch. `payload` is the exact bytes frozen at completion (canonical JSON),
// carried as a JSON string so the centre hashes the very bytes the kiosk hashed.
struct BatchItem {
  std::string uuid;
  std::string sha256;  // lower-case hex SHA-256 of payload
  std::string payload;
};

enum class ItemStatus {
  Created,    // stored now
  Duplicate,  // same UUID, same payload hash already stored: success for the kiosk
  Conflict,   // same UUID, different payload (or another kiosk's UUID): permanent
  Invalid,    // the item is malformed (reason says how): permanent
};
const char* to_string(ItemStatus status);
std::optional<ItemStatus> item_status_from_string(std::string_view s);
// Created and Duplicate both mean "the centre has exactly this response".
inline bool is_delivered(ItemStatus s) {
  return s == ItemStatus::Created || s == ItemStatus::Duplicate;
}

struct ItemResult {
  std::string uuid;
  ItemStatus status = ItemStatus::Invalid;
  std::string reason;  // empty unless conflict/invalid
};

// The centre's answer to a batch: one result per item, in the order sent.
struct Receipt {
  std::string received_at;  // the centre's own clock, ISO 8601 UTC
  std::vector<ItemResult> results;
};

struct Heartbeat {
  std::string app_version;
  std::int64_t pending = 0;
  std::int64_t oldest_pending_age_s = 0;  // 0 when nothing is pending
  std::int64_t quarantined = 0;
  std::string last_error;  // empty when the last sync succeeded
};

// Bounds checked before or while parsing; the centre's defaults, each configurable.
struct WireLimits {
  std::size_t max_body_bytes = 1024 * 1024;  // 1 MiB, after gzip decoding
  std::size_t max_items = 500;               // items per batch
  int max_depth = 4;                         // {"responses":[{"payload":"…"}]} is depth 3
  std::size_t max_string_bytes = 64 * 1024;  // any one JSON string (a payload included)
};

// Why a request body was refused as a whole; `code` is the JSON error code, `http_status` the answer.
struct WireError {
  int http_status = 400;
  std::string code;  // e.g. "invalid_json", "too_deep", "too_many_items", "string_too_long"
  std::string message;
};

std::string encode_batch(const std::vector<BatchItem>& items);
// Strict: the whole body must be {"responses":[{uuid, sha256, payload}, …]} within `limits`; an item whose
// fields are wrong is kept with its problem in `problem` so it gets an "invalid" result, not a 400.
struct DecodedItem {
  BatchItem item;
  std::string problem;  // empty when well-formed
  Response response;    // the payload, parsed once while checking it (valid when problem is empty)
};
Expected<std::vector<DecodedItem>, WireError> decode_batch(std::string_view body, const WireLimits& limits);

std::string encode_receipt(const Receipt& receipt);
// Strict: anything but a well-formed receipt is an error (a captive portal's page is not a receipt).
Expected<Receipt> decode_receipt(std::string_view body);
// A receipt must answer exactly the items sent, in order.
Expected<Ok> check_receipt_matches(const Receipt& receipt, const std::vector<BatchItem>& sent);

std::string encode_heartbeat(const Heartbeat& heartbeat);
Expected<Heartbeat, WireError> decode_heartbeat(std::string_view body, const WireLimits& limits);

// {"error":{"code":…,"message":…}}
std::string encode_error(std::string_view code, std::string_view message);

}  // namespace fk::model
