// The HTTP API's decisions, free of any HTTP library: who is calling, whether a request may proceed, and
// the status and JSON body of every answer. central_server.cpp only turns requests into these calls.
#pragma once

#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sync/central/central_store.hpp"
#include "sync/central/login_throttle.hpp"
#include "sync/central/metrics.hpp"
#include "sync/central/rate_limiter.hpp"
#include "sync/central/server_config.hpp"
#include "sync/central/sessions.hpp"

namespace fk::central {

// One answer. Every status >= 400 carries an encode_error body.
struct ApiReply {
  int status = 200;
  std::string body;       // JSON, or CSV when content_type says so
  int retry_after_s = 0;  // > 0: send Retry-After
  std::string content_type = "application/json";
  std::string etag{};  // non-empty: send ETag (a 304 carries no body)
};

// A GET's query parameters as they arrived (a name may repeat; the endpoints refuse that).
using QueryParams = std::multimap<std::string, std::string>;

ApiReply error_reply(int status, std::string_view code, std::string_view message, int retry_after_s = 0);
// The body for a status when nothing more specific was said (an unknown route's 404, …).
ApiReply generic_error_reply(int status);

// The headers a POST from a kiosk is judged on before its body is read.
struct KioskPostHeaders {
  std::string_view authorization;
  std::string_view content_type;
  std::string_view content_encoding;
};

// How a reader proves who they are: a bearer token, or else the dashboard's session cookie. A request with an
// Authorization header is judged on it alone.
struct Credentials {
  std::string_view authorization;  // the Authorization header
  std::string_view session_id;     // the fk_session cookie's value
};

class Api {
 public:
  // `metrics`, when given, must outlive the Api: it counts ingest outcomes and store failures.
  Api(CentralStore& store, ServerConfig config, Metrics* metrics = nullptr);

  // Header-only checks for a kiosk POST, cheapest first: 401/403 token, 415 type or encoding, 429 rate.
  // Returns the kiosk when its body should be read, or the refusal.
  std::variant<Principal::Kiosk, ApiReply> admit_kiosk_post(const KioskPostHeaders& headers);

  ApiReply ingest(const Principal::Kiosk& kiosk, std::string_view body);
  ApiReply heartbeat(const Principal::Kiosk& kiosk, std::string_view body);
  // A kiosk's surveys (survey_catalog.hpp) with a strong ETag; 304 without a body when `if_none_match` names
  // it. User tokens get 403, none or an unknown one 401.
  ApiReply surveys(std::string_view authorization, std::string_view if_none_match);
  ApiReply list_kiosks(std::string_view authorization);
  ApiReply list_kiosks(const Credentials& who);
  // Analysts, supervisors and admins: rating aggregates with k-anonymity (format=json|csv, bom=1 for Excel).
  ApiReply aggregates(std::string_view authorization, const QueryParams& params);
  ApiReply aggregates(const Credentials& who, const QueryParams& params);
  // Supervisors and admins: thank-you notes with site, day and the employee named (format=json|csv).
  ApiReply thanks(std::string_view authorization, const QueryParams& params);
  ApiReply thanks(const Credentials& who, const QueryParams& params);
  // Readiness (the database answers a ping): 200 {"status":"ok","database":"ok"}, or 503
  // {"status":"unavailable","database":"unavailable"} with the store's reason logged, not sent.
  // Liveness (`live`): 200 {"status":"ok"} without touching the database.
  ApiReply health(bool live);
  // Who `who` proves to be, for the access log: "kiosk:ID" or "user:NAME", or "" when nobody (one more
  // store lookup: the server asks only for reader routes it has answered without a 401).
  std::string principal_label(const Credentials& who);
  // Whether GET /metrics may answer: nothing to refuse for a loopback peer (no proxy forwarded for it) or
  // an admin's token or session; else the 401/403 refusal.
  std::optional<ApiReply> refuse_metrics(const Credentials& who, bool loopback_peer);

  // The dashboard's side: the same checks and computations as the endpoints above, as structs.
  // The signed-in user (any role), or the 401 refusal.
  std::variant<Principal::User, ApiReply> user(const Credentials& who);
  // What GET /aggregates computes for `params` (no format/bom), or its refusal.
  std::variant<AggregateResult, ApiReply> aggregate_result(const Credentials& who, const QueryParams& params);
  // What GET /kiosks lists, or its refusal (admins only).
  std::variant<std::vector<KioskRecord>, ApiReply> kiosk_records(const Credentials& who);
  // A question's label: its English text in the lobby survey (else any survey the centre knows), else the id.
  std::string question_text(const std::string& question_id) const;

  // Dashboard sign-in with a user token (a kiosk token is refused like an unknown one) from `client_address`:
  // the new session's id (alive kSessionLifetime, sessions.hpp), or the refusal: 401, 429 with Retry-After
  // while the address is throttled (the token is then not even looked at), or 503 when the store fails.
  // Refusals and throttled attempts are logged with the address, never the token.
  std::variant<std::string, ApiReply> sign_in(std::string_view token, std::string_view client_address);
  void sign_out(std::string_view session_id);

 private:
  std::variant<Principal, ApiReply> authenticate(std::string_view authorization);
  // The bearer token when there is an Authorization header, else the session.
  std::variant<Principal, ApiReply> authenticate(const Credentials& who);
  // A user token with one of `roles`, or the refusal (401 without a valid token, 403 otherwise).
  std::variant<Principal::User, ApiReply> authorize_user(const Credentials& who,
                                                         std::initializer_list<Role> roles, const char* what);
  // parse_query, the centre's k, the store and the engine: shared by the JSON/CSV endpoint and the dashboard.
  std::variant<AggregateResult, ApiReply> compute_aggregates(
      const std::map<std::string, std::string>& params);
  ApiReply store_failure(const std::string& what);
  void log(const std::string& what) const;
  // The surveys ingest reads pillars and thank-you notes from: config.surveys plus the published surveys.
  std::shared_ptr<const SurveyRegistry> registry() const;
  // Adds published surveys the registry does not know yet. A store failure is logged: ingest then goes on
  // with what is known.
  void learn_published_surveys();

  CentralStore& store_;
  const ServerConfig config_;
  Metrics* const metrics_;  // may be null
  RateLimiter rate_;
  LoginThrottle sign_in_throttle_;
  mutable std::mutex registry_mutex_;
  std::shared_ptr<const SurveyRegistry> registry_;  // never null; replaced whole, never changed
};

}  // namespace fk::central
