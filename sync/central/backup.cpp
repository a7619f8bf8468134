// The online backup of a SQLite centre database: snapshot, copy in steps, fsync, rename.
#include "sync/central/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "sync/sqlite/sqlite_handle.hpp"

namespace fk::central {
namespace {

// Pages copied per sqlite3_backup_step: small steps keep each hold on the destination short.
constexpr int kPagesPerStep = 256;
// How long to wait for a lock before giving up (the server's writers hold one only for a batch).
constexpr int kBusyTimeoutMs = 10000;

std::string os_error(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

// Removes the temporary file unless the backup was renamed into place.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  ~TempFile() {
    if (!kept_) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }
  void keep() { kept_ = true; }

 private:
  std::string path_;
  bool kept_ = false;
};

Expected<std::int64_t> count_rows(sqlite3* db, const char* table) {
  const std::string sql = std::string("SELECT COUNT(*) FROM ") + table;
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr);
  sqlite::Stmt stmt(raw);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW) return Error{"not a feedback-central database: " + sqlite::describe(db, rc)};
  return static_cast<std::int64_t>(sqlite3_column_int64(stmt.get(), 0));
}

Expected<Ok> fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Error{os_error("cannot open '" + path + "' to flush it")};
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (rc != 0) return Error{os_error("cannot flush '" + path + "'")};
  return Ok{};
}

// Copies `src` (inside a read transaction, so from one snapshot) into the empty database `dest`.
Expected<Ok> copy_pages(sqlite3* src, sqlite3* dest) {
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", src, "main");
  if (backup == nullptr)
    return Error{"cannot start the backup: " + sqlite::describe(dest, sqlite3_errcode(dest))};
  int rc;
  while ((rc = sqlite3_backup_step(backup, kPagesPerStep)) != SQLITE_DONE) {
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      sqlite3_sleep(10);
    } else if (rc != SQLITE_OK) {
      break;
    }
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Error{"cannot copy the database: " + std::string(sqlite3_errstr(rc))};
  return Ok{};
}

}  // namespace

Expected<BackupSummary> backup_sqlite(const std::string& db, const std::string& to, bool force) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(db, ec)) return Error{"no SQLite database at '" + db + "'"};
  if (!force && fs::exists(to, ec)) return Error{"'" + to + "' exists; --force replaces it"};
  const fs::path target = fs::absolute(to, ec);
  if (ec) return Error{"cannot resolve '" + to + "': " + ec.message()};
  if (!fs::is_directory(target.parent_path(), ec)) {
    return Error{"no directory '" + target.parent_path().string() + "' for the backup"};
  }

  sqlite3* raw = nullptr;
  // No CREATE: a mistyped --db must not leave an empty database behind.
  int rc = sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  sqlite::Db src(raw);
  if (rc != SQLITE_OK) return Error{"cannot open '" + db + "': " + sqlite::describe(src.get(), rc)};
  sqlite3_busy_timeout(src.get(), kBusyTimeoutMs);

  // One read transaction spans the counts and the copy: in WAL mode it pins a snapshot that writers on
  // other connections cannot change under it (so the backup never restarts) and it blocks none of them.
  if (auto begun = sqlite::exec(src.get(), "BEGIN"); !begun) {
    return Error{"cannot read '" + db + "': " + begun.error().message};
  }
  BackupSummary summary;
  for (auto [table, slot] : {std::pair{"responses", &summary.responses}, std::pair{"kiosks", &summary.kiosks},
                             std::pair{"users", &summary.users}}) {
    auto n = count_rows(src.get(), table);
    if (!n) return Error{"'" + db + "' is " + n.error().message};
    *slot = *n;
  }

  // mkstemp makes the file 0600 and unique, in the target's directory so that rename is atomic.
  std::string pattern = (target.parent_path() / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return Error{os_error("cannot create a file beside '" + to + "'")};
  ::close(fd);
  TempFile temp(name.data());

  {
    sqlite3* raw_dest = nullptr;
    rc =
        sqlite3_open_v2(temp.path().c_str(), &raw_dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    sqlite::Db dest(raw_dest);
    if (rc != SQLITE_OK)
      return Error{"cannot open '" + temp.path() + "': " + sqlite::describe(dest.get(), rc)};
    if (auto copied = copy_pages(src.get(), dest.get()); !copied) return copied.error();
  }  // the destination is closed (and its journal gone) before it is flushed
  sqlite::exec(src.get(), "COMMIT");

  if (::chmod(temp.path().c_str(), 0600) != 0)
    return Error{os_error("cannot restrict '" + temp.path() + "'")};
  if (auto flushed = fsync_path(temp.path(), O_RDONLY); !flushed) return flushed.error();
  if (force) {
    if (::rename(temp.path().c_str(), target.c_str()) != 0) {
      return Error{os_error("cannot rename the backup to '" + to + "'")};
    }
  } else {
    // link() refuses an existing name atomically, unlike rename: a file created meanwhile is not replaced.
    if (::link(temp.path().c_str(), target.c_str()) != 0) {
      if (errno == EEXIST) return Error{"'" + to + "' exists; --force replaces it"};
      return Error{os_error("cannot name the backup '" + to + "'")};
    }
    ::unlink(temp.path().c_str());
  }
  temp.keep();
  if (auto flushed = fsync_path(target.parent_path().string(), O_RDONLY | O_DIRECTORY); !flushed) {
    return flushed.error();
  }
  summary.bytes = fs::file_size(target, ec);
  return summary;
}

}  // namespace fk::central
