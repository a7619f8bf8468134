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
};

}  // namespace

Expected<Ok> refuse_newer(sqlite3* db) {
  return sqlite::refuse_newer(db, kLatestVersion);
}

Expected<int> migrate(sqlite3* db) {
  return sqlite::migrate(db, kSteps);
}

}  // namespace fk::central::migrations
