// The migration runner, under a transaction-scoped advisory lock.
#include "sync/postgres/migrations.hpp"

#include <string>

#include "sync/postgres/params.hpp"
#include "sync/postgres/values.hpp"

namespace fk::postgres {
namespace {

std::string newer_message(long long found, int latest) {
  return "database schema version " + std::to_string(found) + " is newer than this program supports (" +
         std::to_string(latest) + ")";
}

}  // namespace

Expected<Ok> migrate(PGconn* c, MigrationSteps steps, std::int64_t lock_key, int up_to) {
  const int latest = static_cast<int>(steps.size());
  for (int target = 1; target <= up_to; ++target) {
    const std::string step = "migration " + std::to_string(target);
    if (auto begun = exec(c, "BEGIN"); !begun)
      return Error{"cannot start " + step + ": " + begun.error().message};
    auto fail = [&](const std::string& what) -> Expected<Ok> {
      exec(c, "ROLLBACK");
      return Error{step + " failed: " + what};
    };
    Result lock = Params().integer(lock_key).run_sql(c, "SELECT pg_advisory_xact_lock($1::bigint)");
    if (!is(lock, PGRES_TUPLES_OK)) return fail(describe(c, lock));
    Result exists(PQexec(c, "SELECT to_regclass('schema_migrations') IS NOT NULL"));
    if (!is(exists, PGRES_TUPLES_OK)) return fail(describe(c, exists));
    long long current = 0;
    if (bool_at(exists, 0, 0)) {
      Result version(PQexec(c, "SELECT COALESCE(max(version), 0) FROM schema_migrations"));
      if (!is(version, PGRES_TUPLES_OK)) return fail(describe(c, version));
      current = int_at(version, 0, 0);
    }
    if (current > latest) {
      exec(c, "ROLLBACK");
      return Error{newer_message(current, latest)};
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
    if (auto applied = exec(c, steps[static_cast<std::size_t>(target - 1)]); !applied) {
      return fail(applied.error().message);
    }
    Result recorded =
        Params().integer(target).run_sql(c, "INSERT INTO schema_migrations(version) VALUES($1)");
    if (!is(recorded, PGRES_COMMAND_OK)) return fail(describe(c, recorded));
    if (auto committed = exec(c, "COMMIT"); !committed) return fail(committed.error().message);
  }
  return Ok{};
}

}  // namespace fk::postgres
