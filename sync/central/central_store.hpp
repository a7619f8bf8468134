// The central endpoint's storage, as an interface: SQLite (sqlite_central_store.hpp) or PostgreSQL
// (postgres_central_store.hpp). Handlers and the CLI see only this, so every backend passes one contract test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/central/aggregates.hpp"
#include "sync/model/expected.hpp"
#include "sync/model/survey.hpp"
#include "sync/model/wire.hpp"

namespace fk::central {

enum class Role { Analyst, Supervisor, Admin };
const char* to_string(Role role);
std::optional<Role> role_from_string(std::string_view s);

// One enrolled kiosk and the backlog it last reported.
struct KioskRecord {
  std::string id;
  std::string site;
  bool revoked = false;
  std::string created_at;
  std::string last_seen_at;  // empty until the kiosk first calls in
  std::string app_version;
  std::int64_t pending = 0;
  std::int64_t oldest_pending_age_s = 0;
  std::int64_t quarantined = 0;
  std::string last_error;
};

// A user as `user list` shows them: never their token's hash.
struct UserRecord {
  std::string name;
  Role role = Role::Analyst;
  std::string created_at;
  bool revoked = false;
  std::int64_t token_expires_at = 0;  // Unix seconds; 0: the token never expires
};

// When a token stops being accepted, in Unix seconds; 0: never.
inline constexpr std::int64_t kNeverExpires = 0;

// The centre's clock in Unix seconds (token expiry and sessions are compared with it).
std::int64_t unix_seconds_now();

// Who a bearer token belongs to. Exactly one of kiosk / user is set.
struct Principal {
  struct Kiosk {
    std::string id;
    std::string site;
    bool revoked = false;
  };
  struct User {
    std::string name;
    Role role = Role::Analyst;
  };
  std::optional<Kiosk> kiosk;
  std::optional<User> user;
};

// A well-formed batch item with the fields the centre files it under (read from its payload), or an item
// with a problem that will be answered "invalid" without touching the database.
struct IngestItem {
  std::string uuid;
  std::string payload_sha256;
  std::string payload;
  std::string survey_id;
  std::int64_t survey_version = 0;
  std::string language;
  bool partial = false;
  std::string completed_at;  // the kiosk's clock: display only
  std::string problem;       // non-empty: answered "invalid" with this reason
  // What analysts and supervisors get of it, read from the payload at ingest (see api.cpp): the day it is
  // counted under, its ratings, and a thank-you note with the employee it names. Free text other than a
  // thank-you note, and contact details, are never copied out of the payload.
  std::string day;    // "YYYY-MM-DD"
  std::string event;  // empty: not collected at an event
  bool misuse = false;
  struct Rating {
    std::string question_id;
    model::Pillar pillar = model::Pillar::None;
    int value = 0;  // 1..5
  };
  std::vector<Rating> ratings;
  std::string thanks_note;  // empty: none
  std::string employee;     // the employee the note is for, as typed (empty: not named)
};

// A thank-you note as a supervisor reads it.
struct ThanksRecord {
  std::string uuid;
  std::string site;
  std::string day;
  std::string survey_id;
  std::string language;
  std::string note;
  std::string employee;
  std::string received_at;
};

struct ThanksFilter {
  std::optional<std::string> site, from, to;  // from/to: inclusive days "YYYY-MM-DD"
  int limit = 1000;
};

// A stored response as the centre keeps it.
struct CentralResponse {
  std::int64_t seq = 0;
  std::string uuid;
  std::string kiosk_id;
  std::string site;  // the kiosk's site when the response arrived
  std::string payload_sha256;
  std::string payload;
  std::string survey_id;
  std::int64_t survey_version = 0;
  std::string language;
  bool partial = false;
  std::string completed_at;
  std::string received_at;  // the centre's clock
};

// One published survey version: the TOML exactly as published, immutable once stored.
struct PublishedSurvey {
  std::string id;
  std::int64_t version = 0;
  std::string sha256;  // lower-case hex SHA-256 of `toml`
  std::string toml;
  std::string published_at;  // the centre's clock
};

// Where a survey runs: a site's lobby (one survey per site) or an event (one survey per event). Assigning
// another survey to the same site or event replaces the assignment; the newest published version runs.
enum class AssignmentKind { Site, Event };
const char* to_string(AssignmentKind kind);
struct SurveyAssignment {
  AssignmentKind kind = AssignmentKind::Site;
  std::string target;  // the site's or the event's name
  std::string survey_id;
  bool operator==(const SurveyAssignment&) const = default;
};

// A dashboard session as the store keeps it: only the SHA-256 of its id (tokens.hpp's token_hash), so a copy
// of the database opens no browser. Times are the centre's clock in Unix seconds.
struct SessionRecord {
  std::string id_sha256;
  std::string user;  // users.name
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;  // the session is dead from this second on
};

// What publish_survey did: stored a new version, or found the same bytes already stored (a no-op).
enum class PublishOutcome { Created, Unchanged };
// The refusal every backend gives for different bytes under a published (id, version).
Error survey_changed_error(const PublishedSurvey& survey);

class CentralStore {
 public:
  virtual ~CentralStore() = default;

  // Enrolment and the identity lifecycle. Tokens arrive already hashed: the store never sees a usable token.
  // `expires_at` (Unix seconds, kNeverExpires: never) is when a token stops being accepted.
  //
  // Enrols a new kiosk, or enrols a revoked one again under the new token and site (its responses stay
  // linked to its id). An enrolled, unrevoked id is refused.
  virtual Expected<Ok> add_kiosk(const std::string& id, const std::string& site,
                                 const std::string& token_sha256, const std::string& now,
                                 std::int64_t expires_at) = 0;
  Expected<Ok> add_kiosk(const std::string& id, const std::string& site, const std::string& token_sha256,
                         const std::string& now) {
    return add_kiosk(id, site, token_sha256, now, kNeverExpires);
  }
  // Errors when no such kiosk exists; revoking twice is fine.
  virtual Expected<Ok> revoke_kiosk(const std::string& id) = 0;
  // Replaces an unrevoked kiosk's token: the old one is unknown from the next request on.
  virtual Expected<Ok> rotate_kiosk(const std::string& id, const std::string& token_sha256,
                                    std::int64_t expires_at) = 0;
  virtual Expected<std::vector<KioskRecord>> list_kiosks() = 0;
  virtual Expected<Ok> add_user(const std::string& name, Role role, const std::string& token_sha256,
                                const std::string& now, std::int64_t expires_at) = 0;
  Expected<Ok> add_user(const std::string& name, Role role, const std::string& token_sha256,
                        const std::string& now) {
    return add_user(name, role, token_sha256, now, kNeverExpires);
  }
  // In ONE transaction: marks the user revoked (their token is unknown from now on) and deletes their
  // dashboard sessions. Errors when no such user exists; revoking twice is fine.
  virtual Expected<Ok> revoke_user(const std::string& name) = 0;
  // In ONE transaction: replaces an unrevoked user's token and deletes their dashboard sessions.
  virtual Expected<Ok> rotate_user(const std::string& name, const std::string& token_sha256,
                                   std::int64_t expires_at) = 0;
  // Every user, by name.
  virtual Expected<std::vector<UserRecord>> list_users() = 0;
  // Looks a token up by its hash; nothing when it is unknown, expired at `now` (Unix seconds) or a revoked
  // user's. A revoked kiosk is found, marked revoked (the API tells it so).
  virtual Expected<std::optional<Principal>> find_principal(const std::string& token_sha256,
                                                            std::int64_t now) = 0;
  Expected<std::optional<Principal>> find_principal(const std::string& token_sha256) {
    return find_principal(token_sha256, unix_seconds_now());
  }

  virtual Expected<Ok> record_heartbeat(const std::string& kiosk_id, const model::Heartbeat& heartbeat,
                                        const std::string& now) = 0;

  // Files a batch from `kiosk_id` in ONE transaction and answers each item in order: created, duplicate
  // (same UUID, same kiosk, same hash), conflict (a different hash, or a UUID another kiosk owns) or
  // invalid (item.problem). The UUID's unique constraint decides; nothing is checked before inserting.
  // On an error nothing of the batch is stored.
  virtual Expected<std::vector<model::ItemResult>> ingest(const std::string& kiosk_id,
                                                          const std::vector<IngestItem>& items,
                                                          const std::string& received_at) = 0;

  // The rating counts the aggregates engine needs, already summed per (site, event, survey, language, period,
  // misuse) over the responses matching the query's filters (survey, site, event, language, from, to; its
  // grouping and k are the engine's business). Read from totals kept at ingest, so the cost does not grow with
  // the number of responses. `grain` picks the period: Day, or Week/Month with PartialCell::day the period's
  // first day and from/to compared with that day (exact when totals_grain(filters) chose the grain).
  virtual Expected<std::vector<PartialCell>> aggregate_partials(const AggregateQuery& filters,
                                                                Grain grain) = 0;
  // Thank-you notes, newest first, at most filter.limit.
  virtual Expected<std::vector<ThanksRecord>> list_thanks(const ThanksFilter& filter) = 0;

  // Stores `survey` as (id, version) with `assignments`, in ONE transaction. The same bytes again: Unchanged,
  // and the assignments are still added. Different bytes under a stored (id, version): an error naming id and
  // version, and nothing at all is changed.
  virtual Expected<PublishOutcome> publish_survey(const PublishedSurvey& survey,
                                                  const std::vector<SurveyAssignment>& assignments) = 0;
  // Every published version, by id then version.
  virtual Expected<std::vector<PublishedSurvey>> list_published_surveys() = 0;
  // Every assignment, sites first, then by target.
  virtual Expected<std::vector<SurveyAssignment>> list_survey_assignments() = 0;

  // Dashboard sessions, shared by every process on this database. add_session, in ONE transaction: deletes
  // every session expired at session.created_at, stores `session`, then deletes that user's oldest sessions
  // (by created_at, then by arrival) beyond `per_user_cap`; other users' sessions are never touched.
  virtual Expected<Ok> add_session(const SessionRecord& session, std::size_t per_user_cap) = 0;
  // The user, with their role as it is now, of a session alive at `now`; nothing when unknown, expired or the
  // user is revoked.
  virtual Expected<std::optional<Principal::User>> find_session(const std::string& id_sha256,
                                                                std::int64_t now) = 0;
  // Removing an unknown session is fine.
  virtual Expected<Ok> remove_session(const std::string& id_sha256) = 0;

  // Dashboard sessions alive at `now` (metrics).
  virtual Expected<std::int64_t> count_sessions(std::int64_t now) = 0;
  // The cheapest round trip that proves the database answers (readiness: GET /api/v1/health).
  virtual Expected<Ok> ping() = 0;

  virtual Expected<std::int64_t> count_responses() = 0;
  virtual Expected<std::optional<CentralResponse>> find_response(const std::string& uuid) = 0;
};

}  // namespace fk::central
