// The CentralStore contract: every backend must pass these. central_tests runs them on SQLite;
// central_pg_tests compiles this same file again with FK_CENTRAL_STORE_PG defined, which runs them on
// PostgreSQL (pg_test_support.hpp) instead.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <numeric>
#include <set>
#include <thread>
#include <tuple>

#include "central_test_support.hpp"
#include "survey_samples.hpp"
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
  REQUIRE(store
              .record_heartbeat("lobby-2", model::Heartbeat{"0.1.0", 7, 3600, 2, "connect timeout"},
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

// ---- Totals for aggregates, and thank-you notes -------------------------------------------------------------

namespace {

using model::Pillar;

// An item as api.cpp files it: the payload is a real one, the fields aggregates read are set here.
IngestItem rated(const std::string& survey, const std::string& language, const std::string& day,
                 std::vector<IngestItem::Rating> ratings, const std::string& note = {},
                 const std::string& employee = {}, const std::string& event = {}, bool misuse = false) {
  model::Response r = test::sample_response(note);
  r.survey_id = survey;
  r.language = language;
  IngestItem item = ingest_item(r);
  item.day = day;
  item.event = event;
  item.misuse = misuse;
  item.ratings = std::move(ratings);
  item.thanks_note = note;
  item.employee = employee;
  return item;
}

// Partial cells as lines sorted by key, ratings sorted within a cell, so both backends compare the same whatever
// order their rows come in: "site|event|survey|language|day|misuse r=responses t=thanks question:pillar:counts…"
std::vector<std::string> lines(std::vector<central::PartialCell> cells) {
  auto key = [](const central::PartialCell& c) {
    return std::tie(c.site, c.event, c.survey_id, c.language, c.day, c.misuse);
  };
  std::sort(cells.begin(), cells.end(), [&](const auto& x, const auto& y) { return key(x) < key(y); });
  std::vector<std::string> out;
  for (const central::PartialCell& cell : cells) {
    std::string line = cell.site + "|" + cell.event + "|" + cell.survey_id + "|" + cell.language + "|" +
                       cell.day + "|" + (cell.misuse ? "1" : "0") + " r=" + std::to_string(cell.responses) +
                       " t=" + std::to_string(cell.thanks);
    std::vector<std::string> ratings;
    for (const central::RatingCounts& rating : cell.ratings) {
      std::string counts;
      for (const int n : rating.counts) counts += (counts.empty() ? "" : ",") + std::to_string(n);
      ratings.push_back(rating.question_id + ":" + model::to_string(rating.pillar) + ":" + counts);
    }
    std::sort(ratings.begin(), ratings.end());
    for (const auto& r : ratings) line += " " + r;
    out.push_back(std::move(line));
  }
  return out;
}

std::vector<std::string> partials(central::CentralStore& store, const central::AggregateQuery& query = {},
                                  central::Grain grain = central::Grain::Day) {
  auto cells = store.aggregate_partials(query, grain);
  if (!cells) FAIL("aggregate_partials: " << cells.error().message);
  return lines(*cells);
}

std::vector<std::string> notes(central::CentralStore& store, const central::ThanksFilter& filter = {}) {
  auto thanks = store.list_thanks(filter);
  if (!thanks) FAIL("list_thanks: " << thanks.error().message);
  std::vector<std::string> out;
  for (const auto& t : *thanks) out.push_back(t.note);
  return out;
}

const std::string kBatch1 = "2026-11-22T08:00:00Z";
const std::string kBatch2 = "2026-11-22T09:30:00Z";

// Five responses from two kiosks on two sites: three carry a note, one is flagged as misuse.
struct Fleet {
  IngestItem a =
      rated("lobby", "en", "2026-11-20", {{"overall", Pillar::Overall, 4}, {"staff", Pillar::Empathize, 5}},
            "Thank you, Officer Diaz", "Diaz");
  IngestItem b =
      rated("lobby", "en", "2026-11-20", {{"overall", Pillar::Overall, 4}, {"staff", Pillar::Empathize, 3}});
  IngestItem c = rated("lobby", "es", "2026-11-21", {{"overall", Pillar::Overall, 2}}, "Gracias", "", "fair");
  IngestItem d = rated("lobby", "en", "2026-11-21", {{"overall", Pillar::Overall, 5}}, "Great help", "Lee");
  IngestItem e = rated("visit", "en", "2026-11-22", {{"overall", Pillar::Overall, 1}}, "", "", "", true);

  std::vector<IngestItem> lobby1() const { return {a, b, c}; }
  std::vector<IngestItem> lobby2() const { return {d, e}; }

  template <typename Subject>
  void deliver(Subject& subject) const {
    enrol_two(subject);
    auto first = subject.get().ingest("lobby-1", lobby1(), kBatch1);
    REQUIRE(first.ok());
    CHECK(statuses(*first) == std::vector(3, ItemStatus::Created));
    auto second = subject.get().ingest("lobby-2", lobby2(), kBatch2);
    REQUIRE(second.ok());
    CHECK(statuses(*second) == std::vector(2, ItemStatus::Created));
  }
};

// Hand-computed from Fleet: counts are of values 1..5.
const std::string kCentralEn20 =
    "Central Division||lobby|en|2026-11-20|0 r=2 t=1 overall:overall:0,0,0,2,0 staff:empathize:0,0,1,0,1";
const std::string kCentralFairEs21 =
    "Central Division|fair|lobby|es|2026-11-21|0 r=1 t=1 overall:overall:0,1,0,0,0";
const std::string kHarbourEn21 = "Harbour Division||lobby|en|2026-11-21|0 r=1 t=1 overall:overall:0,0,0,0,1";
const std::string kHarbourVisit22 =
    "Harbour Division||visit|en|2026-11-22|1 r=1 t=0 overall:overall:1,0,0,0,0";
const std::vector<std::string> kAllCells = {kCentralEn20, kCentralFairEs21, kHarbourEn21, kHarbourVisit22};

}  // namespace

TEMPLATE_TEST_CASE("totals at ingest give the partial cells, filtered", "[store][contract][aggregates]",
                   FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  CHECK(partials(store).empty());
  Fleet fleet;
  fleet.deliver(subject);

  CHECK(partials(store) == kAllCells);
  central::AggregateQuery q;
  SECTION("site") {
    q.site = "Harbour Division";
    CHECK(partials(store, q) == std::vector{kHarbourEn21, kHarbourVisit22});
  }
  SECTION("survey") {
    q.survey = "visit";
    CHECK(partials(store, q) == std::vector{kHarbourVisit22});
  }
  SECTION("language") {
    q.language = "es";
    CHECK(partials(store, q) == std::vector{kCentralFairEs21});
  }
  SECTION("event") {
    q.event = "fair";
    CHECK(partials(store, q) == std::vector{kCentralFairEs21});
  }
  SECTION("from, inclusive") {
    q.from = "2026-11-21";
    CHECK(partials(store, q) == std::vector{kCentralFairEs21, kHarbourEn21, kHarbourVisit22});
  }
  SECTION("to, inclusive") {
    q.to = "2026-11-21";
    CHECK(partials(store, q) == std::vector{kCentralEn20, kCentralFairEs21, kHarbourEn21});
  }
  SECTION("from and to the same day") {
    q.from = q.to = "2026-11-21";
    CHECK(partials(store, q) == std::vector{kCentralFairEs21, kHarbourEn21});
  }
  SECTION("filters combine") {
    q.site = "Central Division";
    q.language = "en";
    q.from = "2026-11-20";
    q.to = "2026-11-20";
    CHECK(partials(store, q) == std::vector{kCentralEn20});
    q.survey = "visit";
    CHECK(partials(store, q).empty());
  }
  SECTION("nothing matches") {
    q.site = "Nowhere";
    CHECK(partials(store, q).empty());
  }
  SECTION("grouping, k and include_misuse are the engine's business") {
    q.group_by = {central::Dimension::Site};
    q.k = 50;
    q.include_misuse = true;
    CHECK(partials(store, q) == kAllCells);
  }
}

TEMPLATE_TEST_CASE("duplicates and conflicts change no totals and add no notes",
                   "[store][contract][aggregates]", FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  Fleet fleet;
  fleet.deliver(subject);
  const auto thanks_before = notes(store);
  REQUIRE(thanks_before.size() == 3);

  // The same batches replayed (the kiosk never got the receipt).
  auto replay = store.ingest("lobby-1", fleet.lobby1(), "2026-11-23T08:00:00Z");
  REQUIRE(replay.ok());
  CHECK(statuses(*replay) == std::vector(3, ItemStatus::Duplicate));
  auto replay2 = store.ingest("lobby-2", fleet.lobby2(), "2026-11-23T08:00:00Z");
  REQUIRE(replay2.ok());
  CHECK(statuses(*replay2) == std::vector(2, ItemStatus::Duplicate));
  // A UUID another kiosk owns, and the same UUID with other bytes (and other fields).
  IngestItem changed = rated("visit", "fr", "2026-11-25", {{"overall", Pillar::Overall, 1}}, "Merci", "X");
  model::Response r = test::sample_response("Merci");
  r.uuid = fleet.a.uuid;
  r.answers.push_back({"extra", 1});
  changed.uuid = r.uuid;
  changed.payload = model::serialise(r);
  changed.payload_sha256 = model::payload_hash(changed.payload);
  auto conflicts = store.ingest("lobby-1", {changed}, "2026-11-23T08:00:00Z");
  REQUIRE(conflicts.ok());
  CHECK(statuses(*conflicts) == std::vector{ItemStatus::Conflict});
  auto stolen = store.ingest("lobby-2", {fleet.c}, "2026-11-23T08:00:00Z");
  REQUIRE(stolen.ok());
  CHECK(statuses(*stolen) == std::vector{ItemStatus::Conflict});
  // The same UUID twice in one new batch counts once.
  const IngestItem twice =
      rated("lobby", "en", "2026-11-20", {{"overall", Pillar::Overall, 4}}, "Again", "Diaz");
  auto doubled = store.ingest("lobby-1", {twice, twice}, "2026-11-23T08:00:00Z");
  REQUIRE(doubled.ok());
  CHECK(statuses(*doubled) == std::vector{ItemStatus::Created, ItemStatus::Duplicate});

  CHECK(*store.count_responses() == 6);
  CHECK(partials(store) == std::vector<std::string>{"Central Division||lobby|en|2026-11-20|0 r=3 t=2 "
                                                    "overall:overall:0,0,0,3,0 staff:empathize:0,0,1,0,1",
                                                    kCentralFairEs21, kHarbourEn21, kHarbourVisit22});
  auto thanks_after = notes(store);
  CHECK(thanks_after.size() == 4);
  CHECK(std::count(thanks_after.begin(), thanks_after.end(), "Again") == 1);
  CHECK(std::count(thanks_after.begin(), thanks_after.end(), "Merci") == 0);
}

TEMPLATE_TEST_CASE("week and month totals hold the daily ones summed per period",
                   "[store][contract][aggregates]", FK_CENTRAL_STORE_SUBJECTS) {
  using central::Grain;
  TestType subject;
  central::CentralStore& store = subject.get();
  CHECK(partials(store, {}, Grain::Week).empty());
  Fleet fleet;
  fleet.deliver(subject);
  // Fleet's days (Fri 20 to Sun 22 November 2026) share the ISO week of Monday the 16th; around them, the
  // Monday itself, the Sunday before (the week before, same month) and a Saturday of October.
  const std::vector<IngestItem> around = {
      rated("lobby", "en", "2026-11-16", {{"overall", Pillar::Overall, 5}}),
      rated("lobby", "en", "2026-11-15", {{"overall", Pillar::Overall, 1}}),
      rated("lobby", "en", "2026-10-31", {{"overall", Pillar::Overall, 3}}),
  };
  REQUIRE(store.ingest("lobby-1", around, kBatch2).ok());

  const std::vector<std::string> weeks = {
      "Central Division||lobby|en|2026-10-26|0 r=1 t=0 overall:overall:0,0,1,0,0",
      "Central Division||lobby|en|2026-11-09|0 r=1 t=0 overall:overall:1,0,0,0,0",
      "Central Division||lobby|en|2026-11-16|0 r=3 t=1 overall:overall:0,0,0,2,1 staff:empathize:0,0,1,0,1",
      "Central Division|fair|lobby|es|2026-11-16|0 r=1 t=1 overall:overall:0,1,0,0,0",
      "Harbour Division||lobby|en|2026-11-16|0 r=1 t=1 overall:overall:0,0,0,0,1",
      "Harbour Division||visit|en|2026-11-16|1 r=1 t=0 overall:overall:1,0,0,0,0",
  };
  const std::vector<std::string> months = {
      "Central Division||lobby|en|2026-10-01|0 r=1 t=0 overall:overall:0,0,1,0,0",
      "Central Division||lobby|en|2026-11-01|0 r=4 t=1 overall:overall:1,0,0,2,1 staff:empathize:0,0,1,0,1",
      "Central Division|fair|lobby|es|2026-11-01|0 r=1 t=1 overall:overall:0,1,0,0,0",
      "Harbour Division||lobby|en|2026-11-01|0 r=1 t=1 overall:overall:0,0,0,0,1",
      "Harbour Division||visit|en|2026-11-01|1 r=1 t=0 overall:overall:1,0,0,0,0",
  };
  CHECK(partials(store, {}, Grain::Week) == weeks);
  CHECK(partials(store, {}, Grain::Month) == months);

  central::AggregateQuery q;
  SECTION("from and to compare with the period's first day") {
    q.from = "2026-11-16";
    q.to = "2026-11-22";
    CHECK(partials(store, q, Grain::Week) == std::vector(weeks.begin() + 2, weeks.end()));
    q.from = "2026-10-01";
    q.to = "2026-10-31";
    CHECK(partials(store, q, Grain::Month) == std::vector{months[0]});
  }
  SECTION("filters") {
    q.site = "Harbour Division";
    q.survey = "visit";
    CHECK(partials(store, q, Grain::Week) == std::vector{weeks[5]});
    q = {};
    q.event = "fair";
    q.language = "es";
    CHECK(partials(store, q, Grain::Month) == std::vector{months[2]});
  }
  SECTION("replays and conflicts add nothing") {
    REQUIRE(store.ingest("lobby-1", fleet.lobby1(), "2026-11-23T08:00:00Z").ok());
    REQUIRE(store.ingest("lobby-1", around, "2026-11-23T08:00:00Z").ok());
    REQUIRE(store.ingest("lobby-2", {fleet.a}, "2026-11-23T08:00:00Z").ok());
    CHECK(partials(store, {}, Grain::Week) == weeks);
    CHECK(partials(store, {}, Grain::Month) == months);
  }
}

TEMPLATE_TEST_CASE("aggregates from week and month totals equal those from the daily ones",
                   "[store][contract][aggregates]", FK_CENTRAL_STORE_SUBJECTS) {
  using central::Dimension;
  TestType subject;
  enrol_two(subject);
  // Three responses a day over nine weeks (2026-09-21 to 2026-11-22), spread over both sites and two languages.
  std::vector<IngestItem> batch;
  const std::chrono::sys_days first = std::chrono::year{2026} / std::chrono::September / 21;
  for (int d = 0; d < 63; ++d) {
    const std::chrono::year_month_day ymd{first + std::chrono::days{d}};
    char day[16];
    std::snprintf(day, sizeof day, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    for (int i = 0; i < 3; ++i)
      batch.push_back(rated("lobby", i == 2 ? "es" : "en", day,
                            {{"overall", Pillar::Overall, 1 + (d + i) % 5}}, (d + i) % 4 == 0 ? "Thanks" : "",
                            "", "", (d * 3 + i) % 17 == 0));
  }
  std::vector<IngestItem> central, harbour;
  for (std::size_t i = 0; i < batch.size(); ++i) (i % 3 == 1 ? harbour : central).push_back(batch[i]);
  REQUIRE(subject.get().ingest("lobby-1", central, kBatch1).ok());
  REQUIRE(subject.get().ingest("lobby-2", harbour, kBatch1).ok());

  // Everything a reader sees of a result, as text.
  auto shown = [](const central::AggregateResult& r) {
    std::string out = "excluded=" + std::to_string(r.excluded_misuse);
    auto cell = [&](const central::Cell& c) {
      for (const auto& k : c.key) out += "|" + k;
      out += " " + c.suppression + " r=" + std::to_string(c.responses) + " t=" + std::to_string(c.thanks);
      for (const auto& q : c.questions) {
        out += " " + q.question_id + ":" + std::to_string(q.n);
        for (int n : q.distribution) out += "," + std::to_string(n);
      }
      out += "\n";
    };
    cell(r.total);
    for (const auto& c : r.cells) cell(c);
    return out;
  };
  auto query = [](std::vector<Dimension> group_by, std::optional<std::string> from = {},
                  std::optional<std::string> to = {}) {
    central::AggregateQuery q;
    q.group_by = std::move(group_by);
    q.from = std::move(from);
    q.to = std::move(to);
    q.k = 3;
    return q;
  };
  const std::vector<central::AggregateQuery> queries = {
      query({Dimension::Site, Dimension::Week}),
      query({Dimension::Week, Dimension::Language}, "2026-10-05", "2026-11-01"),
      query({Dimension::Month, Dimension::Site}),
      query({Dimension::Month}, "2026-10-01", "2026-10-31"),
      query({Dimension::Site}),
      query({Dimension::Language}, "2026-11-02", "2026-11-15"),
      query({}),
  };
  for (const central::AggregateQuery& q : queries) {
    const central::Grain grain = central::totals_grain(q);
    INFO("grain " << central::to_string(grain) << ", " << q.group_by.size() << " dimensions");
    REQUIRE(grain != central::Grain::Day);
    auto daily = subject.get().aggregate_partials(q, central::Grain::Day);
    auto coarse = subject.get().aggregate_partials(q, grain);
    REQUIRE(daily.ok());
    REQUIRE(coarse.ok());
    CHECK(coarse->size() < daily->size());
    const central::AggregateResult expected = central::aggregate_partials(*daily, q);
    CHECK(expected.total.responses > 0);
    CHECK(shown(central::aggregate_partials(*coarse, q)) == shown(expected));
  }
}

TEMPLATE_TEST_CASE("migration 3 builds the week and month totals from the daily ones",
                   "[store][contract][migrations]", FK_CENTRAL_STORE_SUBJECTS) {
  using central::Grain;
  TestType subject;
  Fleet fleet;
  fleet.deliver(subject);
  REQUIRE(
      subject.get()
          .ingest(
              "lobby-1",
              {rated("lobby", "en", "2026-11-16", {{"overall", Pillar::Overall, 5}}, "Thanks", "Diaz"),
               rated("lobby", "fr", "2026-10-31", {{"overall", Pillar::Overall, 3}}, "", "", "fair", true)},
              kBatch2)
          .ok());
  const auto weeks = partials(subject.get(), {}, Grain::Week);
  const auto months = partials(subject.get(), {}, Grain::Month);
  REQUIRE(weeks.size() == 5);  // Fleet's four, and October's
  REQUIRE(months.size() == 5);

  subject.rewind_to_version_2();
  auto migrated = subject.reopen();
  CHECK(partials(*migrated, {}, Grain::Week) == weeks);
  CHECK(partials(*migrated, {}, Grain::Month) == months);
  CHECK(partials(*migrated) == partials(subject.get()));
}

TEMPLATE_TEST_CASE("thank-you notes list newest day first, filtered and limited", "[store][contract][thanks]",
                   FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  CHECK(notes(store).empty());
  Fleet fleet;
  fleet.deliver(subject);

  // b and e carry no note: five responses, three notes. Same day: the later arrival first.
  auto all = store.list_thanks({});
  REQUIRE(all.ok());
  REQUIRE(all->size() == 3);
  const central::ThanksRecord& d = (*all)[0];
  CHECK(d.uuid == fleet.d.uuid);
  CHECK(d.site == "Harbour Division");
  CHECK(d.day == "2026-11-21");
  CHECK(d.survey_id == "lobby");
  CHECK(d.language == "en");
  CHECK(d.note == "Great help");
  CHECK(d.employee == "Lee");
  CHECK(d.received_at == kBatch2);
  const central::ThanksRecord& c = (*all)[1];
  CHECK(c.uuid == fleet.c.uuid);
  CHECK(c.site == "Central Division");
  CHECK(c.day == "2026-11-21");
  CHECK(c.language == "es");
  CHECK(c.note == "Gracias");
  CHECK(c.employee.empty());
  CHECK(c.received_at == kBatch1);
  const central::ThanksRecord& a = (*all)[2];
  CHECK(a.uuid == fleet.a.uuid);
  CHECK(a.day == "2026-11-20");
  CHECK(a.note == "Thank you, Officer Diaz");
  CHECK(a.employee == "Diaz");

  central::ThanksFilter f;
  SECTION("site") {
    f.site = "Central Division";
    CHECK(notes(store, f) == std::vector<std::string>{"Gracias", "Thank you, Officer Diaz"});
  }
  SECTION("from, inclusive") {
    f.from = "2026-11-21";
    CHECK(notes(store, f) == std::vector<std::string>{"Great help", "Gracias"});
  }
  SECTION("to, inclusive") {
    f.to = "2026-11-20";
    CHECK(notes(store, f) == std::vector<std::string>{"Thank you, Officer Diaz"});
  }
  SECTION("site and days together") {
    f.site = "Harbour Division";
    f.from = f.to = "2026-11-21";
    CHECK(notes(store, f) == std::vector<std::string>{"Great help"});
    f.to = "2026-11-20";
    CHECK(notes(store, f).empty());
  }
  SECTION("limit") {
    f.limit = 2;
    CHECK(notes(store, f) == std::vector<std::string>{"Great help", "Gracias"});
    f.limit = 1;
    CHECK(notes(store, f) == std::vector<std::string>{"Great help"});
    f.limit = 0;
    CHECK(notes(store, f).empty());
  }
}

TEMPLATE_TEST_CASE("a failed batch changes no totals and adds no notes", "[store][contract][aggregates]",
                   FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  Fleet fleet;
  fleet.deliver(subject);
  // A rating the schema refuses (value CHECK 1..5; api.cpp never files one) fails the batch midway, after a
  // good item with a note and ratings was stored.
  const IngestItem good =
      rated("lobby", "en", "2026-11-20", {{"overall", Pillar::Overall, 5}}, "Lost", "Kim");
  const IngestItem bad = rated("lobby", "en", "2026-11-20", {{"overall", Pillar::Overall, 7}});
  CHECK_FALSE(store.ingest("lobby-1", {good, bad}, "2026-11-23T08:00:00Z").ok());
  CHECK(*store.count_responses() == 5);
  CHECK(partials(store) == kAllCells);
  CHECK(notes(store).size() == 3);
  // The good item alone goes through afterwards.
  auto retried = store.ingest("lobby-1", {good}, "2026-11-23T08:00:00Z");
  REQUIRE(retried.ok());
  CHECK(statuses(*retried) == std::vector{ItemStatus::Created});
  CHECK(
      partials(store).front() ==
      "Central Division||lobby|en|2026-11-20|0 r=3 t=2 overall:overall:0,0,0,2,1 staff:empathize:0,0,1,0,1");
  CHECK(notes(store).size() == 4);
}

TEMPLATE_TEST_CASE("concurrent batches into the same totals rows add up", "[store][contract][aggregates]",
                   FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  enrol_two(subject);
  // Separate connections; each batch touches the same rows, in a different order per connection.
  constexpr int kConnections = 4;
  constexpr int kPerBatch = 24;
  std::vector<std::unique_ptr<central::CentralStore>> connections;
  for (int i = 0; i < kConnections; ++i) connections.push_back(subject.reopen());
  const std::vector<std::string> days = {"2026-11-20", "2026-11-21", "2026-11-22"};
  std::vector<std::vector<IngestItem>> batches(kConnections);
  for (int t = 0; t < kConnections; ++t) {
    for (int i = 0; i < kPerBatch; ++i) {
      const int v = (i + t) % 5 + 1;
      batches[static_cast<std::size_t>(t)].push_back(
          rated("lobby", "en", days[static_cast<std::size_t>(i) % days.size()],
                {{"overall", Pillar::Overall, v}, {"staff", Pillar::Empathize, 6 - v}},
                i % 2 == 0 ? "Thanks" : ""));
    }
    if (t % 2 == 1)
      std::reverse(batches[static_cast<std::size_t>(t)].begin(), batches[static_cast<std::size_t>(t)].end());
  }
  std::vector<std::string> errors(kConnections);
  std::vector<std::thread> threads;
  for (int t = 0; t < kConnections; ++t) {
    threads.emplace_back([&, t] {
      const auto i = static_cast<std::size_t>(t);
      auto r = connections[i]->ingest(t % 2 == 0 ? "lobby-1" : "lobby-2", batches[i], kNow);
      if (!r) errors[i] = r.error().message;
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& e : errors) CHECK(e.empty());
  for (const central::Grain grain : {central::Grain::Day, central::Grain::Week, central::Grain::Month}) {
    INFO("grain " << central::to_string(grain));
    auto cells = subject.get().aggregate_partials({}, grain);
    REQUIRE(cells.ok());
    int responses = 0, thanks = 0, ratings = 0;
    for (const auto& cell : *cells) {
      responses += cell.responses;
      thanks += cell.thanks;
      for (const auto& rating : cell.ratings)
        ratings += std::accumulate(rating.counts.begin(), rating.counts.end(), 0);
    }
    CHECK(responses == kConnections * kPerBatch);
    CHECK(thanks == kConnections * kPerBatch / 2);
    CHECK(ratings == 2 * kConnections * kPerBatch);
    // Two sites × three days, which fall in one week and one month.
    CHECK(cells->size() == (grain == central::Grain::Day ? 2 * days.size() : 2));
  }
  CHECK(notes(subject.get()).size() == static_cast<std::size_t>(kConnections * kPerBatch / 2));
}

TEMPLATE_TEST_CASE("a published survey version is stored verbatim and listed by id and version",
                   "[store][contract][surveys]", FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  CHECK(store.list_published_surveys()->empty());
  REQUIRE(store.publish_survey(test::published("fair", 2), {}).value() == central::PublishOutcome::Created);
  REQUIRE(store.publish_survey(test::published("fair", 1), {}).value() == central::PublishOutcome::Created);
  REQUIRE(store.publish_survey(test::published("block", 1), {}).value() == central::PublishOutcome::Created);
  const auto all = store.list_published_surveys();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 3);
  CHECK(((*all)[0].id == "block" && (*all)[1].id == "fair" && (*all)[1].version == 1 &&
         (*all)[2].version == 2));
  CHECK((*all)[2].toml == test::survey_toml("fair", 2));
  CHECK((*all)[2].sha256 == model::payload_hash(test::survey_toml("fair", 2)));
  CHECK((*all)[2].published_at == "2026-11-20T08:00:00Z");
}

TEMPLATE_TEST_CASE("republishing the same bytes is a no-op that still adds assignments",
                   "[store][contract][surveys]", FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  using central::AssignmentKind;
  REQUIRE(
      store.publish_survey(test::published("fair", 1), {{AssignmentKind::Site, "Central Division", "fair"}})
          .ok());
  auto again = test::published("fair", 1);
  again.published_at = "2026-11-21T08:00:00Z";
  const auto outcome = store.publish_survey(again, {{AssignmentKind::Event, "Harvest fair", "fair"}});
  REQUIRE(outcome.ok());
  CHECK(*outcome == central::PublishOutcome::Unchanged);
  const auto surveys = store.list_published_surveys();
  REQUIRE(surveys->size() == 1);
  CHECK(surveys->front().published_at == "2026-11-20T08:00:00Z");  // the first publication stands
  const auto assignments = store.list_survey_assignments();
  REQUIRE(assignments.ok());
  CHECK(*assignments ==
        std::vector<central::SurveyAssignment>{{AssignmentKind::Site, "Central Division", "fair"},
                                               {AssignmentKind::Event, "Harvest fair", "fair"}});
}

TEMPLATE_TEST_CASE("different bytes under a published version are refused and change nothing",
                   "[store][contract][surveys]", FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  using central::AssignmentKind;
  REQUIRE(
      store.publish_survey(test::published("fair", 1), {{AssignmentKind::Site, "Central Division", "fair"}})
          .ok());
  REQUIRE(store.publish_survey(test::published("other", 1), {}).ok());
  const auto changed = store.publish_survey(test::published("fair", 1, "Edited title"),
                                            {{AssignmentKind::Site, "Harbour Division", "fair"},
                                             {AssignmentKind::Site, "Central Division", "other"}});
  REQUIRE_FALSE(changed.ok());
  CHECK_THAT(changed.error().message, Catch::Contains("survey \"fair\" version 1 is already published"));
  const auto surveys = store.list_published_surveys();
  REQUIRE(surveys->size() == 2);
  CHECK(surveys->front().toml == test::survey_toml("fair", 1));
  // Neither the new assignment nor the replaced one was written.
  CHECK(*store.list_survey_assignments() ==
        std::vector<central::SurveyAssignment>{{AssignmentKind::Site, "Central Division", "fair"}});
}

TEMPLATE_TEST_CASE("assigning another survey to a site or event replaces the assignment",
                   "[store][contract][surveys]", FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  using central::AssignmentKind;
  REQUIRE(store
              .publish_survey(test::published("fair", 1), {{AssignmentKind::Site, "Central Division", "fair"},
                                                           {AssignmentKind::Event, "Harvest fair", "fair"}})
              .ok());
  REQUIRE(store
              .publish_survey(test::published("lobby2", 1),
                              {{AssignmentKind::Site, "Central Division", "lobby2"}})
              .ok());
  CHECK(*store.list_survey_assignments() ==
        std::vector<central::SurveyAssignment>{{AssignmentKind::Site, "Central Division", "lobby2"},
                                               {AssignmentKind::Event, "Harvest fair", "fair"}});
}

namespace {

constexpr std::int64_t kT0 = 1'800'000'000;  // some second in 2027

template <typename Subject>
void enrol_ann_and_ada(Subject& subject) {
  REQUIRE(subject.get().add_user("ann", central::Role::Analyst, central::token_hash("ann"), kNow).ok());
  REQUIRE(subject.get().add_user("ada", central::Role::Admin, central::token_hash("ada"), kNow).ok());
}

central::SessionRecord session(const std::string& id, const std::string& user, std::int64_t created,
                               std::int64_t lifetime = 3600) {
  return {central::token_hash(id), user, created, created + lifetime};
}

// The user of the session whose id is `id` at `now`, or "" when there is none.
std::string session_user(central::CentralStore& store, const std::string& id, std::int64_t now) {
  auto found = store.find_session(central::token_hash(id), now);
  REQUIRE(found.ok());
  return found->has_value() ? (*found)->name : "";
}

}  // namespace

TEMPLATE_TEST_CASE("sessions are found by their id's hash until they expire or are removed",
                   "[store][contract][sessions]", FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  enrol_ann_and_ada(subject);
  REQUIRE(store.add_session(session("s1", "ann", kT0, 100), 20).ok());
  REQUIRE(store.add_session(session("s2", "ada", kT0), 20).ok());

  auto found = store.find_session(central::token_hash("s1"), kT0 + 1);
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->name == "ann");
  CHECK((*found)->role == central::Role::Analyst);
  CHECK((*store.find_session(central::token_hash("s2"), kT0))->role == central::Role::Admin);
  CHECK(session_user(store, "unknown", kT0).empty());
  // The id itself is never a key: only its hash finds anything.
  CHECK_FALSE(store.find_session("s1", kT0)->has_value());

  // Alive up to the second before expires_at, never from it on.
  CHECK(session_user(store, "s1", kT0 + 99) == "ann");
  CHECK(session_user(store, "s1", kT0 + 100).empty());
  // The next sign-in deletes it for good: asked about an earlier second, it is gone, not just hidden.
  REQUIRE(store.add_session(session("s3", "ada", kT0 + 200), 20).ok());
  CHECK(session_user(store, "s1", kT0 + 1).empty());
  CHECK(session_user(store, "s2", kT0 + 200) == "ada");

  REQUIRE(store.remove_session(central::token_hash("s2")).ok());
  CHECK(session_user(store, "s2", kT0 + 200).empty());
  CHECK(session_user(store, "s3", kT0 + 200) == "ada");
  CHECK(store.remove_session(central::token_hash("s2")).ok());  // twice is fine
  // A session for nobody enrolled is refused.
  CHECK_FALSE(store.add_session(session("s4", "nobody", kT0 + 200), 20).ok());
}

TEMPLATE_TEST_CASE("signing in beyond the per-user cap ends only that user's oldest sessions",
                   "[store][contract][sessions]", FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  enrol_ann_and_ada(subject);
  REQUIRE(store.add_session(session("ada", "ada", kT0), 3).ok());
  // Ann signs in 8 times, three in the same second: the arrival order breaks the tie.
  const std::int64_t seconds[] = {kT0 + 1, kT0 + 2, kT0 + 3, kT0 + 4, kT0 + 5, kT0 + 5, kT0 + 5, kT0 + 6};
  for (int i = 0; i < 8; ++i) {
    REQUIRE(store.add_session(session("ann" + std::to_string(i), "ann", seconds[i]), 3).ok());
  }
  for (int i = 0; i < 5; ++i) CHECK(session_user(store, "ann" + std::to_string(i), kT0 + 6).empty());
  for (int i = 5; i < 8; ++i) CHECK(session_user(store, "ann" + std::to_string(i), kT0 + 6) == "ann");
  CHECK(session_user(store, "ada", kT0 + 6) == "ada");
}

TEMPLATE_TEST_CASE("sessions outlive the store that made them and are seen by every store on the database",
                   "[store][contract][sessions]", FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  enrol_ann_and_ada(subject);
  {
    auto first = subject.reopen();
    REQUIRE(first->add_session(session("before-restart", "ann", kT0), 20).ok());
  }  // closed, as at a restart
  auto second = subject.reopen();
  CHECK(session_user(*second, "before-restart", kT0 + 1) == "ann");
  // Two stores open at once (two processes): a session one makes, the other finds and can end.
  REQUIRE(second->add_session(session("made-by-second", "ada", kT0 + 1), 20).ok());
  CHECK(session_user(subject.get(), "made-by-second", kT0 + 2) == "ada");
  REQUIRE(subject.get().remove_session(central::token_hash("before-restart")).ok());
  CHECK(session_user(*second, "before-restart", kT0 + 2).empty());
}

TEMPLATE_TEST_CASE("ping answers, and count_sessions counts the sessions alive at a second",
                   "[store][contract][ops]", FK_CENTRAL_STORE_SUBJECTS) {
  TestType subject;
  central::CentralStore& store = subject.get();
  CHECK(store.ping().ok());
  enrol_ann_and_ada(subject);
  CHECK(*store.count_sessions(kT0) == 0);
  REQUIRE(store.add_session(session("s1", "ann", kT0, 100), 20).ok());
  REQUIRE(store.add_session(session("s2", "ada", kT0), 20).ok());
  CHECK(*store.count_sessions(kT0 + 1) == 2);
  CHECK(*store.count_sessions(kT0 + 100) == 1);  // s1 is dead from expires_at on
  REQUIRE(store.remove_session(central::token_hash("s2")).ok());
  CHECK(*store.count_sessions(kT0 + 1) == 1);
}
