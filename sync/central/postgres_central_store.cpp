// PostgresCentralStore: a small pool of libpq connections with prepared statements, and batch ingest in one
// transaction where INSERT … ON CONFLICT (uuid) DO NOTHING lets the UNIQUE constraint decide, whichever process
// asks. The libpq plumbing is sync/postgres; the schema, postgres_migrations.cpp; the answers and totals of a
// batch, ingest_decision.cpp. Dashboard sessions and the identity lifecycle (revoke, rotate, expiry) too. About 700 lines because its ~100 lines of statements
// stay beside the code that runs them, as in sqlite_central_store.cpp.
#include "sync/central/postgres_central_store.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <numeric>
#include <optional>
#include <string_view>
#include <utility>

#include "sync/central/ingest_decision.hpp"
#include "sync/central/open_store.hpp"
#include "sync/central/partial_cells.hpp"
#include "sync/central/postgres_migrations.hpp"
#include "sync/postgres/params.hpp"
#include "sync/postgres/pg_handle.hpp"
#include "sync/postgres/values.hpp"

namespace fk::central {
namespace {

using postgres::affected;
using postgres::bool_at;
using postgres::bytes_at;
using postgres::constraint;
using postgres::describe;
using postgres::exec;
using postgres::int_at;
using postgres::is;
using postgres::kUniqueViolation;
using postgres::Params;
using postgres::Result;
using postgres::rows;
using postgres::run;
using postgres::sqlstate;
using postgres::text_at;
using postgres::view_at;

// A batch that lost a deadlock or serialisation race is run again whole, at most this many times in all.
constexpr int kIngestAttempts = 3;

static_assert(postgres_migrations::kLatestVersion == PostgresCentralStore::kSchemaVersion);

// Prepared on every connection of the pool.
constexpr std::pair<const char*, const char*> kStatements[] = {
    // A revoked id is enrolled again in place (its responses reference it); an active one is left alone,
    // which the affected row count reports as 0.
    {"insert_kiosk",
     "INSERT INTO kiosks(id, site, token_sha256, created_at, token_expires_at) VALUES($1, $2, $3, $4, "
     "$5::bigint) ON CONFLICT (id) DO UPDATE SET site = excluded.site, token_sha256 = excluded.token_sha256, "
     "revoked = false, token_expires_at = excluded.token_expires_at WHERE kiosks.revoked"},
    {"revoke_kiosk", "UPDATE kiosks SET revoked = true WHERE id = $1"},
    {"rotate_kiosk",
     "UPDATE kiosks SET token_sha256 = $2, token_expires_at = $3::bigint WHERE id = $1 AND NOT revoked"},
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    {"list_kiosks",
     "SELECT id, site, revoked, created_at, last_seen_at, app_version, pending, oldest_pending_age_s, "
     "quarantined, last_error FROM kiosks ORDER BY id COLLATE \"C\""},
    {"insert_user",
     "INSERT INTO users(name, role, token_sha256, created_at, token_expires_at) VALUES($1, $2, $3, $4, "
     "$5::bigint)"},
    {"revoke_user", "UPDATE users SET revoked = true WHERE name = $1"},
    {"rotate_user",
     "UPDATE users SET token_sha256 = $2, token_expires_at = $3::bigint WHERE name = $1 AND NOT revoked"},
    {"list_users",
     "SELECT name, role, created_at, revoked, token_expires_at FROM users ORDER BY name COLLATE \"C\""},
    {"delete_user_sessions", "DELETE FROM sessions WHERE user_name = $1"},
    // An expired token is as unknown as a wrong one (token_expires_at 0: never expires).
    {"find_kiosk_by_token",
     "SELECT id, site, revoked FROM kiosks WHERE token_sha256 = $1 "
     "AND (token_expires_at = 0 OR token_expires_at > $2::bigint)"},
    {"find_user_by_token",
     "SELECT name, role FROM users WHERE token_sha256 = $1 AND NOT revoked "
     "AND (token_expires_at = 0 OR token_expires_at > $2::bigint)"},
    {"heartbeat",
     "UPDATE kiosks SET last_seen_at = $2, app_version = $3, pending = $4, oldest_pending_age_s = $5, "
     "quarantined = $6, last_error = $7 WHERE id = $1"},
    // Also row-locks the kiosk until the batch ends: one kiosk's concurrent batches take turns.
    {"touch_kiosk", "UPDATE kiosks SET last_seen_at = $2 WHERE id = $1 RETURNING site"},
    // The UNIQUE constraint decides atomically, waiting for a concurrent inserter of the same UUID to finish;
    // the returned row (none when skipped) tells which way it went, and its seq is the thank-you note's key.
    {"insert_response",
     "INSERT INTO responses(uuid, kiosk_id, site, payload_sha256, payload, survey_id, survey_version, "
     "language, partial, completed_at, received_at, day, event, misuse) "
     "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
     "ON CONFLICT (uuid) DO NOTHING RETURNING seq"},
    // Totals for aggregates and the thank-you notes, written only for responses just created. Concurrent
    // batches may add to the same totals row: ON CONFLICT DO UPDATE locks and re-reads it, so no count is lost.
    {"insert_thanks",
     "INSERT INTO thanks(response_seq, site, day, note, employee) VALUES($1, $2, $3, $4, $5)"},
    {"add_response_total",
     "INSERT INTO response_totals(site, event, survey_id, language, day, misuse, responses, thanks) "
     "VALUES($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (site, event, survey_id, language, day, misuse) "
     "DO UPDATE SET responses = response_totals.responses + EXCLUDED.responses, "
     "thanks = response_totals.thanks + EXCLUDED.thanks"},
    {"add_rating_total",
     "INSERT INTO rating_totals(site, event, survey_id, language, day, misuse, question_id, pillar, value, "
     "n) "
     "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
     "ON CONFLICT (site, event, survey_id, language, day, misuse, question_id, pillar, value) "
     "DO UPDATE SET n = rating_totals.n + EXCLUDED.n"},
    // Optional filters: a NULL parameter means "any".
    {"select_response_totals",
     "SELECT site, event, survey_id, language, day, misuse, responses, thanks FROM response_totals "
     "WHERE ($1::text IS NULL OR survey_id = $1) AND ($2::text IS NULL OR site = $2) "
     "AND ($3::text IS NULL OR event = $3) AND ($4::text IS NULL OR language = $4) "
     "AND ($5::text IS NULL OR day >= $5) AND ($6::text IS NULL OR day <= $6)"},
    {"select_rating_totals",
     "SELECT site, event, survey_id, language, day, misuse, question_id, pillar, value, n FROM rating_totals "
     "WHERE ($1::text IS NULL OR survey_id = $1) AND ($2::text IS NULL OR site = $2) "
     "AND ($3::text IS NULL OR event = $3) AND ($4::text IS NULL OR language = $4) "
     "AND ($5::text IS NULL OR day >= $5) AND ($6::text IS NULL OR day <= $6)"},
    {"add_period_total",
     "INSERT INTO period_totals(grain, start, site, event, survey_id, language, misuse, question_id, pillar, "
     "responses, thanks, n1, n2, n3, n4, n5) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
     "$14, "
     "$15, $16) ON CONFLICT (grain, start, site, event, survey_id, language, misuse, question_id, pillar) "
     "DO UPDATE SET responses = period_totals.responses + EXCLUDED.responses, "
     "thanks = period_totals.thanks + EXCLUDED.thanks, n1 = period_totals.n1 + EXCLUDED.n1, "
     "n2 = period_totals.n2 + EXCLUDED.n2, n3 = period_totals.n3 + EXCLUDED.n3, "
     "n4 = period_totals.n4 + EXCLUDED.n4, n5 = period_totals.n5 + EXCLUDED.n5"},
    {"select_period_totals",
     "SELECT site, event, survey_id, language, start, misuse, question_id, pillar, responses, thanks, "
     "n1, n2, n3, n4, n5 FROM period_totals "
     "WHERE grain = $7 AND ($1::text IS NULL OR survey_id = $1) AND ($2::text IS NULL OR site = $2) "
     "AND ($3::text IS NULL OR event = $3) AND ($4::text IS NULL OR language = $4) "
     "AND ($5::text IS NULL OR start >= $5) AND ($6::text IS NULL OR start <= $6)"},
    {"select_thanks",
     "SELECT r.uuid, t.site, t.day, r.survey_id, r.language, t.note, t.employee, r.received_at "
     "FROM thanks t JOIN responses r ON r.seq = t.response_seq "
     "WHERE ($1::text IS NULL OR t.site = $1) AND ($2::text IS NULL OR t.day >= $2) "
     "AND ($3::text IS NULL OR t.day <= $3) "
     "ORDER BY t.day DESC, t.response_seq DESC LIMIT $4::bigint"},
    {"select_owner", "SELECT kiosk_id, payload_sha256 FROM responses WHERE uuid = $1"},
    {"count_responses", "SELECT count(*) FROM responses"},
    {"count_sessions", "SELECT count(*) FROM sessions WHERE expires_at > $1::bigint"},
    {"ping", "SELECT 1"},
    // A published version is never rewritten: the same bytes are a no-op, others are refused (publish_survey).
    {"insert_survey",
     "INSERT INTO surveys(id, version, sha256, toml, published_at) VALUES($1, $2, $3, $4, $5) "
     "ON CONFLICT (id, version) DO NOTHING RETURNING id"},
    {"survey_sha256", "SELECT sha256 FROM surveys WHERE id = $1 AND version = $2"},
    {"assign_survey",
     "INSERT INTO survey_assignments(kind, target, survey_id) VALUES($1, $2, $3) "
     "ON CONFLICT (kind, target) DO UPDATE SET survey_id = EXCLUDED.survey_id"},
    {"list_surveys",
     "SELECT id, version, sha256, toml, published_at FROM surveys ORDER BY id COLLATE \"C\", version"},
    {"list_assignments",
     "SELECT kind, target, survey_id FROM survey_assignments ORDER BY kind DESC, target COLLATE \"C\""},
    {"find_response",
     "SELECT seq, uuid, kiosk_id, site, payload_sha256, payload, survey_id, survey_version, language, "
     "partial, completed_at, received_at FROM responses WHERE uuid = $1"},
    // Dashboard sessions. Locking the user's row makes one user's concurrent sign-ins take turns, so the cap
    // holds across processes; other users' sign-ins do not wait.
    {"lock_user", "SELECT 1 FROM users WHERE name = $1 FOR UPDATE"},
    {"delete_expired_sessions", "DELETE FROM sessions WHERE expires_at <= $1"},
    {"insert_session",
     "INSERT INTO sessions(id_sha256, user_name, created_at, expires_at) VALUES($1, $2, $3, $4)"},
    {"trim_user_sessions",
     "DELETE FROM sessions WHERE user_name = $1 AND seq NOT IN (SELECT seq FROM sessions "
     "WHERE user_name = $1 ORDER BY created_at DESC, seq DESC LIMIT $2::bigint)"},
    {"find_session",
     "SELECT u.name, u.role FROM sessions s JOIN users u ON u.name = s.user_name "
     "WHERE s.id_sha256 = $1 AND s.expires_at > $2::bigint AND NOT u.revoked"},
    {"delete_session", "DELETE FROM sessions WHERE id_sha256 = $1"},
};
// Connects; `prepare` is false only for the first connection, which migrates before its statements exist.
Expected<std::unique_ptr<postgres::Connection>> connect(const std::string& conninfo, bool prepare) {
  auto connection = postgres::connect(conninfo, "feedback-central");
  if (!connection) return connection.error();
  if (prepare) {
    if (auto prepared = postgres::prepare((*connection)->get(), kStatements); !prepared)
      return prepared.error();
  }
  return connection;
}

// Writes what a batch adds to the totals, in key order: two batches adding to the same totals rows lock them
// in the same order, so they wait for each other instead of deadlocking (and the responses they inserted are
// all locked already). Returns the failed statement's result, or nothing.
std::optional<std::pair<const char*, Result>> write_totals(PGconn* c, const BatchTotals& totals) {
  // The six key columns every daily totals statement starts with.
  auto key_params = [](const DayKey& key) {
    Params params;
    params.text(key.site).text(key.event).text(key.survey_id).text(key.language).text(key.day);
    params.boolean(key.misuse);
    return params;
  };
  for (const auto& [key, count] : totals.responses()) {
    Result r = key_params(key).integer(count.responses).integer(count.thanks).run(c, "add_response_total");
    if (!is(r, PGRES_COMMAND_OK)) return std::pair{"cannot update the response totals", std::move(r)};
  }
  for (const auto& [key, n] : totals.ratings()) {
    Result r = key_params(key.day)
                   .text(key.question_id)
                   .text(key.pillar)
                   .integer(key.value)
                   .integer(n)
                   .run(c, "add_rating_total");
    if (!is(r, PGRES_COMMAND_OK)) return std::pair{"cannot update the rating totals", std::move(r)};
  }
  for (const auto& [key, counts] : totals.periods().rows()) {
    Params params;
    params.text(to_string(key.grain)).text(key.start).text(key.site).text(key.event).text(key.survey_id);
    params.text(key.language).boolean(key.misuse).text(key.question_id).text(key.pillar);
    params.integer(counts.responses).integer(counts.thanks);
    for (const std::int64_t n : counts.n) params.integer(n);
    Result r = params.run(c, "add_period_total");
    if (!is(r, PGRES_COMMAND_OK)) return std::pair{"cannot update the period totals", std::move(r)};
  }
  return std::nullopt;
}

// One attempt at a batch: its own READ COMMITTED transaction (each statement sees rows committed by other
// processes before it, which the owner lookup after a skipped insert relies on). `state` gets the SQLSTATE of
// a failure so the caller can retry a lost deadlock.
Expected<std::vector<model::ItemResult>> ingest_once(PGconn* c, const std::string& kiosk_id,
                                                     const std::vector<IngestItem>& items,
                                                     const std::string& received_at, std::string& state) {
  if (auto begun = exec(c, "BEGIN ISOLATION LEVEL READ COMMITTED"); !begun) {
    return Error{"cannot begin a batch: " + begun.error().message};
  }
  auto fail = [&](const char* what, const Result& r) {
    state = std::string(sqlstate(r));
    Error error{std::string(what) + ": " + describe(c, r)};
    exec(c, "ROLLBACK");
    return error;
  };
  // The kiosk's site is recorded with each row: a kiosk may move between divisions later.
  std::string site;
  {
    Result r = Params().text(kiosk_id).text(received_at).run(c, "touch_kiosk");
    if (!is(r, PGRES_TUPLES_OK)) return fail("cannot update the kiosk", r);
    if (rows(r) == 0) {
      exec(c, "ROLLBACK");
      return Error{"no kiosk '" + kiosk_id + "' is enrolled"};
    }
    site = text_at(r, 0, 0);
  }
  // Inserting in UUID order means two batches that share UUIDs lock them in the same order and cannot
  // deadlock; the stable sort keeps a UUID repeated within the batch in its order (created, then duplicate).
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return items[a].uuid < items[b].uuid; });
  std::vector<model::ItemResult> results(items.size());
  BatchTotals totals;
  for (const std::size_t index : order) {
    const IngestItem& item = items[index];
    if (!is_storable(item)) {
      results[index] = decide(item, kiosk_id, std::nullopt);
      continue;
    }
    Result inserted = Params()
                          .text(item.uuid)
                          .text(kiosk_id)
                          .text(site)
                          .text(item.payload_sha256)
                          .bytes(item.payload)
                          .text(item.survey_id)
                          .integer(item.survey_version)
                          .text(item.language)
                          .boolean(item.partial)
                          .text(item.completed_at)
                          .text(received_at)
                          .text(item.day)
                          .text(item.event)
                          .boolean(item.misuse)
                          .run(c, "insert_response");
    if (!is(inserted, PGRES_TUPLES_OK)) return fail("cannot store a response", inserted);
    if (rows(inserted) == 1) {
      if (!item.thanks_note.empty()) {
        Result thanked = Params()
                             .integer(int_at(inserted, 0, 0))
                             .text(site)
                             .text(item.day)
                             .text(item.thanks_note)
                             .text(item.employee)
                             .run(c, "insert_thanks");
        if (!is(thanked, PGRES_COMMAND_OK)) return fail("cannot store a thank-you note", thanked);
      }
      totals.add(site, item);
      results[index] = decide(item, kiosk_id, std::nullopt);
      continue;
    }
    // Not inserted: the UUID is taken (by a committed row or earlier in this batch). Whose, and same bytes?
    Result owner = Params().text(item.uuid).run(c, "select_owner");
    if (!is(owner, PGRES_TUPLES_OK)) return fail("cannot read a stored response", owner);
    if (rows(owner) != 1) {
      exec(c, "ROLLBACK");
      return Error{"response '" + item.uuid + "' was neither stored nor found"};
    }
    results[index] = decide(item, kiosk_id, StoredOwner{text_at(owner, 0, 0), text_at(owner, 0, 1)});
  }
  if (auto failed = write_totals(c, totals)) return fail(failed->first, failed->second);
  if (auto committed = postgres::commit(c, &state); !committed) {
    return Error{"cannot commit a batch: " + committed.error().message};
  }
  return results;
}

}  // namespace

// A connection borrowed from the pool for one call; returned (or dropped, if unusable) when it goes.
class PostgresCentralStore::Lease {
 public:
  Lease(PostgresCentralStore& store, std::unique_ptr<postgres::Connection> connection)
      : store_(&store), connection_(std::move(connection)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (connection_) store_->release(std::move(connection_));
  }
  PGconn* get() const { return connection_->get(); }

 private:
  PostgresCentralStore* store_;
  std::unique_ptr<postgres::Connection> connection_;
};

PostgresCentralStore::PostgresCentralStore(std::string conninfo) : conninfo_(std::move(conninfo)) {}

PostgresCentralStore::~PostgresCentralStore() = default;

Expected<std::unique_ptr<PostgresCentralStore>> PostgresCentralStore::open(const std::string& conninfo) {
  auto fail = [&](const std::string& what) {
    return Error{"cannot open '" + redact_conninfo(conninfo) + "': " + what};
  };
  auto first = connect(conninfo, false);
  if (!first) return fail(first.error().message);
  if (auto migrated = postgres_migrations::migrate((*first)->get()); !migrated)
    return fail(migrated.error().message);
  if (auto prepared = postgres::prepare((*first)->get(), kStatements); !prepared)
    return fail(prepared.error().message);
  std::unique_ptr<PostgresCentralStore> store(new PostgresCentralStore(conninfo));
  store->idle_.push_back(std::move(*first));
  store->open_ = 1;
  return store;
}

Expected<PostgresCentralStore::Lease> PostgresCentralStore::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty() || open_ < kMaxConnections; });
  if (!idle_.empty()) {
    std::unique_ptr<postgres::Connection> connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }
  ++open_;
  lock.unlock();  // connecting takes a round trip or more; others may use idle connections meanwhile
  auto connection = connect(conninfo_, true);
  if (!connection) {
    lock.lock();
    --open_;
    available_.notify_one();
    return Error{"cannot connect to PostgreSQL: " + connection.error().message};
  }
  return Lease(*this, std::move(*connection));
}

void PostgresCentralStore::release(std::unique_ptr<postgres::Connection> connection) {
  // A broken connection, or one left inside a transaction, would fail or poison its next user: drop it and
  // let the next acquire open a fresh one (this is also how a restarted server is survived).
  const bool reusable =
      PQstatus(connection->get()) == CONNECTION_OK && PQtransactionStatus(connection->get()) == PQTRANS_IDLE;
  if (!reusable) connection.reset();
  std::lock_guard lock(mutex_);
  if (reusable) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
  available_.notify_one();
}

Expected<Ok> PostgresCentralStore::add_kiosk(const std::string& id, const std::string& site,
                                             const std::string& token_sha256, const std::string& now,
                                             std::int64_t expires_at) {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = Params()
                 .text(id)
                 .text(site)
                 .text(token_sha256)
                 .text(now)
                 .integer(expires_at)
                 .run(lease->get(), "insert_kiosk");
  if (!is(r, PGRES_COMMAND_OK)) return Error{"cannot add kiosk '" + id + "': " + describe(lease->get(), r)};
  if (affected(r) == 0) return Error{"kiosk '" + id + "' already exists"};
  return Ok{};
}

Expected<Ok> PostgresCentralStore::rotate_kiosk(const std::string& id, const std::string& token_sha256,
                                                std::int64_t expires_at) {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = Params().text(id).text(token_sha256).integer(expires_at).run(lease->get(), "rotate_kiosk");
  if (!is(r, PGRES_COMMAND_OK))
    return Error{"cannot rotate kiosk '" + id + "': " + describe(lease->get(), r)};
  if (affected(r) == 0) return Error{"no enrolled, unrevoked kiosk '" + id + "'"};
  return Ok{};
}

Expected<Ok> PostgresCentralStore::revoke_kiosk(const std::string& id) {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = Params().text(id).run(lease->get(), "revoke_kiosk");
  if (!is(r, PGRES_COMMAND_OK))
    return Error{"cannot revoke kiosk '" + id + "': " + describe(lease->get(), r)};
  if (affected(r) == 0) return Error{"no kiosk '" + id + "' is enrolled"};
  return Ok{};
}

Expected<std::vector<KioskRecord>> PostgresCentralStore::list_kiosks() {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = run(lease->get(), "list_kiosks");
  if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot list kiosks: " + describe(lease->get(), r)};
  std::vector<KioskRecord> out;
  for (int row = 0; row < rows(r); ++row) {
    KioskRecord k;
    k.id = text_at(r, row, 0);
    k.site = text_at(r, row, 1);
    k.revoked = bool_at(r, row, 2);
    k.created_at = text_at(r, row, 3);
    k.last_seen_at = text_at(r, row, 4);
    k.app_version = text_at(r, row, 5);
    k.pending = int_at(r, row, 6);
    k.oldest_pending_age_s = int_at(r, row, 7);
    k.quarantined = int_at(r, row, 8);
    k.last_error = text_at(r, row, 9);
    out.push_back(std::move(k));
  }
  return out;
}

Expected<Ok> PostgresCentralStore::add_user(const std::string& name, Role role,
                                            const std::string& token_sha256, const std::string& now,
                                            std::int64_t expires_at) {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = Params()
                 .text(name)
                 .text(to_string(role))
                 .text(token_sha256)
                 .text(now)
                 .integer(expires_at)
                 .run(lease->get(), "insert_user");
  if (is(r, PGRES_COMMAND_OK)) return Ok{};
  if (sqlstate(r) == kUniqueViolation && constraint(r) == "users_pkey") {
    return Error{"user '" + name + "' already exists"};
  }
  return Error{"cannot add user '" + name + "': " + describe(lease->get(), r)};
}

Expected<Ok> PostgresCentralStore::change_user(const std::string& name, const char* statement,
                                               const std::string* token_sha256, std::int64_t expires_at,
                                               const char* verb) {
  auto lease = acquire();
  if (!lease) return lease.error();
  PGconn* c = lease->get();
  if (auto begun = exec(c, "BEGIN"); !begun) return Error{"cannot begin: " + begun.error().message};
  auto fail = [&](const std::string& what, const Result* r) {
    Error error{r ? what + ": " + describe(c, *r) : what};
    exec(c, "ROLLBACK");
    return error;
  };
  Params params;
  params.text(name);
  if (token_sha256) params.text(*token_sha256).integer(expires_at);
  Result changed = params.run(c, statement);
  if (!is(changed, PGRES_COMMAND_OK))
    return fail(std::string("cannot ") + verb + " user '" + name + "'", &changed);
  if (affected(changed) == 0) {
    return fail(token_sha256 ? "no unrevoked user '" + name + "'" : "no user '" + name + "'", nullptr);
  }
  Result ended = Params().text(name).run(c, "delete_user_sessions");
  if (!is(ended, PGRES_COMMAND_OK)) return fail("cannot end the sessions of '" + name + "'", &ended);
  if (auto committed = postgres::commit(c); !committed) {
    return Error{"cannot commit: " + committed.error().message};
  }
  return Ok{};
}

Expected<Ok> PostgresCentralStore::revoke_user(const std::string& name) {
  return change_user(name, "revoke_user", nullptr, kNeverExpires, "revoke");
}

Expected<Ok> PostgresCentralStore::rotate_user(const std::string& name, const std::string& token_sha256,
                                               std::int64_t expires_at) {
  return change_user(name, "rotate_user", &token_sha256, expires_at, "rotate");
}

Expected<std::vector<UserRecord>> PostgresCentralStore::list_users() {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = run(lease->get(), "list_users");
  if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot list users: " + describe(lease->get(), r)};
  std::vector<UserRecord> out;
  for (int row = 0; row < rows(r); ++row) {
    UserRecord u;
    u.name = text_at(r, row, 0);
    const std::string role_name = text_at(r, row, 1);
    const auto role = role_from_string(role_name);
    if (!role) return Error{"user '" + u.name + "' has an unknown role '" + role_name + "'"};
    u.role = *role;
    u.created_at = text_at(r, row, 2);
    u.revoked = bool_at(r, row, 3);
    u.token_expires_at = int_at(r, row, 4);
    out.push_back(std::move(u));
  }
  return out;
}

Expected<std::optional<Principal>> PostgresCentralStore::find_principal(const std::string& token_sha256,
                                                                        std::int64_t now) {
  auto lease = acquire();
  if (!lease) return lease.error();
  {
    Result r = Params().text(token_sha256).integer(now).run(lease->get(), "find_kiosk_by_token");
    if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot look a token up: " + describe(lease->get(), r)};
    if (rows(r) > 0) {
      Principal p;
      p.kiosk = Principal::Kiosk{text_at(r, 0, 0), text_at(r, 0, 1), bool_at(r, 0, 2)};
      return std::optional<Principal>(std::move(p));
    }
  }
  Result r = Params().text(token_sha256).integer(now).run(lease->get(), "find_user_by_token");
  if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot look a token up: " + describe(lease->get(), r)};
  if (rows(r) == 0) return std::optional<Principal>();
  const std::string role_name = text_at(r, 0, 1);
  const auto role = role_from_string(role_name);
  // The CHECK constraint makes this impossible short of a hand-edited database; refuse rather than guess.
  if (!role) return Error{"user has an unknown role '" + role_name + "'"};
  Principal p;
  p.user = Principal::User{text_at(r, 0, 0), *role};
  return std::optional<Principal>(std::move(p));
}

Expected<Ok> PostgresCentralStore::record_heartbeat(const std::string& kiosk_id, const model::Heartbeat& hb,
                                                    const std::string& now) {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = Params()
                 .text(kiosk_id)
                 .text(now)
                 .text(hb.app_version)
                 .integer(hb.pending)
                 .integer(hb.oldest_pending_age_s)
                 .integer(hb.quarantined)
                 .text(hb.last_error)
                 .run(lease->get(), "heartbeat");
  if (!is(r, PGRES_COMMAND_OK)) return Error{"cannot record a heartbeat: " + describe(lease->get(), r)};
  if (affected(r) == 0) return Error{"no kiosk '" + kiosk_id + "' is enrolled"};
  return Ok{};
}

Expected<std::vector<model::ItemResult>> PostgresCentralStore::ingest(const std::string& kiosk_id,
                                                                      const std::vector<IngestItem>& items,
                                                                      const std::string& received_at) {
  auto lease = acquire();
  if (!lease) return lease.error();
  for (int attempt = 1;; ++attempt) {
    std::string state;
    auto results = ingest_once(lease->get(), kiosk_id, items, received_at, state);
    // Only a lost race is worth another go; it rolled back whole, so running the batch again is safe.
    const bool lost_race = state == postgres::kDeadlockDetected || state == postgres::kSerializationFailure;
    if (results || !lost_race || attempt == kIngestAttempts) return results;
  }
}

Expected<std::vector<PartialCell>> PostgresCentralStore::aggregate_partials(const AggregateQuery& filters,
                                                                            Grain grain) {
  auto lease = acquire();
  if (!lease) return lease.error();
  PGconn* c = lease->get();
  // Both tables from one snapshot, so a batch committing in between cannot count in one and not the other.
  if (auto begun = exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !begun) {
    return Error{"cannot read the totals: " + begun.error().message};
  }
  auto fail = [&](const char* what, const Result& r) {
    Error error{std::string(what) + ": " + describe(c, r)};
    exec(c, "ROLLBACK");
    return error;
  };
  const Params params = Params()
                            .optional_text(filters.survey)
                            .optional_text(filters.site)
                            .optional_text(filters.event)
                            .optional_text(filters.language)
                            .optional_text(filters.from)
                            .optional_text(filters.to);
  PartialCellBuilder cells;
  auto key_of = [&](const Result& r, int row) {
    return CellKeyView{view_at(r, row, 0), view_at(r, row, 1), view_at(r, row, 2),
                       view_at(r, row, 3), view_at(r, row, 4), bool_at(r, row, 5)};
  };
  if (grain != Grain::Day) {
    Params period_params = params;
    Result r = period_params.text(to_string(grain)).run(c, "select_period_totals");
    if (!is(r, PGRES_TUPLES_OK)) return fail("cannot read the period totals", r);
    for (int row = 0; row < rows(r); ++row) {
      if (view_at(r, row, 6).empty()) {
        cells.add_responses(key_of(r, row), static_cast<int>(int_at(r, row, 8)),
                            static_cast<int>(int_at(r, row, 9)));
        continue;
      }
      std::array<int, 5> counts{};
      for (int v = 0; v < 5; ++v)
        counts[static_cast<std::size_t>(v)] = static_cast<int>(int_at(r, row, 10 + v));
      cells.add_ratings(key_of(r, row), view_at(r, row, 6), view_at(r, row, 7), counts);
    }
    if (auto ended = exec(c, "COMMIT"); !ended)
      return Error{"cannot read the totals: " + ended.error().message};
    return cells.take();
  }
  {
    Result r = params.run(c, "select_response_totals");
    if (!is(r, PGRES_TUPLES_OK)) return fail("cannot read the response totals", r);
    for (int row = 0; row < rows(r); ++row) {
      cells.add_responses(key_of(r, row), static_cast<int>(int_at(r, row, 6)),
                          static_cast<int>(int_at(r, row, 7)));
    }
  }
  {
    Result r = params.run(c, "select_rating_totals");
    if (!is(r, PGRES_TUPLES_OK)) return fail("cannot read the rating totals", r);
    for (int row = 0; row < rows(r); ++row) {
      cells.add_rating(key_of(r, row), view_at(r, row, 6), view_at(r, row, 7),
                       static_cast<int>(int_at(r, row, 8)), static_cast<int>(int_at(r, row, 9)));
    }
  }
  if (auto ended = exec(c, "COMMIT"); !ended)
    return Error{"cannot read the totals: " + ended.error().message};
  return cells.take();
}

Expected<std::vector<ThanksRecord>> PostgresCentralStore::list_thanks(const ThanksFilter& filter) {
  auto lease = acquire();
  if (!lease) return lease.error();
  Params params;
  params.optional_text(filter.site).optional_text(filter.from).optional_text(filter.to);
  // A negative limit is no limit, as in SQLite (LIMIT NULL).
  if (filter.limit < 0) {
    params.optional_text(std::nullopt);
  } else {
    params.integer(filter.limit);
  }
  Result r = params.run(lease->get(), "select_thanks");
  if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot read the thank-you notes: " + describe(lease->get(), r)};
  std::vector<ThanksRecord> out;
  for (int row = 0; row < rows(r); ++row) {
    out.push_back(ThanksRecord{text_at(r, row, 0), text_at(r, row, 1), text_at(r, row, 2), text_at(r, row, 3),
                               text_at(r, row, 4), text_at(r, row, 5), text_at(r, row, 6),
                               text_at(r, row, 7)});
  }
  return out;
}

Expected<Ok> PostgresCentralStore::migrate_only(const std::string& conninfo, int version) {
  if (version < 0 || version > kSchemaVersion) return Error{"no schema version " + std::to_string(version)};
  auto connection = connect(conninfo, false);
  if (!connection) return connection.error();
  return postgres_migrations::migrate((*connection)->get(), version);
}

Expected<Ok> PostgresCentralStore::add_session(const SessionRecord& session, std::size_t per_user_cap) {
  auto lease = acquire();
  if (!lease) return lease.error();
  PGconn* c = lease->get();
  if (auto begun = exec(c, "BEGIN"); !begun) return Error{"cannot begin a session: " + begun.error().message};
  auto fail = [&](const char* what, const Result& r) {
    Error error{std::string(what) + ": " + describe(c, r)};
    exec(c, "ROLLBACK");
    return error;
  };
  Result locked = Params().text(session.user).run(c, "lock_user");
  if (!is(locked, PGRES_TUPLES_OK)) return fail("cannot lock the user", locked);
  if (rows(locked) == 0) {
    exec(c, "ROLLBACK");
    return Error{"no user '" + session.user + "'"};
  }
  Result expired = Params().integer(session.created_at).run(c, "delete_expired_sessions");
  if (!is(expired, PGRES_COMMAND_OK)) return fail("cannot delete expired sessions", expired);
  Result inserted = Params()
                        .text(session.id_sha256)
                        .text(session.user)
                        .integer(session.created_at)
                        .integer(session.expires_at)
                        .run(c, "insert_session");
  if (!is(inserted, PGRES_COMMAND_OK)) return fail("cannot store a session", inserted);
  Result trimmed = Params()
                       .text(session.user)
                       .integer(static_cast<std::int64_t>(per_user_cap))
                       .run(c, "trim_user_sessions");
  if (!is(trimmed, PGRES_COMMAND_OK)) return fail("cannot trim a user's sessions", trimmed);
  if (auto committed = postgres::commit(c); !committed) {
    return Error{"cannot commit a session: " + committed.error().message};
  }
  return Ok{};
}

Expected<std::optional<Principal::User>> PostgresCentralStore::find_session(const std::string& id_sha256,
                                                                            std::int64_t now) {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = Params().text(id_sha256).integer(now).run(lease->get(), "find_session");
  if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot look a session up: " + describe(lease->get(), r)};
  if (rows(r) == 0) return std::optional<Principal::User>();
  const std::string role_name = text_at(r, 0, 1);
  const auto role = role_from_string(role_name);
  if (!role) return Error{"user has an unknown role '" + role_name + "'"};
  return std::optional<Principal::User>(Principal::User{text_at(r, 0, 0), *role});
}

Expected<Ok> PostgresCentralStore::remove_session(const std::string& id_sha256) {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = Params().text(id_sha256).run(lease->get(), "delete_session");
  if (!is(r, PGRES_COMMAND_OK)) return Error{"cannot remove a session: " + describe(lease->get(), r)};
  return Ok{};
}

Expected<std::int64_t> PostgresCentralStore::count_responses() {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = run(lease->get(), "count_responses");
  if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot count responses: " + describe(lease->get(), r)};
  return int_at(r, 0, 0);
}

Expected<std::int64_t> PostgresCentralStore::count_sessions(std::int64_t now) {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = Params().integer(now).run(lease->get(), "count_sessions");
  if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot count sessions: " + describe(lease->get(), r)};
  return int_at(r, 0, 0);
}

Expected<Ok> PostgresCentralStore::ping() {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = run(lease->get(), "ping");
  if (!is(r, PGRES_TUPLES_OK)) return Error{"the database does not answer: " + describe(lease->get(), r)};
  return Ok{};
}

Expected<std::optional<CentralResponse>> PostgresCentralStore::find_response(const std::string& uuid) {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = Params().text(uuid).run(lease->get(), "find_response");
  if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot read a response: " + describe(lease->get(), r)};
  if (rows(r) == 0) return std::optional<CentralResponse>();
  CentralResponse out;
  out.seq = int_at(r, 0, 0);
  out.uuid = text_at(r, 0, 1);
  out.kiosk_id = text_at(r, 0, 2);
  out.site = text_at(r, 0, 3);
  out.payload_sha256 = text_at(r, 0, 4);
  out.payload = bytes_at(r, 0, 5);
  out.survey_id = text_at(r, 0, 6);
  out.survey_version = int_at(r, 0, 7);
  out.language = text_at(r, 0, 8);
  out.partial = bool_at(r, 0, 9);
  out.completed_at = text_at(r, 0, 10);
  out.received_at = text_at(r, 0, 11);
  return std::optional<CentralResponse>(std::move(out));
}

Expected<PublishOutcome> PostgresCentralStore::publish_survey(
    const PublishedSurvey& survey, const std::vector<SurveyAssignment>& assignments) {
  auto lease = acquire();
  if (!lease) return lease.error();
  PGconn* c = lease->get();
  if (auto begun = exec(c, "BEGIN"); !begun)
    return Error{"cannot begin publishing: " + begun.error().message};
  auto fail = [&](const char* what, const Result& r) {
    Error error{std::string(what) + ": " + describe(c, r)};
    exec(c, "ROLLBACK");
    return error;
  };
  PublishOutcome outcome = PublishOutcome::Created;
  Result inserted = Params()
                        .text(survey.id)
                        .integer(survey.version)
                        .text(survey.sha256)
                        .text(survey.toml)
                        .text(survey.published_at)
                        .run(c, "insert_survey");
  if (!is(inserted, PGRES_TUPLES_OK)) return fail("cannot store the survey", inserted);
  if (rows(inserted) == 0) {
    Result stored = Params().text(survey.id).integer(survey.version).run(c, "survey_sha256");
    if (!is(stored, PGRES_TUPLES_OK) || rows(stored) != 1) {
      return fail("cannot read a published survey", stored);
    }
    if (text_at(stored, 0, 0) != survey.sha256) {
      exec(c, "ROLLBACK");
      return survey_changed_error(survey);
    }
    outcome = PublishOutcome::Unchanged;
  }
  for (const SurveyAssignment& a : assignments) {
    Result r = Params().text(to_string(a.kind)).text(a.target).text(a.survey_id).run(c, "assign_survey");
    if (!is(r, PGRES_COMMAND_OK)) return fail("cannot assign the survey", r);
  }
  if (auto committed = postgres::commit(c); !committed) {
    return Error{"cannot commit the survey: " + committed.error().message};
  }
  return outcome;
}

Expected<std::vector<PublishedSurvey>> PostgresCentralStore::list_published_surveys() {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = run(lease->get(), "list_surveys");
  if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot list surveys: " + describe(lease->get(), r)};
  std::vector<PublishedSurvey> out;
  for (int row = 0; row < rows(r); ++row) {
    out.push_back(PublishedSurvey{text_at(r, row, 0), int_at(r, row, 1), text_at(r, row, 2),
                                  text_at(r, row, 3), text_at(r, row, 4)});
  }
  return out;
}

Expected<std::vector<SurveyAssignment>> PostgresCentralStore::list_survey_assignments() {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = run(lease->get(), "list_assignments");
  if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot list survey assignments: " + describe(lease->get(), r)};
  std::vector<SurveyAssignment> out;
  for (int row = 0; row < rows(r); ++row) {
    const auto kind = text_at(r, row, 0) == "site" ? AssignmentKind::Site : AssignmentKind::Event;
    out.push_back(SurveyAssignment{kind, text_at(r, row, 1), text_at(r, row, 2)});
  }
  return out;
}

}  // namespace fk::central
