// What only the SQLite store promises: durability, its PRAGMAs, migrations, disk full, frozen columns.
#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "faulty_vfs.hpp"
#include "store_test_support.hpp"
#include "support/file_modes.hpp"
#include "sync/store/migrations.hpp"

using namespace fk;
using namespace fk::store;
using fk::store::testing::FaultyVfs;
using fk::store::testing::lobby_response;
using fk::store::testing::read_bytes;
using fk::store::testing::TempDir;

namespace {

std::unique_ptr<SqliteResponseStore> open_store(const std::string& path) {
  auto opened = SqliteResponseStore::open(path);
  INFO((opened.ok() ? std::string() : opened.error().message));
  REQUIRE(opened.ok());
  return std::move(*opened);
}

// A second, raw connection: what any other process (or a careless script) could do to the file.
struct RawDb {
  sqlite3* db = nullptr;
  explicit RawDb(const std::string& path) { REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK); }
  ~RawDb() { sqlite3_close(db); }
  // Returns SQLite's error message, or "" on success.
  std::string exec(const std::string& sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    std::string text = rc == SQLITE_OK ? "" : (message != nullptr ? message : sqlite3_errstr(rc));
    sqlite3_free(message);
    return text;
  }
};

}  // namespace

TEST_CASE("saved responses survive closing and reopening the file", "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.file("outbox.sqlite");
  std::vector<model::Response> responses;
  {
    auto store = open_store(path);
    for (int i = 0; i < 3; ++i) {
      responses.push_back(lobby_response());
      REQUIRE(*store->save(responses.back()) == SaveOutcome::Created);
    }
    REQUIRE(store->mark_uploaded({responses[0].uuid}).ok());
    REQUIRE(store->quarantine(responses[1].uuid, "413 too large").ok());
  }
  auto store = open_store(path);
  auto counts = store->counts();
  REQUIRE(counts.ok());
  CHECK(counts->uploaded == 1);
  CHECK(counts->quarantined == 1);
  CHECK(counts->pending == 1);
  for (const auto& r : responses) {
    auto found = store->find(r.uuid);
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->payload == model::serialise(r));
  }
  CHECK((*store->find(responses[1].uuid))->quarantine_reason == "413 too large");
  CHECK(*store->save(responses[2]) == SaveOutcome::AlreadyStored);
}

TEST_CASE("the store runs in WAL mode with synchronous=FULL", "[store][sqlite]") {
  TempDir dir;
  auto store = open_store(dir.file("outbox.sqlite"));
  CHECK(store->path() == dir.file("outbox.sqlite"));
  CHECK(*store->journal_mode() == "wal");
  CHECK(*store->pragma_int("synchronous") == 2);
  CHECK(*store->pragma_int("foreign_keys") == 1);
  CHECK(*store->user_version() == migrations::kLatestVersion);
  CHECK_FALSE(store->pragma_int("synchronous; DROP TABLE responses").ok());
}

TEST_CASE("the outbox, its WAL and its shared memory are readable only by their owner", "[store][sqlite]") {
  using test_support::mode_of;
  TempDir dir;
  const std::string path = dir.file("outbox.sqlite");
  const test_support::ScopedUmask loose(022);  // what SQLite alone would turn into 0644
  auto store = open_store(path);
  REQUIRE(*store->save(lobby_response()) == SaveOutcome::Created);
  // While the store is open, after a write in WAL mode, all three files exist.
  CHECK(mode_of(path) == 0600);
  CHECK(mode_of(path + "-wal") == 0600);
  CHECK(mode_of(path + "-shm") == 0600);
}

TEST_CASE("an outbox left readable by others is tightened when opened", "[store][sqlite]") {
  using test_support::mode_of;
  TempDir dir;
  const std::string path = dir.file("outbox.sqlite");
  { open_store(path); }
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  auto store = open_store(path);
  CHECK(mode_of(path) == 0600);
  REQUIRE(*store->save(lobby_response()) == SaveOutcome::Created);
  CHECK(mode_of(path + "-wal") == 0600);
}

TEST_CASE("an outbox another user owns keeps the mode its owner gave it", "[store][sqlite]") {
  if (::geteuid() != 0) return;  // only root can give a file away (tests run as root in CI)
  using test_support::mode_of;
  TempDir dir;
  const std::string path = dir.file("outbox.sqlite");
  { open_store(path); }
  REQUIRE(::chown(path.c_str(), 65534, 65534) == 0);  // nobody
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  open_store(path);
  CHECK(mode_of(path) == 0644);
}

TEST_CASE("a version-1 database is migrated and keeps its rows", "[store][sqlite][migration]") {
  TempDir dir;
  const std::string path = dir.file("outbox.sqlite");
  std::filesystem::copy_file(std::string(FK_FIXTURES) + "/store/v1.sqlite", path);
  {
    RawDb raw(path);  // the fixture really is version 1, without the later columns
    CHECK(raw.exec("SELECT partial FROM responses").find("no such column") != std::string::npos);
  }

  auto store = open_store(path);
  CHECK(*store->user_version() == migrations::kLatestVersion);
  auto pending = store->pending(10);
  REQUIRE(pending.ok());
  REQUIRE(pending->size() == 2);
  CHECK((*pending)[0].uuid == "6f1c2a4e-8b3d-4c5e-9f7a-1b2c3d4e5f60");
  CHECK((*pending)[1].uuid == "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d");  // saved second, though dated 1970
  for (const auto& row : *pending) {
    CHECK(row.status == Status::Pending);
    CHECK_FALSE(row.partial);
    CHECK(row.quarantine_reason.empty());
    CHECK(row.survey_id == "lobby");
    CHECK(row.payload_hash == model::payload_hash(row.payload));  // old frozen bytes untouched
    CHECK(row.event.empty());  // collected before events existed: the lobby
  }
  CHECK(store->event_counts("")->pending == 2);

  const auto fresh = lobby_response();
  REQUIRE(*store->save(fresh) == SaveOutcome::Created);
  auto after = store->pending(10);
  REQUIRE(after->size() == 3);
  CHECK(after->back().uuid == fresh.uuid);
  CHECK(after->back().seq > (*pending)[1].seq);

  // Reopening a migrated database applies nothing twice.
  store.reset();
  auto reopened = open_store(path);
  CHECK(*reopened->user_version() == migrations::kLatestVersion);
  CHECK(reopened->counts()->pending == 3);
}

TEST_CASE("a database from a newer program is refused and left untouched", "[store][sqlite][migration]") {
  TempDir dir;
  const std::string path = dir.file("outbox.sqlite");
  {
    RawDb raw(path);
    REQUIRE(raw.exec("CREATE TABLE responses(x); PRAGMA user_version = 7;").empty());
  }
  const std::string before = read_bytes(path);

  auto opened = SqliteResponseStore::open(path);
  REQUIRE_FALSE(opened.ok());
  CHECK_THAT(opened.error().message,
             Catch::Contains("database schema version 7 is newer than this program supports (" +
                             std::to_string(migrations::kLatestVersion) + ")"));
  CHECK_THAT(opened.error().message, Catch::Contains(path));
  CHECK(read_bytes(path) == before);  // not even switched to WAL
  CHECK_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST_CASE("disk full fails the save and harms nothing saved before", "[store][sqlite][fault]") {
  TempDir dir;
  const std::string path = dir.file("outbox.sqlite");
  std::vector<model::Response> saved;
  model::Response refused;
  std::string error;
  {
    auto store = open_store(path);
    const long long pages = *store->pragma_int("page_count");
    REQUIRE(*store->set_max_page_count_for_tests(pages + 4) == pages + 4);
    for (int i = 0; i < 10000 && error.empty(); ++i) {
      model::Response r = lobby_response();
      auto result = store->save(r);
      if (result.ok()) {
        REQUIRE(*result == SaveOutcome::Created);
        saved.push_back(r);
      } else {
        error = result.error().message;
        refused = r;
      }
    }
    INFO(error);
    REQUIRE_FALSE(error.empty());
    CHECK_THAT(error, Catch::Contains("full"));
    CHECK_THAT(error, Catch::Contains(refused.uuid));
    CHECK(saved.size() >= 3);
    // The store is still usable: reads work, and a save works once there is room again.
    CHECK(store->counts()->pending == static_cast<std::int64_t>(saved.size()));
    CHECK_FALSE(store->find(refused.uuid)->has_value());
    REQUIRE(store->set_max_page_count_for_tests(1'000'000).ok());
    REQUIRE(*store->save(refused) == SaveOutcome::Created);
    saved.push_back(refused);
  }
  auto store = open_store(path);
  CHECK(store->counts()->pending == static_cast<std::int64_t>(saved.size()));
  auto pending = store->pending(saved.size() + 10);
  REQUIRE(pending.ok());
  REQUIRE(pending->size() == saved.size());
  for (std::size_t i = 0; i < saved.size(); ++i) {
    CHECK((*pending)[i].uuid == saved[i].uuid);
    CHECK((*pending)[i].payload == model::serialise(saved[i]));
  }
}

TEST_CASE("an I/O error fails the save and harms nothing saved before", "[store][sqlite][fault]") {
  const auto fault = GENERATE(FaultyVfs::Fault::WalWrite, FaultyVfs::Fault::WalSync);
  TempDir dir;
  const std::string path = dir.file("outbox.sqlite");
  std::vector<model::Response> saved;
  const model::Response failed = lobby_response();
  {
    FaultyVfs vfs;  // outlives the store that goes through it
    auto store = open_store(path);
    for (int i = 0; i < 3; ++i) {
      saved.push_back(lobby_response());
      REQUIRE(*store->save(saved.back()) == SaveOutcome::Created);
    }
    vfs.arm(fault);
    auto result = store->save(failed);
    vfs.arm(FaultyVfs::Fault::None);
    REQUIRE(vfs.injected() >= 1);
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.error().message, Catch::Contains("I/O error"));
    CHECK_THAT(result.error().message, Catch::Contains(failed.uuid));

    // The store goes on: what was saved is intact, and the kiosk's retry stores the response once.
    for (const auto& r : saved) CHECK((*store->find(r.uuid))->payload == model::serialise(r));
    REQUIRE(store->save(failed).ok());
    saved.push_back(failed);
    saved.push_back(lobby_response());
    REQUIRE(*store->save(saved.back()) == SaveOutcome::Created);
  }
  auto store = open_store(path);
  auto pending = store->pending(100);
  REQUIRE(pending.ok());
  REQUIRE(pending->size() == saved.size());
  for (std::size_t i = 0; i < saved.size(); ++i) {
    CHECK((*pending)[i].uuid == saved[i].uuid);
    CHECK((*pending)[i].payload == model::serialise(saved[i]));
  }
}

TEST_CASE("frozen columns cannot be updated, even by raw SQL", "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.file("outbox.sqlite");
  auto store = open_store(path);
  const auto r = lobby_response();
  REQUIRE(store->save(r).ok());

  RawDb raw(path);
  CHECK_THAT(raw.exec("UPDATE responses SET payload = CAST('{}' AS BLOB)"), Catch::Contains("frozen"));
  CHECK_THAT(raw.exec("UPDATE responses SET payload_sha256 = 'x'"), Catch::Contains("frozen"));
  CHECK_THAT(raw.exec("UPDATE responses SET uuid = 'x'"), Catch::Contains("frozen"));
  CHECK_THAT(raw.exec("UPDATE responses SET survey_id = 'x'"), Catch::Contains("frozen"));
  CHECK_THAT(raw.exec("UPDATE responses SET survey_version = 9"), Catch::Contains("frozen"));
  CHECK_THAT(raw.exec("UPDATE responses SET status = 'lost'"), Catch::Contains("CHECK constraint"));
  CHECK(raw.exec("UPDATE responses SET status = 'uploaded'").empty());  // status is what moves
  CHECK((*store->find(r.uuid))->payload == model::serialise(r));
}

TEST_CASE("an unusable location is reported with its path", "[store][sqlite]") {
  TempDir dir;
  // Tests run as root, so permissions cannot stop us: a regular file as the parent directory can.
  const std::string blocker = dir.file("not-a-directory");
  std::ofstream(blocker) << "x";
  const std::string path = blocker + "/outbox.sqlite";
  auto opened = SqliteResponseStore::open(path);
  REQUIRE_FALSE(opened.ok());
  CHECK_THAT(opened.error().message, Catch::Contains(path));
  CHECK_THAT(opened.error().message, Catch::Contains("unable to open database file"));

  auto in_proc = SqliteResponseStore::open("/proc/fk-no-such-dir/outbox.sqlite");
  REQUIRE_FALSE(in_proc.ok());
  CHECK_THAT(in_proc.error().message, Catch::Contains("/proc/fk-no-such-dir/outbox.sqlite"));
}

TEST_CASE("a file that is not a database is refused with its path", "[store][sqlite]") {
  TempDir dir;
  const std::string path = dir.file("outbox.sqlite");
  std::ofstream(path) << std::string(4096, 'z');
  auto opened = SqliteResponseStore::open(path);
  REQUIRE_FALSE(opened.ok());
  CHECK_THAT(opened.error().message, Catch::Contains(path));
  CHECK_THAT(opened.error().message, Catch::Contains("not a database"));
}

TEST_CASE("an in-memory SQLite database is refused: it cannot keep a promise", "[store][sqlite]") {
  auto opened = SqliteResponseStore::open(":memory:");
  REQUIRE_FALSE(opened.ok());
  CHECK_THAT(opened.error().message, Catch::Contains("not 'wal'"));
}

TEST_CASE("a stored response's event cannot be rewritten", "[store][sqlite][event]") {
  TempDir dir;
  const std::string path = dir.file("outbox.sqlite");
  auto store = open_store(path);
  auto response = lobby_response();
  response.event = "Spring fair";
  REQUIRE(*store->save(response) == SaveOutcome::Created);
  RawDb raw(path);
  CHECK(raw.exec("UPDATE responses SET event = 'Other'").find("frozen") != std::string::npos);
  CHECK((*store->find(response.uuid))->event == "Spring fair");
}
