// The central endpoint's storage, as an interface: SQLite now (sqlite_central_store.hpp), PostgreSQL later
// (the analysts issue). Handlers and the CLI see only this, so every backend passes one contract test.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/model/expected.hpp"
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

class CentralStore {
 public:
  virtual ~CentralStore() = default;

  // Enrolment. Tokens arrive already hashed: the store never sees a usable token.
  virtual Expected<Ok> add_kiosk(const std::string& id, const std::string& site,
                                 const std::string& token_sha256, const std::string& now) = 0;
  // Errors when no such kiosk exists; revoking twice is fine.
  virtual Expected<Ok> revoke_kiosk(const std::string& id) = 0;
  virtual Expected<std::vector<KioskRecord>> list_kiosks() = 0;
  virtual Expected<Ok> add_user(const std::string& name, Role role, const std::string& token_sha256,
                                const std::string& now) = 0;
  // Looks a token up by its hash; nothing when it is unknown.
  virtual Expected<std::optional<Principal>> find_principal(const std::string& token_sha256) = 0;

  virtual Expected<Ok> record_heartbeat(const std::string& kiosk_id, const model::Heartbeat& heartbeat,
                                        const std::string& now) = 0;

  // Files a batch from `kiosk_id` in ONE transaction and answers each item in order: created, duplicate
  // (same UUID, same kiosk, same hash), conflict (a different hash, or a UUID another kiosk owns) or
  // invalid (item.problem). The UUID's unique constraint decides; nothing is checked before inserting.
  // On an error nothing of the batch is stored.
  virtual Expected<std::vector<model::ItemResult>> ingest(const std::string& kiosk_id,
                                                          const std::vector<IngestItem>& items,
                                                          const std::string& received_at) = 0;

  virtual Expected<std::int64_t> count_responses() = 0;
  virtual Expected<std::optional<CentralResponse>> find_response(const std::string& uuid) = 0;
};

}  // namespace fk::central
