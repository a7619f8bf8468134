// deliver_pending: the batch loop, the answer table, receipt checks, and splitting on permanent refusals.
#include "sync/uploader/delivery.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "sync/model/utf8.hpp"

namespace fk::uploader {
namespace {

using store::StoredResponse;

std::vector<model::BatchItem> to_items(std::span<const StoredResponse> rows) {
  std::vector<model::BatchItem> items;
  items.reserve(rows.size());
  for (const StoredResponse& row : rows) items.push_back({row.uuid, row.payload_hash, row.payload});
  return items;
}

std::string http_label(long status) {
  return "HTTP " + std::to_string(status);
}

// The parsed {"error":{"code","message"}} body, or nullopt.
struct ErrorBody {
  std::string code;
  std::string message;
};

std::optional<ErrorBody> parse_error_body(std::string_view body) {
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return std::nullopt;
  const auto error = parsed.find("error");
  if (error == parsed.end() || !error->is_object()) return std::nullopt;
  ErrorBody out;
  if (auto code = error->find("code"); code != error->end() && code->is_string())
    out.code = code->get<std::string>();
  if (auto message = error->find("message"); message != error->end() && message->is_string()) {
    out.message = message->get<std::string>();
  }
  return out;
}

// 400s that blame the transfer, not any item (sync/central/API.md): a body cut short or garbled on the way.
// Retried like a timeout; quarantining an item for them would lose it to a flaky link.
bool is_transfer_fault(std::string_view code) {
  return code == "unreadable_body" || code == "bad_request";
}

class Round {
 public:
  Round(store::ResponseStore& store, HttpClient& client, const DeliverySettings& settings,
        const std::atomic<bool>& stop)
      : store_(store), client_(client), settings_(settings), stop_(stop) {
    batch_cap_ = std::max<std::size_t>(1, std::min(settings.batch_size, settings.limits.max_items));
  }

  SyncResult run(const std::function<void()>& before_first_request) {
    bool announced = false;
    for (;;) {
      if (stop_.load()) {
        fail(SyncError::Cancelled, "stopped");
        break;
      }
      auto rows = store_.pending(batch_cap_);
      if (!rows) {
        fail(SyncError::LocalStore, rows.error().message);
        break;
      }
      if (rows->empty()) break;
      if (!announced && before_first_request) before_first_request();
      announced = true;

      const std::size_t progress_before = result_.delivered + result_.quarantined;
      if (!send(*rows)) break;
      // Every answered batch moves at least one item out of pending; if not, the store and the centre
      // disagree, and looping again would send the same batch forever.
      if (result_.delivered + result_.quarantined == progress_before) {
        fail(SyncError::Rejected, "a batch was answered but no response left the outbox");
        break;
      }
    }
    if (auto counts = store_.counts(); counts) {
      result_.counts = *counts;
      result_.pending_left = counts->pending;
    } else if (result_.error == SyncError::None) {
      fail(SyncError::LocalStore, counts.error().message);
    } else {
      result_.message += "; and the outbox could not be counted: " + counts.error().message;
    }
    return std::move(result_);
  }

 private:
  // Sends `rows` (split further when needed). False when the round must stop; result_ says why.
  bool send(std::span<const StoredResponse> rows) {
    if (stop_.load()) return fail(SyncError::Cancelled, "stopped");
    const std::vector<model::BatchItem> items = to_items(rows);
    const std::string body = model::encode_batch(items);
    if (rows.size() > 1 && body.size() > settings_.limits.max_body_bytes) return split(rows);

    ++result_.requests;
    auto reply = client_.post_json(settings_.responses_url, body, settings_.token);
    if (!reply) {
      const TransportError& e = reply.error();
      if (e.kind == TransportErrorKind::Cancelled) return fail(SyncError::Cancelled, "stopped");
      return fail(SyncError::Offline,
                  std::string("no answer from the centre (") + to_string(e.kind) + "): " + e.message);
    }
    const HttpResponse& answer = *reply;
    const std::string detail = describe_error_body(answer.body);
    const std::string what = http_label(answer.status) + (detail.empty() ? "" : " " + detail);

    switch (classify(answer.status)) {
      case AnswerClass::Receipt:
        return apply_receipt(answer, items);
      case AnswerClass::NotAReceipt:
        return fail(SyncError::Offline,
                    http_label(answer.status) + " is not a receipt (a Wi-Fi login page?)");
      case AnswerClass::Redirect:
        return fail(SyncError::Offline, http_label(answer.status) + " redirect to '" +
                                            bounded_text(answer.location, kMaxErrorDetailBytes) +
                                            "' not followed (a Wi-Fi login page?)");
      case AnswerClass::Unauthorised:
        return fail(SyncError::NotAuthorised, "the centre refused this kiosk's token: " + what);
      case AnswerClass::Transient:
        result_.retry_after = answer.retry_after;
        return fail(SyncError::Offline, "the centre is unavailable: " + what);
      case AnswerClass::Unexpected:
        return fail(SyncError::Rejected, "unexpected answer from the centre: " + what);
      case AnswerClass::RefusedBatch:
        if (answer.status == 400) {
          const auto error = parse_error_body(answer.body);
          if (error && is_transfer_fault(error->code)) {
            return fail(SyncError::Offline, "the centre could not read the request: " + what);
          }
        }
        if (rows.size() > 1) {
          // Too large for the centre: later batches this round start at the size that fits.
          if (answer.status == 413) batch_cap_ = std::min(batch_cap_, rows.size() / 2);
          return split(rows);
        }
        return quarantine(rows.front().uuid, "refused by the centre: " + what);
    }
    return fail(SyncError::Rejected, "unclassified answer: " + what);
  }

  bool split(std::span<const StoredResponse> rows) {
    const std::size_t half = rows.size() / 2;
    return send(rows.first(half)) && send(rows.subspan(half));
  }

  bool apply_receipt(const HttpResponse& answer, const std::vector<model::BatchItem>& sent) {
    if (answer.body_truncated) return fail(SyncError::Offline, "201 with an oversized body is not a receipt");
    auto receipt = model::decode_receipt(answer.body);
    if (!receipt) return fail(SyncError::Offline, "201 without a valid receipt: " + receipt.error().message);
    if (auto matches = model::check_receipt_matches(*receipt, sent); !matches) {
      return fail(SyncError::Offline,
                  "the receipt does not answer the batch sent: " + matches.error().message);
    }
    ++result_.receipts;

    std::vector<std::string> delivered;
    std::vector<const model::ItemResult*> refused;
    for (const model::ItemResult& item : receipt->results) {
      if (model::is_delivered(item.status))
        delivered.push_back(item.uuid);
      else
        refused.push_back(&item);
    }
    // One local transaction for the whole batch (guarantee 2).
    if (!delivered.empty()) {
      if (auto marked = store_.mark_uploaded(delivered); !marked) {
        return fail(SyncError::LocalStore, marked.error().message);
      }
      result_.delivered += delivered.size();
    }
    for (const model::ItemResult* item : refused) {
      std::string reason = std::string(model::to_string(item->status));
      if (!item->reason.empty()) reason += ": " + item->reason;
      if (!quarantine(item->uuid, reason)) return false;
    }
    return true;
  }

  bool quarantine(const std::string& uuid, const std::string& reason) {
    if (auto moved = store_.quarantine(uuid, reason); !moved) {
      return fail(SyncError::LocalStore, moved.error().message);
    }
    ++result_.quarantined;
    return true;
  }

  bool fail(SyncError error, std::string message) {
    result_.error = error;
    result_.message = bounded_text(std::move(message), kMaxMessageBytes);
    return false;
  }

  store::ResponseStore& store_;
  HttpClient& client_;
  const DeliverySettings& settings_;
  const std::atomic<bool>& stop_;
  std::size_t batch_cap_ = 1;
  SyncResult result_;
};

}  // namespace

AnswerClass classify(long http_status) {
  switch (http_status) {
    case 201:
      return AnswerClass::Receipt;
    case 401:
    case 403:
      return AnswerClass::Unauthorised;
    case 400:
    case 409:
    case 413:
    case 422:
      return AnswerClass::RefusedBatch;
    case 408:
    case 429:
      return AnswerClass::Transient;
    default:
      break;
  }
  if (http_status >= 200 && http_status < 300) return AnswerClass::NotAReceipt;
  if (http_status >= 300 && http_status < 400) return AnswerClass::Redirect;
  if (http_status >= 500 && http_status < 600) return AnswerClass::Transient;
  return AnswerClass::Unexpected;
}

std::string bounded_text(std::string text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  static constexpr std::string_view kEllipsis = "…";
  std::size_t cut = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  // Back up to the first byte of a character, so no code point is split.
  while (cut > 0 && model::is_continuation_byte(static_cast<unsigned char>(text[cut]))) --cut;
  text.resize(cut);
  text += kEllipsis;
  return text;
}

std::string describe_error_body(std::string_view body) {
  const auto error = parse_error_body(body);
  if (!error) return {};
  std::string out = error->code;
  if (!error->message.empty()) out += (out.empty() ? "" : ": ") + error->message;
  return bounded_text(std::move(out), kMaxErrorDetailBytes);
}

SyncResult deliver_pending(store::ResponseStore& store, HttpClient& client, const DeliverySettings& settings,
                           const std::atomic<bool>& stop, const std::function<void()>& before_first_request) {
  return Round(store, client, settings, stop).run(before_first_request);
}

}  // namespace fk::uploader
