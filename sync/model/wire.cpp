// The kiosk ↔ centre wire codec: batches, receipts, heartbeats and error bodies, with the centre's limits
// enforced while parsing so that a hostile body is refused before it costs memory or time.
#include "sync/model/wire.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "sync/model/response.hpp"

namespace fk::model {

namespace {

using nlohmann::json;

// Thrown from inside the parser callback: nlohmann's callback can only discard values, not stop the parse,
// so an exception is how a limit aborts it at the first offending token.
struct LimitExceeded {
  WireError error;
};

WireError wire_error(int status, std::string code, std::string message) {
  return WireError{status, std::move(code), std::move(message)};
}

// Parses `body` as JSON, refusing nesting deeper than limits.max_depth, any string (key or value) longer
// than limits.max_string_bytes, duplicate keys (which JSON leaves ambiguous), and — when `counted_key` is
// given — more than limits.max_items elements in the top-level array under that key.
Expected<json, WireError> parse_bounded(std::string_view body, const WireLimits& limits,
                                        std::string_view counted_key) {
  if (body.size() > limits.max_body_bytes) {
    return wire_error(413, "body_too_large",
                      "body is " + std::to_string(body.size()) + " bytes; the limit is " +
                          std::to_string(limits.max_body_bytes));
  }
  // One frame per open container; objects remember their keys to spot duplicates. The depth limit keeps
  // this stack small.
  struct Frame {
    bool is_object = false;
    std::set<std::string> keys;
  };
  std::vector<Frame> open;
  std::string top_key;    // the last key seen in the top-level object
  bool counting = false;  // inside the top-level array under counted_key
  std::size_t items = 0;

  const auto check_string = [&limits](const std::string& s, const char* what) {
    if (s.size() > limits.max_string_bytes) {
      throw LimitExceeded{wire_error(400, "string_too_long",
                                     std::string("a JSON ") + what + " is " + std::to_string(s.size()) +
                                         " bytes; the limit is " + std::to_string(limits.max_string_bytes))};
    }
  };
  // Every element of the counted array announces itself at depth 2 as a value or a container start.
  const auto count_element = [&](int depth) {
    if (!counting || depth != 2) return;
    if (++items > limits.max_items) {
      throw LimitExceeded{wire_error(
          413, "too_many_items", "more than " + std::to_string(limits.max_items) + " items in one batch")};
    }
  };

  const json::parser_callback_t callback = [&](int depth, json::parse_event_t event, json& parsed) -> bool {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start: {
        count_element(depth);
        // `depth` counts the containers around this one; this one is level depth + 1.
        if (depth + 1 > limits.max_depth) {
          throw LimitExceeded{wire_error(
              400, "too_deep", "JSON nesting deeper than " + std::to_string(limits.max_depth) + " levels")};
        }
        const bool is_object = event == json::parse_event_t::object_start;
        if (!is_object && depth == 1) counting = !counted_key.empty() && top_key == counted_key;
        open.push_back(Frame{is_object, {}});
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!open.empty()) open.pop_back();
        if (depth == 1 && event == json::parse_event_t::array_end) counting = false;
        break;
      case json::parse_event_t::key: {
        const auto& key = parsed.get_ref<const std::string&>();
        check_string(key, "key");
        if (!open.empty() && !open.back().keys.insert(key).second) {
          throw LimitExceeded{wire_error(400, "invalid_json", "duplicate key \"" + key + "\"")};
        }
        if (depth == 1) top_key = key;
        break;
      }
      case json::parse_event_t::value:
        count_element(depth);
        if (parsed.is_string()) check_string(parsed.get_ref<const std::string&>(), "string");
        break;
    }
    return true;
  };

  try {
    json j = json::parse(body.begin(), body.end(), callback, /*allow_exceptions=*/false);
    // Invalid UTF-8 inside a string is a lexer error too, so it lands here.
    if (j.is_discarded()) return wire_error(400, "invalid_json", "the body is not valid JSON (UTF-8)");
    return j;
  } catch (const LimitExceeded& e) {
    return e.error;
  } catch (const std::exception& e) {
    return wire_error(400, "invalid_json", std::string("the body cannot be read as JSON: ") + e.what());
  }
}

bool is_lower_hex_sha256(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// Fills what it can of `out.item` (so the receipt can echo the UUID) and returns the first problem found.
std::string read_batch_item(const json& j, DecodedItem& out) {
  if (!j.is_object()) return "item is not a JSON object";
  // Echo whatever string fields there are, even on a problem: the kiosk matches results by UUID.
  for (auto [key, field] : {std::pair{"uuid", &out.item.uuid}, std::pair{"sha256", &out.item.sha256},
                            std::pair{"payload", &out.item.payload}}) {
    const auto it = j.find(key);
    if (it != j.end() && it->is_string()) *field = it->get<std::string>();
  }
  for (const char* key : {"uuid", "sha256", "payload"}) {
    const auto it = j.find(key);
    if (it == j.end()) return std::string("item is missing \"") + key + "\"";
    if (!it->is_string()) return std::string("item.") + key + " must be a string";
  }
  for (const auto& entry : j.items()) {
    const std::string& key = entry.key();
    if (key != "uuid" && key != "sha256" && key != "payload")
      return "item has an unknown key \"" + key + "\"";
  }
  if (!is_uuid(out.item.uuid)) return "item.uuid is not a lower-case UUID";
  if (!is_lower_hex_sha256(out.item.sha256)) return "item.sha256 is not 64 lower-case hex digits";
  if (payload_hash(out.item.payload) != out.item.sha256) return "item.sha256 does not match the payload";
  auto response = parse_response(out.item.payload);
  if (!response) return "payload: " + response.error().message;
  if (response->uuid != out.item.uuid) return "the payload's uuid differs from item.uuid";
  out.response = std::move(*response);  // kept, so the centre need not parse the payload again
  return {};
}

std::optional<std::int64_t> non_negative_int(const json& value) {
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (value.is_number_integer()) {
    const auto i = value.get<std::int64_t>();
    if (i >= 0) return i;
  }
  return std::nullopt;
}

}  // namespace

const char* to_string(ItemStatus status) {
  switch (status) {
    case ItemStatus::Created:
      return "created";
    case ItemStatus::Duplicate:
      return "duplicate";
    case ItemStatus::Conflict:
      return "conflict";
    case ItemStatus::Invalid:
      return "invalid";
  }
  return "invalid";
}

std::optional<ItemStatus> item_status_from_string(std::string_view s) {
  for (ItemStatus status :
       {ItemStatus::Created, ItemStatus::Duplicate, ItemStatus::Conflict, ItemStatus::Invalid}) {
    if (s == to_string(status)) return status;
  }
  return std::nullopt;
}

std::string encode_batch(const std::vector<BatchItem>& items) {
  json list = json::array();
  for (const BatchItem& item : items) {
    list.push_back(json{{"uuid", item.uuid}, {"sha256", item.sha256}, {"payload", item.payload}});
  }
  // Frozen payloads are valid UTF-8 (serialise replaces bad bytes), so strict dumping cannot throw for them;
  // replace anyway so that a corrupt row yields an "invalid" item instead of an exception here.
  return json{{"responses", std::move(list)}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

Expected<std::vector<DecodedItem>, WireError> decode_batch(std::string_view body, const WireLimits& limits) {
  auto parsed = parse_bounded(body, limits, "responses");
  if (!parsed) return parsed.error();
  const json& j = *parsed;
  if (!j.is_object() || j.size() != 1 || !j.contains("responses") || !j.at("responses").is_array()) {
    return wire_error(400, "invalid_batch", "the body must be {\"responses\":[…]} and nothing else");
  }
  std::vector<DecodedItem> items;
  items.reserve(j.at("responses").size());
  for (const json& element : j.at("responses")) {
    DecodedItem decoded;
    decoded.problem = read_batch_item(element, decoded);
    items.push_back(std::move(decoded));
  }
  return items;
}

std::string encode_receipt(const Receipt& receipt) {
  json results = json::array();
  for (const ItemResult& r : receipt.results) {
    json one{{"uuid", r.uuid}, {"status", to_string(r.status)}};
    if (!r.reason.empty()) one["reason"] = r.reason;
    results.push_back(std::move(one));
  }
  // A UUID echoed from a bad item may hold any bytes; replace rather than throw while answering.
  return json{{"received_at", receipt.received_at}, {"results", std::move(results)}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

Expected<Receipt> decode_receipt(std::string_view body) {
  const json j = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error{"the receipt is not valid JSON"};
  // Unknown keys are tolerated on purpose: a newer centre may add a field, and refusing it would make every
  // older kiosk treat real receipts as "offline" forever. The required keys are what proves a receipt.
  if (!j.is_object()) return Error{"the receipt is not a JSON object"};
  const auto received_at = j.find("received_at");
  if (received_at == j.end() || !received_at->is_string() ||
      received_at->get_ref<const std::string&>().empty())
    return Error{"the receipt has no received_at string"};
  const auto results = j.find("results");
  if (results == j.end() || !results->is_array()) return Error{"the receipt has no results array"};
  Receipt receipt;
  receipt.received_at = received_at->get<std::string>();
  for (std::size_t i = 0; i < results->size(); ++i) {
    const json& r = (*results)[i];
    const std::string where = "receipt.results[" + std::to_string(i) + "]";
    if (!r.is_object()) return Error{where + " is not an object"};
    const auto uuid = r.find("uuid");
    const auto status = r.find("status");
    const auto reason = r.find("reason");
    if (uuid == r.end() || !uuid->is_string()) return Error{where + " has no uuid string"};
    if (status == r.end() || !status->is_string()) return Error{where + " has no status string"};
    if (reason != r.end() && !reason->is_string()) return Error{where + ".reason must be a string"};
    const auto parsed_status = item_status_from_string(status->get_ref<const std::string&>());
    if (!parsed_status) return Error{where + " has an unknown status \"" + status->get<std::string>() + "\""};
    ItemResult result;
    result.uuid = uuid->get<std::string>();
    result.status = *parsed_status;
    if (reason != r.end()) result.reason = reason->get<std::string>();
    receipt.results.push_back(std::move(result));
  }
  return receipt;
}

Expected<Ok> check_receipt_matches(const Receipt& receipt, const std::vector<BatchItem>& sent) {
  if (receipt.results.size() != sent.size()) {
    return Error{"the receipt answers " + std::to_string(receipt.results.size()) + " items; " +
                 std::to_string(sent.size()) + " were sent"};
  }
  for (std::size_t i = 0; i < sent.size(); ++i) {
    if (receipt.results[i].uuid != sent[i].uuid) {
      return Error{"receipt result " + std::to_string(i) + " is for " + receipt.results[i].uuid + ", not " +
                   sent[i].uuid};
    }
  }
  return Ok{};
}

std::string encode_heartbeat(const Heartbeat& heartbeat) {
  return json{{"app_version", heartbeat.app_version},
              {"pending", heartbeat.pending},
              {"oldest_pending_age_s", heartbeat.oldest_pending_age_s},
              {"quarantined", heartbeat.quarantined},
              {"last_error", heartbeat.last_error}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

Expected<Heartbeat, WireError> decode_heartbeat(std::string_view body, const WireLimits& limits) {
  auto parsed = parse_bounded(body, limits, {});
  if (!parsed) return parsed.error();
  const json& j = *parsed;
  const auto invalid = [](const std::string& message) {
    return wire_error(400, "invalid_heartbeat", message);
  };
  if (!j.is_object()) return invalid("the heartbeat must be a JSON object");
  for (const auto& entry : j.items()) {
    const std::string& key = entry.key();
    if (key != "app_version" && key != "pending" && key != "oldest_pending_age_s" && key != "quarantined" &&
        key != "last_error")
      return invalid("the heartbeat has an unknown key \"" + key + "\"");
  }
  Heartbeat hb;
  const auto app_version = j.find("app_version");
  if (app_version == j.end() || !app_version->is_string()) return invalid("app_version must be a string");
  hb.app_version = app_version->get<std::string>();
  for (auto [key, out] :
       {std::pair{"pending", &hb.pending}, std::pair{"oldest_pending_age_s", &hb.oldest_pending_age_s},
        std::pair{"quarantined", &hb.quarantined}}) {
    const auto it = j.find(key);
    const auto value = it == j.end() ? std::nullopt : non_negative_int(*it);
    if (!value) return invalid(std::string(key) + " must be a non-negative integer");
    *out = *value;
  }
  // last_error may be left out: a kiosk with nothing to report need not send an empty string.
  if (const auto last_error = j.find("last_error"); last_error != j.end()) {
    if (!last_error->is_string()) return invalid("last_error must be a string");
    hb.last_error = last_error->get<std::string>();
  }
  return hb;
}

std::string encode_error(std::string_view code, std::string_view message) {
  return json{{"error", {{"code", code}, {"message", message}}}}.dump(-1, ' ', false,
                                                                      json::error_handler_t::replace);
}

}  // namespace fk::model
