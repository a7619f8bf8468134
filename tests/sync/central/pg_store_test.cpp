// What PostgreSQL adds to the store contract: migrations raced by processes starting together, a newer
// database refused untouched, a dropped connection survived, and the CLI choosing PostgreSQL by URL.
#include <catch2/catch.hpp>
#include <sstream>
#include <thread>

#include "pg_test_support.hpp"
#include "sync/central/commands.hpp"
#include "sync/central/open_store.hpp"
#include "wire_samples.hpp"

using namespace fk;

namespace {

std::string last_line(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  const auto at = trimmed.rfind('\n');
  return at == std::string::npos ? trimmed : trimmed.substr(at + 1);
}

// Everything a refused open must leave alone: the tables and functions, and the rows of the ones we know.
std::vector<std::vector<std::string>> fingerprint(test::PgConnection& c) {
  auto rows = c.rows(
      "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = 'public' ORDER BY 1");
  for (auto& r : c.rows("SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1")) {
    rows.push_back(r);
  }
  for (auto& r : c.rows("SELECT version::text FROM schema_migrations ORDER BY version")) rows.push_back(r);
  return rows;
}

}  // namespace

TEST_CASE("processes opening a fresh database together apply each migration once", "[pg][migrations]") {
  test::PgDatabase db;
  constexpr int kOpeners = 8;
  std::vector<std::string> failures(kOpeners);
  std::vector<std::thread> threads;
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] {
      auto store = central::PostgresCentralStore::open(db.url());
      if (!store) failures[static_cast<std::size_t>(i)] = store.error().message;
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& f : failures) CHECK(f.empty());
  test::PgConnection c(db.url());
  CHECK(c.scalar("SELECT count(*) FROM schema_migrations") == 1);
  CHECK(c.scalar("SELECT max(version) FROM schema_migrations") == 1);
}

TEST_CASE("a database from a newer program is refused and left untouched", "[pg][migrations]") {
  SECTION("a migrated database one version ahead") {
    test::PgDatabase db;
    {
      auto store = test::must(central::PostgresCentralStore::open(db.url()), "open");
      REQUIRE(store->add_kiosk("lobby-1", "Central Division", central::token_hash("t"), "2026-11-22T08:00:00Z"));
    }
    test::PgConnection c(db.url());
    c.exec("INSERT INTO schema_migrations(version) VALUES (2)");
    const auto before = fingerprint(c);
    auto refused = central::PostgresCentralStore::open(db.url());
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::Contains("newer than this program supports"));
    CHECK(fingerprint(c) == before);
    CHECK(c.scalar("SELECT count(*) FROM kiosks") == 1);
  }
  SECTION("a database that only has a newer version row") {
    test::PgDatabase db;
    test::PgConnection c(db.url());
    c.exec("CREATE TABLE schema_migrations(version integer PRIMARY KEY)");
    c.exec("INSERT INTO schema_migrations(version) VALUES (1), (7)");
    const auto before = fingerprint(c);
    CHECK_FALSE(central::open_central_store(db.url()).ok());
    CHECK(fingerprint(c) == before);
    CHECK(c.rows("SELECT 1 WHERE to_regclass('kiosks') IS NULL").size() == 1);
  }
}

TEST_CASE("a store survives its connections being cut", "[pg][connections]") {
  test::PostgresSubject subject;
  central::CentralStore& store = subject.get();
  REQUIRE(store.add_kiosk("lobby-1", "Central Division", central::token_hash("t"), "2026-11-22T08:00:00Z"));
  test::PgConnection c(subject.url());
  // As a server restart or an idle-connection reaper would.
  c.rows("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = current_database() "
         "AND pid <> pg_backend_pid()");
  // The call that finds its connection dead may fail (the kiosk retries it); the next one reconnects.
  (void)store.count_responses();
  auto listed = store.list_kiosks();
  REQUIRE(listed.ok());
  CHECK(listed->size() == 1);
}

TEST_CASE("a batch with a text the database cannot hold fails whole", "[pg][ingest]") {
  test::PostgresSubject subject;
  central::CentralStore& store = subject.get();
  REQUIRE(store.add_kiosk("lobby-1", "Central Division", central::token_hash("t"), "2026-11-22T08:00:00Z"));
  auto item = [](const model::Response& r) {
    central::IngestItem i;
    i.uuid = r.uuid;
    i.payload = model::serialise(r);
    i.payload_sha256 = model::payload_hash(i.payload);
    i.survey_id = r.survey_id;
    i.survey_version = r.survey_version;
    i.language = r.language;
    i.completed_at = r.completed_at;
    return i;
  };
  central::IngestItem good = item(test::sample_response());
  central::IngestItem bad = item(test::sample_response());
  bad.language = std::string("e\0n", 3);  // PostgreSQL text holds no NUL: refused, never truncated
  CHECK_FALSE(store.ingest("lobby-1", {good, bad}, "2026-11-22T08:00:00Z").ok());
  CHECK(*store.count_responses() == 0);
  // The connection went back to the pool usable.
  CHECK(store.ingest("lobby-1", {good}, "2026-11-22T08:00:00Z").ok());
  CHECK(*store.count_responses() == 1);
}

TEST_CASE("feedback-central commands take a postgresql:// --db", "[pg][cli]") {
  test::PgDatabase db;
  std::ostringstream out, err;
  REQUIRE(central::kiosk_add(db.url(), "lobby-1", "Central Division", out, err) == 0);
  const std::string kiosk_token = last_line(out.str());
  REQUIRE(central::user_add(db.url(), "ada", "admin", out, err) == 0);
  const std::string admin_token = last_line(out.str());
  CHECK(central::kiosk_add(db.url(), "lobby-1", "Elsewhere", out, err) == 1);
  CHECK_THAT(err.str(), Catch::Contains("kiosk 'lobby-1' already exists"));
  REQUIRE(central::kiosk_revoke(db.url(), "lobby-1", out, err) == 0);
  std::ostringstream listing;
  REQUIRE(central::kiosk_list(db.url(), listing, err) == 0);
  CHECK_THAT(listing.str(), Catch::Contains("lobby-1  Central Division  yes"));

  // The other spelling of the scheme opens the same database.
  const std::string short_scheme = "postgres://" + db.url().substr(std::string("postgresql://").size());
  auto store = test::must(central::open_central_store(short_scheme), "open");
  CHECK((*store->find_principal(central::token_hash(kiosk_token)))->kiosk->revoked);
  CHECK((*store->find_principal(central::token_hash(admin_token)))->user->role == central::Role::Admin);
  CHECK(dynamic_cast<central::PostgresCentralStore*>(store.get()) != nullptr);
}

TEST_CASE("an unreachable PostgreSQL is an error that hides the password", "[pg][cli]") {
  auto store = central::open_central_store("postgresql://fk:s3cret@/nowhere?host=/nonexistent&port=1");
  REQUIRE_FALSE(store.ok());
  CHECK_THAT(store.error().message, Catch::Contains("fk:***@"));
  CHECK_THAT(store.error().message, !Catch::Contains("s3cret"));
}
