// The migration runner both schemas share.
#include "sync/sqlite/migrations.hpp"

#include <string>

#include "sync/sqlite/sqlite_handle.hpp"

namespace fk::sqlite {
namespace {

std::string newer_message(long long found, int latest) {
  return "database schema version " + std::to_string(found) + " is newer than this program supports (" +
         std::to_string(latest) + ")";
}

}  // namespace

Expected<int> user_version(sqlite3* db) {
  auto version = pragma_int(db, "user_version");
  if (!version) return version.error();
  return static_cast<int>(*version);
}

Expected<Ok> refuse_newer(sqlite3* db, int latest) {
  auto version = pragma_int(db, "user_version");
  if (!version) return version.error();
  if (*version > latest) return Error{newer_message(*version, latest)};
  return Ok{};
}

Expected<int> migrate(sqlite3* db, MigrationSteps steps) {
  const int latest = static_cast<int>(steps.size());
  for (int target = 1; target <= latest; ++target) {
    // IMMEDIATE takes the write lock before reading the version, so two processes opening the same file
    // (a kiosk and `feedback-kiosk status`, the server and `feedback-central kiosk add`) cannot both apply
    // one step.
    if (auto begun = exec(db, "BEGIN IMMEDIATE"); !begun) {
      return Error{"cannot start migration " + std::to_string(target) + ": " + begun.error().message};
    }
    auto fail = [&](const std::string& what) -> Expected<int> {
      exec(db, "ROLLBACK");
      return Error{"migration " + std::to_string(target) + " failed: " + what};
    };
    auto current = pragma_int(db, "user_version");
    if (!current) return fail(current.error().message);
    if (*current > latest) {
      // A newer program migrated the file since refuse_newer looked.
      exec(db, "ROLLBACK");
      return Error{newer_message(*current, latest)};
    }
    if (*current >= target) {
      exec(db, "ROLLBACK");  // nothing to do for this step; release the lock
      continue;
    }
    if (auto applied = exec(db, steps[static_cast<std::size_t>(target - 1)]); !applied) {
      return fail(applied.error().message);
    }
    const std::string set_version = "PRAGMA user_version = " + std::to_string(target);
    if (auto set = exec(db, set_version.c_str()); !set) return fail(set.error().message);
    if (auto committed = exec(db, "COMMIT"); !committed) return fail(committed.error().message);
  }
  return user_version(db);
}

}  // namespace fk::sqlite
