// SqliteCentralStore: opening with verified durability settings, enrolment and the identity lifecycle
// (revoke, rotate, expiry), heartbeats, batch ingest in one
// transaction on cached statements (the answers and totals of a batch: ingest_decision.cpp), and dashboard
// sessions. Over 600 lines because its statements stay beside the code that runs them, as in
// postgres_central_store.cpp.
#include "sync/central/sqlite_central_store.hpp"

#include <string_view>
#include <utility>

#include "sync/central/central_migrations.hpp"
#include "sync/central/ingest_decision.hpp"
#include "sync/central/partial_cells.hpp"
#include "sync/sqlite/durable.hpp"
#include "sync/sqlite/values.hpp"

namespace fk::central {

using sqlite::bind_all;
using sqlite::bind_blob;
using sqlite::bind_text;
using sqlite::column_string;

SqliteCentralStore::SqliteCentralStore(sqlite::Db db) : db_(std::move(db)) {}

Expected<std::unique_ptr<SqliteCentralStore>> SqliteCentralStore::open(const std::string& path) {
  auto fail = [&](const std::string& what) { return Error{"cannot open '" + path + "': " + what}; };
  // A receipt promises the response is stored: open_migrated verifies the durability settings.
  auto db = sqlite::open_migrated(path, migrations::steps());
  if (!db) return fail(db.error().message);

  std::unique_ptr<SqliteCentralStore> store(new SqliteCentralStore(std::move(*db)));
  if (auto prepared = store->prepare_statements(); !prepared) return fail(prepared.error().message);
  return store;
}

Expected<Ok> SqliteCentralStore::prepare_statements() {
  const std::pair<sqlite::Stmt*, const char*> statements[] = {
      {&begin_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},
      // A revoked id is enrolled again in place (its responses reference it); an active one is left alone,
      // which changes() reports as 0.
      {&insert_kiosk_,
       "INSERT INTO kiosks(id, site, token_sha256, created_at, token_expires_at) VALUES(?1, ?2, ?3, ?4, ?5) "
       "ON CONFLICT(id) DO UPDATE SET site = excluded.site, token_sha256 = excluded.token_sha256, revoked = "
       "0, "
       "token_expires_at = excluded.token_expires_at WHERE kiosks.revoked = 1"},
      {&revoke_kiosk_, "UPDATE kiosks SET revoked = 1 WHERE id = ?1"},
      {&rotate_kiosk_,
       "UPDATE kiosks SET token_sha256 = ?2, token_expires_at = ?3 WHERE id = ?1 AND revoked = 0"},
      {&list_kiosks_,
       "SELECT id, site, revoked, created_at, last_seen_at, app_version, pending, oldest_pending_age_s, "
       "quarantined, last_error FROM kiosks ORDER BY id"},
      {&insert_user_,
       "INSERT INTO users(name, role, token_sha256, created_at, token_expires_at) VALUES(?1, ?2, ?3, ?4, "
       "?5)"},
      {&revoke_user_, "UPDATE users SET revoked = 1 WHERE name = ?1"},
      {&rotate_user_,
       "UPDATE users SET token_sha256 = ?2, token_expires_at = ?3 WHERE name = ?1 AND revoked = 0"},
      {&list_users_, "SELECT name, role, created_at, revoked, token_expires_at FROM users ORDER BY name"},
      {&delete_user_sessions_, "DELETE FROM sessions WHERE user_name = ?1"},
      // An expired token is as unknown as a wrong one (token_expires_at 0: never expires).
      {&find_kiosk_by_token_,
       "SELECT id, site, revoked FROM kiosks WHERE token_sha256 = ?1 "
       "AND (token_expires_at = 0 OR token_expires_at > ?2)"},
      {&find_user_by_token_,
       "SELECT name, role FROM users WHERE token_sha256 = ?1 AND revoked = 0 "
       "AND (token_expires_at = 0 OR token_expires_at > ?2)"},
      {&heartbeat_,
       "UPDATE kiosks SET last_seen_at = ?2, app_version = ?3, pending = ?4, oldest_pending_age_s = ?5, "
       "quarantined = ?6, last_error = ?7 WHERE id = ?1"},
      {&kiosk_site_, "SELECT site FROM kiosks WHERE id = ?1"},
      {&touch_kiosk_, "UPDATE kiosks SET last_seen_at = ?2 WHERE id = ?1"},
      // The UNIQUE constraint decides atomically; changes() tells which way it went.
      {&insert_response_,
       "INSERT INTO responses(uuid, kiosk_id, site, payload_sha256, payload, survey_id, survey_version, "
       "language, partial, completed_at, received_at, day, event, misuse) "
       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
       "ON CONFLICT(uuid) DO NOTHING"},
      // Totals for aggregates (what a batch's created responses add, summed per row) and the thank-you notes.
      {&add_response_total_,
       "INSERT INTO response_totals(site, event, survey_id, language, day, misuse, responses, thanks) "
       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(site, event, survey_id, language, day, misuse) "
       "DO UPDATE SET responses = responses + excluded.responses, thanks = thanks + excluded.thanks"},
      {&add_rating_total_,
       "INSERT INTO rating_totals(site, event, survey_id, language, day, misuse, question_id, pillar, value, "
       "n) "
       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
       "ON CONFLICT(site, event, survey_id, language, day, misuse, question_id, pillar, value) "
       "DO UPDATE SET n = n + excluded.n"},
      {&insert_thanks_,
       "INSERT INTO thanks(response_seq, site, day, note, employee) VALUES(last_insert_rowid(), ?1, ?2, ?3, "
       "?4)"},
      {&select_response_totals_,
       "SELECT site, event, survey_id, language, day, misuse, responses, thanks FROM response_totals "
       "WHERE (?1 IS NULL OR survey_id = ?1) AND (?2 IS NULL OR site = ?2) AND (?3 IS NULL OR event = ?3) "
       "AND (?4 IS NULL OR language = ?4) AND (?5 IS NULL OR day >= ?5) AND (?6 IS NULL OR day <= ?6)"},
      {&select_rating_totals_,
       "SELECT site, event, survey_id, language, day, misuse, question_id, pillar, value, n FROM "
       "rating_totals "
       "WHERE (?1 IS NULL OR survey_id = ?1) AND (?2 IS NULL OR site = ?2) AND (?3 IS NULL OR event = ?3) "
       "AND (?4 IS NULL OR language = ?4) AND (?5 IS NULL OR day >= ?5) AND (?6 IS NULL OR day <= ?6)"},
      {&add_period_total_,
       "INSERT INTO period_totals(grain, start, site, event, survey_id, language, misuse, question_id, "
       "pillar, "
       "responses, thanks, n1, n2, n3, n4, n5) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
       "?13, ?14, "
       "?15, ?16) ON CONFLICT(grain, start, site, event, survey_id, language, misuse, question_id, pillar) "
       "DO UPDATE SET responses = responses + excluded.responses, thanks = thanks + excluded.thanks, "
       "n1 = n1 + excluded.n1, n2 = n2 + excluded.n2, n3 = n3 + excluded.n3, n4 = n4 + excluded.n4, "
       "n5 = n5 + excluded.n5"},
      {&select_period_totals_,
       "SELECT site, event, survey_id, language, start, misuse, question_id, pillar, responses, thanks, "
       "n1, n2, n3, n4, n5 FROM period_totals "
       "WHERE grain = ?7 AND (?1 IS NULL OR survey_id = ?1) AND (?2 IS NULL OR site = ?2) "
       "AND (?3 IS NULL OR event = ?3) AND (?4 IS NULL OR language = ?4) AND (?5 IS NULL OR start >= ?5) "
       "AND (?6 IS NULL OR start <= ?6)"},
      {&select_thanks_,
       "SELECT r.uuid, t.site, t.day, r.survey_id, r.language, t.note, t.employee, r.received_at "
       "FROM thanks t JOIN responses r ON r.seq = t.response_seq "
       "WHERE (?1 IS NULL OR t.site = ?1) AND (?2 IS NULL OR t.day >= ?2) AND (?3 IS NULL OR t.day <= ?3) "
       "ORDER BY t.day DESC, t.response_seq DESC LIMIT ?4"},
      {&select_owner_, "SELECT kiosk_id, payload_sha256 FROM responses WHERE uuid = ?1"},
      {&count_responses_, "SELECT COUNT(*) FROM responses"},
      {&count_sessions_, "SELECT COUNT(*) FROM sessions WHERE expires_at > ?1"},
      // Reads the schema, so a file gone bad or unreadable fails here, not only a closed handle.
      {&ping_, "SELECT COUNT(*) FROM sqlite_master"},
      // A published version is never rewritten: the same bytes are a no-op, others are refused (publish_survey).
      {&insert_survey_,
       "INSERT INTO surveys(id, version, sha256, toml, published_at) VALUES(?1, ?2, ?3, ?4, ?5) "
       "ON CONFLICT(id, version) DO NOTHING"},
      {&survey_sha256_, "SELECT sha256 FROM surveys WHERE id = ?1 AND version = ?2"},
      {&assign_survey_,
       "INSERT INTO survey_assignments(kind, target, survey_id) VALUES(?1, ?2, ?3) "
       "ON CONFLICT(kind, target) DO UPDATE SET survey_id = excluded.survey_id"},
      {&list_surveys_, "SELECT id, version, sha256, toml, published_at FROM surveys ORDER BY id, version"},
      {&list_assignments_,
       "SELECT kind, target, survey_id FROM survey_assignments ORDER BY kind DESC, target"},
      {&find_response_,
       "SELECT seq, uuid, kiosk_id, site, payload_sha256, payload, survey_id, survey_version, language, "
       "partial, completed_at, received_at FROM responses WHERE uuid = ?1"},
      // Dashboard sessions: expired ones swept at each sign-in, a user's beyond the cap trimmed oldest first.
      {&delete_expired_sessions_, "DELETE FROM sessions WHERE expires_at <= ?1"},
      {&insert_session_,
       "INSERT INTO sessions(id_sha256, user_name, created_at, expires_at) VALUES(?1, ?2, ?3, ?4)"},
      {&trim_user_sessions_,
       "DELETE FROM sessions WHERE user_name = ?1 AND seq NOT IN (SELECT seq FROM sessions "
       "WHERE user_name = ?1 ORDER BY created_at DESC, seq DESC LIMIT ?2)"},
      {&find_session_,
       "SELECT u.name, u.role FROM sessions s JOIN users u ON u.name = s.user_name "
       "WHERE s.id_sha256 = ?1 AND s.expires_at > ?2 AND u.revoked = 0"},
      {&delete_session_, "DELETE FROM sessions WHERE id_sha256 = ?1"},
  };
  for (const auto& [slot, sql] : statements) {
    auto stmt = sqlite::prepare(db_.get(), sql);
    if (!stmt) return stmt.error();
    *slot = std::move(*stmt);
  }
  return Ok{};
}

Expected<Ok> SqliteCentralStore::add_kiosk(const std::string& id, const std::string& site,
                                           const std::string& token_sha256, const std::string& now,
                                           std::int64_t expires_at) {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(insert_kiosk_.get());
  int rc = bind_all(bind_text(use.get(), 1, id), bind_text(use.get(), 2, site),
                    bind_text(use.get(), 3, token_sha256), bind_text(use.get(), 4, now),
                    sqlite3_bind_int64(use.get(), 5, expires_at));
  if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
  if (rc != SQLITE_DONE) return Error{"cannot add kiosk '" + id + "': " + sqlite::describe(db_.get(), rc)};
  if (sqlite3_changes(db_.get()) == 0) return Error{"kiosk '" + id + "' already exists"};
  return Ok{};
}

Expected<Ok> SqliteCentralStore::revoke_kiosk(const std::string& id) {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(revoke_kiosk_.get());
  int rc = bind_text(use.get(), 1, id);
  if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
  if (rc != SQLITE_DONE) return Error{"cannot revoke kiosk '" + id + "': " + sqlite::describe(db_.get(), rc)};
  if (sqlite3_changes(db_.get()) == 0) return Error{"no kiosk '" + id + "' is enrolled"};
  return Ok{};
}

Expected<Ok> SqliteCentralStore::rotate_kiosk(const std::string& id, const std::string& token_sha256,
                                              std::int64_t expires_at) {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(rotate_kiosk_.get());
  int rc = bind_all(bind_text(use.get(), 1, id), bind_text(use.get(), 2, token_sha256),
                    sqlite3_bind_int64(use.get(), 3, expires_at));
  if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
  if (rc != SQLITE_DONE) return Error{"cannot rotate kiosk '" + id + "': " + sqlite::describe(db_.get(), rc)};
  if (sqlite3_changes(db_.get()) == 0) return Error{"no enrolled, unrevoked kiosk '" + id + "'"};
  return Ok{};
}

Expected<std::vector<KioskRecord>> SqliteCentralStore::list_kiosks() {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(list_kiosks_.get());
  std::vector<KioskRecord> out;
  int rc;
  while ((rc = sqlite3_step(use.get())) == SQLITE_ROW) {
    KioskRecord k;
    k.id = column_string(use.get(), 0);
    k.site = column_string(use.get(), 1);
    k.revoked = sqlite3_column_int64(use.get(), 2) != 0;
    k.created_at = column_string(use.get(), 3);
    k.last_seen_at = column_string(use.get(), 4);
    k.app_version = column_string(use.get(), 5);
    k.pending = sqlite3_column_int64(use.get(), 6);
    k.oldest_pending_age_s = sqlite3_column_int64(use.get(), 7);
    k.quarantined = sqlite3_column_int64(use.get(), 8);
    k.last_error = column_string(use.get(), 9);
    out.push_back(std::move(k));
  }
  if (rc != SQLITE_DONE) return Error{"cannot list kiosks: " + sqlite::describe(db_.get(), rc)};
  return out;
}

Expected<Ok> SqliteCentralStore::add_user(const std::string& name, Role role, const std::string& token_sha256,
                                          const std::string& now, std::int64_t expires_at) {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(insert_user_.get());
  const std::string role_name = to_string(role);
  int rc = bind_all(bind_text(use.get(), 1, name), bind_text(use.get(), 2, role_name),
                    bind_text(use.get(), 3, token_sha256), bind_text(use.get(), 4, now),
                    sqlite3_bind_int64(use.get(), 5, expires_at));
  if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
  if (rc == SQLITE_DONE) return Ok{};
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) return Error{"user '" + name + "' already exists"};
  return Error{"cannot add user '" + name + "': " + sqlite::describe(db_.get(), rc)};
}

Expected<Ok> SqliteCentralStore::in_transaction(const std::function<Expected<Ok>()>& step) {
  std::lock_guard lock(mutex_);
  {
    sqlite::StmtUse use(begin_.get());
    if (const int rc = sqlite3_step(use.get()); rc != SQLITE_DONE) {
      return Error{"cannot begin a transaction: " + sqlite::describe(db_.get(), rc)};
    }
  }
  auto done = step();
  sqlite::StmtUse end(done ? commit_.get() : rollback_.get());
  const int rc = sqlite3_step(end.get());
  if (!done) return done;
  if (rc != SQLITE_DONE) {
    const std::string what = sqlite::describe(db_.get(), rc);
    sqlite::StmtUse rollback(rollback_.get());
    sqlite3_step(rollback.get());
    return Error{"cannot commit: " + what};
  }
  return Ok{};
}

Expected<Ok> SqliteCentralStore::revoke_user(const std::string& name) {
  return in_transaction([&]() -> Expected<Ok> {
    sqlite::StmtUse use(revoke_user_.get());
    int rc = bind_text(use.get(), 1, name);
    if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
    if (rc != SQLITE_DONE)
      return Error{"cannot revoke user '" + name + "': " + sqlite::describe(db_.get(), rc)};
    if (sqlite3_changes(db_.get()) == 0) return Error{"no user '" + name + "'"};
    sqlite::StmtUse sessions(delete_user_sessions_.get());
    rc = bind_text(sessions.get(), 1, name);
    if (rc == SQLITE_OK) rc = sqlite3_step(sessions.get());
    if (rc != SQLITE_DONE)
      return Error{"cannot end the sessions of '" + name + "': " + sqlite::describe(db_.get(), rc)};
    return Ok{};
  });
}

Expected<Ok> SqliteCentralStore::rotate_user(const std::string& name, const std::string& token_sha256,
                                             std::int64_t expires_at) {
  return in_transaction([&]() -> Expected<Ok> {
    sqlite::StmtUse use(rotate_user_.get());
    int rc = bind_all(bind_text(use.get(), 1, name), bind_text(use.get(), 2, token_sha256),
                      sqlite3_bind_int64(use.get(), 3, expires_at));
    if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
    if (rc != SQLITE_DONE)
      return Error{"cannot rotate user '" + name + "': " + sqlite::describe(db_.get(), rc)};
    if (sqlite3_changes(db_.get()) == 0) return Error{"no unrevoked user '" + name + "'"};
    sqlite::StmtUse sessions(delete_user_sessions_.get());
    rc = bind_text(sessions.get(), 1, name);
    if (rc == SQLITE_OK) rc = sqlite3_step(sessions.get());
    if (rc != SQLITE_DONE)
      return Error{"cannot end the sessions of '" + name + "': " + sqlite::describe(db_.get(), rc)};
    return Ok{};
  });
}

Expected<std::vector<UserRecord>> SqliteCentralStore::list_users() {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(list_users_.get());
  std::vector<UserRecord> out;
  int rc;
  while ((rc = sqlite3_step(use.get())) == SQLITE_ROW) {
    UserRecord u;
    u.name = column_string(use.get(), 0);
    const std::string role_name = column_string(use.get(), 1);
    const auto role = role_from_string(role_name);
    if (!role) return Error{"user '" + u.name + "' has an unknown role '" + role_name + "'"};
    u.role = *role;
    u.created_at = column_string(use.get(), 2);
    u.revoked = sqlite3_column_int64(use.get(), 3) != 0;
    u.token_expires_at = sqlite3_column_int64(use.get(), 4);
    out.push_back(std::move(u));
  }
  if (rc != SQLITE_DONE) return Error{"cannot list users: " + sqlite::describe(db_.get(), rc)};
  return out;
}

Expected<std::optional<Principal>> SqliteCentralStore::find_principal(const std::string& token_sha256,
                                                                      std::int64_t now) {
  std::lock_guard lock(mutex_);
  {
    sqlite::StmtUse use(find_kiosk_by_token_.get());
    int rc = bind_all(bind_text(use.get(), 1, token_sha256), sqlite3_bind_int64(use.get(), 2, now));
    if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
    if (rc == SQLITE_ROW) {
      Principal p;
      p.kiosk = Principal::Kiosk{column_string(use.get(), 0), column_string(use.get(), 1),
                                 sqlite3_column_int64(use.get(), 2) != 0};
      return std::optional<Principal>(std::move(p));
    }
    if (rc != SQLITE_DONE) return Error{"cannot look a token up: " + sqlite::describe(db_.get(), rc)};
  }
  sqlite::StmtUse use(find_user_by_token_.get());
  int rc = bind_all(bind_text(use.get(), 1, token_sha256), sqlite3_bind_int64(use.get(), 2, now));
  if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
  if (rc == SQLITE_DONE) return std::optional<Principal>();
  if (rc != SQLITE_ROW) return Error{"cannot look a token up: " + sqlite::describe(db_.get(), rc)};
  const std::string role_name = column_string(use.get(), 1);
  const auto role = role_from_string(role_name);
  // The CHECK constraint makes this impossible short of a hand-edited database; refuse rather than guess.
  if (!role) return Error{"user has an unknown role '" + role_name + "'"};
  Principal p;
  p.user = Principal::User{column_string(use.get(), 0), *role};
  return std::optional<Principal>(std::move(p));
}

Expected<Ok> SqliteCentralStore::record_heartbeat(const std::string& kiosk_id, const model::Heartbeat& hb,
                                                  const std::string& now) {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(heartbeat_.get());
  int rc = bind_all(bind_text(use.get(), 1, kiosk_id), bind_text(use.get(), 2, now),
                    bind_text(use.get(), 3, hb.app_version), sqlite3_bind_int64(use.get(), 4, hb.pending),
                    sqlite3_bind_int64(use.get(), 5, hb.oldest_pending_age_s),
                    sqlite3_bind_int64(use.get(), 6, hb.quarantined), bind_text(use.get(), 7, hb.last_error));
  if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
  if (rc != SQLITE_DONE) return Error{"cannot record a heartbeat: " + sqlite::describe(db_.get(), rc)};
  if (sqlite3_changes(db_.get()) == 0) return Error{"no kiosk '" + kiosk_id + "' is enrolled"};
  return Ok{};
}

Expected<std::vector<model::ItemResult>> SqliteCentralStore::ingest(const std::string& kiosk_id,
                                                                    const std::vector<IngestItem>& items,
                                                                    const std::string& received_at) {
  std::lock_guard lock(mutex_);
  {
    sqlite::StmtUse use(begin_.get());
    if (const int rc = sqlite3_step(use.get()); rc != SQLITE_DONE) {
      return Error{"cannot begin a batch: " + sqlite::describe(db_.get(), rc)};
    }
  }
  auto results = ingest_locked(kiosk_id, items, received_at);
  sqlite::StmtUse end(results ? commit_.get() : rollback_.get());
  const int rc = sqlite3_step(end.get());
  if (!results) return results;
  if (rc != SQLITE_DONE) {
    // A failed COMMIT may leave the transaction open; roll it back so the connection stays usable.
    const std::string what = sqlite::describe(db_.get(), rc);
    sqlite::StmtUse rollback(rollback_.get());
    sqlite3_step(rollback.get());
    return Error{"cannot commit a batch: " + what};
  }
  return results;
}

Expected<std::vector<model::ItemResult>> SqliteCentralStore::ingest_locked(
    const std::string& kiosk_id, const std::vector<IngestItem>& items, const std::string& received_at) {
  auto fail = [&](const char* what, int rc) {
    return Error{std::string(what) + ": " + sqlite::describe(db_.get(), rc)};
  };
  // The kiosk's site is recorded with each row: a kiosk may move between divisions later.
  std::string site;
  {
    sqlite::StmtUse use(kiosk_site_.get());
    int rc = bind_text(use.get(), 1, kiosk_id);
    if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
    if (rc == SQLITE_DONE) return Error{"no kiosk '" + kiosk_id + "' is enrolled"};
    if (rc != SQLITE_ROW) return fail("cannot read the kiosk", rc);
    site = column_string(use.get(), 0);
  }
  {
    sqlite::StmtUse use(touch_kiosk_.get());
    int rc = bind_all(bind_text(use.get(), 1, kiosk_id), bind_text(use.get(), 2, received_at));
    if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
    if (rc != SQLITE_DONE) return fail("cannot update the kiosk", rc);
  }
  std::vector<model::ItemResult> results;
  results.reserve(items.size());
  BatchTotals totals;
  for (const IngestItem& item : items) {
    if (!is_storable(item)) {
      results.push_back(decide(item, kiosk_id, std::nullopt));
      continue;
    }
    {
      sqlite::StmtUse use(insert_response_.get());
      sqlite3_stmt* s = use.get();
      int rc = bind_all(bind_text(s, 1, item.uuid), bind_text(s, 2, kiosk_id), bind_text(s, 3, site),
                        bind_text(s, 4, item.payload_sha256), bind_blob(s, 5, item.payload),
                        bind_text(s, 6, item.survey_id), sqlite3_bind_int64(s, 7, item.survey_version),
                        bind_text(s, 8, item.language), sqlite3_bind_int(s, 9, item.partial ? 1 : 0),
                        bind_text(s, 10, item.completed_at), bind_text(s, 11, received_at),
                        bind_text(s, 12, item.day), bind_text(s, 13, item.event),
                        sqlite3_bind_int(s, 14, item.misuse ? 1 : 0));
      if (rc == SQLITE_OK) rc = sqlite3_step(s);
      if (rc != SQLITE_DONE) return fail("cannot store a response", rc);
    }
    if (sqlite3_changes(db_.get()) == 1) {
      if (auto added = add_thanks(site, item); !added) return added.error();
      totals.add(site, item);
      results.push_back(decide(item, kiosk_id, std::nullopt));
      continue;
    }
    // Not inserted: the UUID is taken. Whose is it, and is it the same bytes?
    sqlite::StmtUse use(select_owner_.get());
    int rc = bind_text(use.get(), 1, item.uuid);
    if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
    if (rc != SQLITE_ROW) return fail("cannot read a stored response", rc);
    results.push_back(
        decide(item, kiosk_id, StoredOwner{column_string(use.get(), 0), column_string(use.get(), 1)}));
  }
  if (auto added = add_totals(totals); !added) return added.error();
  return results;
}

namespace {

// Binds the six cell-key columns (?1..?6) every daily totals statement starts with.
int bind_cell_key(sqlite3_stmt* s, const DayKey& key) {
  return bind_all(bind_text(s, 1, key.site), bind_text(s, 2, key.event), bind_text(s, 3, key.survey_id),
                  bind_text(s, 4, key.language), bind_text(s, 5, key.day),
                  sqlite3_bind_int(s, 6, key.misuse));
}

// Binds an optional text filter: NULL means "any".
int bind_filter(sqlite3_stmt* s, int index, const std::optional<std::string>& value) {
  return value ? bind_text(s, index, *value) : sqlite3_bind_null(s, index);
}

int bind_filters(sqlite3_stmt* s, const AggregateQuery& q) {
  return bind_all(bind_filter(s, 1, q.survey), bind_filter(s, 2, q.site), bind_filter(s, 3, q.event),
                  bind_filter(s, 4, q.language), bind_filter(s, 5, q.from), bind_filter(s, 6, q.to));
}

}  // namespace

// Called right after a response was created, inside the ingest transaction (the mutex is held): it reads
// last_insert_rowid(), the response just inserted.
Expected<Ok> SqliteCentralStore::add_thanks(const std::string& site, const IngestItem& item) {
  if (item.thanks_note.empty()) return Ok{};
  sqlite::StmtUse use(insert_thanks_.get());
  sqlite3_stmt* s = use.get();
  int rc = bind_all(bind_text(s, 1, site), bind_text(s, 2, item.day), bind_text(s, 3, item.thanks_note),
                    bind_text(s, 4, item.employee));
  if (rc == SQLITE_OK) rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) return Error{"cannot store a thank-you note: " + sqlite::describe(db_.get(), rc)};
  return Ok{};
}

// What the batch's created responses add, each totals row upserted once (inside the ingest transaction).
Expected<Ok> SqliteCentralStore::add_totals(const BatchTotals& totals) {
  auto fail = [&](const char* what, int rc) {
    return Error{std::string(what) + ": " + sqlite::describe(db_.get(), rc)};
  };
  for (const auto& [key, counts] : totals.responses()) {
    sqlite::StmtUse use(add_response_total_.get());
    sqlite3_stmt* s = use.get();
    int rc = bind_all(bind_cell_key(s, key), sqlite3_bind_int64(s, 7, counts.responses),
                      sqlite3_bind_int64(s, 8, counts.thanks));
    if (rc == SQLITE_OK) rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) return fail("cannot update the response totals", rc);
  }
  for (const auto& [key, n] : totals.ratings()) {
    sqlite::StmtUse use(add_rating_total_.get());
    sqlite3_stmt* s = use.get();
    int rc =
        bind_all(bind_cell_key(s, key.day), bind_text(s, 7, key.question_id), bind_text(s, 8, key.pillar),
                 sqlite3_bind_int(s, 9, key.value), sqlite3_bind_int64(s, 10, n));
    if (rc == SQLITE_OK) rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) return fail("cannot update the rating totals", rc);
  }
  for (const auto& [key, counts] : totals.periods().rows()) {
    sqlite::StmtUse use(add_period_total_.get());
    sqlite3_stmt* s = use.get();
    int rc = bind_all(bind_text(s, 1, to_string(key.grain)), bind_text(s, 2, key.start),
                      bind_text(s, 3, key.site), bind_text(s, 4, key.event), bind_text(s, 5, key.survey_id),
                      bind_text(s, 6, key.language), sqlite3_bind_int(s, 7, key.misuse ? 1 : 0),
                      bind_text(s, 8, key.question_id), bind_text(s, 9, key.pillar),
                      sqlite3_bind_int64(s, 10, counts.responses), sqlite3_bind_int64(s, 11, counts.thanks));
    for (int v = 0; v < 5 && rc == SQLITE_OK; ++v)
      rc = sqlite3_bind_int64(s, 12 + v, counts.n[static_cast<std::size_t>(v)]);
    if (rc == SQLITE_OK) rc = sqlite3_step(s);
    if (rc != SQLITE_DONE)
      return Error{"cannot update the period totals: " + sqlite::describe(db_.get(), rc)};
  }
  return Ok{};
}

namespace {

std::string_view text_view(sqlite3_stmt* s, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
  return text ? std::string_view(text, static_cast<std::size_t>(sqlite3_column_bytes(s, column)))
              : std::string_view();
}

// The six key columns every totals row starts with, borrowed from the statement's current row.
CellKeyView key_view(sqlite3_stmt* s) {
  return CellKeyView{text_view(s, 0), text_view(s, 1), text_view(s, 2),
                     text_view(s, 3), text_view(s, 4), sqlite3_column_int(s, 5) != 0};
}

}  // namespace

Expected<std::vector<PartialCell>> SqliteCentralStore::aggregate_partials(const AggregateQuery& filters,
                                                                          Grain grain) {
  std::lock_guard lock(mutex_);
  return grain == Grain::Day ? read_daily(filters) : read_periods(filters, grain);
}

Expected<std::vector<PartialCell>> SqliteCentralStore::read_periods(const AggregateQuery& filters,
                                                                    Grain grain) {
  PartialCellBuilder cells;
  sqlite::StmtUse use(select_period_totals_.get());
  sqlite3_stmt* s = use.get();
  int rc = bind_all(bind_filters(s, filters), bind_text(s, 7, to_string(grain)));
  while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    const CellKeyView key = key_view(s);
    if (text_view(s, 6).empty()) {
      cells.add_responses(key, sqlite3_column_int(s, 8), sqlite3_column_int(s, 9));
    } else {
      cells.add_ratings(key, text_view(s, 6), text_view(s, 7),
                        {sqlite3_column_int(s, 10), sqlite3_column_int(s, 11), sqlite3_column_int(s, 12),
                         sqlite3_column_int(s, 13), sqlite3_column_int(s, 14)});
    }
    rc = SQLITE_OK;
  }
  if (rc != SQLITE_DONE) return Error{"cannot read the period totals: " + sqlite::describe(db_.get(), rc)};
  return cells.take();
}

Expected<std::vector<PartialCell>> SqliteCentralStore::read_daily(const AggregateQuery& filters) {
  PartialCellBuilder cells;
  {
    sqlite::StmtUse use(select_response_totals_.get());
    sqlite3_stmt* s = use.get();
    int rc = bind_filters(s, filters);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
      cells.add_responses(key_view(s), sqlite3_column_int(s, 6), sqlite3_column_int(s, 7));
      rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE)
      return Error{"cannot read the response totals: " + sqlite::describe(db_.get(), rc)};
  }
  {
    sqlite::StmtUse use(select_rating_totals_.get());
    sqlite3_stmt* s = use.get();
    int rc = bind_filters(s, filters);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
      cells.add_rating(key_view(s), text_view(s, 6), text_view(s, 7), sqlite3_column_int(s, 8),
                       sqlite3_column_int(s, 9));
      rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE) return Error{"cannot read the rating totals: " + sqlite::describe(db_.get(), rc)};
  }
  return cells.take();
}

Expected<std::vector<ThanksRecord>> SqliteCentralStore::list_thanks(const ThanksFilter& filter) {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(select_thanks_.get());
  sqlite3_stmt* s = use.get();
  int rc = bind_all(bind_filter(s, 1, filter.site), bind_filter(s, 2, filter.from),
                    bind_filter(s, 3, filter.to), sqlite3_bind_int(s, 4, filter.limit));
  std::vector<ThanksRecord> out;
  while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    out.push_back(ThanksRecord{column_string(s, 0), column_string(s, 1), column_string(s, 2),
                               column_string(s, 3), column_string(s, 4), column_string(s, 5),
                               column_string(s, 6), column_string(s, 7)});
    rc = SQLITE_OK;
  }
  if (rc != SQLITE_DONE) return Error{"cannot read the thank-you notes: " + sqlite::describe(db_.get(), rc)};
  return out;
}

Expected<Ok> SqliteCentralStore::add_session(const SessionRecord& session, std::size_t per_user_cap) {
  std::lock_guard lock(mutex_);
  {
    sqlite::StmtUse use(begin_.get());
    if (const int rc = sqlite3_step(use.get()); rc != SQLITE_DONE) {
      return Error{"cannot begin a session: " + sqlite::describe(db_.get(), rc)};
    }
  }
  auto added = add_session_locked(session, per_user_cap);
  sqlite::StmtUse end(added ? commit_.get() : rollback_.get());
  const int rc = sqlite3_step(end.get());
  if (!added) return added;
  if (rc != SQLITE_DONE) {
    const std::string what = sqlite::describe(db_.get(), rc);
    sqlite::StmtUse rollback(rollback_.get());
    sqlite3_step(rollback.get());
    return Error{"cannot commit a session: " + what};
  }
  return Ok{};
}

Expected<Ok> SqliteCentralStore::add_session_locked(const SessionRecord& session, std::size_t per_user_cap) {
  auto fail = [&](const char* what, int rc) {
    return Error{std::string(what) + ": " + sqlite::describe(db_.get(), rc)};
  };
  {
    sqlite::StmtUse use(delete_expired_sessions_.get());
    int rc = sqlite3_bind_int64(use.get(), 1, session.created_at);
    if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
    if (rc != SQLITE_DONE) return fail("cannot delete expired sessions", rc);
  }
  {
    sqlite::StmtUse use(insert_session_.get());
    int rc = bind_all(bind_text(use.get(), 1, session.id_sha256), bind_text(use.get(), 2, session.user),
                      sqlite3_bind_int64(use.get(), 3, session.created_at),
                      sqlite3_bind_int64(use.get(), 4, session.expires_at));
    if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
    if (rc != SQLITE_DONE) return fail("cannot store a session", rc);
  }
  sqlite::StmtUse use(trim_user_sessions_.get());
  int rc = bind_all(bind_text(use.get(), 1, session.user),
                    sqlite3_bind_int64(use.get(), 2, static_cast<sqlite3_int64>(per_user_cap)));
  if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
  if (rc != SQLITE_DONE) return fail("cannot trim a user's sessions", rc);
  return Ok{};
}

Expected<std::optional<Principal::User>> SqliteCentralStore::find_session(const std::string& id_sha256,
                                                                          std::int64_t now) {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(find_session_.get());
  int rc = bind_all(bind_text(use.get(), 1, id_sha256), sqlite3_bind_int64(use.get(), 2, now));
  if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
  if (rc == SQLITE_DONE) return std::optional<Principal::User>();
  if (rc != SQLITE_ROW) return Error{"cannot look a session up: " + sqlite::describe(db_.get(), rc)};
  const std::string role_name = column_string(use.get(), 1);
  const auto role = role_from_string(role_name);
  if (!role) return Error{"user has an unknown role '" + role_name + "'"};
  return std::optional<Principal::User>(Principal::User{column_string(use.get(), 0), *role});
}

Expected<Ok> SqliteCentralStore::remove_session(const std::string& id_sha256) {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(delete_session_.get());
  int rc = bind_text(use.get(), 1, id_sha256);
  if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
  if (rc != SQLITE_DONE) return Error{"cannot remove a session: " + sqlite::describe(db_.get(), rc)};
  return Ok{};
}

Expected<std::int64_t> SqliteCentralStore::count_responses() {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(count_responses_.get());
  const int rc = sqlite3_step(use.get());
  if (rc != SQLITE_ROW) return Error{"cannot count responses: " + sqlite::describe(db_.get(), rc)};
  return static_cast<std::int64_t>(sqlite3_column_int64(use.get(), 0));
}

Expected<std::int64_t> SqliteCentralStore::count_sessions(std::int64_t now) {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(count_sessions_.get());
  int rc = sqlite3_bind_int64(use.get(), 1, now);
  if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
  if (rc != SQLITE_ROW) return Error{"cannot count sessions: " + sqlite::describe(db_.get(), rc)};
  return static_cast<std::int64_t>(sqlite3_column_int64(use.get(), 0));
}

Expected<Ok> SqliteCentralStore::ping() {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(ping_.get());
  const int rc = sqlite3_step(use.get());
  if (rc != SQLITE_ROW) return Error{"the database does not answer: " + sqlite::describe(db_.get(), rc)};
  return Ok{};
}

Expected<std::optional<CentralResponse>> SqliteCentralStore::find_response(const std::string& uuid) {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(find_response_.get());
  int rc = bind_text(use.get(), 1, uuid);
  if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
  if (rc == SQLITE_DONE) return std::optional<CentralResponse>();
  if (rc != SQLITE_ROW) return Error{"cannot read a response: " + sqlite::describe(db_.get(), rc)};
  sqlite3_stmt* s = use.get();
  CentralResponse r;
  r.seq = sqlite3_column_int64(s, 0);
  r.uuid = column_string(s, 1);
  r.kiosk_id = column_string(s, 2);
  r.site = column_string(s, 3);
  r.payload_sha256 = column_string(s, 4);
  r.payload = column_string(s, 5);
  r.survey_id = column_string(s, 6);
  r.survey_version = sqlite3_column_int64(s, 7);
  r.language = column_string(s, 8);
  r.partial = sqlite3_column_int64(s, 9) != 0;
  r.completed_at = column_string(s, 10);
  r.received_at = column_string(s, 11);
  return std::optional<CentralResponse>(std::move(r));
}

Expected<PublishOutcome> SqliteCentralStore::publish_survey(
    const PublishedSurvey& survey, const std::vector<SurveyAssignment>& assignments) {
  std::lock_guard lock(mutex_);
  {
    sqlite::StmtUse use(begin_.get());
    if (const int rc = sqlite3_step(use.get()); rc != SQLITE_DONE) {
      return Error{"cannot begin publishing: " + sqlite::describe(db_.get(), rc)};
    }
  }
  auto outcome = publish_locked(survey, assignments);
  sqlite::StmtUse end(outcome ? commit_.get() : rollback_.get());
  const int rc = sqlite3_step(end.get());
  if (!outcome) return outcome;
  if (rc != SQLITE_DONE) {
    const std::string what = sqlite::describe(db_.get(), rc);
    sqlite::StmtUse rollback(rollback_.get());
    sqlite3_step(rollback.get());
    return Error{"cannot commit the survey: " + what};
  }
  return outcome;
}

Expected<PublishOutcome> SqliteCentralStore::publish_locked(
    const PublishedSurvey& survey, const std::vector<SurveyAssignment>& assignments) {
  auto fail = [&](const char* what, int rc) {
    return Error{std::string(what) + ": " + sqlite::describe(db_.get(), rc)};
  };
  PublishOutcome outcome = PublishOutcome::Created;
  {
    sqlite::StmtUse use(insert_survey_.get());
    sqlite3_stmt* s = use.get();
    int rc = bind_all(bind_text(s, 1, survey.id), sqlite3_bind_int64(s, 2, survey.version),
                      bind_text(s, 3, survey.sha256), bind_text(s, 4, survey.toml),
                      bind_text(s, 5, survey.published_at));
    if (rc == SQLITE_OK) rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) return fail("cannot store the survey", rc);
  }
  if (sqlite3_changes(db_.get()) == 0) {
    sqlite::StmtUse use(survey_sha256_.get());
    int rc = bind_all(bind_text(use.get(), 1, survey.id), sqlite3_bind_int64(use.get(), 2, survey.version));
    if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
    if (rc != SQLITE_ROW) return fail("cannot read a published survey", rc);
    if (column_string(use.get(), 0) != survey.sha256) return survey_changed_error(survey);
    outcome = PublishOutcome::Unchanged;
  }
  for (const SurveyAssignment& a : assignments) {
    sqlite::StmtUse use(assign_survey_.get());
    int rc = bind_all(bind_text(use.get(), 1, to_string(a.kind)), bind_text(use.get(), 2, a.target),
                      bind_text(use.get(), 3, a.survey_id));
    if (rc == SQLITE_OK) rc = sqlite3_step(use.get());
    if (rc != SQLITE_DONE) return fail("cannot assign the survey", rc);
  }
  return outcome;
}

Expected<std::vector<PublishedSurvey>> SqliteCentralStore::list_published_surveys() {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(list_surveys_.get());
  sqlite3_stmt* s = use.get();
  std::vector<PublishedSurvey> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    out.push_back(PublishedSurvey{column_string(s, 0), sqlite3_column_int64(s, 1), column_string(s, 2),
                                  column_string(s, 3), column_string(s, 4)});
  }
  if (rc != SQLITE_DONE) return Error{"cannot list surveys: " + sqlite::describe(db_.get(), rc)};
  return out;
}

Expected<std::vector<SurveyAssignment>> SqliteCentralStore::list_survey_assignments() {
  std::lock_guard lock(mutex_);
  sqlite::StmtUse use(list_assignments_.get());
  sqlite3_stmt* s = use.get();
  std::vector<SurveyAssignment> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    const auto kind = column_string(s, 0) == "site" ? AssignmentKind::Site : AssignmentKind::Event;
    out.push_back(SurveyAssignment{kind, column_string(s, 1), column_string(s, 2)});
  }
  if (rc != SQLITE_DONE) return Error{"cannot list survey assignments: " + sqlite::describe(db_.get(), rc)};
  return out;
}

}  // namespace fk::central
