// One sync round: drain the outbox oldest-first in batches to POST /api/v1/responses and act on each answer
// (DESIGN.md guarantees 2-4). Only a 201 whose receipt is well-formed and answers exactly the batch sent
// counts; delivered items flip to uploaded in one transaction per batch; permanent refusals are narrowed
// down by splitting the batch until one item carries the blame, which is then quarantined with the reason.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "sync/model/wire.hpp"
#include "sync/store/response_store.hpp"
#include "sync/uploader/http_client.hpp"
#include "sync/uploader/sync_status.hpp"

namespace fk::uploader {

struct DeliverySettings {
  std::string responses_url;  // …/api/v1/responses
  std::string token;
  std::size_t batch_size = 500;  // as UploaderConfig (kDefaultBatchSize)
  model::WireLimits limits;      // the centre's: batches hold at most max_items, and are split to stay under
                                 // max_body_bytes (a single item goes as it is; the centre decides)
};

// How the round treats each HTTP status of a batch upload.
enum class AnswerClass {
  Receipt,       // 201: check the receipt
  NotAReceipt,   // any other 2xx (a captive portal's 200): offline
  Redirect,      // 3xx: never followed; offline
  Unauthorised,  // 401, 403
  RefusedBatch,  // 400, 409, 413, 422: permanent for this request; split, or quarantine a single item
                 // (except a 400 whose code blames the transfer — unreadable_body, bad_request — which is
                 // transient)
  Transient,     // 408, 429, 5xx
  Unexpected,    // anything else (404, 411, 415, …): rejected, retried with back-off. These blame the
                 // request's form (URL, encoding) — this program, not an item — so nothing is quarantined
};
AnswerClass classify(long http_status);

// Messages carry text the server chose (an error body, a Location): they are cut to these bounds.
inline constexpr std::size_t kMaxErrorDetailBytes = 512;
inline constexpr std::size_t kMaxMessageBytes = 1024;

// `text` cut to at most `max_bytes` on a UTF-8 character boundary, with "…" appended when it was cut.
std::string bounded_text(std::string text, std::size_t max_bytes);

// The "code: message" of a {"error":{"code","message"}} body (at most kMaxErrorDetailBytes), or "" when the
// body is not one (an HTML page is never copied into a quarantine reason).
std::string describe_error_body(std::string_view body);

// Runs one round until the outbox is empty, something stops it, or `stop` turns true (checked between
// requests; HttpClient::cancel ends a request in flight). `before_first_request` runs once, just before the
// first request of a round that has something to send (the uploader publishes "sending" there).
SyncResult deliver_pending(store::ResponseStore& store, HttpClient& client, const DeliverySettings& settings,
                           const std::atomic<bool>& stop, const std::function<void()>& before_first_request);

}  // namespace fk::uploader
