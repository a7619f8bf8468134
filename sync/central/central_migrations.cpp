// The central schema's migration steps and the runner that applies them.
#include "sync/central/central_migrations.hpp"

#include <array>
#include <string>

#include "sync/store/sqlite_handle.hpp"

namespace fk::central::migrations {
namespace {

namespace sqlite = fk::store::sqlite;

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

std::string newer_message(long long found) {
  return "database schema version " + std::to_string(found) + " is newer than this program supports (" +
         std::to_string(kLatestVersion) + ")";
}

}  // namespace

Expected<Ok> refuse_newer(sqlite3* db) {
  auto version = sqlite::pragma_int(db, "user_version");
  if (!version) return version.error();
  if (*version > kLatestVersion) return Error{newer_message(*version)};
  return Ok{};
}

Expected<int> migrate(sqlite3* db) {
  for (int target = 1; target <= kLatestVersion; ++target) {
    // IMMEDIATE takes the write lock before reading the version, so two processes opening the same file
    // (the server and `feedback-central kiosk add`) cannot both apply one step.
    if (auto begun = sqlite::exec(db, "BEGIN IMMEDIATE"); !begun) {
      return Error{"cannot start migration " + std::to_string(target) + ": " + begun.error().message};
    }
    auto fail = [&](const std::string& what) -> Expected<int> {
      sqlite::exec(db, "ROLLBACK");
      return Error{"migration " + std::to_string(target) + " failed: " + what};
    };
    auto current = sqlite::pragma_int(db, "user_version");
    if (!current) return fail(current.error().message);
    if (*current > kLatestVersion) return fail(newer_message(*current));
    if (*current >= target) {
      sqlite::exec(db, "ROLLBACK");  // already there; release the lock
      continue;
    }
    if (auto applied = sqlite::exec(db, kSteps[static_cast<std::size_t>(target - 1)]); !applied) {
      return fail(applied.error().message);
    }
    const std::string set_version = "PRAGMA user_version = " + std::to_string(target);
    if (auto set = sqlite::exec(db, set_version.c_str()); !set) return fail(set.error().message);
    if (auto committed = sqlite::exec(db, "COMMIT"); !committed) return fail(committed.error().message);
  }
  auto version = sqlite::pragma_int(db, "user_version");
  if (!version) return version.error();
  return static_cast<int>(*version);
}

}  // namespace fk::central::migrations
