// The central schema's migration steps; sync/sqlite/migrations.cpp runs them.
#include "sync/central/central_migrations.hpp"

#include <array>

#include "sync/sqlite/migrations.hpp"

namespace fk::central::migrations {
namespace {

// Step i (0-based) takes the database from user_version i to i + 1.
// NEVER edit a step that has shipped: append a new one (the analysts issue adds its aggregates that way).
constexpr std::array<const char*, kLatestVersion> kSteps = {
    // 1: kiosks, users, responses.
    R"sql(
CREATE TABLE kiosks(
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  token_sha256 TEXT NOT NULL UNIQUE,
  revoked INTEGER NOT NULL DEFAULT 0 CHECK(revoked IN (0, 1)),
  created_at TEXT NOT NULL,
  last_seen_at TEXT,
  app_version TEXT NOT NULL DEFAULT '',
  pending INTEGER NOT NULL DEFAULT 0,
  oldest_pending_age_s INTEGER NOT NULL DEFAULT 0,
  quarantined INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '');
CREATE TABLE users(
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK(role IN ('analyst', 'supervisor', 'admin')),
  token_sha256 TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL);
-- uuid UNIQUE is what makes delivery exactly-once: ingest inserts with ON CONFLICT(uuid) DO NOTHING.
-- survey/language/partial/site are copied out of the payload for aggregates; the payload stays the truth.
CREATE TABLE responses(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  uuid TEXT NOT NULL UNIQUE,
  kiosk_id TEXT NOT NULL REFERENCES kiosks(id),
  site TEXT NOT NULL,
  payload_sha256 TEXT NOT NULL,
  payload BLOB NOT NULL,
  survey_id TEXT NOT NULL,
  survey_version INTEGER NOT NULL,
  language TEXT NOT NULL,
  partial INTEGER NOT NULL CHECK(partial IN (0, 1)),
  completed_at TEXT NOT NULL,
  received_at TEXT NOT NULL);
CREATE INDEX responses_survey ON responses(survey_id, survey_version);
CREATE INDEX responses_site ON responses(site);
-- What arrived is evidence: the database itself refuses to rewrite it.
CREATE TRIGGER responses_frozen
  BEFORE UPDATE OF uuid, kiosk_id, payload, payload_sha256 ON responses
BEGIN
  SELECT RAISE(ABORT, 'frozen');
END;
)sql",
    // 2: what analysts and supervisors read, copied out of each payload at ingest: the day a response counts
    // under, event and misuse (filled by later kiosks), thank-you notes, and totals kept up to date in the
    // ingest transaction so that aggregates never scan the responses. Responses received before this step
    // count in response_totals; their ratings and notes stay in their payloads only.
    R"sql(
ALTER TABLE responses ADD COLUMN day TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN event TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN misuse INTEGER NOT NULL DEFAULT 0 CHECK(misuse IN (0, 1));
UPDATE responses SET day = substr(received_at, 1, 10);
CREATE TABLE thanks(
  response_seq INTEGER PRIMARY KEY REFERENCES responses(seq),
  site TEXT NOT NULL,
  day TEXT NOT NULL,
  note TEXT NOT NULL,
  employee TEXT NOT NULL);
CREATE INDEX thanks_site_day ON thanks(site, day);
CREATE TABLE response_totals(
  site TEXT NOT NULL, event TEXT NOT NULL, survey_id TEXT NOT NULL, language TEXT NOT NULL, day TEXT NOT NULL,
  misuse INTEGER NOT NULL,
  responses INTEGER NOT NULL,
  thanks INTEGER NOT NULL,
  PRIMARY KEY(site, event, survey_id, language, day, misuse));
CREATE TABLE rating_totals(
  site TEXT NOT NULL, event TEXT NOT NULL, survey_id TEXT NOT NULL, language TEXT NOT NULL, day TEXT NOT NULL,
  misuse INTEGER NOT NULL,
  question_id TEXT NOT NULL,
  pillar TEXT NOT NULL,
  value INTEGER NOT NULL CHECK(value BETWEEN 1 AND 5),
  n INTEGER NOT NULL,
  PRIMARY KEY(site, event, survey_id, language, day, misuse, question_id, pillar, value));
INSERT INTO response_totals(site, event, survey_id, language, day, misuse, responses, thanks)
  SELECT site, event, survey_id, language, day, misuse, COUNT(*), 0 FROM responses
  GROUP BY site, event, survey_id, language, day, misuse;
)sql",
    // 3: weekly and monthly totals with the five answers in columns (sync/central/period_totals.hpp), so that
    // aggregates by week or month read a fraction of the daily rows. Filled from the daily totals here; kept
    // up to date in the ingest transaction from now on. A week starts on its ISO Monday
    // (date(day, 'weekday 0', '-6 days'): the Sunday ending the week, minus six days), a month on its 1st.
    R"sql(
CREATE TABLE period_totals(
  grain TEXT NOT NULL CHECK(grain IN ('week', 'month')),
  start TEXT NOT NULL,
  site TEXT NOT NULL, event TEXT NOT NULL, survey_id TEXT NOT NULL, language TEXT NOT NULL,
  misuse INTEGER NOT NULL,
  question_id TEXT NOT NULL,
  pillar TEXT NOT NULL,
  responses INTEGER NOT NULL,
  thanks INTEGER NOT NULL,
  n1 INTEGER NOT NULL, n2 INTEGER NOT NULL, n3 INTEGER NOT NULL, n4 INTEGER NOT NULL, n5 INTEGER NOT NULL,
  PRIMARY KEY(grain, start, site, event, survey_id, language, misuse, question_id, pillar)) WITHOUT ROWID;
INSERT INTO period_totals
  SELECT g.grain, CASE g.grain WHEN 'week' THEN date(day, 'weekday 0', '-6 days') ELSE substr(day, 1, 8) || '01' END,
         site, event, survey_id, language, misuse, '', '', SUM(responses), SUM(thanks), 0, 0, 0, 0, 0
  FROM response_totals, (SELECT 'week' AS grain UNION ALL SELECT 'month') AS g
  WHERE date(day) IS day
  GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO period_totals
  SELECT g.grain, CASE g.grain WHEN 'week' THEN date(day, 'weekday 0', '-6 days') ELSE substr(day, 1, 8) || '01' END,
         site, event, survey_id, language, misuse, question_id, pillar, 0, 0,
         SUM(CASE value WHEN 1 THEN n ELSE 0 END), SUM(CASE value WHEN 2 THEN n ELSE 0 END),
         SUM(CASE value WHEN 3 THEN n ELSE 0 END), SUM(CASE value WHEN 4 THEN n ELSE 0 END),
         SUM(CASE value WHEN 5 THEN n ELSE 0 END)
  FROM rating_totals, (SELECT 'week' AS grain UNION ALL SELECT 'month') AS g
  WHERE date(day) IS day
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
)sql",
    // 4: surveys published at the centre (`feedback-central survey publish`), each version immutable, and
    // their assignments: one survey per site (its lobby survey) and one per event.
    R"sql(
CREATE TABLE surveys(
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  toml TEXT NOT NULL,
  published_at TEXT NOT NULL,
  PRIMARY KEY(id, version));
CREATE TRIGGER surveys_frozen BEFORE UPDATE ON surveys
BEGIN
  SELECT RAISE(ABORT, 'frozen');
END;
CREATE TABLE survey_assignments(
  kind TEXT NOT NULL CHECK(kind IN ('site', 'event')),
  target TEXT NOT NULL,
  survey_id TEXT NOT NULL,
  PRIMARY KEY(kind, target));
)sql",
    // 5: dashboard sessions, so any process on this database serves them and a restart signs nobody out.
    // Only the id's SHA-256 is kept. seq orders sessions created in the same second (the per-user cap drops
    // the oldest); expires_at is indexed for the lazy sweep of expired sessions.
    R"sql(
CREATE TABLE sessions(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id_sha256 TEXT NOT NULL UNIQUE,
  user_name TEXT NOT NULL REFERENCES users(name),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL);
CREATE INDEX sessions_user ON sessions(user_name, created_at);
CREATE INDEX sessions_expiry ON sessions(expires_at);
)sql",
    // 6: the identity lifecycle: users can be revoked (kiosks always could), and any token may expire
    // (Unix seconds; 0: never). Rotation replaces token_sha256 in place.
    R"sql(
ALTER TABLE users ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0 CHECK(revoked IN (0, 1));
ALTER TABLE users ADD COLUMN token_expires_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE kiosks ADD COLUMN token_expires_at INTEGER NOT NULL DEFAULT 0;
)sql",
};

}  // namespace

sqlite::MigrationSteps steps() {
  return kSteps;
}

}  // namespace fk::central::migrations
