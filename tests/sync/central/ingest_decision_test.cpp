// The ingest decision both backends share (sync/central/ingest_decision.hpp): each item's answer from what the
// insert found, and the per-batch totals. Pure: no database.
#include "sync/central/ingest_decision.hpp"

#include <catch2/catch.hpp>

using namespace fk;
using central::BatchTotals;
using central::decide;
using central::IngestItem;
using central::StoredOwner;
using model::ItemStatus;

namespace {

IngestItem item(const std::string& uuid, const std::string& sha256) {
  IngestItem out;
  out.uuid = uuid;
  out.payload_sha256 = sha256;
  out.survey_id = "lobby";
  out.language = "en";
  out.day = "2026-11-23";  // a Monday
  return out;
}

}  // namespace

TEST_CASE("an item the insert created is answered created, without a reason", "[ingest]") {
  const auto result = decide(item("u1", "aa"), "lobby-1", std::nullopt);
  CHECK(result.uuid == "u1");
  CHECK(result.status == ItemStatus::Created);
  CHECK(result.reason.empty());
}

TEST_CASE("the same uuid from the same kiosk with the same bytes is a duplicate", "[ingest]") {
  const auto result = decide(item("u1", "aa"), "lobby-1", StoredOwner{"lobby-1", "aa"});
  CHECK(result.uuid == "u1");
  CHECK(result.status == ItemStatus::Duplicate);
  CHECK(result.reason.empty());
}

TEST_CASE("the same uuid from the same kiosk with other bytes is a conflict saying so", "[ingest]") {
  const auto result = decide(item("u1", "bb"), "lobby-1", StoredOwner{"lobby-1", "aa"});
  CHECK(result.status == ItemStatus::Conflict);
  CHECK(result.reason == "a different payload is already stored under this uuid");
}

TEST_CASE("a uuid another kiosk delivered is a conflict, even with the same bytes", "[ingest]") {
  for (const char* sha256 : {"aa", "bb"}) {
    const auto result = decide(item("u1", sha256), "lobby-2", StoredOwner{"lobby-1", "aa"});
    CHECK(result.status == ItemStatus::Conflict);
    CHECK(result.reason == "this uuid was already delivered by another kiosk");
  }
}

TEST_CASE("an item with a problem is invalid with the problem as its reason, whatever is stored",
          "[ingest]") {
  IngestItem bad = item("u1", "aa");
  bad.problem = "payload is not valid JSON";
  CHECK_FALSE(central::is_storable(bad));
  CHECK(central::is_storable(item("u1", "aa")));
  for (const auto& owner :
       {std::optional<StoredOwner>(), std::optional<StoredOwner>(StoredOwner{"lobby-1", "aa"})}) {
    const auto result = decide(bad, "lobby-1", owner);
    CHECK(result.uuid == "u1");
    CHECK(result.status == ItemStatus::Invalid);
    CHECK(result.reason == "payload is not valid JSON");
  }
}

TEST_CASE("a batch's totals are summed per row, daily and by week and month", "[ingest]") {
  BatchTotals totals;
  IngestItem a = item("u1", "aa");
  a.ratings = {{"q1", model::Pillar::None, 4}};
  IngestItem b = item("u2", "bb");
  b.ratings = {{"q1", model::Pillar::None, 4}, {"q2", model::Pillar::None, 2}};
  b.thanks_note = "Thank you";
  IngestItem other_day = item("u3", "cc");
  other_day.day = "2026-11-24";
  totals.add("Central Division", a);
  totals.add("Central Division", b);
  totals.add("Central Division", other_day);

  REQUIRE(totals.responses().size() == 2);  // two days
  const auto& first = totals.responses().begin()->second;
  CHECK(first.responses == 2);
  CHECK(first.thanks == 1);
  CHECK(totals.responses().rbegin()->second.responses == 1);
  REQUIRE(totals.ratings().size() == 2);
  CHECK(totals.ratings().begin()->first.question_id == "q1");
  CHECK(totals.ratings().begin()->first.value == 4);
  CHECK(totals.ratings().begin()->second == 2);
  CHECK(totals.ratings().rbegin()->second == 1);
  // All three fall in one week and one month: a responses row and two rating rows for each grain.
  const auto& periods = totals.periods().rows();
  CHECK(periods.size() == 6);
  for (const auto& [key, counts] : periods) {
    if (key.question_id.empty()) {
      CHECK(counts.responses == 3);
      CHECK(counts.thanks == 1);
    }
  }
}
