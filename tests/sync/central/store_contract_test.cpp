// The CentralStore contract: every backend must pass these. central_tests runs them on SQLite;
// central_pg_tests compiles this same file again with FK_CENTRAL_STORE_PG defined, which runs them on
// PostgreSQL (pg_test_support.hpp) instead.
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "central_test_support.hpp"
#include "wire_samples.hpp"

#ifdef FK_CENTRAL_STORE_PG
#include "pg_test_support.hpp"
using fk::test::PostgresSubject;
#define FK_CENTRAL_STORE_SUBJECTS PostgresSubject
#endif
#ifndef FK_CENTRAL_STORE_SUBJECTS
#define FK_CENTRAL_STORE_SUBJECTS SqliteSubject
#endif

using namespace fk;
using central::IngestItem;
using model::ItemStatus;
using test::SqliteSubject;

namespace {

const std::string kNow = "2026-11-22T08:00:00Z";

IngestItem ingest_item(const model::Response& r) {
  const std::string payload = model::serialise(r);
  IngestItem item;
  item.uuid = r.uuid;
  item.payload_sha256 = model::payload_hash(payload);
  item.payload = payload;
  item.survey_id = r.survey_id;
  item.survey_version = r.survey_version;
  item.language = r.language;
  item.partial = r.partial;
  item.completed_at = r.completed_at;
  return item;
}

std::vector<ItemStatus> statuses(const std::vector<model::ItemResult>& results) {
  std::vector<ItemStatus> out;
  for (const auto& r : results) out.push_back(r.status);
  return out;
}

template <typename Subject>
void enrol_two(Subject& subject) {
  central::CentralStore& store = subject.get();
  REQUIRE(store.add_kiosk("lobby-1", "Central Division", central::token_hash("t1"), kNow).ok());
  REQUIRE(store.add_kiosk("lobby-2", "Harbour Division", central::token_hash("t2"), kNow).ok());
}

}  // namespace

TEMPLATE_TEST_CASE("kiosks enrol, are found by token hash, list and revoke", "[store][contract]",
                   FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  enrol_two(subject);
  CHECK_FALSE(store.add_kiosk("lobby-1", "Elsewhere", central::token_hash("t3"), kNow).ok());
  CHECK_FALSE(store.add_kiosk("lobby-3", "Elsewhere", central::token_hash("t1"), kNow).ok());  // token reuse

  auto found = store.find_principal(central::token_hash("t1"));
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  REQUIRE((*found)->kiosk.has_value());
  CHECK_FALSE((*found)->user.has_value());
  CHECK((*found)->kiosk->id == "lobby-1");
  CHECK((*found)->kiosk->site == "Central Division");
  CHECK_FALSE((*found)->kiosk->revoked);
  auto unknown = store.find_principal(central::token_hash("nope"));
  REQUIRE(unknown.ok());
  CHECK_FALSE(unknown->has_value());
  // The plain token is never a key: only its hash finds anything.
  CHECK_FALSE(store.find_principal("t1")->has_value());

  REQUIRE(store.revoke_kiosk("lobby-1").ok());
  CHECK(store.revoke_kiosk("lobby-1").ok());  // twice is fine
  CHECK_FALSE(store.revoke_kiosk("missing").ok());
  CHECK((*store.find_principal(central::token_hash("t1")))->kiosk->revoked);

  auto list = store.list_kiosks();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].id == "lobby-1");
  CHECK((*list)[0].revoked);
  CHECK((*list)[0].created_at == kNow);
  CHECK((*list)[0].last_seen_at.empty());
  CHECK((*list)[1].id == "lobby-2");
  CHECK_FALSE((*list)[1].revoked);
}

TEMPLATE_TEST_CASE("users carry a role", "[store][contract]", FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  REQUIRE(store.add_user("ada", central::Role::Admin, central::token_hash("a"), kNow).ok());
  REQUIRE(store.add_user("ann", central::Role::Analyst, central::token_hash("b"), kNow).ok());
  REQUIRE(store.add_user("sam", central::Role::Supervisor, central::token_hash("c"), kNow).ok());
  CHECK_FALSE(store.add_user("ada", central::Role::Analyst, central::token_hash("d"), kNow).ok());
  const auto ada = store.find_principal(central::token_hash("a"));
  REQUIRE(ada.ok());
  REQUIRE(ada->has_value());
  REQUIRE((*ada)->user.has_value());
  CHECK_FALSE((*ada)->kiosk.has_value());
  CHECK((*ada)->user->name == "ada");
  CHECK((*ada)->user->role == central::Role::Admin);
  CHECK((*store.find_principal(central::token_hash("b")))->user->role == central::Role::Analyst);
  CHECK((*store.find_principal(central::token_hash("c")))->user->role == central::Role::Supervisor);
}

TEMPLATE_TEST_CASE("ingest answers created, duplicate, conflict and invalid in order", "[store][contract]",
                   FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  enrol_two(subject);
  model::Response first = test::sample_response();
  first.language = "es";
  first.partial = true;
  const model::Response second = test::sample_response();
  IngestItem bad = ingest_item(test::sample_response());
  bad.problem = "item.sha256 does not match the payload";

  auto results = store.ingest("lobby-1", {ingest_item(first), ingest_item(second), bad}, kNow);
  REQUIRE(results.ok());
  CHECK(statuses(*results) == std::vector{ItemStatus::Created, ItemStatus::Created, ItemStatus::Invalid});
  CHECK((*results)[0].uuid == first.uuid);
  CHECK((*results)[2].reason == "item.sha256 does not match the payload");
  CHECK(*store.count_responses() == 2);  // the invalid item wrote nothing

  model::Response changed = first;
  changed.answers.push_back({"extra", 1});
  auto again = store.ingest("lobby-1", {ingest_item(second), ingest_item(changed)}, "2026-11-22T09:00:00Z");
  REQUIRE(again.ok());
  CHECK(statuses(*again) == std::vector{ItemStatus::Duplicate, ItemStatus::Conflict});
  CHECK((*again)[0].reason.empty());
  CHECK_FALSE((*again)[1].reason.empty());

  // Another kiosk cannot claim a UUID, even with the very same bytes.
  auto cross = store.ingest("lobby-2", {ingest_item(first)}, kNow);
  REQUIRE(cross.ok());
  CHECK(statuses(*cross) == std::vector{ItemStatus::Conflict});
  CHECK(*store.count_responses() == 2);

  // What is stored is the first arrival, filed under its fields and the centre's time.
  auto stored = store.find_response(first.uuid);
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  const central::CentralResponse& row = **stored;
  CHECK(row.kiosk_id == "lobby-1");
  CHECK(row.site == "Central Division");
  CHECK(row.payload == model::serialise(first));
  CHECK(row.payload_sha256 == model::payload_hash(row.payload));
  CHECK(row.survey_id == first.survey_id);
  CHECK(row.survey_version == first.survey_version);
  CHECK(row.language == "es");
  CHECK(row.partial);
  CHECK(row.completed_at == first.completed_at);
  CHECK(row.received_at == kNow);
  CHECK(row.seq > 0);
  CHECK_FALSE(store.find_response(model::new_uuid_v4())->has_value());

  // Contact counts as seen.
  CHECK(store.list_kiosks()->front().last_seen_at == "2026-11-22T09:00:00Z");
}

TEMPLATE_TEST_CASE("the same UUID twice in one batch is created then duplicate", "[store][contract]",
                   FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  enrol_two(subject);
  const IngestItem item = ingest_item(test::sample_response());
  auto results = subject.get().ingest("lobby-1", {item, item}, kNow);
  REQUIRE(results.ok());
  CHECK(statuses(*results) == std::vector{ItemStatus::Created, ItemStatus::Duplicate});
  CHECK(*subject.get().count_responses() == 1);
}

TEMPLATE_TEST_CASE("a failed batch stores nothing of itself", "[store][contract]",
                   FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  enrol_two(subject);
  // An unknown kiosk cannot own rows: the whole batch fails and leaves no trace.
  auto results = subject.get().ingest("ghost", {ingest_item(test::sample_response())}, kNow);
  CHECK_FALSE(results.ok());
  CHECK(*subject.get().count_responses() == 0);
  // And the store is still usable afterwards.
  CHECK(subject.get().ingest("lobby-1", {ingest_item(test::sample_response())}, kNow).ok());
  CHECK(*subject.get().count_responses() == 1);
}

TEMPLATE_TEST_CASE("a heartbeat records the kiosk's backlog and last contact", "[store][contract]",
                   FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  enrol_two(subject);
  central::CentralStore& store = subject.get();
  REQUIRE(store.record_heartbeat("lobby-2", model::Heartbeat{"0.1.0", 7, 3600, 2, "connect timeout"},
                                 "2026-11-22T10:00:00Z")
              .ok());
  CHECK_FALSE(store.record_heartbeat("ghost", model::Heartbeat{}, kNow).ok());
  const auto list = store.list_kiosks();
  REQUIRE(list.ok());
  const central::KioskRecord& k = (*list)[1];
  CHECK(k.id == "lobby-2");
  CHECK(k.last_seen_at == "2026-11-22T10:00:00Z");
  CHECK(k.app_version == "0.1.0");
  CHECK(k.pending == 7);
  CHECK(k.oldest_pending_age_s == 3600);
  CHECK(k.quarantined == 2);
  CHECK(k.last_error == "connect timeout");
  CHECK((*list)[0].last_seen_at.empty());
}

TEMPLATE_TEST_CASE("two connections racing on one UUID leave one row", "[store][contract]",
                   FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  enrol_two(subject);
  // Separate connections, as the server and a second process would have: only the constraint can decide.
  std::vector<std::unique_ptr<central::CentralStore>> connections;
  for (int i = 0; i < 4; ++i) connections.push_back(subject.reopen());
  std::vector<IngestItem> batch;
  for (int i = 0; i < 50; ++i) batch.push_back(ingest_item(test::sample_response()));
  std::vector<std::vector<model::ItemResult>> answers(connections.size());
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < connections.size(); ++t) {
    threads.emplace_back([&, t] {
      auto r = connections[t]->ingest("lobby-1", batch, kNow);
      if (r) answers[t] = std::move(*r);
    });
  }
  for (auto& th : threads) th.join();
  CHECK(*subject.get().count_responses() == 50);
  std::multiset<std::string> created;
  for (const auto& results : answers) {
    REQUIRE(results.size() == batch.size());
    for (const auto& r : results) {
      CHECK(model::is_delivered(r.status));
      if (r.status == ItemStatus::Created) created.insert(r.uuid);
    }
  }
  CHECK(created.size() == 50);
  CHECK(std::set<std::string>(created.begin(), created.end()).size() == 50);
}
