// The central schema's migration steps on PostgreSQL; sync/postgres/migrations.cpp runs them. The same tables
// and meaning as central_migrations.cpp (SQLite).
#include "sync/central/postgres_migrations.hpp"

#include <array>
#include <cstdint>

#include "sync/postgres/migrations.hpp"

namespace fk::central::postgres_migrations {
namespace {

// pg_advisory_xact_lock key ("fk-centr") that serialises migrations of one database across processes.
constexpr std::int64_t kMigrationLockKey = 0x666b2d63656e7472;

// Step i (0-based) takes the database from version i to i + 1 (the highest row of schema_migrations).
// NEVER edit a step that has shipped: append a new one. Same tables and meaning as central_migrations.cpp;
// timestamps stay text because the program writes them (ISO-8601 UTC) and reads back the same strings.
constexpr std::array<const char*, kLatestVersion> kSteps = {
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
    // 5: dashboard sessions, so any process on this database serves them and a restart signs nobody out.
    // Only the id's SHA-256 is kept. seq orders sessions created in the same second (the per-user cap drops
    // the oldest); expires_at is indexed for the lazy sweep of expired sessions.
    R"sql(
CREATE TABLE sessions(
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id_sha256 text NOT NULL UNIQUE,
  user_name text NOT NULL REFERENCES users(name),
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL);
CREATE INDEX sessions_user ON sessions(user_name, created_at);
CREATE INDEX sessions_expiry ON sessions(expires_at);
)sql",
    // 6: the identity lifecycle: users can be revoked (kiosks always could), and any token may expire
    // (Unix seconds; 0: never). Rotation replaces token_sha256 in place.
    R"sql(
ALTER TABLE users ADD COLUMN revoked boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN token_expires_at bigint NOT NULL DEFAULT 0;
ALTER TABLE kiosks ADD COLUMN token_expires_at bigint NOT NULL DEFAULT 0;
)sql",
};

}  // namespace

Expected<Ok> migrate(PGconn* c, int up_to) {
  return postgres::migrate(c, kSteps, kMigrationLockKey, up_to);
}

}  // namespace fk::central::postgres_migrations
