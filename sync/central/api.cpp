// Endpoint logic: authentication, admission, ingest, heartbeat and fleet status, each answering a status
// and a JSON body. A refused request never reaches the store's write path, so it writes no row.
#include "sync/central/api.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <tuple>

#include "sync/central/csv.hpp"
#include "sync/central/response_facts.hpp"
#include "sync/central/survey_catalog.hpp"
#include "sync/central/tokens.hpp"
#include "sync/model/response.hpp"

namespace fk::central {
namespace {

using nlohmann::json;

constexpr int kMaxThanks = 10000;  // notes per request

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

ApiReply wire_error_reply(const model::WireError& e) {
  return error_reply(e.http_status, e.code, e.message);
}

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

// The centre's clock in Unix seconds, the unit sessions are stored in.
std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

ApiReply error_reply(int status, std::string_view code, std::string_view message, int retry_after_s) {
  return ApiReply{status, model::encode_error(code, message), retry_after_s};
}

ApiReply generic_error_reply(int status) {
  switch (status) {
    case 400:
      return error_reply(400, "bad_request", "the request could not be read");
    case 404:
      return error_reply(404, "not_found", "no such endpoint");
    case 405:
      return error_reply(405, "method_not_allowed", "method not allowed on this endpoint");
    case 408:
      return error_reply(408, "timeout", "the request took too long to arrive");
    case 413:
      return error_reply(413, "body_too_large", "the request body is too large");
    case 414:
      return error_reply(414, "uri_too_long", "the request URI is too long");
    case 415:
      return error_reply(415, "unsupported_media_type", "unsupported content type or encoding");
    case 416:
      return error_reply(416, "bad_range", "range not satisfiable");
    default:
      break;
  }
  if (status >= 500) return error_reply(status, "internal_error", "the server failed to answer");
  return error_reply(status, "error", "the request was refused");
}

Api::Api(CentralStore& store, ServerConfig config, Metrics* metrics)
    : store_(store),
      config_(std::move(config)),
      metrics_(metrics),
      rate_(config_.rate),
      sign_in_throttle_(config_.sign_in_throttle),
      registry_(config_.surveys ? config_.surveys : std::make_shared<const SurveyRegistry>()) {
  learn_published_surveys();  // what was published before this server started
}

void Api::log(const std::string& what) const {
  if (config_.log) {
    config_.log(what);
  } else {
    std::cerr << "feedback-central: " << what << '\n';
  }
}

std::shared_ptr<const SurveyRegistry> Api::registry() const {
  std::lock_guard lock(registry_mutex_);
  return registry_;
}

void Api::learn_published_surveys() {
  auto published = store_.list_published_surveys();
  if (!published) {
    if (metrics_) metrics_->count_database_error();
    return log("cannot read the published surveys: " + published.error().message);
  }
  std::lock_guard lock(registry_mutex_);  // merged into the newest registry, so no concurrent refresh is lost
  std::vector<std::string> problems;
  registry_ = with_published(*registry_, *published, problems);
  for (const std::string& problem : problems) log("a published survey does not parse: " + problem);
}

ApiReply Api::store_failure(const std::string& what) {
  if (metrics_) metrics_->count_database_error();
  log(what);
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

std::variant<Principal, ApiReply> Api::authenticate(const Credentials& who) {
  if (!who.authorization.empty() || who.session_id.empty()) return authenticate(who.authorization);
  auto user = store_.find_session(token_hash(who.session_id), unix_now());
  if (!user) return store_failure(user.error().message);
  if (!user->has_value()) return error_reply(401, "unauthorized", "the session has expired; sign in again");
  Principal principal;
  principal.user = std::move(**user);
  return principal;
}

std::variant<std::string, ApiReply> Api::sign_in(std::string_view token, std::string_view client_address) {
  const std::string address(client_address);
  if (const auto wait = sign_in_throttle_.wait(address); wait.count() > 0) {
    log("sign-in from " + address + " throttled after repeated failures; " + std::to_string(wait.count()) +
        " s left");
    return error_reply(429, "rate_limited", "too many failed sign-ins from this address; retry later",
                       static_cast<int>(wait.count()));
  }
  auto refuse = [&] {
    const int failures = sign_in_throttle_.record_failure(address);
    log("sign-in refused from " + address + ": failure " + std::to_string(failures) + " of " +
        std::to_string(config_.sign_in_throttle.max_failures) + " allowed");
    return error_reply(401, "unauthorized", "unknown token");
  };
  // The same shape check as a bearer token (printable, bounded), with surrounding spaces forgiven.
  const auto checked = bearer_token("Bearer " + std::string(token.substr(0, 512)));
  if (!checked) return refuse();
  auto found = store_.find_principal(token_hash(*checked));
  if (!found) return store_failure(found.error().message);
  // Kiosk tokens only ingest: refused with the same words as a wrong token.
  if (!found->has_value() || !(*found)->user) return refuse();
  std::string id = new_token();
  const std::int64_t now = unix_now();
  SessionRecord session{token_hash(id), (*found)->user->name, now, now + kSessionMaxAgeSeconds};
  if (auto added = store_.add_session(session, kMaxSessionsPerUser); !added) {
    return store_failure(added.error().message);
  }
  return id;
}

void Api::sign_out(std::string_view session_id) {
  if (session_id.empty()) return;
  if (auto removed = store_.remove_session(token_hash(session_id)); !removed) {
    if (metrics_) metrics_->count_database_error();
    log(removed.error().message);
  }
}

std::variant<Principal::User, ApiReply> Api::user(const Credentials& who) {
  auto found = authenticate(who);
  if (auto* reply = std::get_if<ApiReply>(&found)) return std::move(*reply);
  Principal& principal = std::get<Principal>(found);
  if (!principal.user) return error_reply(403, "forbidden", "this needs a user token");
  return std::move(*principal.user);
}

std::string Api::question_text(const std::string& question_id) const {
  const auto surveys = registry();
  if (const model::Question* q = surveys->question("lobby", question_id)) return q->text.get("en");
  for (const std::string& survey : surveys->survey_ids()) {
    if (const model::Question* q = surveys->question(survey, question_id)) return q->text.get("en");
  }
  return question_id;
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
  model::Receipt receipt;
  // The centre's own clock: what the kiosk claims about time is display-only.
  receipt.received_at = model::utc_now_iso8601();
  // A survey version the registry has not seen was most likely published since it was filled: look once.
  const bool unknown_survey = std::any_of(decoded->begin(), decoded->end(), [&](const model::DecodedItem& d) {
    return d.problem.empty() && !registry()->knows(d.response.survey_id, d.response.survey_version);
  });
  if (unknown_survey) learn_published_surveys();
  const auto registry_now = registry();
  const SurveyRegistry& surveys = *registry_now;
  std::vector<IngestItem> items;
  items.reserve(decoded->size());
  for (model::DecodedItem& d : *decoded) {
    const model::Response response = d.response;
    items.push_back(to_ingest_item(std::move(d)));
    if (items.back().problem.empty()) fill_facts(items.back(), response, surveys, receipt.received_at);
  }
  // Identity comes from the token; the body cannot name a kiosk.
  auto results = store_.ingest(kiosk.id, items, receipt.received_at);
  if (!results) return store_failure(results.error().message);
  if (metrics_) {
    for (const model::ItemResult& result : *results) metrics_->count_ingested(result.status);
  }
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
  // The kiosk shows staff who the centre thinks it is.
  return ApiReply{
      200, dump(json{{"status", "ok"}, {"received_at", now}, {"kiosk_id", kiosk.id}, {"site", kiosk.site}}),
      0};
}

ApiReply Api::surveys(std::string_view authorization, std::string_view if_none_match) {
  auto who = authenticate(authorization);
  if (auto* reply = std::get_if<ApiReply>(&who)) return std::move(*reply);
  const Principal& principal = std::get<Principal>(who);
  if (!principal.kiosk) return error_reply(403, "forbidden", "this endpoint takes a kiosk token");
  if (principal.kiosk->revoked) return error_reply(403, "revoked", "this kiosk's token has been revoked");
  auto published = store_.list_published_surveys();
  if (!published) return store_failure(published.error().message);
  auto assignments = store_.list_survey_assignments();
  if (!assignments) return store_failure(assignments.error().message);
  const std::string& site = principal.kiosk->site;
  ApiReply reply{200, surveys_body(site, surveys_for_site(site, *published, *assignments)), 0};
  reply.etag = strong_etag(reply.body);
  if (!if_none_match.empty() && etag_matches(if_none_match, reply.etag)) {
    reply.status = 304;
    reply.body.clear();
  }
  return reply;
}

ApiReply Api::list_kiosks(std::string_view authorization) {
  return list_kiosks(Credentials{authorization, {}});
}

ApiReply Api::list_kiosks(const Credentials& who) {
  auto kiosks = kiosk_records(who);
  if (auto* reply = std::get_if<ApiReply>(&kiosks)) return std::move(*reply);
  json list = json::array();
  for (const KioskRecord& k : std::get<0>(kiosks)) list.push_back(kiosk_json(k));
  return ApiReply{200, dump(json{{"kiosks", std::move(list)}}), 0};
}

std::variant<std::vector<KioskRecord>, ApiReply> Api::kiosk_records(const Credentials& who) {
  auto found = authenticate(who);
  if (auto* reply = std::get_if<ApiReply>(&found)) return std::move(*reply);
  const Principal& principal = std::get<Principal>(found);
  if (!principal.user || principal.user->role != Role::Admin) {
    return error_reply(403, "forbidden", "fleet status needs an admin token");
  }
  auto kiosks = store_.list_kiosks();
  if (!kiosks) return store_failure(kiosks.error().message);
  return std::move(*kiosks);
}

std::variant<Principal::User, ApiReply> Api::authorize_user(const Credentials& credentials,
                                                            std::initializer_list<Role> roles,
                                                            const char* what) {
  auto who = authenticate(credentials);
  if (auto* reply = std::get_if<ApiReply>(&who)) return std::move(*reply);
  Principal& principal = std::get<Principal>(who);
  if (principal.user) {
    for (Role role : roles) {
      if (principal.user->role == role) return std::move(*principal.user);
    }
  }
  return error_reply(403, "forbidden", what);
}

namespace {

// One value per name: a repeated parameter is refused, naming it.
std::variant<std::map<std::string, std::string>, ApiReply> single_values(const QueryParams& params) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : params) {
    if (!out.emplace(name, value).second) {
      return error_reply(400, "bad_parameter", name + ": given more than once");
    }
  }
  return out;
}

// Takes format= and bom= out of `params`: json (default) or csv.
std::variant<std::pair<bool, bool>, ApiReply> take_format(std::map<std::string, std::string>& params) {
  bool csv = false, bom = false;
  if (auto it = params.find("format"); it != params.end()) {
    if (it->second == "csv") {
      csv = true;
    } else if (it->second != "json" && !it->second.empty()) {
      return error_reply(400, "bad_parameter", "format: use json or csv, not \"" + it->second + "\"");
    }
    params.erase(it);
  }
  if (auto it = params.find("bom"); it != params.end()) {
    if (it->second == "1" || it->second == "true") {
      bom = true;
    } else if (it->second != "0" && it->second != "false" && !it->second.empty()) {
      return error_reply(400, "bad_parameter", "bom: use 1 or 0");
    }
    params.erase(it);
  }
  return std::pair{csv, bom};
}

// A read endpoint's query: its own parameters, one value each, and the output format taken out.
struct ReadQuery {
  std::map<std::string, std::string> params;
  bool csv = false;
  bool bom = false;
};

std::variant<ReadQuery, ApiReply> read_query(const QueryParams& raw) {
  auto single = single_values(raw);
  if (auto* reply = std::get_if<ApiReply>(&single)) return std::move(*reply);
  ReadQuery query{std::move(std::get<0>(single)), false, false};
  auto format = take_format(query.params);
  if (auto* reply = std::get_if<ApiReply>(&format)) return std::move(*reply);
  std::tie(query.csv, query.bom) = std::get<0>(format);
  return query;
}

json cell_json(const Cell& cell, const std::vector<std::string>& dimensions) {
  json key = json::object();
  for (std::size_t i = 0; i < dimensions.size() && i < cell.key.size(); ++i) key[dimensions[i]] = cell.key[i];
  json out{{"key", key}, {"suppressed", cell.suppressed}};
  if (cell.suppressed) {
    out["suppression"] = cell.suppression;
    return out;  // no numbers at all
  }
  out["responses"] = cell.responses;
  out["thanks"] = cell.thanks;
  json questions = json::array();
  for (const RatingStats& q : cell.questions) {
    questions.push_back({{"question", q.question_id},
                         {"pillar", model::to_string(q.pillar)},
                         {"n", q.n},
                         {"mean", q.mean},
                         {"distribution", q.distribution},
                         {"top_two_share", q.top_two_share}});
  }
  json pillars = json::array();
  for (const PillarStats& p : cell.pillars) {
    pillars.push_back({{"pillar", model::to_string(p.pillar)},
                       {"n", p.n},
                       {"mean", p.mean},
                       {"top_two_share", p.top_two_share}});
  }
  out["questions"] = std::move(questions);
  out["pillars"] = std::move(pillars);
  return out;
}

ApiReply csv_reply(std::string body) {
  ApiReply reply{200, std::move(body), 0};
  reply.content_type = "text/csv; charset=utf-8";
  return reply;
}

}  // namespace

ApiReply Api::aggregates(std::string_view authorization, const QueryParams& raw) {
  return aggregates(Credentials{authorization, {}}, raw);
}

ApiReply Api::aggregates(const Credentials& credentials, const QueryParams& raw) {
  auto who = authorize_user(credentials, {Role::Analyst, Role::Supervisor, Role::Admin},
                            "aggregates need an analyst, supervisor or admin token");
  if (auto* reply = std::get_if<ApiReply>(&who)) return std::move(*reply);
  auto request = read_query(raw);
  if (auto* reply = std::get_if<ApiReply>(&request)) return std::move(*reply);
  auto& [params, csv, bom] = std::get<ReadQuery>(request);
  auto computed = compute_aggregates(params);
  if (auto* reply = std::get_if<ApiReply>(&computed)) return std::move(*reply);
  const AggregateResult& result = std::get<AggregateResult>(computed);
  if (csv) return csv_reply(aggregates_csv(result, bom));
  json cells = json::array();
  for (const Cell& cell : result.cells) cells.push_back(cell_json(cell, result.dimensions));
  return ApiReply{200,
                  dump(json{{"k", result.k},
                            {"dimensions", result.dimensions},
                            {"excluded_misuse", result.excluded_misuse},
                            {"total", cell_json(result.total, {})},
                            {"cells", std::move(cells)}}),
                  0};
}

std::variant<AggregateResult, ApiReply> Api::aggregate_result(const Credentials& credentials,
                                                              const QueryParams& raw) {
  auto who = authorize_user(credentials, {Role::Analyst, Role::Supervisor, Role::Admin},
                            "aggregates need an analyst, supervisor or admin token");
  if (auto* reply = std::get_if<ApiReply>(&who)) return std::move(*reply);
  auto single = single_values(raw);
  if (auto* reply = std::get_if<ApiReply>(&single)) return std::move(*reply);
  return compute_aggregates(std::get<0>(single));
}

std::variant<AggregateResult, ApiReply> Api::compute_aggregates(
    const std::map<std::string, std::string>& params) {
  auto query = parse_query(params);
  if (!query) return error_reply(400, "bad_parameter", query.error().message);
  if (params.count("k") == 0) {
    query->k = std::max(config_.min_k, kMinK);
  } else if (query->k < config_.min_k) {
    return error_reply(400, "bad_parameter",
                       "k: this centre suppresses cells below " + std::to_string(config_.min_k) +
                           " responses; k cannot be lower");
  }
  auto partials = store_.aggregate_partials(*query, totals_grain(*query));
  if (!partials) return store_failure(partials.error().message);
  return aggregate_partials(*partials, *query);
}

ApiReply Api::thanks(std::string_view authorization, const QueryParams& raw) {
  return thanks(Credentials{authorization, {}}, raw);
}

ApiReply Api::thanks(const Credentials& credentials, const QueryParams& raw) {
  auto who = authorize_user(credentials, {Role::Supervisor, Role::Admin},
                            "thank-you notes need a supervisor or admin token");
  if (auto* reply = std::get_if<ApiReply>(&who)) return std::move(*reply);
  auto request = read_query(raw);
  if (auto* reply = std::get_if<ApiReply>(&request)) return std::move(*reply);
  auto& [params, csv, bom] = std::get<ReadQuery>(request);
  ThanksFilter filter;
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    if (name == "site") {
      filter.site = value;
    } else if (name == "from" || name == "to") {
      if (!is_calendar_date(value)) {
        return error_reply(400, "bad_parameter", name + ": not a date (YYYY-MM-DD): \"" + value + "\"");
      }
      (name == "from" ? filter.from : filter.to) = value;
    } else if (name == "limit") {
      int n = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || n < 1 || n > kMaxThanks) {
        return error_reply(400, "bad_parameter",
                           "limit: a whole number from 1 to " + std::to_string(kMaxThanks));
      }
      filter.limit = n;
    } else {
      return error_reply(400, "bad_parameter",
                         name + ": unknown parameter; use site, from, to, limit, format, bom");
    }
  }
  if (filter.from && filter.to && *filter.from > *filter.to) {
    return error_reply(400, "bad_parameter", "from: after to (" + *filter.from + " > " + *filter.to + ")");
  }
  auto notes = store_.list_thanks(filter);
  if (!notes) return store_failure(notes.error().message);
  if (csv) {
    std::string body = bom ? kUtf8Bom : "";
    body += csv_row({"day", "site", "employee", "note", "language", "survey", "uuid", "received_at"});
    for (const ThanksRecord& t : *notes) {
      body += csv_row({t.day, t.site, t.employee, t.note, t.language, t.survey_id, t.uuid, t.received_at});
    }
    return csv_reply(std::move(body));
  }
  json list = json::array();
  for (const ThanksRecord& t : *notes) {
    list.push_back({{"uuid", t.uuid},
                    {"site", t.site},
                    {"day", t.day},
                    {"survey", t.survey_id},
                    {"language", t.language},
                    {"note", t.note},
                    {"employee", t.employee},
                    {"received_at", t.received_at}});
  }
  return ApiReply{200, dump(json{{"thanks", std::move(list)}}), 0};
}

ApiReply Api::health(bool live) {
  if (live) return ApiReply{200, R"({"status":"ok"})", 0};
  if (auto pinged = store_.ping(); !pinged) {
    // The reason (a path, a host name) is for the operator's log, not for an unauthenticated client.
    if (metrics_) metrics_->count_database_error();
    log("health: " + pinged.error().message);
    return ApiReply{503, R"({"status":"unavailable","database":"unavailable"})", kStoreRetryAfterSeconds};
  }
  return ApiReply{200, R"({"status":"ok","database":"ok"})", 0};
}

std::string Api::principal_label(const Credentials& who) {
  auto found = authenticate(who);
  const auto* principal = std::get_if<Principal>(&found);
  if (!principal) return {};
  if (principal->kiosk) return "kiosk:" + principal->kiosk->id;
  if (principal->user) return "user:" + principal->user->name;
  return {};
}

std::optional<ApiReply> Api::refuse_metrics(const Credentials& who, bool loopback_peer) {
  if (loopback_peer) return std::nullopt;
  auto user = authorize_user(who, {Role::Admin}, "metrics need an admin token, or a request from this host");
  if (auto* reply = std::get_if<ApiReply>(&user)) return std::move(*reply);
  return std::nullopt;
}

}  // namespace fk::central
