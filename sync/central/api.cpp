// Endpoint logic: authentication, admission, ingest, heartbeat and fleet status, each answering a status
// and a JSON body. A refused request never reaches the store's write path, so it writes no row.
#include "sync/central/api.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "sync/central/tokens.hpp"
#include "sync/model/response.hpp"

namespace fk::central {
namespace {

using nlohmann::json;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// "application/json; charset=utf-8" → "application/json".
std::string media_type(std::string_view content_type) {
  std::string type = lower(content_type.substr(0, content_type.find(';')));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.erase(type.begin());
  return type;
}

ApiReply wire_error_reply(const model::WireError& e) { return error_reply(e.http_status, e.code, e.message); }

// The fields the centre files a response under, from the payload decode_batch parsed and checked.
IngestItem to_ingest_item(model::DecodedItem decoded) {
  IngestItem item;
  item.uuid = std::move(decoded.item.uuid);
  item.payload_sha256 = std::move(decoded.item.sha256);
  item.payload = std::move(decoded.item.payload);
  item.problem = std::move(decoded.problem);
  if (!item.problem.empty()) return item;
  model::Response& response = decoded.response;
  item.survey_id = std::move(response.survey_id);
  item.survey_version = response.survey_version;
  item.language = std::move(response.language);
  item.partial = response.partial;
  item.completed_at = std::move(response.completed_at);
  return item;
}

json kiosk_json(const KioskRecord& k) {
  return json{{"id", k.id},
              {"site", k.site},
              {"revoked", k.revoked},
              {"created_at", k.created_at},
              {"last_seen_at", k.last_seen_at.empty() ? json(nullptr) : json(k.last_seen_at)},
              {"app_version", k.app_version},
              {"pending", k.pending},
              {"oldest_pending_age_s", k.oldest_pending_age_s},
              {"quarantined", k.quarantined},
              {"last_error", k.last_error}};
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

ApiReply error_reply(int status, std::string_view code, std::string_view message, int retry_after_s) {
  return ApiReply{status, model::encode_error(code, message), retry_after_s};
}

ApiReply generic_error_reply(int status) {
  switch (status) {
    case 400: return error_reply(400, "bad_request", "the request could not be read");
    case 404: return error_reply(404, "not_found", "no such endpoint");
    case 405: return error_reply(405, "method_not_allowed", "method not allowed on this endpoint");
    case 408: return error_reply(408, "timeout", "the request took too long to arrive");
    case 413: return error_reply(413, "body_too_large", "the request body is too large");
    case 414: return error_reply(414, "uri_too_long", "the request URI is too long");
    case 415: return error_reply(415, "unsupported_media_type", "unsupported content type or encoding");
    case 416: return error_reply(416, "bad_range", "range not satisfiable");
    default: break;
  }
  if (status >= 500) return error_reply(status, "internal_error", "the server failed to answer");
  return error_reply(status, "error", "the request was refused");
}

Api::Api(CentralStore& store, ServerConfig config)
    : store_(store), config_(std::move(config)), rate_(config_.rate) {}

ApiReply Api::store_failure(const std::string& what) {
  if (config_.log) {
    config_.log(what);
  } else {
    std::cerr << "feedback-central: " << what << '\n';
  }
  // Transient for the kiosk: it keeps the items and retries after backing off.
  return error_reply(503, "store_unavailable", "the central store cannot be used right now; retry later",
                     kStoreRetryAfterSeconds);
}

std::variant<Principal, ApiReply> Api::authenticate(std::string_view authorization) {
  if (authorization.empty()) return error_reply(401, "unauthorized", "missing bearer token");
  const auto token = bearer_token(authorization);
  if (!token) return error_reply(401, "unauthorized", "malformed Authorization header; use Bearer");
  auto found = store_.find_principal(token_hash(*token));
  if (!found) return store_failure(found.error().message);
  if (!found->has_value()) return error_reply(401, "unauthorized", "unknown token");
  return std::move(**found);
}

std::variant<Principal::Kiosk, ApiReply> Api::admit_kiosk_post(const KioskPostHeaders& headers) {
  auto who = authenticate(headers.authorization);
  if (auto* reply = std::get_if<ApiReply>(&who)) return std::move(*reply);
  Principal& principal = std::get<Principal>(who);
  if (!principal.kiosk) return error_reply(403, "forbidden", "this endpoint takes a kiosk token");
  if (principal.kiosk->revoked) return error_reply(403, "revoked", "this kiosk's token has been revoked");
  if (media_type(headers.content_type) != "application/json") {
    return error_reply(415, "unsupported_media_type", "Content-Type must be application/json");
  }
  const std::string encoding = lower(headers.content_encoding);
  if (!encoding.empty() && encoding != "identity" && encoding != "gzip") {
    return error_reply(415, "unsupported_encoding", "Content-Encoding must be gzip or absent");
  }
  const auto wait = rate_.acquire(principal.kiosk->id);
  if (wait.count() > 0) {
    return error_reply(429, "rate_limited", "too many requests from this kiosk; retry later",
                       static_cast<int>(wait.count()));
  }
  return std::move(*principal.kiosk);
}

ApiReply Api::ingest(const Principal::Kiosk& kiosk, std::string_view body) {
  auto decoded = model::decode_batch(body, config_.limits);
  if (!decoded) return wire_error_reply(decoded.error());
  std::vector<IngestItem> items;
  items.reserve(decoded->size());
  for (model::DecodedItem& d : *decoded) items.push_back(to_ingest_item(std::move(d)));
  model::Receipt receipt;
  // The centre's own clock: what the kiosk claims about time is display-only.
  receipt.received_at = model::utc_now_iso8601();
  // Identity comes from the token; the body cannot name a kiosk.
  auto results = store_.ingest(kiosk.id, items, receipt.received_at);
  if (!results) return store_failure(results.error().message);
  receipt.results = std::move(*results);
  return ApiReply{201, model::encode_receipt(receipt), 0};
}

ApiReply Api::heartbeat(const Principal::Kiosk& kiosk, std::string_view body) {
  auto decoded = model::decode_heartbeat(body, config_.limits);
  if (!decoded) return wire_error_reply(decoded.error());
  const std::string now = model::utc_now_iso8601();
  if (auto recorded = store_.record_heartbeat(kiosk.id, *decoded, now); !recorded) {
    return store_failure(recorded.error().message);
  }
  return ApiReply{200, dump(json{{"status", "ok"}, {"received_at", now}}), 0};
}

ApiReply Api::list_kiosks(std::string_view authorization) {
  auto who = authenticate(authorization);
  if (auto* reply = std::get_if<ApiReply>(&who)) return std::move(*reply);
  const Principal& principal = std::get<Principal>(who);
  if (!principal.user || principal.user->role != Role::Admin) {
    return error_reply(403, "forbidden", "fleet status needs an admin token");
  }
  auto kiosks = store_.list_kiosks();
  if (!kiosks) return store_failure(kiosks.error().message);
  json list = json::array();
  for (const KioskRecord& k : *kiosks) list.push_back(kiosk_json(k));
  return ApiReply{200, dump(json{{"kiosks", std::move(list)}}), 0};
}

ApiReply Api::health() { return ApiReply{200, R"({"status":"ok"})", 0}; }

}  // namespace fk::central
