// PostgresCentralStore: a small pool of libpq connections with prepared statements, numbered forward-only
// migrations under an advisory lock, and batch ingest in one transaction where
// INSERT … ON CONFLICT (uuid) DO NOTHING lets the UNIQUE constraint decide, whichever process asks.
#include "sync/central/postgres_central_store.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <new>
#include <numeric>
#include <optional>
#include <regex>
#include <string_view>
#include <tuple>
#include <utility>

#include "sync/central/open_store.hpp"
#include "sync/central/partial_cells.hpp"
#include "sync/central/period_totals.hpp"

namespace fk::central {
namespace pg {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};

struct Connection {
  std::unique_ptr<PGconn, ConnDeleter> conn;
  PGconn* get() const { return conn.get(); }
};

}  // namespace pg

namespace {

using pg::Result;

// SQLSTATEs acted on here.
constexpr std::string_view kUniqueViolation = "23505";
constexpr std::string_view kSerializationFailure = "40001";
constexpr std::string_view kDeadlockDetected = "40P01";
// A batch that lost a deadlock or serialisation race is run again whole, at most this many times in all.
constexpr int kIngestAttempts = 3;
// pg_advisory_xact_lock key ("fk-centr") that serialises migrations of one database across processes.
constexpr std::int64_t kMigrationLockKey = 0x666b2d63656e7472;

// Step i (0-based) takes the database from version i to i + 1 (the highest row of schema_migrations).
// NEVER edit a step that has shipped: append a new one. Same tables and meaning as central_migrations.cpp;
// timestamps stay text because the program writes them (ISO-8601 UTC) and reads back the same strings.
constexpr std::array<const char*, 4> kSteps = {
    // 1: kiosks, users, responses.
    R"sql(
CREATE TABLE kiosks(
  id text PRIMARY KEY,
  site text NOT NULL,
  token_sha256 text NOT NULL UNIQUE,
  revoked boolean NOT NULL DEFAULT false,
  created_at text NOT NULL,
  last_seen_at text,
  app_version text NOT NULL DEFAULT '',
  pending bigint NOT NULL DEFAULT 0,
  oldest_pending_age_s bigint NOT NULL DEFAULT 0,
  quarantined bigint NOT NULL DEFAULT 0,
  last_error text NOT NULL DEFAULT '');
CREATE TABLE users(
  name text PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('analyst', 'supervisor', 'admin')),
  token_sha256 text NOT NULL UNIQUE,
  created_at text NOT NULL);
-- uuid UNIQUE is what makes delivery exactly-once across every process sharing this database: ingest inserts
-- with ON CONFLICT (uuid) DO NOTHING. seq may have gaps (a skipped insert still draws a number).
CREATE TABLE responses(
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  uuid text NOT NULL UNIQUE,
  kiosk_id text NOT NULL REFERENCES kiosks(id),
  site text NOT NULL,
  payload_sha256 text NOT NULL,
  payload bytea NOT NULL,
  survey_id text NOT NULL,
  survey_version bigint NOT NULL,
  language text NOT NULL,
  partial boolean NOT NULL,
  completed_at text NOT NULL,
  received_at text NOT NULL);
CREATE INDEX responses_survey ON responses(survey_id, survey_version);
CREATE INDEX responses_site ON responses(site);
-- What arrived is evidence: the database itself refuses to rewrite it.
CREATE FUNCTION responses_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'frozen';
END
$$;
CREATE TRIGGER responses_frozen
  BEFORE UPDATE OF uuid, kiosk_id, payload, payload_sha256 ON responses
  FOR EACH ROW EXECUTE FUNCTION responses_frozen();
)sql",
    // 2: what analysts and supervisors read, copied out of each payload at ingest: the day a response counts
    // under, event and misuse (filled by later kiosks), thank-you notes, and totals kept up to date in the
    // ingest transaction so that aggregates never scan the responses. Responses received before this step
    // count in response_totals; their ratings and notes stay in their payloads only. Days are COLLATE "C" so
    // from/to compare and sort them byte-wise, as SQLite does, whatever the database's locale. (UPDATE OF day
    // does not fire responses_frozen: it names other columns.)
    R"sql(
ALTER TABLE responses ADD COLUMN day text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN event text NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN misuse boolean NOT NULL DEFAULT false;
UPDATE responses SET day = substr(received_at, 1, 10);
CREATE TABLE thanks(
  response_seq bigint PRIMARY KEY REFERENCES responses(seq),
  site text NOT NULL,
  day text COLLATE "C" NOT NULL,
  note text NOT NULL,
  employee text NOT NULL);
CREATE INDEX thanks_site_day ON thanks(site, day);
CREATE TABLE response_totals(
  site text NOT NULL, event text NOT NULL, survey_id text NOT NULL, language text NOT NULL,
  day text COLLATE "C" NOT NULL,
  misuse boolean NOT NULL,
  responses bigint NOT NULL,
  thanks bigint NOT NULL,
  PRIMARY KEY (site, event, survey_id, language, day, misuse));
CREATE TABLE rating_totals(
  site text NOT NULL, event text NOT NULL, survey_id text NOT NULL, language text NOT NULL,
  day text COLLATE "C" NOT NULL,
  misuse boolean NOT NULL,
  question_id text NOT NULL,
  pillar text NOT NULL,
  value integer NOT NULL CHECK (value BETWEEN 1 AND 5),
  n bigint NOT NULL,
  PRIMARY KEY (site, event, survey_id, language, day, misuse, question_id, pillar, value));
INSERT INTO response_totals(site, event, survey_id, language, day, misuse, responses, thanks)
  SELECT site, event, survey_id, language, day, misuse, count(*), 0 FROM responses
  GROUP BY site, event, survey_id, language, day, misuse;
)sql",
    // 3: weekly and monthly totals with the five answers in columns (sync/central/period_totals.hpp), so that
    // aggregates by week or month read a fraction of the daily rows. Filled from the daily totals here; kept
    // up to date in the ingest transaction from now on. date_trunc('week') is the ISO Monday.
    R"sql(
CREATE TABLE period_totals(
  grain text NOT NULL CHECK (grain IN ('week', 'month')),
  start text COLLATE "C" NOT NULL,
  site text NOT NULL, event text NOT NULL, survey_id text NOT NULL, language text NOT NULL,
  misuse boolean NOT NULL,
  question_id text NOT NULL,
  pillar text NOT NULL,
  responses bigint NOT NULL,
  thanks bigint NOT NULL,
  n1 bigint NOT NULL, n2 bigint NOT NULL, n3 bigint NOT NULL, n4 bigint NOT NULL, n5 bigint NOT NULL,
  PRIMARY KEY (grain, start, site, event, survey_id, language, misuse, question_id, pillar));
INSERT INTO period_totals
  SELECT g.grain, to_char(date_trunc(g.grain, day::date), 'YYYY-MM-DD'),
         site, event, survey_id, language, misuse, '', '', sum(responses), sum(thanks), 0, 0, 0, 0, 0
  FROM response_totals, (VALUES ('week'), ('month')) AS g(grain)
  WHERE day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
  GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO period_totals
  SELECT g.grain, to_char(date_trunc(g.grain, day::date), 'YYYY-MM-DD'),
         site, event, survey_id, language, misuse, question_id, pillar, 0, 0,
         coalesce(sum(n) FILTER (WHERE value = 1), 0), coalesce(sum(n) FILTER (WHERE value = 2), 0), coalesce(sum(n) FILTER (WHERE value = 3), 0),
         coalesce(sum(n) FILTER (WHERE value = 4), 0), coalesce(sum(n) FILTER (WHERE value = 5), 0)
  FROM rating_totals, (VALUES ('week'), ('month')) AS g(grain)
  WHERE day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
)sql",
    // 4: surveys published at the centre (`feedback-central survey publish`), each version immutable, and
    // their assignments: one survey per site (its lobby survey) and one per event.
    R"sql(
CREATE TABLE surveys(
  id text NOT NULL,
  version bigint NOT NULL,
  sha256 text NOT NULL,
  toml text NOT NULL,
  published_at text NOT NULL,
  PRIMARY KEY (id, version));
CREATE FUNCTION surveys_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'frozen';
END
$$;
CREATE TRIGGER surveys_frozen BEFORE UPDATE ON surveys FOR EACH ROW EXECUTE FUNCTION surveys_frozen();
CREATE TABLE survey_assignments(
  kind text NOT NULL CHECK (kind IN ('site', 'event')),
  target text NOT NULL,
  survey_id text NOT NULL,
  PRIMARY KEY (kind, target));
)sql",
};
constexpr int kLatestVersion = static_cast<int>(kSteps.size());
static_assert(kLatestVersion == PostgresCentralStore::kSchemaVersion);

// Prepared on every connection of the pool.
constexpr std::pair<const char*, const char*> kStatements[] = {
    {"insert_kiosk", "INSERT INTO kiosks(id, site, token_sha256, created_at) VALUES($1, $2, $3, $4)"},
    {"revoke_kiosk", "UPDATE kiosks SET revoked = true WHERE id = $1"},
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    {"list_kiosks",
     "SELECT id, site, revoked, created_at, last_seen_at, app_version, pending, oldest_pending_age_s, "
     "quarantined, last_error FROM kiosks ORDER BY id COLLATE \"C\""},
    {"insert_user", "INSERT INTO users(name, role, token_sha256, created_at) VALUES($1, $2, $3, $4)"},
    {"find_kiosk_by_token", "SELECT id, site, revoked FROM kiosks WHERE token_sha256 = $1"},
    {"find_user_by_token", "SELECT name, role FROM users WHERE token_sha256 = $1"},
    {"heartbeat",
     "UPDATE kiosks SET last_seen_at = $2, app_version = $3, pending = $4, oldest_pending_age_s = $5, "
     "quarantined = $6, last_error = $7 WHERE id = $1"},
    // Also row-locks the kiosk until the batch ends: one kiosk's concurrent batches take turns.
    {"touch_kiosk", "UPDATE kiosks SET last_seen_at = $2 WHERE id = $1 RETURNING site"},
    // The UNIQUE constraint decides atomically, waiting for a concurrent inserter of the same UUID to finish;
    // the affected-row count tells which way it went.
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
};

// Statement parameters, always bound. Strings travel in binary format with their length, so the bytes
// arrive exactly: PostgreSQL refuses a NUL or invalid UTF-8 in text instead of truncating it.
class Params {
 public:
  Params& text(std::string_view s) { return add(std::string(s), 1); }
  Params& bytes(std::string_view s) { return add(std::string(s), 1); }
  Params& integer(std::int64_t v) { return add(std::to_string(v), 0); }
  Params& boolean(bool b) { return add(b ? "true" : "false", 0); }
  // NULL when unset.
  Params& optional_text(const std::optional<std::string>& s) {
    if (s) return text(*s);
    nulls_.resize(values_.size() + 1, false);
    nulls_.back() = true;
    return add(std::string(), 1);
  }

  // Runs a statement prepared on `c` by name.
  Result run(PGconn* c, const char* statement) const {
    const auto [values, lengths] = arrays();
    return Result(PQexecPrepared(c, statement, size(), values.data(), lengths.data(), formats_.data(), 0));
  }
  // Runs SQL text once (migrations), parameters still bound.
  Result run_sql(PGconn* c, const char* sql) const {
    const auto [values, lengths] = arrays();
    return Result(PQexecParams(c, sql, size(), nullptr, values.data(), lengths.data(), formats_.data(), 0));
  }

 private:
  int size() const { return static_cast<int>(values_.size()); }
  std::pair<std::vector<const char*>, std::vector<int>> arrays() const {
    std::pair<std::vector<const char*>, std::vector<int>> out;
    for (std::size_t i = 0; i < values_.size(); ++i) {
      const bool null = i < nulls_.size() && nulls_[i];
      out.first.push_back(null ? nullptr : values_[i].c_str());
      out.second.push_back(static_cast<int>(values_[i].size()));
    }
    return out;
  }
  Params& add(std::string value, int format) {
    values_.push_back(std::move(value));
    formats_.push_back(format);
    return *this;
  }
  std::vector<std::string> values_;
  std::vector<int> formats_;
  std::vector<bool> nulls_;  // may be shorter than values_: the rest are not NULL
};

Result run(PGconn* c, const char* statement) {
  return Params().run(c, statement);
}

bool is(const Result& r, ExecStatusType status) {
  return r && PQresultStatus(r.get()) == status;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string describe(PGconn* c, const Result& r) {
  std::string message = r ? trimmed(PQresultErrorMessage(r.get())) : std::string();
  if (message.empty()) message = trimmed(PQerrorMessage(c));
  return message.empty() ? "unknown PostgreSQL error" : message;
}

std::string_view sqlstate(const Result& r) {
  const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
  return state != nullptr ? std::string_view(state) : std::string_view();
}

std::string_view constraint(const Result& r) {
  const char* name = r ? PQresultErrorField(r.get(), PG_DIAG_CONSTRAINT_NAME) : nullptr;
  return name != nullptr ? std::string_view(name) : std::string_view();
}

std::int64_t affected(const Result& r) {
  const std::string_view n = PQcmdTuples(r.get());
  std::int64_t value = 0;
  std::from_chars(n.data(), n.data() + n.size(), value);
  return value;
}

// Column readers for text-format results; NULL reads as empty / 0 / false.
std::string text_at(const Result& r, int row, int col) {
  if (PQgetisnull(r.get(), row, col)) return {};
  return std::string(PQgetvalue(r.get(), row, col), static_cast<std::size_t>(PQgetlength(r.get(), row, col)));
}

std::int64_t int_at(const Result& r, int row, int col) {
  const std::string s = text_at(r, row, col);
  std::int64_t value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

bool bool_at(const Result& r, int row, int col) {
  return text_at(r, row, col) == "t";
}

std::string bytes_at(const Result& r, int row, int col) {
  std::size_t length = 0;
  unsigned char* raw =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r.get(), row, col)), &length);
  if (raw == nullptr) throw std::bad_alloc();  // the only way it fails
  std::string out(reinterpret_cast<const char*>(raw), length);
  PQfreemem(raw);
  return out;
}

// Plain statements without parameters (transaction control, migration steps).
Expected<Ok> exec(PGconn* c, const char* sql) {
  Result r(PQexec(c, sql));
  if (!is(r, PGRES_COMMAND_OK) && !is(r, PGRES_TUPLES_OK)) return Error{describe(c, r)};
  return Ok{};
}

std::string newer_message(long long found) {
  return "database schema version " + std::to_string(found) + " is newer than this program supports (" +
         std::to_string(kLatestVersion) + ")";
}

// Applies every step above the database's version, each in its own transaction that first takes an advisory
// lock: a second process starting at the same moment waits, then finds the step applied. A database from a
// newer program is refused inside the transaction and rolled back, so it is left exactly as it was.
Expected<Ok> migrate(PGconn* c, int up_to = kLatestVersion) {
  for (int target = 1; target <= up_to; ++target) {
    const std::string step = "migration " + std::to_string(target);
    if (auto begun = exec(c, "BEGIN"); !begun)
      return Error{"cannot start " + step + ": " + begun.error().message};
    auto fail = [&](const std::string& what) -> Expected<Ok> {
      exec(c, "ROLLBACK");
      return Error{step + " failed: " + what};
    };
    Result lock = Params().integer(kMigrationLockKey).run_sql(c, "SELECT pg_advisory_xact_lock($1::bigint)");
    if (!is(lock, PGRES_TUPLES_OK)) return fail(describe(c, lock));
    Result exists(PQexec(c, "SELECT to_regclass('schema_migrations') IS NOT NULL"));
    if (!is(exists, PGRES_TUPLES_OK)) return fail(describe(c, exists));
    long long current = 0;
    if (bool_at(exists, 0, 0)) {
      Result version(PQexec(c, "SELECT COALESCE(max(version), 0) FROM schema_migrations"));
      if (!is(version, PGRES_TUPLES_OK)) return fail(describe(c, version));
      current = int_at(version, 0, 0);
    }
    if (current > kLatestVersion) {
      exec(c, "ROLLBACK");
      return Error{newer_message(current)};
    }
    if (current >= target) {
      exec(c, "ROLLBACK");  // nothing to do for this step; release the lock
      continue;
    }
    if (current == 0) {
      auto created = exec(c,
                          "CREATE TABLE IF NOT EXISTS schema_migrations("
                          "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
      if (!created) return fail(created.error().message);
    }
    if (auto applied = exec(c, kSteps[static_cast<std::size_t>(target - 1)]); !applied) {
      return fail(applied.error().message);
    }
    Result recorded =
        Params().integer(target).run_sql(c, "INSERT INTO schema_migrations(version) VALUES($1)");
    if (!is(recorded, PGRES_COMMAND_OK)) return fail(describe(c, recorded));
    if (auto committed = exec(c, "COMMIT"); !committed) return fail(committed.error().message);
  }
  return Ok{};
}

Expected<Ok> prepare_statements(PGconn* c) {
  for (const auto& [name, sql] : kStatements) {
    Result r(PQprepare(c, name, sql, 0, nullptr));
    if (!is(r, PGRES_COMMAND_OK)) return Error{std::string("cannot prepare ") + name + ": " + describe(c, r)};
  }
  return Ok{};
}

// Connects; `prepare` is false only for the first connection, which migrates before its statements exist.
Expected<std::unique_ptr<pg::Connection>> connect(const std::string& conninfo, bool prepare) {
  // Earlier keywords are defaults the conninfo (expanded from dbname) may override; later ones win over it.
  // Text is sent and read as UTF-8 whatever the server's default.
  const char* keys[] = {"connect_timeout", "dbname", "fallback_application_name", "client_encoding", nullptr};
  const char* values[] = {"10", conninfo.c_str(), "feedback-central", "UTF8", nullptr};
  auto connection = std::make_unique<pg::Connection>();
  connection->conn.reset(PQconnectdbParams(keys, values, 1));
  if (!connection->conn) return Error{"out of memory"};
  if (PQstatus(connection->get()) != CONNECTION_OK) return Error{trimmed(PQerrorMessage(connection->get()))};
  if (prepare) {
    if (auto prepared = prepare_statements(connection->get()); !prepared) return prepared.error();
  }
  return connection;
}

// (site, event, survey_id, language, day, misuse): the key of a totals row.
using CellKey = std::tuple<std::string, std::string, std::string, std::string, std::string, bool>;

// What a batch adds to the totals tables, summed per row so each row is upserted once, in key order.
struct BatchTotals {
  struct Counts {
    std::int64_t responses = 0;
    std::int64_t thanks = 0;
  };
  std::map<CellKey, Counts> responses;
  std::map<std::tuple<CellKey, std::string, std::string, int>, std::int64_t>
      ratings;  // + question, pillar, value

  void add(const std::string& site, const IngestItem& item) {
    const CellKey cell{site, item.event, item.survey_id, item.language, item.day, item.misuse};
    Counts& counts = responses[cell];
    counts.responses += 1;
    if (!item.thanks_note.empty()) counts.thanks += 1;
    for (const IngestItem::Rating& rating : item.ratings) {
      ratings[{cell, rating.question_id, model::to_string(rating.pillar), rating.value}] += 1;
    }
  }
};

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
    if (PQntuples(r.get()) == 0) {
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
  PeriodTotals periods;
  for (const std::size_t index : order) {
    const IngestItem& item = items[index];
    model::ItemResult& result = results[index];
    result = model::ItemResult{item.uuid, model::ItemStatus::Invalid, item.problem};
    if (!item.problem.empty()) continue;
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
    if (PQntuples(inserted.get()) == 1) {
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
      periods.add(site, item);
      result.status = model::ItemStatus::Created;
      continue;
    }
    // Not inserted: the UUID is taken (by a committed row or earlier in this batch). Whose, and same bytes?
    Result owner = Params().text(item.uuid).run(c, "select_owner");
    if (!is(owner, PGRES_TUPLES_OK)) return fail("cannot read a stored response", owner);
    if (PQntuples(owner.get()) != 1) {
      exec(c, "ROLLBACK");
      return Error{"response '" + item.uuid + "' was neither stored nor found"};
    }
    if (text_at(owner, 0, 0) != kiosk_id) {
      result.status = model::ItemStatus::Conflict;
      result.reason = "this uuid was already delivered by another kiosk";
    } else if (text_at(owner, 0, 1) != item.payload_sha256) {
      result.status = model::ItemStatus::Conflict;
      result.reason = "a different payload is already stored under this uuid";
    } else {
      result.status = model::ItemStatus::Duplicate;
    }
  }
  // Last, in key order: two batches adding to the same totals rows lock them in the same order, so they wait
  // for each other instead of deadlocking (and the responses they inserted are all locked already).
  // The six key columns every totals statement starts with.
  auto key_params = [](const CellKey& key) {
    const auto& [k_site, event, survey, language, day, misuse] = key;
    Params params;
    params.text(k_site).text(event).text(survey).text(language).text(day).boolean(misuse);
    return params;
  };
  for (const auto& [key, count] : totals.responses) {
    Result r = key_params(key).integer(count.responses).integer(count.thanks).run(c, "add_response_total");
    if (!is(r, PGRES_COMMAND_OK)) return fail("cannot update the response totals", r);
  }
  for (const auto& [key, n] : totals.ratings) {
    const auto& [cell, question, pillar, value] = key;
    Result r =
        key_params(cell).text(question).text(pillar).integer(value).integer(n).run(c, "add_rating_total");
    if (!is(r, PGRES_COMMAND_OK)) return fail("cannot update the rating totals", r);
  }
  for (const auto& [key, counts] : periods.rows()) {
    Params params;
    params.text(to_string(key.grain)).text(key.start).text(key.site).text(key.event).text(key.survey_id);
    params.text(key.language).boolean(key.misuse).text(key.question_id).text(key.pillar);
    params.integer(counts.responses).integer(counts.thanks);
    for (const std::int64_t n : counts.n) params.integer(n);
    Result r = params.run(c, "add_period_total");
    if (!is(r, PGRES_COMMAND_OK)) return fail("cannot update the period totals", r);
  }
  Result committed(PQexec(c, "COMMIT"));
  // COMMIT of a transaction that failed answers "ROLLBACK" without an error: only "COMMIT" means stored.
  if (!is(committed, PGRES_COMMAND_OK) || std::string_view(PQcmdStatus(committed.get())) != "COMMIT") {
    state = std::string(sqlstate(committed));
    const std::string what = describe(c, committed);
    if (PQtransactionStatus(c) != PQTRANS_IDLE) exec(c, "ROLLBACK");
    return Error{"cannot commit a batch: " + what};
  }
  return results;
}

}  // namespace

// Hides a password in a connection string before it reaches a message.
std::string redact_conninfo(const std::string& conninfo) {
  static const std::regex url_password(R"(^([a-z]+://[^:/@?]*):[^@/?]*@)");
  static const std::regex key_password(R"(password\s*=\s*('([^'\\]|\\.)*'|\S+))");
  std::string out = std::regex_replace(conninfo, url_password, "$1:***@");
  return std::regex_replace(out, key_password, "password=***");
}

// A connection borrowed from the pool for one call; returned (or dropped, if unusable) when it goes.
class PostgresCentralStore::Lease {
 public:
  Lease(PostgresCentralStore& store, std::unique_ptr<pg::Connection> connection)
      : store_(&store), connection_(std::move(connection)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (connection_) store_->release(std::move(connection_));
  }
  PGconn* get() const { return connection_->get(); }

 private:
  PostgresCentralStore* store_;
  std::unique_ptr<pg::Connection> connection_;
};

PostgresCentralStore::PostgresCentralStore(std::string conninfo) : conninfo_(std::move(conninfo)) {}

PostgresCentralStore::~PostgresCentralStore() = default;

Expected<std::unique_ptr<PostgresCentralStore>> PostgresCentralStore::open(const std::string& conninfo) {
  auto fail = [&](const std::string& what) {
    return Error{"cannot open '" + redact_conninfo(conninfo) + "': " + what};
  };
  auto first = connect(conninfo, false);
  if (!first) return fail(first.error().message);
  if (auto migrated = migrate((*first)->get()); !migrated) return fail(migrated.error().message);
  if (auto prepared = prepare_statements((*first)->get()); !prepared) return fail(prepared.error().message);
  std::unique_ptr<PostgresCentralStore> store(new PostgresCentralStore(conninfo));
  store->idle_.push_back(std::move(*first));
  store->open_ = 1;
  return store;
}

Expected<PostgresCentralStore::Lease> PostgresCentralStore::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty() || open_ < kMaxConnections; });
  if (!idle_.empty()) {
    std::unique_ptr<pg::Connection> connection = std::move(idle_.back());
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

void PostgresCentralStore::release(std::unique_ptr<pg::Connection> connection) {
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
                                             const std::string& token_sha256, const std::string& now) {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = Params().text(id).text(site).text(token_sha256).text(now).run(lease->get(), "insert_kiosk");
  if (is(r, PGRES_COMMAND_OK)) return Ok{};
  if (sqlstate(r) == kUniqueViolation && constraint(r) == "kiosks_pkey") {
    return Error{"kiosk '" + id + "' already exists"};
  }
  return Error{"cannot add kiosk '" + id + "': " + describe(lease->get(), r)};
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
  for (int row = 0; row < PQntuples(r.get()); ++row) {
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
                                            const std::string& token_sha256, const std::string& now) {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r =
      Params().text(name).text(to_string(role)).text(token_sha256).text(now).run(lease->get(), "insert_user");
  if (is(r, PGRES_COMMAND_OK)) return Ok{};
  if (sqlstate(r) == kUniqueViolation && constraint(r) == "users_pkey") {
    return Error{"user '" + name + "' already exists"};
  }
  return Error{"cannot add user '" + name + "': " + describe(lease->get(), r)};
}

Expected<std::optional<Principal>> PostgresCentralStore::find_principal(const std::string& token_sha256) {
  auto lease = acquire();
  if (!lease) return lease.error();
  {
    Result r = Params().text(token_sha256).run(lease->get(), "find_kiosk_by_token");
    if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot look a token up: " + describe(lease->get(), r)};
    if (PQntuples(r.get()) > 0) {
      Principal p;
      p.kiosk = Principal::Kiosk{text_at(r, 0, 0), text_at(r, 0, 1), bool_at(r, 0, 2)};
      return std::optional<Principal>(std::move(p));
    }
  }
  Result r = Params().text(token_sha256).run(lease->get(), "find_user_by_token");
  if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot look a token up: " + describe(lease->get(), r)};
  if (PQntuples(r.get()) == 0) return std::optional<Principal>();
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
    const bool lost_race = state == kDeadlockDetected || state == kSerializationFailure;
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
  auto view = [](const Result& r, int row, int column) {
    return std::string_view(PQgetvalue(r.get(), row, column),
                            static_cast<std::size_t>(PQgetlength(r.get(), row, column)));
  };
  auto key_of = [&](const Result& r, int row) {
    return CellKeyView{view(r, row, 0), view(r, row, 1), view(r, row, 2),
                       view(r, row, 3), view(r, row, 4), bool_at(r, row, 5)};
  };
  if (grain != Grain::Day) {
    Params period_params = params;
    Result r = period_params.text(to_string(grain)).run(c, "select_period_totals");
    if (!is(r, PGRES_TUPLES_OK)) return fail("cannot read the period totals", r);
    for (int row = 0; row < PQntuples(r.get()); ++row) {
      if (PQgetlength(r.get(), row, 6) == 0) {
        cells.add_responses(key_of(r, row), static_cast<int>(int_at(r, row, 8)),
                            static_cast<int>(int_at(r, row, 9)));
        continue;
      }
      std::array<int, 5> counts{};
      for (int v = 0; v < 5; ++v)
        counts[static_cast<std::size_t>(v)] = static_cast<int>(int_at(r, row, 10 + v));
      cells.add_ratings(key_of(r, row), view(r, row, 6), view(r, row, 7), counts);
    }
    if (auto ended = exec(c, "COMMIT"); !ended)
      return Error{"cannot read the totals: " + ended.error().message};
    return cells.take();
  }
  {
    Result r = params.run(c, "select_response_totals");
    if (!is(r, PGRES_TUPLES_OK)) return fail("cannot read the response totals", r);
    for (int row = 0; row < PQntuples(r.get()); ++row) {
      cells.add_responses(key_of(r, row), static_cast<int>(int_at(r, row, 6)),
                          static_cast<int>(int_at(r, row, 7)));
    }
  }
  {
    Result r = params.run(c, "select_rating_totals");
    if (!is(r, PGRES_TUPLES_OK)) return fail("cannot read the rating totals", r);
    for (int row = 0; row < PQntuples(r.get()); ++row) {
      cells.add_rating(key_of(r, row), view(r, row, 6), view(r, row, 7), static_cast<int>(int_at(r, row, 8)),
                       static_cast<int>(int_at(r, row, 9)));
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
  for (int row = 0; row < PQntuples(r.get()); ++row) {
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
  return migrate((*connection)->get(), version);
}

Expected<std::int64_t> PostgresCentralStore::count_responses() {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = run(lease->get(), "count_responses");
  if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot count responses: " + describe(lease->get(), r)};
  return int_at(r, 0, 0);
}

Expected<std::optional<CentralResponse>> PostgresCentralStore::find_response(const std::string& uuid) {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = Params().text(uuid).run(lease->get(), "find_response");
  if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot read a response: " + describe(lease->get(), r)};
  if (PQntuples(r.get()) == 0) return std::optional<CentralResponse>();
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
  if (PQntuples(inserted.get()) == 0) {
    Result stored = Params().text(survey.id).integer(survey.version).run(c, "survey_sha256");
    if (!is(stored, PGRES_TUPLES_OK) || PQntuples(stored.get()) != 1) {
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
  Result committed(PQexec(c, "COMMIT"));
  if (!is(committed, PGRES_COMMAND_OK) || std::string_view(PQcmdStatus(committed.get())) != "COMMIT") {
    const std::string what = describe(c, committed);
    if (PQtransactionStatus(c) != PQTRANS_IDLE) exec(c, "ROLLBACK");
    return Error{"cannot commit the survey: " + what};
  }
  return outcome;
}

Expected<std::vector<PublishedSurvey>> PostgresCentralStore::list_published_surveys() {
  auto lease = acquire();
  if (!lease) return lease.error();
  Result r = run(lease->get(), "list_surveys");
  if (!is(r, PGRES_TUPLES_OK)) return Error{"cannot list surveys: " + describe(lease->get(), r)};
  std::vector<PublishedSurvey> out;
  for (int row = 0; row < PQntuples(r.get()); ++row) {
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
  for (int row = 0; row < PQntuples(r.get()); ++row) {
    const auto kind = text_at(r, row, 0) == "site" ? AssignmentKind::Site : AssignmentKind::Event;
    out.push_back(SurveyAssignment{kind, text_at(r, row, 1), text_at(r, row, 2)});
  }
  return out;
}

}  // namespace fk::central
