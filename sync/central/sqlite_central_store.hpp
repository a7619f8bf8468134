// CentralStore on one SQLite file: WAL, synchronous=FULL, forward-only migrations, cached statements.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "sync/central/central_store.hpp"
#include "sync/sqlite/sqlite_handle.hpp"

namespace fk::central {

class BatchTotals;

class SqliteCentralStore final : public CentralStore {
 public:
  // Creates the file if needed and migrates it; refuses a database from a newer program untouched.
  static Expected<std::unique_ptr<SqliteCentralStore>> open(const std::string& path);

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
  explicit SqliteCentralStore(sqlite::Db db);
  Expected<Ok> prepare_statements();
  Expected<std::vector<model::ItemResult>> ingest_locked(const std::string& kiosk_id,
                                                         const std::vector<IngestItem>& items,
                                                         const std::string& received_at);
  Expected<Ok> add_thanks(const std::string& site, const IngestItem& item);
  Expected<Ok> add_totals(const BatchTotals& totals);
  Expected<std::vector<PartialCell>> read_daily(const AggregateQuery& filters);
  Expected<std::vector<PartialCell>> read_periods(const AggregateQuery& filters, Grain grain);
  Expected<Ok> add_session_locked(const SessionRecord& session, std::size_t per_user_cap);
  // Runs `step` between BEGIN IMMEDIATE and COMMIT (ROLLBACK when it fails), under mutex_.
  Expected<Ok> in_transaction(const std::function<Expected<Ok>()>& step);
  Expected<PublishOutcome> publish_locked(const PublishedSurvey& survey,
                                          const std::vector<SurveyAssignment>& assignments);

  // One connection, used by one thread at a time: SQLite has a single writer anyway, and the unique
  // constraint (not this mutex) is what keeps a UUID to one row, even across processes.
  std::mutex mutex_;
  sqlite::Db db_;
  sqlite::Stmt begin_, commit_, rollback_;
  sqlite::Stmt insert_kiosk_, revoke_kiosk_, rotate_kiosk_, list_kiosks_, insert_user_;
  sqlite::Stmt revoke_user_, rotate_user_, list_users_, delete_user_sessions_;
  sqlite::Stmt find_kiosk_by_token_, find_user_by_token_, heartbeat_;
  sqlite::Stmt kiosk_site_, touch_kiosk_, insert_response_, select_owner_;
  sqlite::Stmt count_responses_, find_response_, count_sessions_, ping_;
  sqlite::Stmt add_response_total_, add_rating_total_, insert_thanks_;
  sqlite::Stmt select_response_totals_, select_rating_totals_, select_thanks_;
  sqlite::Stmt add_period_total_, select_period_totals_;
  sqlite::Stmt insert_survey_, survey_sha256_, assign_survey_, list_surveys_, list_assignments_;
  sqlite::Stmt delete_expired_sessions_, insert_session_, trim_user_sessions_, find_session_, delete_session_;
};

}  // namespace fk::central
