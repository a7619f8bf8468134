// CentralStore on PostgreSQL (libpq), so several feedback-central processes can share one database behind a
// load balancer: the UUID's UNIQUE constraint, not any process, decides created / duplicate / conflict. Holds
// a small pool of connections, each with this store's statements prepared on it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sync/central/central_store.hpp"

namespace fk::postgres {
struct Connection;  // one libpq connection (sync/postgres/pg_handle.hpp)
}

namespace fk::central {

class PostgresCentralStore final : public CentralStore {
 public:
  // Connections a store opens at most. The HTTP server calls from several threads; each call borrows one
  // connection for its whole duration (a batch is one transaction on one connection) and threads beyond
  // this many wait. Scale further with more processes, not more connections per process.
  static constexpr std::size_t kMaxConnections = 4;

  // `conninfo` is a libpq URL (postgresql://user@/db?host=/run/postgresql) or key=value string. Connects,
  // migrates under an advisory lock (two processes starting together apply each step once), and refuses a
  // database from a newer program untouched.
  static Expected<std::unique_ptr<PostgresCentralStore>> open(const std::string& conninfo);
  // The schema version open() migrates to (the highest row of schema_migrations).
  static constexpr int kSchemaVersion = 6;
  // Applies the migration steps up to `version` only and stops: for tests of upgrading an older database.
  static Expected<Ok> migrate_only(const std::string& conninfo, int version);
  ~PostgresCentralStore() override;

  using CentralStore::add_kiosk;
  using CentralStore::add_user;
  using CentralStore::find_principal;
  Expected<Ok> add_kiosk(const std::string& id, const std::string& site, const std::string& token_sha256,
                         const std::string& now, std::int64_t expires_at) override;
  Expected<Ok> revoke_kiosk(const std::string& id) override;
  Expected<Ok> rotate_kiosk(const std::string& id, const std::string& token_sha256,
                            std::int64_t expires_at) override;
  Expected<std::vector<KioskRecord>> list_kiosks() override;
  Expected<Ok> add_user(const std::string& name, Role role, const std::string& token_sha256,
                        const std::string& now, std::int64_t expires_at) override;
  Expected<Ok> revoke_user(const std::string& name) override;
  Expected<Ok> rotate_user(const std::string& name, const std::string& token_sha256,
                           std::int64_t expires_at) override;
  Expected<std::vector<UserRecord>> list_users() override;
  Expected<std::optional<Principal>> find_principal(const std::string& token_sha256,
                                                    std::int64_t now) override;
  Expected<Ok> record_heartbeat(const std::string& kiosk_id, const model::Heartbeat& heartbeat,
                                const std::string& now) override;
  Expected<std::vector<model::ItemResult>> ingest(const std::string& kiosk_id,
                                                  const std::vector<IngestItem>& items,
                                                  const std::string& received_at) override;
  Expected<std::vector<PartialCell>> aggregate_partials(const AggregateQuery& filters, Grain grain) override;
  Expected<std::vector<ThanksRecord>> list_thanks(const ThanksFilter& filter) override;
  Expected<PublishOutcome> publish_survey(const PublishedSurvey& survey,
                                          const std::vector<SurveyAssignment>& assignments) override;
  Expected<std::vector<PublishedSurvey>> list_published_surveys() override;
  Expected<std::vector<SurveyAssignment>> list_survey_assignments() override;
  Expected<Ok> add_session(const SessionRecord& session, std::size_t per_user_cap) override;
  Expected<std::optional<Principal::User>> find_session(const std::string& id_sha256,
                                                        std::int64_t now) override;
  Expected<Ok> remove_session(const std::string& id_sha256) override;
  Expected<std::int64_t> count_sessions(std::int64_t now) override;
  Expected<Ok> ping() override;
  Expected<std::int64_t> count_responses() override;
  Expected<std::optional<CentralResponse>> find_response(const std::string& uuid) override;

 private:
  class Lease;
  explicit PostgresCentralStore(std::string conninfo);
  Expected<Lease> acquire();
  void release(std::unique_ptr<postgres::Connection> connection);
  // Runs `statement` (name, token_sha256, expires_at) or (name) on the user, then deletes the user's sessions,
  // in one transaction; `verb` names it in errors.
  Expected<Ok> change_user(const std::string& name, const char* statement, const std::string* token_sha256,
                           std::int64_t expires_at, const char* verb);

  const std::string conninfo_;
  // A small pool, grown on demand up to kMaxConnections: idle connections wait here.
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<postgres::Connection>> idle_;
  std::size_t open_ = 0;  // idle + lent out
};

}  // namespace fk::central
